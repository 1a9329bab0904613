"""Atomic writes: a temporary file in the same folder, flushed and fsynced, then
`os.replace`d over the target, so a reader sees the old file or the new one, never half.

Used for saves (keeping the previous version as `<name>.bak`) and for AAR exports. A
symlink is written through (its target is replaced); a FIFO, device or folder at the path
is refused with `NotRegularFile`, never replaced by a regular file.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import secrets
import shutil
import stat
import tempfile
from pathlib import Path

from wargame.store.files import kind


class NotRegularFile(OSError):
    """The path holds something that must not be replaced by a file (a FIFO, a device)."""

    def __init__(self, path: Path, mode: int) -> None:
        super().__init__(errno.EINVAL, f"it is {kind(mode)}, not a regular file", str(path))


def bak_of(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def fsync_dir(directory: Path) -> None:
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


def target_of(path: Path) -> Path:
    """Where a write to `path` lands: through symlinks to their final target; an existing
    non-regular file is refused (NotRegularFile)."""
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return path
    if not stat.S_ISREG(mode):
        raise NotRegularFile(path, mode)
    return path


def _keep_backup(path: Path) -> None:
    """Point `<name>.bak` at the current file without ever removing the file itself."""
    tmp = path.with_name(f".{path.name}.bak.{secrets.token_hex(6)}.tmp")
    try:
        try:
            os.link(path, tmp)  # the old version, shared until the file is replaced
        except OSError:
            shutil.copyfile(path, tmp)
        os.replace(tmp, bak_of(path))
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
    """Temp file in the same folder, flush, fsync, keep the old version as .bak, replace.
    OSError (NotRegularFile among them) if it cannot be done; the old file is then intact."""
    path = target_of(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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
    fsync_dir(path.parent)


def remove_stale_temps(path: Path) -> None:
    """Delete temporary files a killed writer left beside this file (only this file's)."""
    path = Path(path)
    for tmp in path.parent.glob(f".{glob.escape(path.name)}*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()
