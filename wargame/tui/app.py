"""The Textual app: a thin shell that starts or resumes games and routes between screens.

`make_app` builds the app for the CLI and for the tests alike; a clock can be injected so
that snapshots do not depend on the time of day."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Static

from wargame.engine import Game, IllegalCommand
from wargame.i18n import N_, _
from wargame.model.deck import Deck
from wargame.model.game import Mode
from wargame.store.saves import Autosaver, SaveError, load_save, new_save_path, saves_dir
from wargame.tui.messages import LeaveGame, ResumeGame, StartGame
from wargame.tui.saving import SaveKeeping

MIN_SIZE = (80, 24)


class TooSmallScreen(ModalScreen[None]):
    """Shown instead of a broken layout when the terminal is below 80×24."""

    def compose(self):
        yield Static(
            _(
                "Please enlarge the terminal to at least {width}×{height}.\nThe game is "
                "paused here and nothing is lost."
            ).format(width=MIN_SIZE[0], height=MIN_SIZE[1]),
            id="too-small",
        )


class WargameApp(SaveKeeping, App[int]):
    CSS_PATH = "wargame.tcss"
    TITLE = "wargame"
    # Screens get -narrow below 110 columns and -short below 32 rows (see wargame.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = [
        Binding(
            "f1",
            "help",
            N_("Help"),
            show=False,
            tooltip=N_("The game loop and keys"),
            id="app.help",
        ),
        *SaveKeeping.SAVE_BINDINGS,
    ]

    def __init__(
        self,
        *,
        deck: Deck | None = None,
        seed: int = 1,
        turns: int | None = None,
        mode: Mode = "hotseat",
        team_names: dict[str, str] | None = None,
        saves: Path | None = None,
        resume: Path | None = None,
        open_as: str | None = None,
        turn_minutes: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__()
        self.start_deck = deck
        self.settings = (seed, turns, mode, dict(team_names or {}))
        self.saves_override = saves
        self.resume = resume
        self.open_as = open_as  # "read-only" or "copy": how to open `resume` if it is locked
        self.turn_minutes = turn_minutes
        self.init_saving()
        self.clock = clock
        self.now = now
        self.autosavers: list[Autosaver] = []
        self.unsaved: list[tuple[Game, Path]] = []  # games whose autosaver starts soon
        self.too_small: TooSmallScreen | None = None
        self.deferred_launch = False

    def on_mount(self) -> None:
        if self._too_small(self.size.width, self.size.height):
            # Start once the terminal is big enough: nothing is pushed under the guard.
            self.too_small = TooSmallScreen()
            self.push_screen(self.too_small)
            self.deferred_launch = True
            return
        self.launch()

    def launch(self) -> None:
        self.deferred_launch = False
        if self.resume is not None:
            self.resume_game(self.resume, self.open_as)
        elif self.start_deck is not None:
            seed, turns, mode, names = self.settings
            self.start_game(self.start_deck, seed, turns, mode, names)
        else:
            self.show_launcher()

    def saves(self) -> Path:
        return saves_dir(self.saves_override)

    def show_launcher(self, replace: bool = False) -> None:
        """Show the launcher: above what is shown, or in place of it (`replace`)."""
        from wargame.tui.screens.launcher import LauncherScreen

        try:
            folder = self.saves()
        except SaveError as exc:
            self.exit(1, message=str(exc))
            return
        screen = LauncherScreen(folder)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    # --- what the screens ask for (tui/messages.py) ------------------------------------

    def on_start_game(self, message: StartGame) -> None:
        self.start_game(message.deck, message.seed, message.turns, message.mode, message.team_names)

    def on_resume_game(self, message: ResumeGame) -> None:
        self.resume_game(message.path)

    def on_leave_game(self, message: LeaveGame) -> None:
        """`l` on the board: ask about unsaved events if any, else whether to leave."""
        if self.ask_if_unsaved(lambda: self.leave_game(True), _("Leave anyway")):
            return
        from wargame.tui.screens.facilitator import ConfirmDialog

        kept = _(" Unsent drafts are kept for when it resumes.") if message.drafts_kept else ""
        self.push_screen(
            ConfirmDialog(
                _("Leave this game for the launcher?"),
                _("It is saved as it goes and resumes from the saves list.{kept}").format(
                    kept=kept
                ),
            ),
            lambda yes: self.leave_game() if yes else None,
        )

    def _stamp(self) -> str:
        return self.now().isoformat(timespec="seconds")

    def _autosave(self, game: Game, path: Path) -> None:
        """Save `game` to `path` after every event, from just after the next frame.

        An autosaver first renders the whole deck to TOML (tens of milliseconds on the
        default deck), which need not hold up the board's first frame. Waiting loses
        nothing: attaching writes the whole log so far, and `close_saves` starts any saver
        still waiting."""
        self.unsaved.append((game, path))
        self.call_after_refresh(self._start_autosaves)

    def _start_autosaves(self) -> None:
        while self.unsaved:
            game, path = self.unsaved.pop(0)
            self.autosavers.append(self.new_autosaver(game, path))

    def start_game(
        self, deck: Deck, seed: int, turns: int | None, mode: Mode, team_names: dict[str, str]
    ) -> None:
        """A new game, saved from its first event, on the board of turn 1."""
        from wargame.tui.screens.game import GameScreen

        try:
            game = Game.start(
                deck, seed=seed, turns=turns, mode=mode, team_names=team_names, at=self._stamp()
            )
            path = new_save_path(self.saves(), deck.id, self.now())
            self.lock_new_save(path)
        except (IllegalCommand, SaveError) as exc:
            from wargame.tui.screens.launcher import LauncherScreen

            if any(isinstance(s, LauncherScreen) for s in self.screen_stack):
                self.notify(str(exc), title=_("Cannot start"), severity="error", markup=False)
            else:  # `wargame play` with settings the rules refuse: nothing to show
                self.exit(return_code=1, message=_("wargame: {exc}").format(exc=exc))
            return
        self._autosave(game, path)
        # Straight onto the briefing of the first inject; with nothing drawable yet, the
        # board offers "choose a card" instead.
        with contextlib.suppress(IllegalCommand):
            game.draw(at=self._stamp())
        self.push_screen(
            GameScreen(game, path, self.clock, self.now, self.breakpoints(), self.turn_minutes)
        )

    def resume_game(self, path: Path, open_as: str | None = None) -> None:
        """Continue a saved game, holding its lock; if another process holds it, ask
        whether to open it read-only or continue in a copy (`open_as` answers ahead)."""
        from wargame.tui.screens.game import GameScreen

        try:
            loaded = load_save(path)
            if loaded.path.name.startswith("example-"):
                # Never write over the shipped example: continue in a copy.
                open_as = "copy"

            def copy_path() -> Path:
                return new_save_path(self.saves(), loaded.deck.id, self.now())

            def reopen(answer: str | None) -> None:
                if answer is not None:
                    self.resume_game(loaded.path, answer)
                elif not self.screen_stack[1:]:
                    self.show_launcher()

            claimed = self.claim_save(loaded.path, open_as, copy_path, reopen)
            if claimed is None:
                return
            path = claimed
        except SaveError as exc:
            self.notify(
                str(exc), title=_("Cannot resume"), severity="error", timeout=10, markup=False
            )
            if not self.screen_stack[1:]:
                self.show_launcher()
            return
        self._autosave(loaded.game, path)
        self.push_screen(
            GameScreen(
                loaded.game, path, self.clock, self.now, self.breakpoints(), self.turn_minutes
            )
        )

    def breakpoints(self) -> str:
        """The breakpoint classes for the size now, which Textual gives a screen on its
        first resize. A board born with them is styled once less before its first frame."""
        out = []
        for size, points in (
            (self.size.width, self.HORIZONTAL_BREAKPOINTS),
            (self.size.height, self.VERTICAL_BREAKPOINTS),
        ):
            out += [name for low, name in sorted(points, reverse=True) if size >= low][:1]
        return " ".join(out)

    @staticmethod
    def _too_small(width: int, height: int) -> bool:
        return width < MIN_SIZE[0] or height < MIN_SIZE[1]

    def on_resize(self, event: Resize) -> None:
        small = self._too_small(event.size.width, event.size.height)
        if small and self.too_small is None:
            self.too_small = TooSmallScreen()
            self.push_screen(self.too_small)
        elif not small and self.too_small is not None:
            if self.screen is self.too_small:
                self.pop_screen()
            self.too_small = None
            if self.deferred_launch:
                self.launch()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Nothing may open above the "enlarge the terminal" guard.
        return not (self.too_small is not None and action in ("help", "command_palette"))

    def action_help(self) -> None:
        from wargame.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def close_saves(self) -> None:
        self._start_autosaves()
        for saver in self.autosavers:
            saver.close()
        for lock in self.save_locks.values():  # claimed for a game that never started
            lock.release()
        self.save_locks.clear()

    def leave_game(self, asked: bool = False) -> None:
        """Back to the launcher from a game: its save is complete (every event is written
        before the autosaver stops), so it can be resumed from the saves list. With events
        not saved, ask first (`asked`: the player said leave anyway)."""
        from wargame.tui.screens.launcher import LauncherScreen

        if not asked and self.ask_if_unsaved(lambda: self.leave_game(True), _("Leave anyway")):
            return
        self.pause_clocks()
        self.close_saves()
        self.autosavers.clear()
        if any(isinstance(s, LauncherScreen) for s in self.screen_stack):
            while not isinstance(self.screen, LauncherScreen):
                self.pop_screen()
            self.screen.load_saves()  # the list now holds this game as it was left
        else:  # started straight into a game (`wargame play`, `wargame resume`)
            self.show_launcher(replace=True)

    def pause_clocks(self) -> None:
        """Leaving or quitting: time away from a game does not run its turn clock."""
        from wargame.tui.screens.game import GameScreen

        for screen in self.screen_stack:
            if isinstance(screen, GameScreen):
                screen.pause_clock()


def make_app(**kwargs) -> WargameApp:
    """The app as the CLI runs it; tests pass a fixed clock and a temporary saves folder."""
    return WargameApp(**kwargs)


def run_app(
    *,
    deck: Deck | None = None,
    seed: int = 1,
    turns: int | None = None,
    mode: Mode = "hotseat",
    team_names: dict[str, str] | None = None,
    saves: Path | None = None,
    resume: Path | None = None,
    open_as: str | None = None,
    turn_minutes: int | None = None,
) -> int:
    app = make_app(
        deck=deck,
        seed=seed,
        turns=turns,
        mode=mode,
        team_names=team_names,
        saves=saves,
        resume=resume,
        open_as=open_as,
        turn_minutes=turn_minutes,
    )
    try:
        result = app.run()
    finally:
        report = app.unsaved_report()
        app.close_saves()
    from wargame.store.drafts import load_drafts  # only once the app has ended

    for saver in app.autosavers:
        if load_drafts(saver.path):
            # Quitting mid-decision keeps what was typed: say so (never what it says).
            print(
                _("wargame: unsent drafts are kept; resume {path} to finish them.").format(
                    path=saver.path
                )
            )
    if report is not None and not app.return_code:  # never quit silently with events unsaved
        print(_("wargame: {report}").format(report=report), file=sys.stderr)
        return 1
    return app.return_code or int(result or 0)
