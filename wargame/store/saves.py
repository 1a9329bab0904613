"""Saves in and out: one TOML file per game, written atomically, checked on the way back in.

The work is split by reason to change; this module gathers the public names so callers
import from one place:

- `format`: the file's fields, its checksum and the renderer (`FORMAT_VERSION`).
- `savefile`: `load_save` (read → parse → format → validate → deck → events → replay) and
  `write_save`.
- `places`: the saves folder, new save names, `find_save`, listing, restoring a `.bak`.
- `autosave`: the `Autosaver` thread and its `SaveStatus`.
- `lock`: the lock held on a save while a game on it is open.
- `atomic` (writes), `files` (the capped reader), `caches`.
"""

from __future__ import annotations

from wargame.store.atomic import atomic_write, bak_of, remove_stale_temps
from wargame.store.autosave import Autosaver, SaveStatus
from wargame.store.format import (
    FORMAT_VERSION,
    HEADER_COMMENT,
    Renderer,
    SaveError,
    SaveFile,
    SaveSettings,
    content_checksum,
    deck_data,
    event_data,
)
from wargame.store.lock import Holder, SaveLock, SaveLocked, lock_save, read_holder, who_holds
from wargame.store.places import (
    APP_NAME,
    SaveEntry,
    find_save,
    latest_save,
    list_saves,
    new_save_path,
    restore_backup,
    saves_dir,
    slug,
)
from wargame.store.savefile import MAX_SAVE_BYTES, LoadedSave, load_save, write_save

__all__ = [
    "APP_NAME",
    "FORMAT_VERSION",
    "HEADER_COMMENT",
    "MAX_SAVE_BYTES",
    "Autosaver",
    "Holder",
    "LoadedSave",
    "Renderer",
    "SaveEntry",
    "SaveError",
    "SaveFile",
    "SaveLock",
    "SaveLocked",
    "SaveSettings",
    "SaveStatus",
    "atomic_write",
    "bak_of",
    "content_checksum",
    "deck_data",
    "event_data",
    "find_save",
    "latest_save",
    "list_saves",
    "load_save",
    "lock_save",
    "new_save_path",
    "read_holder",
    "remove_stale_temps",
    "restore_backup",
    "saves_dir",
    "slug",
    "who_holds",
    "write_save",
]
