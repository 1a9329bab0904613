"""Reading a file that a user named: decks and saves both come in through `read_capped`.

Only regular files are read (a FIFO would block forever, `/dev/zero` never ends), and the
cap counts the bytes actually read, since a device or a growing file can report any size.
Every failure is a `FileRefused` whose message is one plain line (the caller adds the path).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class FileRefused(ValueError):
    """A file that cannot be used as asked: `message` says why, without the path."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def why(exc: OSError) -> str:
    """An OSError as a few words ("permission denied", "file name too long")."""
    if exc.errno == errno.EACCES or isinstance(exc, PermissionError):
        return "permission denied"
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:]


def kind(mode: int) -> str:
    """What a non-regular file is, in words ("a FIFO", "a device")."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def size_text(n: int) -> str:
    return f"{n // 2**20} MiB" if n >= 2**20 else f"{n // 1024} KiB"


def read_capped(path: Path, cap: int, what: str, missing: str | None = None) -> bytes:
    """The bytes of a regular file of at most `cap` bytes (FileRefused otherwise). `what`
    names the file in messages ("save file"); `missing` overrides "no such <what>".

    The file is opened without blocking (a FIFO with no writer would hang a plain open),
    checked to be regular on the open descriptor (no race with a swap of the path), and
    read to at most `cap + 1` bytes, so a size that lies cannot make us read on."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise FileRefused(missing or f"no such {what}") from None
    except IsADirectoryError:
        raise FileRefused(f"is a directory, not a {what}") from None
    except OSError as exc:
        raise FileRefused(f"cannot be read ({why(exc)})") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FileRefused(f"is {kind(mode)}, not a {what}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        got = 0
        while got <= cap:
            chunk = os.read(fd, min(1 << 20, cap + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except OSError as exc:
        raise FileRefused(f"cannot be read ({why(exc)})") from None
    finally:
        os.close(fd)
    if got > cap:
        raise FileRefused(f"is larger than {size_text(cap)}; not a {what.split()[0]}")
    return b"".join(chunks)


def exists(path: Path) -> bool:
    """Path.exists that answers False, not OSError, for a name too long or a folder that
    cannot be searched (reading the path then says why)."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def is_regular(path: Path) -> bool:
    """True for a regular file (following symlinks); False for anything else or an error."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False
