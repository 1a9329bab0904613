"""Resolution: every choice revealed at once, every meter change with its explanation, the
meters moving to their new values, and the card's questions for the hot wash."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Label, Static

from wargame.engine import seat_name
from wargame.i18n import N_, _
from wargame.model.deck import Deck
from wargame.model.game import Event, GameState, TurnResolved
from wargame.tui.widgets.crisis import consequences, private_briefings, red_cell_rows
from wargame.tui.widgets.footer import Footer
from wargame.tui.widgets.meters import MeterPanel


class ResolutionScreen(Screen[None]):
    BINDINGS = [
        Binding(
            "enter", "close", N_("Continue"), tooltip=N_("Back to the board"), id="resolution.close"
        ),
        Binding(
            "escape",
            "close",
            N_("Continue"),
            show=False,
            tooltip=N_("Back to the board"),
            id="resolution.back",
        ),
    ]

    def __init__(
        self,
        deck: Deck,
        before: GameState,
        after: GameState,
        resolved: TurnResolved,
        rest: list[Event] | None = None,
    ) -> None:
        super().__init__(classes="resolution")
        self.deck, self.before, self.after, self.resolved = deck, before, after, resolved
        self.rest = rest or []  # the events after the resolution: red cell, flags, ...

    def compose(self) -> ComposeResult:
        card = self.deck.card(self.resolved.card)
        # Side by side when wide; below 110 columns the meters and questions stack under
        # the choices and the whole screen scrolls (see wargame.tcss), so nothing is cut.
        with ScrollableContainer(id="resolution-layout", can_focus=False):
            with VerticalScroll(id="resolution-body"):
                title = _("Turn {turn} resolved — {title}").format(
                    turn=self.resolved.turn, title=card.title
                )
                yield Label(Text(title, style="bold"), id="resolution-title")
                private = private_briefings(self.deck, self.before, card)
                if private is not None:
                    # Revealed together: what each government was told, side by side.
                    yield Static(private, id="resolution-private")
                yield Static(self._choices(), id="resolution-choices")
                yield Static(self._changes(), id="resolution-changes")
                lasting = consequences(self.deck, self.after, self.rest)
                if lasting is not None:
                    yield Static(lasting, id="resolution-consequences", classes="section")
                if self.resolved.followups:
                    names = ", ".join(self.deck.card(c).title for c in self.resolved.followups)
                    queued = _("Queued follow-ups: {names}").format(names=names)
                    yield Static(Content(queued), classes="section")
            with Vertical(id="resolution-side"):
                yield MeterPanel(self.deck, self.before, id="resolution-meters")
                if card.questions:
                    # Beside the meters, so the room sees them without scrolling.
                    with VerticalScroll(id="resolution-questions") as questions:
                        questions.border_title = _("For the hot wash")
                        for q in card.questions:
                            yield Static(Content(f"• {q}"), classes="question")
        yield Footer()

    def on_mount(self) -> None:
        panel = self.query_one(MeterPanel)
        if self.app.animation_level == "none":
            panel.show_state(self.after, animate=False)
        else:
            # Start once the screen is up, so the room sees the meters move.
            self.set_timer(0.3, lambda: panel.show_state(self.after, animate=True))

    def _choices(self) -> Table:
        card = self.deck.card(self.resolved.card)
        table = Table(title=_("Choices"), title_justify="left", expand=True, box=box.SIMPLE_HEAD)
        table.add_column(_("Team"), style="bold", no_wrap=True)
        # fold: a label in Japanese has no spaces, and must wrap rather than end in "…"
        table.add_column(_("Choice"), ratio=1, overflow="fold")
        for seat, option in self.resolved.choices.items():
            # Text, not str: a rich Table reads str cells as markup ("[/b]" in a name crashes).
            table.add_row(
                Text(seat_name(self.deck, self.before, seat)), Text(card.option(seat, option).label)
            )
        return table

    def _changes(self) -> Table:
        """One row per cause (an option, an extra effect, a joint rule): all it moved, and
        why, headed by whose choice it was."""
        table = Table(
            title=_("Meter changes"),
            title_justify="left",
            expand=True,
            box=box.SIMPLE_HEAD,
            leading=1,
        )
        table.add_column(_("Changes"), no_wrap=True)
        table.add_column(_("Why"), ratio=1, overflow="fold")
        rows: dict[tuple[str | None, str, str], Text] = {}
        for ch in self.resolved.changes:
            line = rows.setdefault((ch.seat, ch.rule, ch.explain), Text())
            if line:
                line.append("\n")
            line.append(f"{self.deck.meter(ch.meter).label} ")
            line.append(f"{ch.delta:+d}", style="bold green" if ch.delta > 0 else "bold red")
        for (seat, rule, explain), changes in rows.items():
            source = (
                _("Joint rule")
                if rule == "joint"
                else seat_name(self.deck, self.before, seat or "")
            )
            if rule == "extra":
                source += " (condition)"
            # assembled, not added: `Text(source, style="bold") + ...` made the whole cell bold
            table.add_row(changes, Text.assemble((source, "bold"), "\n", explain))
        for move in self.resolved.moves:
            if move.clamped:
                m = self.deck.meter(move.meter)
                table.add_row(
                    Text(m.label),
                    Text(_("held at {after} (its limit)").format(after=move.after), "italic"),
                )
        for changes, why in red_cell_rows(self.deck, self.rest):
            table.add_row(changes, why)
        return table

    def action_close(self) -> None:
        self.dismiss(None)
