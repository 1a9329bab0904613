"""Where saves live: the saves folder, new save names, finding a save by name, listing a
folder (damaged saves too, with why), and restoring a save from its `.bak`."""

from __future__ import annotations

import contextlib
import dataclasses
import re
import shutil
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs

from wargame.engine.rules import seat_name
from wargame.store.atomic import atomic_write, bak_of
from wargame.store.caches import Bounded, file_stamp
from wargame.store.files import FileRefused, is_regular, read_capped, why
from wargame.store.format import SaveError
from wargame.store.lock import who_holds
from wargame.store.savefile import MAX_SAVE_BYTES, LoadedSave, load_save

APP_NAME = "wargame"


def saves_dir(override: Path | None = None) -> Path:
    """The saves folder: `override`, else ./saves if it exists, else the user data folder."""
    if override is not None:
        directory = Path(override).expanduser()
    elif Path("saves").is_dir():
        directory = Path.cwd() / "saves"
    else:
        directory = platformdirs.user_data_path(APP_NAME) / "saves"
    try:
        there = directory.exists()
    except OSError as exc:  # a name too long, a folder above it that cannot be searched
        raise SaveError(directory, f"cannot be used as the saves folder ({why(exc)})") from None
    if there and not directory.is_dir():
        raise SaveError(directory, "is a file, not a folder for saves")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(directory, f"cannot create the saves folder ({why(exc)})") from None
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
        if not path.exists() and not bak_of(path).exists():
            break
        n += 1
    # The slug cannot hold a separator or "..", but say so where it matters.
    if path.resolve().parent != directory.resolve():
        raise SaveError(path, "a save name must stay inside the saves folder")
    return path


def find_save(ref: str, override: Path | None = None) -> Path:
    """A save given as a path, or by name (with or without .toml) in the saves folder
    `override` (else the default one). The path is returned even if nothing is there:
    loading it says why it cannot be used."""
    path = Path(ref)
    try:
        if path.exists() or path.parent != Path("."):
            return path
        directory = saves_dir(override)
        for candidate in (directory / ref, directory / f"{ref}.toml"):
            if candidate.exists():
                return candidate
    except OSError:  # a name too long for the file system, say: loading tells
        pass
    return path


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
    has_bak = is_regular(bak_of(path))
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


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _damaged_entry(path: Path, error: str, has_bak: bool) -> SaveEntry:
    """Whatever can still be told about a damaged save, read leniently."""
    info: dict[str, Any] = {}
    with contextlib.suppress(FileRefused):
        text = read_capped(path, MAX_SAVE_BYTES, "save file").decode("utf-8", errors="replace")
        # The settings and the deck come before the events: if the log is damaged,
        # they may still tell whose game this was.
        for part in (text, text.split("\n[[events]]", 1)[0]):
            with contextlib.suppress(Exception):
                info = tomllib.loads(part)
                break
    deck = _table(info, "deck")
    deck_info = _table(deck, "deck")
    settings = _table(info, "settings")

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
        bak_ok=has_bak and _loads(bak_of(path)),
    )


def _save_files(directory: Path) -> list[Path]:
    """`*.toml` files in the folder (not hidden temp files), newest first. A folder that
    cannot be read lists nothing (saves_dir and the callers say why)."""
    directory = Path(directory)
    try:
        if not directory.is_dir():
            return []
        names = list(directory.iterdir())
    except OSError:
        return []
    files = []
    for p in names:
        if p.name.startswith(".") or not p.name.endswith(".toml"):
            continue
        try:
            mtime = p.stat().st_mtime
        except OSError:
            mtime = 0.0
        files.append((mtime, p.name, p))
    files.sort(key=lambda t: (-t[0], t[1]))
    return [p for _, _, p in files]


# Listing loads and replays every save; a file that has not changed since the last listing
# (same stamp for it and its .bak) is not read again.
_LISTED: Bounded[str, tuple[tuple[Any, ...], SaveEntry]] = Bounded(256)


def list_saves(directory: Path) -> list[SaveEntry]:
    """Every save in the folder, newest first; damaged ones listed with why. Read-only."""
    entries = []
    for path in _save_files(directory):
        key, stamp = str(path.absolute()), file_stamp((path, bak_of(path)))
        cached = _LISTED.get(key)
        if cached is not None and cached[0] == stamp:
            entries.append(dataclasses.replace(cached[1], path=path, teams=dict(cached[1].teams)))
            continue
        entry = _entry(path)
        if stamp == file_stamp((path, bak_of(path))):  # unchanged while it was read
            _LISTED.put(key, (stamp, entry))
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
    holder = who_holds(path)
    if holder is not None:  # its game would go on writing over what is put back
        raise SaveError(path, f"is open in {holder}; close that game first")
    bak = bak_of(path)
    if not is_regular(bak):
        raise SaveError(path, "has no backup (.bak) to restore")
    load_save(bak)  # refuse to restore a backup that is itself damaged
    try:
        data = read_capped(bak, MAX_SAVE_BYTES, "save file")
        if path.exists():
            aside = path.with_name(path.name + ".damaged")
            n = 2
            while aside.exists():
                aside = path.with_name(f"{path.name}.damaged-{n}")
                n += 1
            shutil.copyfile(path, aside)
        atomic_write(path, data, backup=False)
    except FileRefused as exc:
        raise SaveError(bak, exc.message) from None
    except OSError as exc:
        raise SaveError(path, f"cannot restore the backup ({why(exc)})") from None
    return load_save(path)
