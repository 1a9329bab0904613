"""A save is locked while a game on it is open, so two processes never both autosave it
(the last writer would silently win and the other's events would be lost).

The lock is an OS file lock (`filelock`) on `.<name>.lock` beside the save: the kernel drops
it when its process ends, however it ends, so a crash leaves no lock behind. Beside it,
`.<name>.holder` says who holds it (pid, host, since when), so the second opener can be
told; a holder file whose process is gone is a stale record, recognised and replaced.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wargame.store.atomic import atomic_write
from wargame.store.format import SaveError


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a save's lock."""

    pid: int
    host: str
    since: str  # ISO time, UTC

    def __str__(self) -> str:
        return f"process {self.pid} on {self.host}, since {self.since}"

    def alive(self) -> bool:
        """False when the holder is surely gone: a process of this host that has ended."""
        if self.host != socket.gethostname():
            return True  # cannot tell from here
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except OSError:
            return True  # exists, owned by someone else
        return True


class SaveLocked(SaveError):
    """The save is open in another process: `holder` says which (None if unknown)."""

    def __init__(self, path: Path, holder: Holder | None) -> None:
        self.holder = holder
        who = str(holder) if holder else "another process"
        super().__init__(path, f"is open in {who}")


def _real(save: Path) -> Path:
    """The save itself, through symlinks: two links to one save share one lock."""
    try:
        return Path(os.path.realpath(save))
    except (OSError, ValueError):
        return Path(save)


def lock_path(save: Path) -> Path:
    real = _real(save)
    return real.with_name(f".{real.name}.lock")


def holder_path(save: Path) -> Path:
    real = _real(save)
    return real.with_name(f".{real.name}.holder")


def read_holder(save: Path) -> Holder | None:
    """The holder recorded beside a save (None if none or unreadable)."""
    try:
        data = json.loads(holder_path(save).read_text(encoding="utf-8"))
        return Holder(int(data["pid"]), str(data["host"]), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class SaveLock:
    """The lock of one save. `acquire()` takes it or raises SaveLocked; `release()` gives it
    back (and is safe to call twice). `stale` is the dead holder whose record was found
    and replaced on acquiring, if any. `held` is False when the folder allows no lock file
    (a read-only folder): the game opens, and its autosave reports that it cannot save."""

    def __init__(self, save: Path) -> None:
        self.save = Path(save)
        self.held = False
        self.stale: Holder | None = None
        self._lock = _file_lock(self.save)

    def acquire(self) -> SaveLock:
        import filelock

        try:
            self._lock.acquire()
        except filelock.Timeout:
            holder = read_holder(self.save)
            if holder is None or holder.alive():
                raise SaveLocked(self.save, holder) from None
            # Only a lock file that outlives its process (filelock's fallback where the file
            # system has no OS locks) gets here: its holder is gone, so it is stale.
            with contextlib.suppress(OSError):
                lock_path(self.save).unlink()
            try:
                self._lock.acquire()
            except filelock.Timeout:
                raise SaveLocked(self.save, read_holder(self.save)) from None
            except OSError:
                return self
        except OSError:
            return self  # cannot even create the lock file: nothing can be saved here either
        self.held = True
        previous = read_holder(self.save)
        if previous is not None and previous.pid != os.getpid():
            self.stale = previous  # its process ended without releasing: a crash
        me = Holder(
            os.getpid(), socket.gethostname(), datetime.now(UTC).isoformat(timespec="seconds")
        )
        with contextlib.suppress(OSError):
            atomic_write(holder_path(self.save), json.dumps(asdict(me)).encode(), backup=False)
        return self

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        with contextlib.suppress(OSError):
            holder_path(self.save).unlink()
        # The lock file itself stays: unlinking it would let a third opener lock a new file
        # while a second still waits on the old one.
        with contextlib.suppress(OSError):
            self._lock.release()

    def __enter__(self) -> SaveLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _file_lock(save: Path) -> Any:
    """The OS lock on `.<name>.lock`, not waiting (filelock is imported when first needed:
    it brings asyncio, which most commands never use)."""
    import filelock

    return filelock.FileLock(lock_path(save), timeout=0, thread_local=False)


def who_holds(save: Path) -> Holder | None:
    """If another process holds the save's lock, who (a Holder; one with pid 0 if it left
    no record); None if nobody does. Takes and gives back the lock to find out."""
    import filelock

    probe = _file_lock(Path(save))
    try:
        probe.acquire()
    except filelock.Timeout:
        return read_holder(Path(save)) or Holder(0, "an unknown host", "an unknown time")
    except OSError:
        return None  # no lock file can exist here, so nobody holds one
    probe.release()
    return None


def lock_save(save: Path) -> SaveLock:
    """Take the save's lock (SaveLocked if another process holds it)."""
    return SaveLock(save).acquire()
