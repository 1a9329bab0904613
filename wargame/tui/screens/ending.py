"""End of game: which ending fired (or why the game stopped), the final meters and every
standing decision; on to the hot wash and the after-action review."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Label, Static

from wargame.engine import Game, seat_name, standing_decisions
from wargame.i18n import N_, _
from wargame.model.game import DecisionMade
from wargame.tui.widgets.crisis import private_objectives
from wargame.tui.widgets.footer import Footer
from wargame.tui.widgets.meters import MeterPanel

REASONS = {
    "ending": N_("an ending condition was met"),
    "turns": N_("The last turn is played"),
    "deck": N_("no card is left to draw"),
    "facilitator": N_("the facilitator ended the game"),
}


class EndingScreen(Screen[str]):
    """Dismisses with what to do next: "aar", "hotwash", "undo" or "quit"."""

    BINDINGS = [
        Binding(
            "a",
            "go('aar')",
            N_("After-action review"),
            tooltip=N_("Open the after-action review"),
            id="ending.aar",
        ),
        Binding(
            "h",
            "go('hotwash')",
            N_("Hot wash"),
            tooltip=N_("Record strengths, areas for improvement and recommended actions"),
            id="ending.hotwash",
        ),
        Binding(
            "u",
            "go('undo')",
            N_("Undo"),
            tooltip=N_("Undo the resolution that ended the game"),
            id="ending.undo",
        ),
        Binding(
            "q",
            "go('quit')",
            N_("Quit"),
            tooltip=N_("Leave the game (it is saved)"),
            id="ending.quit",
        ),
    ]

    def __init__(self, game: Game) -> None:
        super().__init__(classes="ending")
        self.game = game

    def compose(self) -> ComposeResult:
        out = self.game.state.outcome
        assert out is not None
        # Side by side when wide; stacked and scrolling below 110 columns (wargame.tcss).
        from wargame.aar.text import ending_words  # loaded when a game ends

        title, text = ending_words(out.reason, out.turn, out.title, out.text)
        with ScrollableContainer(id="ending-layout", can_focus=False):
            with VerticalScroll(id="ending-body"):
                heading = _("Game over: {title}").format(title=title)
                yield Label(Text(heading, style="bold"), id="ending-title")
                why = _(REASONS[out.reason])
                where = _("Turn {turn} of {turns}").format(
                    turn=out.turn, turns=self.game.state.turns
                )
                yield Label(Text(where if why == title else f"{where} — {why}", "italic"))
                if text:
                    yield Static(Content(text), id="ending-text")
                objectives = private_objectives(self.game.deck, self.game.state)
                if objectives is not None:
                    yield Static(objectives, id="ending-objectives", classes="section")
                yield Static(self._decisions(), id="ending-decisions")
            yield MeterPanel(self.game.deck, self.game.state, id="ending-meters")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go" and parameters == ("undo",):
            return "undo" in self.game.legal
        return True

    def _decisions(self) -> Group:
        """Decisions that stand (those of resolutions still in the record), turn by turn:
        each team's choice with its rationale beneath it."""
        deck, state = self.game.deck, self.game.state
        by_turn: dict[tuple[int, str], list[DecisionMade]] = {}
        for e, res in standing_decisions(self.game.events):
            by_turn.setdefault((res.turn, res.card), []).append(e)
        # In display cells: a Korean or Japanese name is two cells a character.
        width = max((cell_len(seat_name(deck, state, s)) for s in deck.seat_ids()), default=8)
        parts: list[RenderableType] = [Text(_("Decisions"), style="italic")]
        for (turn, card_id), decisions in by_turn.items():
            card = deck.card(card_id)
            parts.append(
                Text(
                    _("\nTurn {turn} · {title}").format(turn=turn, title=card.title),
                    style="bold underline",
                )
            )
            table = Table(box=None, show_header=False, expand=True, padding=(0, 1, 0, 0))
            table.add_column(_("Team"), width=min(width, 24), style="bold", overflow="fold")
            table.add_column(_("Choice and rationale"), ratio=1, overflow="fold")
            for e in decisions:
                choice = Text(card.option(e.seat, e.option).label)
                if e.rationale:
                    choice += Text(f"\n“{e.rationale}”", style="italic dim")
                table.add_row(Text(seat_name(deck, state, e.seat)), choice)
            parts.append(table)
        if not by_turn:
            parts.append(Text(_("No turn was resolved."), style="dim"))
        return Group(*parts)

    def action_go(self, what: str) -> None:
        self.dismiss(what)
