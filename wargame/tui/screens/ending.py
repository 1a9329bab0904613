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
from wargame.i18n import _
from wargame.model.game import DecisionMade
from wargame.tui.widgets.crisis import private_objectives
from wargame.tui.widgets.footer import Footer
from wargame.tui.widgets.meters import MeterPanel

REASONS = {
    "ending": "an ending condition was met",
    "turns": "The last turn is played",
    "deck": "no card is left to draw",
    "facilitator": "the facilitator ended the game",
}


class EndingScreen(Screen[str]):
    """Dismisses with what to do next: "aar", "hotwash", "undo" or "quit"."""

    BINDINGS = [
        Binding(
            "a",
            "go('aar')",
            "After-action review",
            tooltip="Open the after-action review",
            id="ending.aar",
        ),
        Binding(
            "h",
            "go('hotwash')",
            "Hot wash",
            tooltip="Record strengths, areas for improvement and recommended actions",
            id="ending.hotwash",
        ),
        Binding(
            "u",
            "go('undo')",
            "Undo",
            tooltip="Undo the resolution that ended the game",
            id="ending.undo",
        ),
        Binding(
            "q", "go('quit')", "Quit", tooltip="Leave the game (it is saved)", id="ending.quit"
        ),
    ]

    def __init__(self, game: Game) -> None:
        super().__init__(classes="ending")
        self.game = game

    def compose(self) -> ComposeResult:
        out = self.game.state.outcome
        assert out is not None
        # Side by side when wide; stacked and scrolling below 110 columns (wargame.tcss).
        with ScrollableContainer(id="ending-layout", can_focus=False):
            with VerticalScroll(id="ending-body"):
                title = _("Game over: {title}").format(title=out.title)
                yield Label(Text(title, style="bold"), id="ending-title")
                why = REASONS[out.reason]
                where = f"Turn {out.turn} of {self.game.state.turns}"
                yield Label(Text(where if why == out.title else f"{where} — {why}", "italic"))
                if out.text:
                    yield Static(Content(out.text), id="ending-text")
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
        parts: list[RenderableType] = [Text("Decisions", style="italic")]
        for (turn, card_id), decisions in by_turn.items():
            card = deck.card(card_id)
            parts.append(Text(f"\nTurn {turn} · {card.title}", style="bold underline"))
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
            parts.append(Text("No turn was resolved.", style="dim"))
        return Group(*parts)

    def action_go(self, what: str) -> None:
        self.dismiss(what)
