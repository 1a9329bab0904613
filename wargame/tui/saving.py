"""The app's side of saving: the save's lock, the autosave's state on the board, trying
again (F5), saving elsewhere (F6), and no silent quit while events are not on disk.

A mixin of `WargameApp`, kept apart so that the app module stays a router."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from wargame.i18n import N_, _
from wargame.store.saves import (
    Autosaver,
    SaveError,
    SaveLock,
    SaveLocked,
    SaveStatus,
    read_holder,
)
from wargame.tui.widgets.save_status import SaveStatusBar, SaveStatusChanged, needs_showing

if TYPE_CHECKING:
    from textual.app import App

    from wargame.engine import Game

    _Base = App[int]
else:
    _Base = object

# How a save is opened when its lock is held elsewhere (the locked dialog's answers).
READ_ONLY, COPY = "read-only", "copy"


class SaveKeeping(_Base):
    SAVE_BINDINGS = [
        Binding(
            "f5",
            "save_retry",
            N_("Save again"),
            show=False,
            tooltip=N_("Try the autosave again"),
            id="app.save_retry",
        ),
        Binding(
            "f6",
            "save_elsewhere",
            N_("Save elsewhere"),
            show=False,
            tooltip=N_("Save this game to another file from now on"),
            id="app.save_elsewhere",
        ),
    ]

    autosavers: list[Autosaver]
    save_locks: dict[Path, SaveLock]
    read_only_saves: dict[Path, str]

    def init_saving(self) -> None:
        self.save_locks = {}
        self.read_only_saves = {}

    # --- opening --------------------------------------------------------------------

    def claim_save(
        self,
        path: Path,
        open_as: str | None,
        copy_path: Callable[[], Path],
        reopen: Callable[[str | None], None],
    ) -> Path | None:
        """The path this game will save to, its lock taken; None if the save is open in
        another process and the player is asked what to do (`reopen(answer)` follows)."""
        if open_as == COPY:
            path = copy_path()
        elif open_as == READ_ONLY:
            holder = read_holder(path)
            self.read_only_saves[path] = (
                _("open in {holder}").format(holder=holder) if holder else _("opened read-only")
            )
            return path
        try:
            lock = SaveLock(path).acquire()
        except SaveLocked as exc:
            from wargame.tui.screens.saving import LockedDialog

            self.push_screen(LockedDialog(exc), reopen)
            return None
        if lock.stale is not None:
            self.notify(
                _("{name} was left open by {stale}, which has ended; it is yours now.").format(
                    name=path.name, stale=lock.stale
                ),
                title=_("Stale lock taken over"),
                markup=False,
            )
        self.save_locks[path] = lock
        return path

    def lock_new_save(self, path: Path) -> None:
        """Hold the lock of a new game's save (a fresh name: nobody else can hold it)."""
        self.save_locks[path] = SaveLock(path).acquire()

    def new_autosaver(self, game: Game, path: Path) -> Autosaver:
        return Autosaver(
            path,
            game.deck,
            on_status=lambda status: self.post_message(SaveStatusChanged(status)),
            lock=self.save_locks.pop(path, None),
            read_only=self.read_only_saves.pop(path, None),
        ).attach(game)

    # --- showing --------------------------------------------------------------------

    def on_save_status_changed(self, message: SaveStatusChanged) -> None:
        self.show_save_status(message.status)

    def show_save_status(self, status: SaveStatus) -> None:
        from wargame.tui.screens.game import GameScreen

        for screen in self.screen_stack:
            if not isinstance(screen, GameScreen):
                continue
            bars = list(screen.query(SaveStatusBar))
            if not bars:
                if not needs_showing(status):
                    continue
                bar = SaveStatusBar(id="save-status")
                footers = screen.query("Footer")
                screen.mount(bar, before=footers.first() if footers else None)
                bar.show(status)
            else:
                was_bad = bars[0].display
                bars[0].show(status)
                if was_bad and not needs_showing(status):
                    self.notify(
                        _("Saved again: {path}").format(path=status.path),
                        title=_("Autosave"),
                        markup=False,
                    )

    def current_saver(self) -> Autosaver | None:
        self._start_autosaves()
        return self.autosavers[-1] if self.autosavers else None

    # --- acting ---------------------------------------------------------------------

    def action_save_retry(self) -> None:
        saver = self.current_saver()
        if saver is not None:
            saver.retry()

    def action_save_elsewhere(self, then: Callable[[], None] | None = None) -> None:
        saver = self.current_saver()
        if saver is None:
            return
        from wargame.tui.screens.saving import SaveElsewhereDialog

        status = saver.status()
        suggestion = Path.home() / saver.path.name
        why = status.error or (
            _("This save is {read_only}.").format(read_only=status.read_only)
            if status.read_only
            else _("Move the save.")
        )

        def chosen(text: str | None) -> None:
            if text is None:
                return
            self.save_to(saver, Path(text).expanduser())
            if then is not None and saver.status().error is None:
                then()

        self.push_screen(SaveElsewhereDialog(suggestion, why), chosen)

    def save_to(self, saver: Autosaver, path: Path) -> None:
        if path.is_dir():
            path = path / saver.path.name
        try:
            lock = SaveLock(path).acquire()
        except SaveLocked as exc:
            self.notify(str(exc), title=_("Cannot save there"), severity="error", markup=False)
            return
        try:
            saver.move_to(path, lock if lock.held else None)
        except SaveError as exc:
            lock.release()
            self.notify(str(exc), title=_("Cannot save there"), severity="error", markup=False)
            return
        self.notify(
            _("Saving to {path} from now on.").format(path=path), title=_("Saved"), markup=False
        )

    # --- quitting -------------------------------------------------------------------

    def on_unmount(self) -> None:
        """The app is gone: write what is pending and give the saves' locks back (a test's
        app, or one that ends without run_app, must not keep them for the process)."""
        self.close_saves()

    def unsaved_report(self) -> str | None:
        """What is not on disk, in a sentence (None if everything is): every saver is
        flushed first, so only a real failure is reported."""
        self._start_autosaves()
        lines = []
        for saver in self.autosavers:
            saver.flush()
            line = saver.status().summary()
            if line is not None:
                lines.append(line)
        return "\n".join(lines) or None

    def ask_if_unsaved(self, go_on: Callable[[], None], go: str = _("Quit anyway")) -> bool:
        """If events are not on disk, ask before `go_on` (which runs if the player says
        so) and return True; False when all is saved and the caller may simply go on."""
        report = self.unsaved_report()
        if report is None:
            return False
        from wargame.tui.screens.saving import UnsavedQuitDialog

        def answered(what: Any) -> None:
            if what == "quit":
                go_on()
            elif what == "elsewhere":
                self.action_save_elsewhere()

        self.push_screen(UnsavedQuitDialog(report, go), answered)
        return True

    def pause_clocks(self) -> None:
        """Stop any running turn clock before the game is left (the app knows its screens)."""

    def action_quit(self) -> None:
        def quit_anyway() -> None:
            self.pause_clocks()
            report = self.unsaved_report()
            self.exit(
                return_code=1 if report else 0,
                message=_("wargame: {report}").format(report=report) if report else None,
            )

        if not self.ask_if_unsaved(quit_anyway):
            self.pause_clocks()
            self.unsaved_report()  # the pause reaches the disk before the app goes
            self.exit()
