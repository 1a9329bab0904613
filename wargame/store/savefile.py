"""One save file in and out: `write_save` renders and writes it atomically; `load_save`
reads it and checks it step by step (read → parse → format → validate → deck → events →
replay; `check_sealed` between format and validate), so a save that loads is a game that
verifies, and every bad file is a SaveError.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from wargame.engine import errors
from wargame.engine.game import Game
from wargame.model.deck import Deck
from wargame.model.game import Event, GameStarted
from wargame.store.atomic import atomic_write
from wargame.store.decks import DeckError, deck_from_data
from wargame.store.files import FileRefused, read_capped, why
from wargame.store.format import (
    FORMAT_VERSION,
    Renderer,
    SaveError,
    SaveFile,
    SaveSettings,
    content_checksum,
)
from wargame.store.locations import loc_text
from wargame.store.migrate import migrate

MAX_SAVE_BYTES = 64 * 1024 * 1024


def write_save(path: Path, deck: Deck, events: Sequence[Event]) -> None:
    """Save a game atomically; the previous version is kept as `<name>.toml.bak`."""
    path = Path(path)
    data = Renderer(deck).render(path, events)
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise SaveError(path, f"cannot be written ({why(exc)})") from None


@dataclass
class LoadedSave:
    path: Path
    deck: Deck
    events: list[Event]
    game: Game  # replayed and verified
    game_id: str = ""
    app_version: str = ""
    last_played: str = ""


def load_save(path: Path) -> LoadedSave:
    """Read, check and replay a save. Every kind of bad file gives a SaveError, nothing else."""
    path = Path(path)
    try:
        return _load(path)
    except SaveError:
        raise
    except RecursionError:
        raise SaveError(path, "nested too deeply; not a save") from None
    except Exception as exc:  # a safety net: a bad file must never crash the launcher
        raise SaveError(path, f"cannot be loaded ({type(exc).__name__}: {exc})") from None


def _load(path: Path) -> LoadedSave:
    data = parse(path, read(path))
    check_format(path, data)
    check_sealed(path, data)  # the data as written: a migration of old formats goes after it
    save = validate(path, data)
    if save.format < FORMAT_VERSION:  # checked as written, then read as today's format
        save = validate(path, migrate(data))
    deck = _deck(path, save)
    events = _events(path, save)
    try:
        game = Game.load(deck, events)
    except errors.ReplayMismatch as exc:
        raise SaveError(path, f"the event log does not replay: {exc}") from None
    return LoadedSave(
        path=path,
        deck=deck,
        events=events,
        game=game,
        game_id=save.game_id,
        app_version=save.app_version,
        last_played=save.last_played,
    )


# --- the steps --------------------------------------------------------------------------


def read(path: Path) -> str:
    """The save's text: a regular file, not too large, UTF-8 without NUL bytes."""
    try:
        raw = read_capped(path, MAX_SAVE_BYTES, "save file")
    except FileRefused as exc:
        raise SaveError(path, exc.message) from None
    if not raw.strip():
        raise SaveError(path, "is empty; the save was never written or was wiped")
    if b"\x00" in raw:
        raise SaveError(path, "contains binary data (NUL bytes); the file is damaged")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SaveError(
            path, f"is not valid UTF-8 text (line {line}); the file is damaged"
        ) from None


def parse(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc).rstrip(".")
        raise SaveError(path, f"invalid TOML ({msg}); the file is truncated or damaged") from None
    except RecursionError:
        raise SaveError(path, "invalid TOML: nested too deeply") from None


def check_format(path: Path, data: dict[str, Any]) -> None:
    if "format" not in data:
        raise SaveError(path, "not a wargame save (no 'format' key)")
    version = data["format"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SaveError(path, f"format {version!r} is not a save format this wargame knows")
    if version > FORMAT_VERSION:
        raise SaveError(
            path,
            f"saved by a newer wargame (format {version}); this one reads format {FORMAT_VERSION}",
        )


def check_sealed(path: Path, data: dict[str, Any]) -> None:
    """The file is whole and as it was written: every event counted is there, and the
    checksum matches the contents. (Missing fields are left to `validate` to name.)"""
    events_raw = data.get("events")
    count = data.get("event_count")
    if isinstance(count, int) and isinstance(events_raw, list):
        if len(events_raw) < count:
            raise SaveError(path, f"is truncated: it holds {len(events_raw)} of {count} events")
        if len(events_raw) != count:
            raise SaveError(path, f"event_count is {count} but the log holds {len(events_raw)}")
    checksum = data.get("checksum")
    if isinstance(checksum, str) and checksum != content_checksum(data):
        raise SaveError(
            path, "the contents do not match the checksum; the file was damaged or edited"
        )


def validate(path: Path, data: dict[str, Any]) -> SaveFile:
    """The save's fields, and no number that is not finite (the checksum is a plain hash
    anyone can recompute, so it is no guard against an edited `nan`)."""
    bad = _non_finite(data)
    if bad is not None:
        where, value = bad
        raise SaveError(path, f"{where}: {value} is not a finite number; the file was edited")
    try:
        return SaveFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        msg = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
        if err["type"] == "missing":
            msg = "required field is missing"
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise SaveError(path, f"{loc_text(err['loc'])}: {msg}{more}") from None


def _non_finite(data: Any) -> tuple[str, float] | None:
    """The first float in parsed TOML that is nan or ±inf, with where it is; None if none."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            if loc and loc[0] == "events" and len(loc) > 1:
                return f"event #{loc[1] + 1}: {loc_text(loc[2:])}", value
            return loc_text(loc), value
        if isinstance(value, dict):
            stack.extend(((*loc, k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*loc, i), v) for i, v in reversed(list(enumerate(value))))
    return None


@cache
def _events_adapter() -> TypeAdapter[list[Event]]:
    """The validator of a save's event log, built on first load (about 30 ms of schema
    building that a new game's first frame does not need)."""
    return TypeAdapter(list[Event])


def _deck(path: Path, save: SaveFile) -> Deck:
    try:
        deck = deck_from_data(save.deck, "", "")
    except DeckError as exc:
        problems = [str(p).lstrip(": ") for p in exc.problems]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise SaveError(path, f"the embedded deck is not valid: {problems[0]}{more}") from None
    if deck.id != save.deck_id:
        raise SaveError(path, f"deck_id {save.deck_id!r} differs from the embedded deck's id")
    if deck.content_hash != save.deck_hash:
        raise SaveError(path, "the embedded deck does not match its deck_hash (edited or damaged)")
    return deck


def _events(path: Path, save: SaveFile) -> list[Event]:
    try:
        events = _events_adapter().validate_python(save.events)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = list(err["loc"])
        first = loc[0] if loc else None
        index = first if isinstance(first, int) else 0
        if isinstance(first, int):
            loc.pop(0)
        if loc and isinstance(loc[0], str) and loc[0] == save.events[index].get("kind"):
            loc.pop(0)  # the discriminator tag pydantic puts in the location
        where = f"event #{index + 1}" + (f": {loc_text(loc)}" if loc else "")
        raise SaveError(path, f"{where}: {err['msg']}") from None
    if not events or not isinstance(events[0], GameStarted):
        raise SaveError(path, "the event log does not begin with a game start")
    start = events[0]
    settings = SaveSettings(mode=start.mode, turns=start.turns, team_names=start.team_names)
    if settings != save.settings or start.seed != save.seed or start.deck_id != save.deck_id:
        raise SaveError(path, "the settings do not match the game start in the event log")
    return events
