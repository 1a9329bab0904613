"""`Autosaver`: a Game listener that saves after every event on a background thread.

The caller only snapshots the log and hands it over; the writer thread renders and writes
it (each event's TOML is serialized once). Snapshots that arrive while a write is under
way replace each other (latest wins), so a burst of events costs one write, and nothing
handed over is lost: the last snapshot always contains the earlier ones.

Its state is a `SaveStatus` (events handed over, events on disk, the last error), given
to `on_status` after every write or failure, so a screen can show "NOT SAVED since event
N" for as long as it is true. A failed write is retried with the next event, or at once
with `retry()`; `move_to()` saves to another path from then on.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from wargame.engine.game import Game
from wargame.model.deck import Deck
from wargame.model.game import Event
from wargame.store.atomic import atomic_write, remove_stale_temps
from wargame.store.files import why
from wargame.store.format import Renderer, SaveError
from wargame.store.lock import SaveLock


@dataclass(frozen=True, slots=True)
class SaveStatus:
    """Where the autosaver stands. `handed` events have been handed over, the first
    `saved` of them are on disk at `path`; `error` is the last failure, if the last write
    failed (a good write clears it)."""

    path: Path
    handed: int
    saved: int
    error: str | None = None
    read_only: str | None = None  # why this saver never writes (the save is open elsewhere)

    @property
    def unsaved(self) -> int:
        return max(0, self.handed - self.saved)

    @property
    def ok(self) -> bool:
        """Everything handed over is on disk (or being written, with no failure yet)."""
        return self.error is None

    @property
    def reason(self) -> str | None:
        """Why the last write failed, in a few words ("no space left on device")."""
        if self.read_only is not None and self.unsaved:
            return f"opened read-only: {self.read_only}"
        if self.error is None:
            return None
        head = f"{self.path}: could not save ("
        if self.error.startswith(head) and self.error.endswith(")"):
            return self.error[len(head) : -1]
        return self.error

    def summary(self) -> str | None:
        """One sentence on what is not on disk (None when everything is)."""
        if not self.unsaved or self.reason is None:
            return None
        n = self.unsaved
        return (
            f"{self.path}: {n} event{'s' if n != 1 else ''} not saved "
            f"(since event {self.first_unsaved}): {self.reason}"
        )

    @property
    def first_unsaved(self) -> int:
        """The 1-based number of the first event not on disk (meaningful when unsaved)."""
        return self.saved + 1


StatusCallback = Callable[[SaveStatus], None]


class Autosaver:
    """Saves a game's log to `path` after every event; see the module's docstring.

    `lock`, if given, is the save's lock, held while the saver runs and released by
    `close()`; `move_to` takes the new path's lock first. `on_status` is called from the
    writer thread after each write (good or failed); `on_error`, kept for simple callers,
    only on failures, with the message. `read_only` (a reason) makes a saver that writes
    nothing to `path`: the log as attached counts as saved, every later event as not saved
    until `move_to` gives it a place of its own."""

    def __init__(
        self,
        path: Path,
        deck: Deck,
        on_error: Callable[[str], None] | None = None,
        *,
        on_status: StatusCallback | None = None,
        lock: SaveLock | None = None,
        read_only: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.deck = deck
        self.on_error = on_error
        self.on_status = on_status
        self.lock = lock
        self.read_only = read_only
        self.error: str | None = None
        self.writes = 0
        self._renderer = Renderer(deck)
        self._write_lock = threading.Lock()  # the renderer's cache is not thread-safe
        self._cond = threading.Condition()
        self._pending: tuple[Event, ...] | None = None
        self._latest: tuple[Event, ...] = ()  # the latest snapshot handed over
        self._saved = 0  # events in the last snapshot written to self.path
        self._handed = 0  # generation of the latest snapshot handed over
        self._done = 0  # generation of the latest snapshot written (or failed)
        self._closed = False
        if read_only is None:  # not another process's: it may be writing one right now
            remove_stale_temps(self.path)
        self._thread = threading.Thread(
            target=self._run, name=f"autosave {self.path.name}", daemon=True
        )
        self._thread.start()
        atexit.register(self.close)

    def attach(self, game: Game) -> Autosaver:
        """Listen to `game` and save it now (`Game.start`'s first event reaches no listener)."""
        game.listeners.append(self)
        if self.read_only is not None:
            with self._cond:
                self._latest = tuple(game.events)
                self._saved = len(self._latest)  # as it is on disk, written by its holder
            self._report()
            return self
        self(game, [])
        return self

    def __call__(self, game: Game, events: list[Event]) -> None:
        self._hand(tuple(game.events))

    def _hand(self, snapshot: tuple[Event, ...]) -> None:
        with self._cond:
            self._latest = snapshot
            if not self._closed:
                self._pending = snapshot
                self._handed += 1
                self._cond.notify_all()
                return
        self._write(snapshot)  # closed: save in the caller rather than lose the event

    def status(self) -> SaveStatus:
        with self._cond:
            return SaveStatus(self.path, len(self._latest), self._saved, self.error, self.read_only)

    def retry(self) -> None:
        """Write the latest snapshot again now (after a failure, once the cause is fixed)."""
        with self._cond:
            snapshot = self._latest
        if snapshot:
            self._hand(snapshot)

    def move_to(self, path: Path, lock: SaveLock | None = None) -> SaveStatus:
        """Save to `path` from now on, writing the whole log there at once (synchronously,
        so the caller learns at once whether the new place works). On failure the saver
        stays where it was and SaveError says why; `lock` (the new path's, already held)
        replaces the old lock, which is released."""
        path = Path(path)
        with self._cond:
            snapshot = self._latest
        data = self._render(path, snapshot)
        try:
            atomic_write(path, data)
        except OSError as exc:
            raise SaveError(path, f"cannot be written ({why(exc)})") from None
        with self._cond:
            old, self.path = self.lock, path
            self.lock = lock
            self._saved, self.error, self.read_only = len(snapshot), None, None
            self.writes += 1
        if old is not None and old is not lock:
            old.release()
        self.retry()  # anything that arrived meanwhile
        self._report()
        return self.status()

    def flush(self) -> None:
        """Wait until every snapshot handed over so far is on disk (or has failed)."""
        with self._cond:
            target = self._handed
            while self._done < target and self._thread.is_alive():
                self._cond.wait(timeout=0.5)

    def close(self) -> None:
        """Write what is pending, stop the writer thread and release the lock."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._cond.notify_all()
        self._thread.join()
        atexit.unregister(self.close)
        if self.lock is not None:
            self.lock.release()

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

    def _render(self, path: Path, snapshot: Sequence[Event]) -> bytes:
        with self._write_lock:
            return self._renderer.render(path, snapshot)

    def _write(self, snapshot: Sequence[Event]) -> None:
        path = self.path
        try:
            if self.read_only is not None:
                raise SaveError(path, f"opened read-only: {self.read_only}")
            with self._write_lock:
                atomic_write(path, self._renderer.render(path, snapshot))
        except Exception as exc:
            reason = exc.message if isinstance(exc, SaveError) else str(exc)
            if isinstance(exc, OSError):
                reason = why(exc)
            with self._cond:
                self.error = f"{path}: could not save ({reason})"
            if self.on_error is not None:
                with contextlib.suppress(Exception):
                    self.on_error(self.error)
        else:
            with self._cond:
                if path == self.path:
                    self._saved = max(self._saved, len(snapshot))
                    self.error = None
                self.writes += 1
        self._report()

    def _report(self) -> None:
        if self.on_status is not None:
            with contextlib.suppress(Exception):
                self.on_status(self.status())
