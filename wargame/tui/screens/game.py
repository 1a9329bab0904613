"""The board: the facilitator's view of the game. It owns the `Game`, turns every key press
into an engine command, and shows the result; it never changes game state itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual._styles_cache import StylesCache
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import RichLog, Static

from wargame import engine
from wargame.engine import Game, IllegalCommand, crisis
from wargame.model.game import MODE_LABELS, Event, GameState, TurnResolved
from wargame.tui.actions import GAME_ACTIONS, GameCommands
from wargame.tui.widgets.card import CardView
from wargame.tui.widgets.crisis import CrisisPanel
from wargame.tui.widgets.footer import Footer
from wargame.tui.widgets.log import describe, undone_what
from wargame.tui.widgets.meters import MeterPanel

# The screens and dialogs the board opens are imported when first opened, not with the
# board: the first frame needs none of them, and together they cost about a tenth of a
# second at startup (the help's Markdown widget and the decision's TextArea above all).
if TYPE_CHECKING:
    from wargame.tui.screens.decide import Choice
    from wargame.tui.screens.facilitator import Adjustment

TURN_SECONDS = 10 * 60  # the default turn clock; the White Cell can extend it
EXTEND_SECONDS = 120


class GameScreen(Screen[None]):
    BINDINGS = [a.binding() for a in GAME_ACTIONS] + [
        Binding("f1", "help", "Help", show=False, id="game.help.f1")
    ]
    COMMANDS = Screen.COMMANDS | {GameCommands}

    def __init__(
        self,
        game: Game,
        save_path: Path | None,
        clock: Callable[[], float],
        now: Callable[[], datetime],
        classes: str = "",
    ) -> None:
        super().__init__(classes=f"board {classes}")
        self.game = game
        self.save_path = save_path
        self.clock = clock
        self.now = now
        self.turn_started = clock()
        self.paused_since: float | None = clock() if game.state.timer_paused else None
        self.paused_total = 0.0

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
                yield MeterPanel(self.game.deck, self.game.state, id="meters")
                yield Static(id="seats")
                yield CrisisPanel(id="crisis")
        yield Footer()

    def on_mount(self) -> None:
        log = self.query_one(RichLog)
        for ev in self.game.events:
            line = describe(self.game.deck, self.game.state, ev)
            if line is not None:
                log.write(line)
        self.refresh_board(animate=False)
        self.set_interval(1.0, self._tick)
        self.call_after_refresh(self.resume_flow)

    def on_screen_resume(self) -> None:
        # Textual caches StylesCache.get_inner_outer with an lru_cache on the method, which
        # keeps up to 1,024 widgets' render caches alive after their screens have closed
        # (textual#6665): some 5 MiB a turn. Back on the board, those screens are gone.
        StylesCache.get_inner_outer.cache_clear()

    def resume_flow(self) -> None:
        """Pick up where the game stopped: the next seat's hand-off, or the ending."""
        state = self.game.state
        if state.ended:
            self.show_ending()
        elif state.mode == "hotseat" and state.decisions and self.game.pending:
            self.action_decide()

    # --- state to screen ------------------------------------------------------------

    def refresh_board(self, animate: bool = True) -> None:
        game = self.game
        card = game.card
        step = self.next_step()
        hints = {
            "reveal": "Enter: reveal the next inject.",
            "choose": "No card can be drawn at random: c to choose one, or e to end.",
            "decide": (
                "Brief the room, then Enter: hand over to the teams."
                if game.state.mode == "hotseat"
                else "Brief the room, then Enter: record each team's announced choice."
            ),
            "resolve": "Every team has decided. Enter: resolve the turn.",
        }
        self.query_one("#hint", Static).update(Text(hints.get(step or "", ""), style="bold"))
        self.query_one(CardView).show(
            card,
            idle="The table is clear.",
            briefing=crisis.briefing(game.deck, game.state, card) if card else None,
        )
        self.query_one(CrisisPanel).show_state(game.deck, game.state)
        self.query_one(MeterPanel).show_state(game.state, animate=animate)
        self.query_one("#seats", Static).update(self._seats_text())
        self._tick()
        self.refresh_bindings()

    def _seats_text(self) -> Text:
        """Who has decided — never what."""
        game, state = self.game, self.game.state
        text = Text("Teams\n", style="bold")
        for seat in game.deck.seat_ids():
            name = engine.seat_name(game.deck, state, seat)
            if state.phase != "deciding":
                mark, style = "·", "dim"
            elif seat in state.decisions:
                mark, style = "✓ decided", "green"
            else:
                mark, style = "… to decide", "yellow"
            text += Text(f"{name:<22} ") + Text(mark, style=style) + "\n"
        return text

    def _tick(self) -> None:
        state = self.game.state
        phase = {
            "draw": "Reveal the next inject",
            "deciding": "Deciding" if self.game.pending else "Ready to resolve",
            "ended": "Game over",
        }[state.phase]
        if state.phase == "deciding" and self.game.pending:
            decided = [engine.seat_name(self.game.deck, state, s) for s in state.decisions]
            if decided:
                phase += f" ({', '.join(decided)} done)"
        mode = MODE_LABELS[state.mode]
        if state.checkpoint is not None:
            phase = "At a checkpoint"
        text = Text(f" Turn {state.turn}/{state.turns} ", style="bold reverse")
        scenario = crisis.phase_title(self.game.deck, state)
        if scenario is not None:
            text += Text(f" {scenario} ", style="bold")
        text += Text(f" {phase} · {mode} · ")
        text += self._timer_text()
        self.query_one("#status", Static).update(text)

    def _timer_text(self) -> Text:
        state = self.game.state
        if state.phase != "deciding":
            return Text("clock --:--", style="dim")
        limit = TURN_SECONDS + state.timer_extra
        paused = self.paused_total + (
            self.clock() - self.paused_since if self.paused_since is not None else 0.0
        )
        used = max(0, int(self.clock() - self.turn_started - paused))
        text = f"clock {used // 60:02d}:{used % 60:02d} of {limit // 60:02d}:{limit % 60:02d}"
        if state.timer_paused:
            return Text(text + " paused", style="italic")
        return Text(text, style="bold red" if used > limit else "")

    # --- commands ---------------------------------------------------------------------

    def stamp(self) -> str:
        return self.now().isoformat(timespec="seconds")

    def run_cmd(self, command: engine.Command) -> list[Event] | None:
        """Apply one engine command; refusals become a notification, never a crash."""
        try:
            events = self.game.apply(command.model_copy(update={"at": self.stamp()}))
        except IllegalCommand as exc:
            self.notify(str(exc), title="Not now", severity="error", markup=False)
            return None
        log = self.query_one(RichLog)
        for ev in events:
            if ev.kind == "drawn":
                self.turn_started, self.paused_total = self.clock(), 0.0
                self.paused_since = None
            line = describe(self.game.deck, self.game.state, ev)
            if line is not None:
                log.write(line)
        self.refresh_board()
        return events

    def next_step(self) -> str | None:
        legal = self.game.legal
        if "continue" in legal:
            return "checkpoint"
        if "draw" in legal:
            return "reveal" if engine.can_draw(self.game.deck, self.game.state) else "choose"
        for step in ("decide", "resolve"):
            if step in legal:
                return step
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        for a in GAME_ACTIONS:
            if a.name == action:
                return a.legal(self)
        return True

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
        from wargame.tui.screens.decide import DecisionScreen, HandoffScreen, OpenDecisionScreen

        seats = {s.id: s for s in game.deck.seats}
        if game.state.mode == "open":
            pending = [(seats[s], engine.seat_name(game.deck, game.state, s)) for s in game.pending]
            blocked = {s: crisis.unavailable(game.deck, game.state, card, s) for s in game.pending}
            self.app.push_screen(
                OpenDecisionScreen(pending, card, self.clock, unavailable=blocked),
                self._record_all,
            )
            return
        pending = [(seats[s], engine.seat_name(game.deck, game.state, s)) for s in game.pending]

        def handed_over(seat_id: str | None) -> None:
            if seat_id is None:
                return
            seat, team = next((s, t) for s, t in pending if s.id == seat_id)
            state = game.state
            self.app.push_screen(
                DecisionScreen(
                    seat,
                    team,
                    card,
                    self.clock,
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
            return
        if self._decide(choice, choice.seat) and self.game.pending:
            self.action_decide()  # the next seat's hand-off

    def _record_all(self, choices: list[Choice] | None) -> None:
        for choice in choices or []:
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
            self.notify(f"The scenario moves on: {title}.", markup=False)

    def show_ending(self) -> None:
        from wargame.tui.screens.ending import EndingScreen

        self.app.push_screen(EndingScreen(self.game), self._after_ending)

    def _after_ending(self, what: str | None) -> None:
        if what == "quit":
            self.app.action_quit()  # asks first if events are not saved
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
                    self.notify("Hot-wash entry recorded.")
                self.show_ending()

            self.app.push_screen(HotwashScreen(self.game.deck), recorded)
        else:
            self.show_ending()

    # --- the White Cell -----------------------------------------------------------------

    def action_facilitator(self) -> None:
        from wargame.tui.screens.facilitator import FacilitatorScreen

        legal = {a.name: a.legal(self) for a in GAME_ACTIONS}
        state = self.game.state
        saved = f"Saved as it goes to {self.save_path}" if self.save_path else "Not saved"
        status = f"Turn {state.turn} of {state.turns} · {len(self.game.events)} events\n{saved}"
        self.app.push_screen(
            FacilitatorScreen(
                legal, status, self.game.card.facilitator_notes if self.game.card else ""
            ),
            lambda name: self.run_action(name) if name else None,
        )

    def action_adjust(self) -> None:
        from wargame.tui.screens.facilitator import AdjustDialog

        def adjusted(adj: Adjustment | None) -> None:
            if adj is not None:
                self.run_cmd(engine.Adjudicate(meter=adj.meter, delta=adj.delta, reason=adj.reason))

        self.app.push_screen(AdjustDialog(self.game.deck, self.game.state), adjusted)

    def action_choose(self) -> None:
        from wargame.tui.screens.facilitator import ChooseCardDialog

        self.app.push_screen(
            ChooseCardDialog(self.game.deck, self.game.state),
            lambda card: self.run_cmd(engine.Draw(card=card)) if card else None,
        )

    def action_skip(self) -> None:
        from wargame.tui.screens.facilitator import TextDialog

        self.app.push_screen(
            TextDialog("Skip this card?", "Reason (optional)", required=False),
            lambda reason: self.run_cmd(engine.Skip(reason=reason)) if reason is not None else None,
        )

    def action_undo(self, on_cancel: Callable[[], object] | None = None) -> None:
        state = self.game.state
        point = state.undo_stack[-1] if state.undo_stack else None
        what = undone_what(self.game.deck, point.kind, point.ref) if point else ""

        def undo(confirmed: bool | None = True) -> None:
            if confirmed and self.run_cmd(engine.Undo()):
                self.notify(f"Undone: {what}.", markup=False)
            elif not confirmed and on_cancel is not None:
                on_cancel()

        if point is not None and point.kind == "resolution":
            from wargame.tui.screens.facilitator import ConfirmDialog

            # Undoing a resolution discards every team's decision on that card: ask first.
            self.app.push_screen(
                ConfirmDialog(
                    f"Undo the {what}?",
                    "The card goes back on the table and every "
                    "team decides again. The undo is recorded.",
                ),
                undo,
            )
        else:
            undo()

    def action_note(self) -> None:
        from wargame.tui.screens.facilitator import TextDialog

        self.app.push_screen(
            TextDialog("Add a note to the record", "Note"),
            lambda text: self.run_cmd(engine.Note(text=text)) if text else None,
        )

    def action_pause(self) -> None:
        paused = self.game.state.timer_paused
        if self.run_cmd(engine.Timer(action="resume" if paused else "pause")):
            if paused and self.paused_since is not None:
                self.paused_total += self.clock() - self.paused_since
                self.paused_since = None
            elif not paused:
                self.paused_since = self.clock()

    def action_extend(self) -> None:
        if self.run_cmd(engine.Timer(action="extend", seconds=EXTEND_SECONDS)):
            self.notify(f"Two more minutes for turn {self.game.state.turn}.")

    def action_end_game(self) -> None:
        from wargame.tui.screens.facilitator import TextDialog

        def ended(reason: str | None) -> None:
            if reason and self.run_cmd(engine.End(reason=reason)):
                self.show_ending()

        self.app.push_screen(TextDialog("End the game now?", "Reason (required)"), ended)

    def action_leave(self) -> None:
        self.app.leave_game()  # type: ignore[attr-defined]

    def action_help(self) -> None:
        from wargame.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    @property
    def state(self) -> GameState:
        return self.game.state
