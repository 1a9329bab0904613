"""The White Cell's actions on the board: the facilitator's menu, adjudication, choosing or
skipping a card, undo, notes, the turn clock and ending the game early. A mixin of
`GameScreen`, kept apart so the board's module holds the game loop."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from wargame import engine
from wargame.i18n import _
from wargame.tui.actions import GAME_ACTIONS
from wargame.tui.widgets.log import undone_what

# The dialogs are imported when first opened, as the board's are (see `game`).
if TYPE_CHECKING:
    from textual.app import App

    from wargame.engine import Game
    from wargame.model.game import Event
    from wargame.tui.screens.facilitator import Adjustment

EXTEND_SECONDS = 120


class WhiteCellActions:
    """The White Cell's `action_*` methods; the board (`GameScreen`) provides the rest."""

    if TYPE_CHECKING:
        app: App[object]
        game: Game
        save_path: Path | None

        def run_cmd(self, command: engine.Command) -> list[Event] | None: ...
        def run_action(self, name: str) -> object: ...
        def show_ending(self) -> None: ...
        def notify(self, message: str, *, markup: bool = True) -> None: ...

    def action_facilitator(self) -> None:
        from wargame.tui.screens.facilitator import FacilitatorScreen

        legal = {a.name: a.legal(self.game) for a in GAME_ACTIONS}
        state = self.game.state
        saved = (
            _("Saved as it goes to {save_path}").format(save_path=self.save_path)
            if self.save_path
            else _("Not saved")
        )
        status = _("Turn {turn} of {turns} · {count} events\n{saved}").format(
            turn=state.turn, turns=state.turns, count=len(self.game.events), saved=saved
        )
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
            TextDialog(_("Skip this card?"), _("Reason (optional)"), required=False),
            lambda reason: self.run_cmd(engine.Skip(reason=reason)) if reason is not None else None,
        )

    def action_undo(self, on_cancel: Callable[[], object] | None = None) -> None:
        state = self.game.state
        point = state.undo_stack[-1] if state.undo_stack else None
        what = undone_what(self.game.deck, point.kind, point.ref) if point else ""

        def undo(confirmed: bool | None = True) -> None:
            if confirmed and self.run_cmd(engine.Undo()):
                self.notify(_("Undone: {what}.").format(what=what), markup=False)
            elif not confirmed and on_cancel is not None:
                on_cancel()

        if point is not None and point.kind == "resolution":
            from wargame.tui.screens.facilitator import ConfirmDialog

            # Undoing a resolution discards every team's decision on that card: ask first.
            self.app.push_screen(
                ConfirmDialog(
                    _("Undo the {what}?").format(what=what),
                    _(
                        "The card goes back on the table and every "
                        "team decides again. The undo is recorded."
                    ),
                ),
                undo,
            )
        else:
            undo()

    def action_note(self) -> None:
        from wargame.tui.screens.facilitator import TextDialog

        self.app.push_screen(
            TextDialog(_("Add a note to the record"), _("Note")),
            lambda text: self.run_cmd(engine.Note(text=text)) if text else None,
        )

    def action_pause(self) -> None:
        # The clock is read from the timer events' time stamps (engine/turn_clock.py).
        self.run_cmd(engine.Timer(action="resume" if self.game.state.timer_paused else "pause"))

    def action_extend(self) -> None:
        if self.run_cmd(engine.Timer(action="extend", seconds=EXTEND_SECONDS)):
            self.notify(_("Two more minutes for turn {turn}.").format(turn=self.game.state.turn))

    def action_end_game(self) -> None:
        from wargame.tui.screens.facilitator import TextDialog

        def ended(reason: str | None) -> None:
            if reason and self.run_cmd(engine.End(reason=reason)):
                self.show_ending()

        self.app.push_screen(TextDialog(_("End the game now?"), _("Reason (required)")), ended)
