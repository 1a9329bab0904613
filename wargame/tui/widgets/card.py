"""The inject card on the table: title, category badge, briefing."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from wargame.i18n import _
from wargame.model.deck import Card


class CardView(VerticalScroll):
    """Shows one card (or what to do when none is on the table)."""

    def compose(self) -> ComposeResult:
        yield Label("", id="card-badge")
        yield Label("", id="card-title")
        yield Static("", id="card-briefing")

    def show(
        self,
        card: Card | None,
        idle: str = "",
        briefing: str | None = None,
        category: str | None = None,  # the category's display name (Deck.category_label)
    ) -> None:
        """Show `card`, with `briefing` (its text as the state has it) if given."""
        badge = self.query_one("#card-badge", Label)
        title = self.query_one("#card-title", Label)
        body = self.query_one("#card-briefing", Static)
        if card is None:
            badge.update("")
            badge.display = False
            title.update(_("No inject on the table"))
            body.update(Text(idle, style="italic"))
            return
        badge.display = True
        shown = (category or card.category).upper()
        badge.update(Text(f" {shown} · {_(card.dimension)} ", style="bold reverse"))
        title.update(Text(card.title, style="bold"))
        body.update(Content((briefing or card.briefing).strip()))
