"""The save file's format: its fields, its checksum, and the renderer that writes it.

A save holds the deck itself (so a game outlives changes to `decks/`), the settings and the
full event log. A checksum over the contents catches damage that still parses (a flipped
byte inside a rationale), and an event count catches a file cut at an event boundary.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ConfigDict

from wargame import __version__
from wargame.model.deck import Deck
from wargame.model.game import Event, GameStarted, Mode
from wargame.store.caches import Bounded
from wargame.store.migrate import FORMAT_VERSION

HEADER_COMMENT = (
    "# A wargame save. Not for hand editing: a checksum guards the contents,\n"
    "# and the event log is replayed and verified when the game is loaded.\n"
)


class SaveError(ValueError):
    """A save that cannot be written or used: the file and the problem, on one line."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.message = message
        super().__init__(f"{path}: {message}")


# --- the file's shape -------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SaveSettings(_Model):
    mode: Mode
    turns: int
    team_names: dict[str, str] = {}


class SaveFile(_Model):
    """A save as read from TOML. The deck is validated separately, for deck-style messages."""

    format: int
    app_version: str
    game_id: str
    deck_id: str
    deck_hash: str
    seed: int
    last_played: str
    event_count: int
    checksum: str
    settings: SaveSettings
    deck: dict[str, Any]
    events: list[dict[str, Any]] = []


# --- the checksum -----------------------------------------------------------------------


def canon(obj: Any) -> str:
    """Canonical JSON: the same data always gives the same text, however TOML laid it out."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _body_hash(deck_canon: str) -> Any:
    h = hashlib.sha256()
    h.update(deck_canon.encode())
    return h


def _add_event(h: Any, event_canon: str) -> None:
    h.update(b"\n")
    h.update(event_canon.encode())


def _seal(body: Any, head: dict[str, Any]) -> str:
    """The checksum: sha256 over the deck, then each event, then the header fields (in
    that order, so a growing log extends a running hash instead of rehashing it)."""
    h = body.copy()
    h.update(b"\n")
    h.update(canon(head).encode())
    return "sha256:" + h.hexdigest()


def _head_of(data: dict[str, Any]) -> dict[str, Any]:
    """Everything the checksum covers apart from the deck and the events."""
    return {k: v for k, v in data.items() if k not in ("checksum", "deck", "events")}


def content_checksum(data: dict[str, Any]) -> str:
    """The checksum a save's parsed TOML should carry (for tools that rewrite saves)."""
    body = _body_hash(canon(data.get("deck")))
    for e in data.get("events", []):
        _add_event(body, canon(e))
    return _seal(body, _head_of(data))


# --- rendering --------------------------------------------------------------------------


def event_data(ev: Event) -> dict[str, Any]:
    """An event as TOML-ready data: `kind` first, None fields dropped (TOML has no null)."""
    data = ev.model_dump(mode="json", exclude_none=True)
    return {"kind": data.pop("kind"), **data}


# tomli_w writes an event's sub-tables as `[name]` / `[[name]]` at column 0 (strings are
# single-line and array items are indented, so nothing else starts a line with `[`).
_SUBTABLE = re.compile(r"^(\[\[?)", re.MULTILINE)


def event_toml(data: dict[str, Any]) -> str:
    """One `[[events]]` entry. Rendered alone so it can be cached and joined with others."""
    body = tomli_w.dumps(data)
    return "[[events]]\n" + _SUBTABLE.sub(r"\1events.", body)


def deck_data(deck: Deck) -> dict[str, Any]:
    """The deck as it is embedded in a save (re-validates to an equal deck, same hash)."""
    return deck.model_dump(mode="json", by_alias=True, exclude_defaults=True)


# Every save of a game embeds the same deck, and a large deck takes tens of milliseconds
# to render: its TOML and canonical JSON are kept per deck content.
_DECK_TEXTS: Bounded[str, tuple[str, str]] = Bounded(8)


def deck_texts(deck: Deck) -> tuple[str, str]:
    """The deck's TOML as a save embeds it, and its canonical JSON."""
    key = deck.content_hash
    texts = _DECK_TEXTS.get(key)
    if texts is None:
        data = deck_data(deck)
        texts = (tomli_w.dumps({"deck": data}), canon(data))
        _DECK_TEXTS.put(key, texts)
    return texts


def remember_deck_texts(deck: Deck, texts: tuple[str, str]) -> None:
    """Texts `deck_texts` made for this deck in an earlier run (the deck cache keeps them)."""
    _DECK_TEXTS.put(deck.content_hash, texts)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Renderer:
    """Builds save text for one deck, caching the deck's TOML and each event's TOML."""

    def __init__(self, deck: Deck) -> None:
        self.deck = deck
        self.hash = deck.content_hash
        deck_toml, self.deck_canon = deck_texts(deck)
        self.deck_toml = deck_toml.encode()
        # Per cached event, by position in the log: the event object, its TOML as UTF-8,
        # its canonical JSON and the last time stamp up to it (a long log's tail may have
        # none: looking back for one on every save cost milliseconds); and the running hash
        # of the deck and the cached events.
        self._events: list[Event] = []
        self._tomls: list[bytes] = []
        self._canons: list[str] = []
        self._last_ats: list[str | None] = []
        self._body = _body_hash(self.deck_canon)

    def render(self, path: Path, events: Sequence[Event]) -> bytes:
        """The save file's bytes (UTF-8): only events not rendered before are serialized."""
        if not events or not isinstance(events[0], GameStarted):
            raise SaveError(path, "nothing to save: the log must begin with a game start")
        # The log only grows, so the cache is normally a prefix of it: one list comparison
        # (identity first, in C) confirms that. Anything else (another game's log, say)
        # drops the cache from the first difference.
        if self._events != list(events[: len(self._events)]):
            keep = 0
            for cached, ev in zip(self._events, events, strict=False):
                if cached != ev:
                    break
                keep += 1
            self._drop_from(keep)
        for ev in events[len(self._events) :]:
            data = event_data(ev)
            text = canon(data)
            self._events.append(ev)
            self._tomls.append(event_toml(data).encode())
            self._canons.append(text)
            self._last_ats.append(ev.at or (self._last_ats[-1] if self._last_ats else None))
            _add_event(self._body, text)
        start = events[0]
        last_at = self._last_ats[-1]
        head: dict[str, Any] = {
            "format": FORMAT_VERSION,
            "app_version": __version__,
            "game_id": path.stem,
            "deck_id": self.deck.id,
            "deck_hash": self.hash,
            "seed": start.seed,
            "last_played": last_at or _now(),
            "event_count": len(events),
            "settings": {
                "mode": start.mode,
                "turns": start.turns,
                "team_names": dict(start.team_names),
            },
        }
        checksum = _seal(self._body, head)
        settings = head.pop("settings")
        top = tomli_w.dumps({**head, "checksum": checksum, "settings": settings})
        return b"\n".join([(HEADER_COMMENT + top).encode(), self.deck_toml, *self._tomls])

    def _drop_from(self, keep: int) -> None:
        del self._events[keep:], self._tomls[keep:], self._canons[keep:], self._last_ats[keep:]
        self._body = _body_hash(self.deck_canon)
        for text in self._canons:
            _add_event(self._body, text)
