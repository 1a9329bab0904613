"""The board: the facilitator's view of the game. It owns the `Game` and its state (a
reactive the meters bind to), turns every key press into an engine command, and shows the
result; it never changes game state itself. It also keeps the seats' drafts of unsent
decisions (`store/drafts.py`), so leaving a decision screen or quitting loses no typing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import RichLog, Static

from wargame import engine
from wargame.engine import Game, IllegalCommand, crisis
from wargame.engine.turn_clock import turn_clock, turn_seconds
from wargame.i18n import N_, _
from wargame.model.game import MODE_LABELS, Event, GameState, TurnResolved
from wargame.store.drafts import DraftBook
from wargame.store.saves import SaveError
from wargame.tui.actions import GAME_ACTIONS, GameCommands, next_step
from wargame.tui.compat import clear_render_caches
from wargame.tui.messages import LeaveGame
from wargame.tui.screens.white_cell import EXTEND_SECONDS as EXTEND_SECONDS  # re-exported
from wargame.tui.screens.white_cell import WhiteCellActions
from wargame.tui.widgets.card import CardView
from wargame.tui.widgets.crisis import CrisisPanel
from wargame.tui.widgets.footer import Footer
from wargame.tui.widgets.log import describe
from wargame.tui.widgets.meters import MeterPanel
from wargame.tui.widgets.seats import SeatsPanel, padded_name

# The screens and dialogs the board opens are imported when first opened, not with the
# board: the first frame needs none of them, and together they cost about a tenth of a
# second at startup (the help's Markdown widget and the decision's TextArea above all).
if TYPE_CHECKING:
    from wargame.tui.screens.decide import Choice

DRAFT_WRITE_DELAY = 0.5  # seconds: drafts reach the disk at most this late (and on close)


class GameScreen(WhiteCellActions, Screen[None]):
    BINDINGS = [a.binding() for a in GAME_ACTIONS] + [
        Binding("f1", "help", N_("Help"), show=False, id="game.help.f1")
    ]
    COMMANDS = Screen.COMMANDS | {GameCommands}

    # The game state, flowing down: set after every command, bound by the meters, and the
    # rest of the board is told (`refresh_board`). Never compared: always a new state.
    state: var[GameState] = var(None, init=False, always_update=True)  # type: ignore[arg-type]

    def __init__(
        self,
        game: Game,
        save_path: Path | None,
        clock: Callable[[], float],
        now: Callable[[], datetime],
        classes: str = "",
        turn_minutes: int | None = None,
    ) -> None:
        super().__init__(classes=f"board {classes}")
        self.game = game
        self.set_reactive(GameScreen.state, game.state)
        self.save_path = save_path
        # The seats' drafts of unsent decisions on the card on the table.
        self.drafts = DraftBook(save_path, game)
        self._drafts_timer: Timer | None = None
        self.clock = clock
        self.now = now
        self.turn_minutes = turn_minutes  # --turn-minutes; else as the game's clock last ran

    # --- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="status-bar"):
            yield Static(id="status")
            yield Static(Content(self.game.deck.deck.title), id="deck-title")
        with Horizontal(id="board"):
            with Vertical(id="board-left"):
                yield CardView(id="card")
                yield Static(id="hint")
                yield RichLog(id="log", wrap=True, markup=False, auto_scroll=True, min_width=20)
            with Vertical(id="board-right"):
                yield MeterPanel(self.game.deck, self.game.state, id="meters").data_bind(
                    GameScreen.state
                )
                yield SeatsPanel()
                yield CrisisPanel(id="crisis")
        yield Footer()

    def on_mount(self) -> None:
        log = self.query_one(RichLog)
        for ev in self.game.events:
            line = describe(self.game.deck, self.game.state, ev)
            if line is not None:
                log.write(line)
        self.refresh_board()
        self.set_interval(1.0, self._tick)
        self.call_after_refresh(self.resume_flow)

    def on_screen_resume(self) -> None:
        clear_render_caches()  # back on the board, the screens above it are gone

    def on_unmount(self) -> None:
        self.write_drafts()  # leaving or quitting: the last keystrokes too

    def watch_state(self) -> None:
        if self.drafts.prune(self.game):
            self.write_drafts()
        self.refresh_board()

    def resume_flow(self) -> None:
        """Pick up where the game stopped: the next seat's hand-off, or the ending."""
        state = self.game.state
        if state.ended:
            self.show_ending()
        elif state.mode == "hotseat" and state.decisions and self.game.pending:
            self.action_decide()

    # --- state to screen ------------------------------------------------------------

    def refresh_board(self) -> None:
        game = self.game
        card = game.card
        step = self.next_step()
        hints = {
            "reveal": _("Enter: reveal the next inject."),
            "choose": _("No card can be drawn at random: c to choose one, or e to end."),
            "decide": (
                _("Brief the room, then Enter: hand over to the teams.")
                if game.state.mode == "hotseat"
                else _("Brief the room, then Enter: record each team's announced choice.")
            ),
            "resolve": _("Every team has decided. Enter: resolve the turn."),
        }
        self.query_one("#hint", Static).update(Text(hints.get(step or "", ""), style="bold"))
        self.query_one(CardView).show(
            card,
            idle=_("The table is clear."),
            briefing=crisis.briefing(game.deck, game.state, card) if card else None,
            category=game.deck.category_label(card.category) if card else None,
        )
        self.query_one(CrisisPanel).show_state(game.deck, game.state)
        self.query_one("#seats", Static).update(self._seats_text())
        self._tick()
        self.refresh_bindings()

    def _seats_text(self) -> Text:
        """Who has decided — never what."""
        game, state = self.game, self.game.state
        text = Text(_("Teams\n"), style="bold")
        for seat in game.deck.seat_ids():
            name = engine.seat_name(game.deck, state, seat)
            if state.phase != "deciding":
                mark, style = "·", "dim"
            elif seat in state.decisions:
                mark, style = _("✓ decided"), "green"
            else:
                mark, style = _("… to decide"), "yellow"
            text += padded_name(name) + Text(mark, style=style) + "\n"
        text.rstrip()
        return text

    def _tick(self) -> None:
        state = self.game.state
        phase = {
            "draw": _("Reveal the next inject"),
            "deciding": _("Deciding") if self.game.pending else _("Ready to resolve"),
            "ended": _("Game over"),
        }[state.phase]
        if state.phase == "deciding" and self.game.pending:
            decided = [engine.seat_name(self.game.deck, state, s) for s in state.decisions]
            if decided:
                phase += _(" ({names} done)").format(names=", ".join(decided))
        mode = _(MODE_LABELS[state.mode])
        if state.checkpoint is not None:
            phase = _("At a checkpoint")
        text = Text(
            _(" Turn {turn}/{turns} ").format(turn=state.turn, turns=state.turns),
            style="bold reverse",
        )
        scenario = crisis.phase_title(self.game.deck, state)
        if scenario is not None:
            text += Text(f" {scenario} ", style="bold")
        text += Text(f" {phase} · {mode} · ")
        text += self._timer_text()
        self.query_one("#status", Static).update(text)

    def _timer_text(self) -> Text:
        clock = turn_clock(self.game.events, self.now())
        if self.game.state.phase != "deciding" or not clock.started:
            # Not handed over yet; a pause made now holds the clock once it starts.
            waiting = _("clock --:--")
            if clock.paused:
                return Text(_("{clock} paused").format(clock=waiting), style="italic")
            return Text(waiting, style="dim")
        used, limit = clock.used, clock.limit
        text = _("clock {used} of {limit}").format(
            used=f"{used // 60:02d}:{used % 60:02d}", limit=f"{limit // 60:02d}:{limit % 60:02d}"
        )
        if clock.paused:
            return Text(_("{clock} paused").format(clock=text), style="italic")
        return Text(text, style="bold red" if clock.over else "")

    def start_clock(self) -> None:
        """The facilitator hands over: this turn's clock starts (once a turn)."""
        game = self.game
        if game.state.phase == "deciding" and not turn_clock(game.events, self.now()).started:
            seconds = turn_seconds(game.deck, game.events, self.turn_minutes)
            self.run_cmd(engine.Timer(action="start", seconds=seconds))

    def pause_clock(self) -> None:
        """The game is left or quit: a running clock stops, so time away does not count
        (the facilitator resumes it with the pause key)."""
        clock = turn_clock(self.game.events, self.now())
        if clock.started and not clock.paused and not self.game.state.ended:
            self.run_cmd(engine.Timer(action="pause"))

    # --- commands ---------------------------------------------------------------------

    def stamp(self) -> str:
        return self.now().isoformat(timespec="seconds")

    def run_cmd(self, command: engine.Command) -> list[Event] | None:
        """Apply one engine command; refusals become a notification, never a crash."""
        try:
            events = self.game.apply(command.model_copy(update={"at": self.stamp()}))
        except IllegalCommand as exc:
            self.notify(str(exc), title=_("Not now"), severity="error", markup=False)
            return None
        log = self.query_one(RichLog)
        for ev in events:
            line = describe(self.game.deck, self.game.state, ev)
            if line is not None:
                log.write(line)
        self.state = self.game.state
        return events

    def next_step(self) -> str | None:
        return next_step(self.game)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        for a in GAME_ACTIONS:
            if a.name == action:
                return a.legal(self.game)
        return True

    # --- drafts of unsent decisions -----------------------------------------------------

    def keep_draft(self, seat: str, option: str | None, rationale: str) -> None:
        """A decision screen's typing so far: kept, and on disk within half a second."""
        if self.drafts.keep(self.game, seat, option, rationale) and self._drafts_timer is None:
            self._drafts_timer = self.set_timer(DRAFT_WRITE_DELAY, self.write_drafts)

    def write_drafts(self) -> None:
        if self._drafts_timer is not None:
            self._drafts_timer.stop()
            self._drafts_timer = None
        try:
            self.drafts.flush()
        except SaveError as exc:
            self.notify(str(exc), title=_("Draft not kept"), severity="warning", markup=False)

    # --- the game loop ----------------------------------------------------------------

    def do(self, name: str) -> None:
        """Run a game action by name (from the panel, the palette or the Enter key)."""
        getattr(self, f"action_{name}")()

    def action_next(self) -> None:
        step = self.next_step()
        if step is not None:
            self.do(step)

    def action_reveal(self) -> None:
        if self.run_cmd(engine.Draw()) and self.game.state.ended:  # nothing left to draw
            self.show_ending()

    def action_decide(self) -> None:
        game = self.game
        card = game.card
        if card is None or not game.pending:
            return
        self.start_clock()
        from wargame.tui.screens.decide import DecisionScreen, HandoffScreen, OpenDecisionScreen

        seats = {s.id: s for s in game.deck.seats}
        if game.state.mode == "open":
            pending = [(seats[s], engine.seat_name(game.deck, game.state, s)) for s in game.pending]
            blocked = {s: crisis.unavailable(game.deck, game.state, card, s) for s in game.pending}
            self.app.push_screen(
                OpenDecisionScreen(
                    pending, card, self.clock, dict(self.drafts), self.keep_draft, blocked
                ),
                self._record_all,
            )
            return
        pending = [(seats[s], engine.seat_name(game.deck, game.state, s)) for s in game.pending]

        def handed_over(seat_id: str | None) -> None:
            if seat_id is None:
                return
            seat, team = next((s, t) for s, t in pending if s.id == seat_id)
            state = game.state
            # Only this seat's own draft: never another seat's, never on the board.
            self.app.push_screen(
                DecisionScreen(
                    seat,
                    team,
                    card,
                    self.clock,
                    self.drafts.get(seat.id),
                    self.keep_draft,
                    unavailable=crisis.unavailable(game.deck, state, card, seat_id),
                    private=card.private.get(seat_id, ""),
                    briefing=crisis.briefing(game.deck, state, card),
                ),
                self._record,
            )

        self.app.push_screen(HandoffScreen(pending), handed_over)

    def _decide(self, choice: Choice, entered_by: str) -> bool:
        return (
            self.run_cmd(
                engine.Decide(
                    seat=choice.seat,
                    option=choice.option,
                    rationale=choice.rationale,
                    seconds=choice.seconds,
                    entered_by=entered_by,
                )
            )
            is not None
        )

    def _record(self, choice: Choice | None) -> None:
        if choice is None:
            self.write_drafts()
            if self.drafts:
                self.notify(_("Draft kept: it is back when that team returns to decide."))
            return
        if self._decide(choice, choice.seat) and self.game.pending:
            self.action_decide()  # the next seat's hand-off

    def _record_all(self, choices: list[Choice] | None) -> None:
        if choices is None:
            self.write_drafts()
            if self.drafts:
                self.notify(_("Entries kept as drafts: they are back when you return."))
            return
        for choice in choices:
            if not self._decide(choice, "facilitator"):
                return

    def action_resolve(self) -> None:
        before = self.game.state
        events = self.run_cmd(engine.Resolve())
        if not events:
            return
        resolved = events[0]
        assert isinstance(resolved, TurnResolved)
        from wargame.tui.screens.resolution import ResolutionScreen

        self.app.push_screen(
            ResolutionScreen(self.game.deck, before, self.game.state, resolved, events[1:]),
            lambda _: self._after_resolution(),
        )

    def _after_resolution(self) -> None:
        if self.game.state.ended:
            self.show_ending()
        elif self.game.state.checkpoint is not None:
            self.action_checkpoint()

    def action_checkpoint(self) -> None:
        """At a checkpoint ending: continue past it (recorded), or end the game there."""
        ending_id = self.game.state.checkpoint
        if ending_id is None:
            return
        from wargame.tui.screens.checkpoint import CheckpointDialog

        ending = next(e for e in self.game.deck.endings if e.id == ending_id)

        def chosen(what: str | None) -> None:
            if what == "continue":
                self.run_cmd(engine.Continue())
            elif what == "end" and self.run_cmd(engine.End()):
                self.show_ending()

        self.app.push_screen(CheckpointDialog(ending.title, ending.text), chosen)

    def action_advance_phase(self) -> None:
        if self.run_cmd(engine.AdvancePhase()):
            title = crisis.phase_title(self.game.deck, self.game.state)
            self.notify(_("The scenario moves on: {title}.").format(title=title), markup=False)

    def show_ending(self) -> None:
        from wargame.tui.screens.ending import EndingScreen

        self.app.push_screen(EndingScreen(self.game), self._after_ending)

    def _after_ending(self, what: str | None) -> None:
        if what == "quit":
            from wargame.tui.screens.facilitator import ConfirmDialog

            def answered(yes: bool | None) -> None:
                if yes:
                    self.app.action_quit()  # asks again if events are not saved
                else:
                    self.show_ending()

            self.app.push_screen(
                ConfirmDialog(
                    _("Quit wargame?"),
                    _("The game is saved; resume or review it from the launcher."),
                ),
                answered,
            )
        elif what == "undo":
            # As on the board: undoing the resolution that ended the game asks first, and
            # "no" goes back to the ending.
            self.action_undo(on_cancel=self.show_ending)
        elif what == "aar":
            from wargame.tui.screens.aar import AARScreen

            self.app.push_screen(
                AARScreen(self.game.deck, list(self.game.events), self.save_path),
                lambda _: self.show_ending(),
            )
        elif what == "hotwash":
            from wargame.tui.screens.hotwash import HotwashScreen

            def recorded(command: engine.Hotwash | None) -> None:
                if command is not None and self.run_cmd(command):
                    self.notify(_("Hot-wash entry recorded."))
                self.show_ending()

            self.app.push_screen(HotwashScreen(self.game.deck), recorded)
        else:
            self.show_ending()

    def action_leave(self) -> None:
        # The app asks first (about unsaved events if any, else whether to leave).
        self.post_message(LeaveGame(drafts_kept=bool(self.drafts)))

    def action_help(self) -> None:
        from wargame.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())
