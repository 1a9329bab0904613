"""Saves in and out: one TOML file per game, written atomically, checked on the way back in.

A save holds the deck itself (so a game outlives changes to `decks/`), the settings and the
full event log. Loading replays the log through the engine, so a save that loads is a game
that verifies. A checksum over the contents catches damage that still parses (a flipped
byte inside a rationale), and an event count catches a file cut at an event boundary.

Writes go to a temporary file in the same folder, are flushed and fsynced, and replace the
save with `os.replace`; the previous version is kept as `<name>.toml.bak` (hard-linked, so
the save itself never disappears, not even for an instant). `Autosaver` does this on a
background thread after every event, serializing each event's TOML only once.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from wargame import __version__
from wargame.engine import errors
from wargame.engine.game import Game
from wargame.engine.rules import seat_name
from wargame.model.deck import Deck
from wargame.model.game import Event, GameStarted, Mode
from wargame.store.decks import DeckError, deck_from_data

FORMAT_VERSION = 1
MAX_SAVE_BYTES = 64 * 1024 * 1024
APP_NAME = "wargame"
HEADER_COMMENT = (
    "# A wargame save. Not for hand editing: a checksum guards the contents,\n"
    "# and the event log is replayed and verified when the game is loaded.\n"
)


@cache
def _events_adapter() -> TypeAdapter[list[Event]]:
    """The validator of a save's event log, built on first load (about 30 ms of schema
    building that a new game's first frame does not need)."""
    return TypeAdapter(list[Event])


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


def _canon(obj: Any) -> str:
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
    h.update(_canon(head).encode())
    return "sha256:" + h.hexdigest()


def _head_of(data: dict[str, Any]) -> dict[str, Any]:
    """Everything the checksum covers apart from the deck and the events."""
    return {k: v for k, v in data.items() if k not in ("checksum", "deck", "events")}


def content_checksum(data: dict[str, Any]) -> str:
    """The checksum a save's parsed TOML should carry (for tools that rewrite saves)."""
    body = _body_hash(_canon(data.get("deck")))
    for e in data.get("events", []):
        _add_event(body, _canon(e))
    return _seal(body, _head_of(data))


def event_data(ev: Event) -> dict[str, Any]:
    """An event as TOML-ready data: `kind` first, None fields dropped (TOML has no null)."""
    data = ev.model_dump(mode="json", exclude_none=True)
    return {"kind": data.pop("kind"), **data}


# tomli_w writes an event's sub-tables as `[name]` / `[[name]]` at column 0 (strings are
# single-line and array items are indented, so nothing else starts a line with `[`).
_SUBTABLE = re.compile(r"^(\[\[?)", re.MULTILINE)


def _event_toml(data: dict[str, Any]) -> str:
    """One `[[events]]` entry. Rendered alone so it can be cached and joined with others."""
    body = tomli_w.dumps(data)
    return "[[events]]\n" + _SUBTABLE.sub(r"\1events.", body)


class _Renderer:
    """Builds save text for one deck, caching the deck's TOML and each event's TOML."""

    def __init__(self, deck: Deck) -> None:
        self.deck = deck
        self.hash = deck.content_hash
        deck_toml, self.deck_canon = _deck_texts(deck)
        self.deck_toml = deck_toml.encode()
        # Per cached event, by position in the log: the event object, its TOML as UTF-8
        # and its canonical JSON; and the running hash of the deck and the cached events.
        self._events: list[Event] = []
        self._tomls: list[bytes] = []
        self._canons: list[str] = []
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
            canon = _canon(data)
            self._events.append(ev)
            self._tomls.append(_event_toml(data).encode())
            self._canons.append(canon)
            _add_event(self._body, canon)
        start = events[0]
        last_at = next((ev.at for ev in reversed(events) if ev.at), None)
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
        del self._events[keep:], self._tomls[keep:], self._canons[keep:]
        self._body = _body_hash(self.deck_canon)
        for canon in self._canons:
            _add_event(self._body, canon)


_DECK_TEXTS: dict[str, tuple[str, str]] = {}


def _deck_texts(deck: Deck) -> tuple[str, str]:
    """The deck's TOML and canonical JSON, made once per deck content (a large deck takes
    tens of milliseconds to render, and every save of a game embeds the same deck)."""
    key = deck.content_hash
    texts = _DECK_TEXTS.get(key)
    if texts is None:
        data = deck_data(deck)
        texts = (tomli_w.dumps({"deck": data}), _canon(data))
        if len(_DECK_TEXTS) >= 8:
            _DECK_TEXTS.pop(next(iter(_DECK_TEXTS)))
        _DECK_TEXTS[key] = texts
    return texts


def deck_data(deck: Deck) -> dict[str, Any]:
    """The deck as it is embedded in a save (re-validates to an equal deck, same hash)."""
    return deck.model_dump(mode="json", by_alias=True, exclude_defaults=True)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- where saves go ---------------------------------------------------------------------


def saves_dir(override: Path | None = None) -> Path:
    """The saves folder: `override`, else ./saves if it exists, else the user data folder."""
    if override is not None:
        directory = Path(override).expanduser()
    elif Path("saves").is_dir():
        directory = Path.cwd() / "saves"
    else:
        directory = platformdirs.user_data_path(APP_NAME) / "saves"
    if directory.exists() and not directory.is_dir():
        raise SaveError(directory, "is a file, not a folder for saves")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(directory, f"cannot create the saves folder ({_why(exc)})") from None
    return directory


_SLUG_DROP = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 48


def slug(text: str) -> str:
    """A file-name-safe form of a name: lower-case letters, digits and single dashes."""
    s = _SLUG_DROP.sub("-", text.lower()).strip("-")[:MAX_SLUG].strip("-")
    return s or "game"


def new_save_path(directory: Path, deck_id: str, now: datetime) -> Path:
    """A fresh save path inside `directory`: `<deck>-<YYYYmmdd-HHMMSS>.toml`, never taken."""
    directory = Path(directory)
    base = f"{slug(deck_id)}-{now:%Y%m%d-%H%M%S}"
    n = 1
    while True:
        name = f"{base}.toml" if n == 1 else f"{base}-{n}.toml"
        path = directory / name
        if not path.exists() and not _bak_of(path).exists():
            break
        n += 1
    # The slug cannot hold a separator or "..", but say so where it matters.
    if path.resolve().parent != directory.resolve():
        raise SaveError(path, "a save name must stay inside the saves folder")
    return path


def _bak_of(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


# --- writing ----------------------------------------------------------------------------


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _fsync_dir(directory: Path) -> None:
    """Make a rename durable (POSIX); a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _temp_beside(path: Path, tag: str = "") -> tuple[int, str]:
    return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}{tag}.", suffix=".tmp")


def _keep_backup(path: Path) -> None:
    """Point `<name>.bak` at the current save without ever removing the save itself."""
    tmp = path.with_name(f".{path.name}.bak.{secrets.token_hex(6)}.tmp")
    try:
        try:
            os.link(path, tmp)  # the old version, shared until the save is replaced
        except OSError:
            shutil.copyfile(path, tmp)
        os.replace(tmp, _bak_of(path))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _set_mode(fd: int, path: Path) -> None:
    """Give the new file the old one's permissions (mkstemp makes it owner-only)."""
    if not hasattr(os, "fchmod"):
        return
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = 0o644
    os.fchmod(fd, mode)


def atomic_write(path: Path, data: bytes, backup: bool = True) -> None:
    """Temp file in the same folder, flush, fsync, keep the old version as .bak, replace."""
    fd, tmp = _temp_beside(path)
    try:
        _set_mode(fd, path)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if backup and path.is_file():
            _keep_backup(path)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def write_save(path: Path, deck: Deck, events: Sequence[Event]) -> None:
    """Save a game atomically; the previous version is kept as `<name>.toml.bak`."""
    path = Path(path)
    data = _Renderer(deck).render(path, events)
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise SaveError(path, f"cannot be written ({_why(exc)})") from None


def remove_stale_temps(path: Path) -> None:
    """Delete temporary files a killed writer left beside this save (only this save's)."""
    for tmp in Path(path).parent.glob(f".{glob_escape(Path(path).name)}*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


# --- reading ----------------------------------------------------------------------------


@dataclass
class LoadedSave:
    path: Path
    deck: Deck
    events: list[Event]
    game: Game  # replayed and verified
    game_id: str = ""
    app_version: str = ""
    last_played: str = ""


def _size(n: int) -> str:
    return f"{n // 2**20} MiB" if n >= 2**20 else f"{n // 1024} KiB"


def _read(path: Path) -> str:
    try:
        if path.is_dir():
            raise SaveError(path, "is a directory, not a save file")
        if not path.exists():
            raise SaveError(path, "no such save file")
        size = path.stat().st_size
        if size > MAX_SAVE_BYTES:
            raise SaveError(path, f"is larger than {_size(MAX_SAVE_BYTES)}; not a save")
        raw = path.read_bytes()
    except PermissionError:
        raise SaveError(path, "cannot be read (permission denied)") from None
    except OSError as exc:
        raise SaveError(path, f"cannot be read ({_why(exc)})") from None
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


def _parse(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc).rstrip(".")
        raise SaveError(path, f"invalid TOML ({msg}); the file is truncated or damaged") from None
    except RecursionError:
        raise SaveError(path, "invalid TOML: nested too deeply") from None


def _loc(loc: Sequence[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _check_format(path: Path, data: dict[str, Any]) -> None:
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


def _validate(path: Path, data: dict[str, Any]) -> SaveFile:
    try:
        return SaveFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = _loc(err["loc"])
        msg = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
        if err["type"] == "missing":
            msg = "required field is missing"
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise SaveError(path, f"{where}: {msg}{more}") from None


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
        index = loc.pop(0) if loc and isinstance(loc[0], int) else 0
        if loc and isinstance(loc[0], str) and loc[0] == save.events[index].get("kind"):
            loc.pop(0)  # the discriminator tag pydantic puts in the location
        where = f"event #{index + 1}" + (f": {_loc(loc)}" if loc else "")
        raise SaveError(path, f"{where}: {err['msg']}") from None
    if not events or not isinstance(events[0], GameStarted):
        raise SaveError(path, "the event log does not begin with a game start")
    start = events[0]
    settings = SaveSettings(mode=start.mode, turns=start.turns, team_names=start.team_names)
    if settings != save.settings or start.seed != save.seed or start.deck_id != save.deck_id:
        raise SaveError(path, "the settings do not match the game start in the event log")
    return events


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
    text = _read(path)
    data = _parse(path, text)
    _check_format(path, data)
    events_raw = data.get("events")
    count = data.get("event_count")
    if isinstance(count, int) and isinstance(events_raw, list) and len(events_raw) < count:
        raise SaveError(path, f"is truncated: it holds {len(events_raw)} of {count} events")
    save = _validate(path, data)
    if save.event_count != len(save.events):
        raise SaveError(
            path, f"event_count is {save.event_count} but the log holds {len(save.events)}"
        )
    if save.checksum != content_checksum(data):
        raise SaveError(
            path, "the contents do not match the checksum; the file was damaged or edited"
        )
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


# --- listing ----------------------------------------------------------------------------


@dataclass
class SaveEntry:
    path: Path
    ok: bool
    error: str | None  # why it cannot be loaded (without the path)
    deck_id: str
    title: str
    turn: int
    turns: int
    mode: str
    teams: dict[str, str]  # seat -> team name (the seat's name when not renamed)
    last_played: str
    ended: bool
    ending: str | None  # the outcome's title
    has_bak: bool
    bak_ok: bool = field(default=False)  # damaged saves only: the .bak loads (restore it)


def _entry(path: Path) -> SaveEntry:
    has_bak = _bak_of(path).is_file()
    try:
        loaded = load_save(path)
    except SaveError as exc:
        return _damaged_entry(path, exc.message, has_bak)
    state, deck = loaded.game.state, loaded.deck
    return SaveEntry(
        path=path,
        ok=True,
        error=None,
        deck_id=deck.id,
        title=deck.deck.title,
        turn=state.turn,
        turns=state.turns,
        mode=state.mode,
        teams={s: seat_name(deck, state, s) for s in deck.seat_ids()},
        last_played=loaded.last_played,
        ended=state.ended,
        ending=state.outcome.title if state.outcome else None,
        has_bak=has_bak,
    )


def _loads(path: Path) -> bool:
    try:
        load_save(path)
    except SaveError:
        return False
    return True


def _damaged_entry(path: Path, error: str, has_bak: bool) -> SaveEntry:
    """Whatever can still be told about a damaged save, read leniently."""
    info: dict[str, Any] = {}
    with contextlib.suppress(Exception):
        text = path.read_bytes().decode("utf-8", errors="replace")
        # The settings and the deck come before the events: if the log is damaged,
        # they may still tell whose game this was.
        for part in (text, text.split("\n[[events]]", 1)[0]):
            with contextlib.suppress(Exception):
                info = tomllib.loads(part)
                break
    deck = info.get("deck") if isinstance(info.get("deck"), dict) else {}
    deck_info = deck.get("deck") if isinstance(deck.get("deck"), dict) else {}
    settings = info.get("settings") if isinstance(info.get("settings"), dict) else {}

    def get(d: dict[str, Any], key: str, kind: type, default: Any) -> Any:
        v = d.get(key)
        return v if isinstance(v, kind) and not isinstance(v, bool) else default

    return SaveEntry(
        path=path,
        ok=False,
        error=error,
        deck_id=get(info, "deck_id", str, ""),
        title=get(deck_info, "title", str, ""),
        turn=0,
        turns=get(settings, "turns", int, 0),
        mode=get(settings, "mode", str, ""),
        teams={},
        last_played=get(info, "last_played", str, ""),
        ended=False,
        ending=None,
        has_bak=has_bak,
        bak_ok=has_bak and _loads(_bak_of(path)),
    )


def _save_files(directory: Path) -> list[Path]:
    """`*.toml` files in the folder (not hidden temp files, not drafts), newest first."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    files = []
    for p in directory.iterdir():
        if p.name.startswith(".") or not p.name.endswith(".toml"):
            continue
        if p.name.endswith(".drafts.toml"):  # store/drafts.py: unsent decisions, not a save
            continue
        try:
            mtime = p.stat().st_mtime
        except OSError:
            mtime = 0.0
        files.append((mtime, p.name, p))
    files.sort(key=lambda t: (-t[0], t[1]))
    return [p for _, _, p in files]


# Listing loads and replays every save, which takes tens of milliseconds for a big deck;
# a file that has not changed since the last listing (same inode, size and mtime, for it
# and its .bak) is not read again.
_LISTED: dict[str, tuple[tuple[Any, ...], SaveEntry]] = {}


def _stamp(path: Path) -> tuple[Any, ...]:
    out: list[Any] = []
    for p in (path, _bak_of(path)):
        try:
            st = p.stat()
            out.append((st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode))
        except OSError:
            out.append(None)
    return tuple(out)


def list_saves(directory: Path) -> list[SaveEntry]:
    """Every save in the folder, newest first; damaged ones listed with why. Read-only."""
    entries = []
    for path in _save_files(directory):
        key, stamp = str(path.absolute()), _stamp(path)
        cached = _LISTED.get(key)
        if cached is not None and cached[0] == stamp:
            entries.append(dataclasses.replace(cached[1], path=path, teams=dict(cached[1].teams)))
            continue
        entry = _entry(path)
        if stamp == _stamp(path):  # unchanged while it was read
            if len(_LISTED) >= 256:
                _LISTED.pop(next(iter(_LISTED)))
            _LISTED[key] = (stamp, entry)
        entries.append(entry)
    return entries


def latest_save(directory: Path) -> Path | None:
    """The most recently written save in the folder (it may be damaged: loading says so)."""
    files = _save_files(directory)
    return files[0] if files else None


def restore_backup(path: Path) -> LoadedSave:
    """Put `<name>.toml.bak` back in place of a damaged save; the damaged file is kept aside
    as `<name>.toml.damaged` (nothing is deleted). SaveError if the backup does not load."""
    path = Path(path)
    bak = _bak_of(path)
    if not bak.is_file():
        raise SaveError(path, "has no backup (.bak) to restore")
    load_save(bak)  # refuse to restore a backup that is itself damaged
    try:
        data = bak.read_bytes()
        if path.exists():
            aside = path.with_name(path.name + ".damaged")
            n = 2
            while aside.exists():
                aside = path.with_name(f"{path.name}.damaged-{n}")
                n += 1
            shutil.copyfile(path, aside)
        atomic_write(path, data, backup=False)
    except OSError as exc:
        raise SaveError(path, f"cannot restore the backup ({_why(exc)})") from None
    return load_save(path)


# --- autosave ---------------------------------------------------------------------------


class Autosaver:
    """A Game listener that saves after every event without holding up the caller.

    The caller only snapshots the log and hands it over; a writer thread renders and writes
    it. Snapshots that arrive while a write is under way replace each other (latest wins),
    so a burst of events costs one write, and nothing handed over is lost: the last
    snapshot always contains the earlier ones. `error` holds the last failure (cleared by
    the next good write); `on_error`, if given, is called with it from the writer thread.
    """

    def __init__(
        self, path: Path, deck: Deck, on_error: Callable[[str], None] | None = None
    ) -> None:
        self.path = Path(path)
        self.deck = deck
        self.on_error = on_error
        self.error: str | None = None
        self.writes = 0
        self._renderer = _Renderer(deck)
        self._write_lock = threading.Lock()  # the renderer's cache is not thread-safe
        self._cond = threading.Condition()
        self._pending: tuple[Event, ...] | None = None
        self._handed = 0  # generation of the latest snapshot handed over
        self._done = 0  # generation of the latest snapshot written (or failed)
        self._closed = False
        remove_stale_temps(self.path)
        self._thread = threading.Thread(
            target=self._run, name=f"autosave {self.path.name}", daemon=True
        )
        self._thread.start()
        atexit.register(self.close)

    def attach(self, game: Game) -> Autosaver:
        """Listen to `game` and save it now (`Game.start`'s first event reaches no listener)."""
        game.listeners.append(self)
        self(game, [])
        return self

    def __call__(self, game: Game, events: list[Event]) -> None:
        snapshot = tuple(game.events)
        with self._cond:
            if not self._closed:
                self._pending = snapshot
                self._handed += 1
                self._cond.notify_all()
                return
        self._write(snapshot)  # closed: save in the caller rather than lose the event

    def flush(self) -> None:
        """Wait until every snapshot handed over so far is on disk (or has failed)."""
        with self._cond:
            target = self._handed
            while self._done < target and self._thread.is_alive():
                self._cond.wait(timeout=0.5)

    def close(self) -> None:
        """Write what is pending, then stop the writer thread."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._cond.notify_all()
        self._thread.join()
        atexit.unregister(self.close)

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._closed:
                    self._cond.wait()
                if self._pending is None:
                    return
                snapshot, generation = self._pending, self._handed
                self._pending = None
            self._write(snapshot)
            with self._cond:
                self._done = generation
                self._cond.notify_all()

    def _write(self, snapshot: Sequence[Event]) -> None:
        try:
            with self._write_lock:
                atomic_write(self.path, self._renderer.render(self.path, snapshot))
        except Exception as exc:
            why = exc.message if isinstance(exc, SaveError) else str(exc)
            if isinstance(exc, OSError):
                why = _why(exc)
            self.error = f"{self.path}: could not save ({why})"
            if self.on_error is not None:
                with contextlib.suppress(Exception):
                    self.on_error(self.error)
        else:
            self.error = None
            self.writes += 1
