"""The hand-off between seats in hot-seat play: only the name of the team to take the keyboard."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Label

from wargame.i18n import N_, _
from wargame.model.deck import Seat
from wargame.tui.widgets.footer import Footer


class HandoffScreen(Screen[str | None]):
    """Between seats: shows nothing of the card's options or anyone's choice, only the name
    of the team to take the keyboard. Dismisses with that seat's id, or None for the board.

    The next team in seat order is offered first; if another team is ready sooner, `o`
    offers the next one still to decide."""

    BINDINGS = [
        Binding(
            "enter",
            "ready",
            N_("Ready"),
            tooltip=N_("The team has the keyboard"),
            id="handoff.ready",
        ),
        Binding(
            "o",
            "other",
            N_("Other team"),
            tooltip=N_("Another team still to decide is ready first"),
            id="handoff.other",
        ),
        Binding(
            "escape",
            "back",
            N_("Back to board"),
            tooltip=N_("Return to the board"),
            id="handoff.back",
        ),
    ]

    def __init__(self, seats: list[tuple[Seat, str]], index: int = 0) -> None:
        super().__init__(classes="handoff")
        self.seats = seats
        self.index = index % len(seats)

    @property
    def team(self) -> str:
        return self.seats[self.index][1]

    def compose(self) -> ComposeResult:
        with Center(id="handoff-box"):
            yield Label(id="handoff-title")
            yield Label(_("Other teams: please look away from the screen."))
            yield Label(Text(_("Press Enter when ready"), style="italic"))
            yield Button(id="handoff-ready", variant="primary")
            yield Label(id="handoff-others", classes="handoff-others")
        yield Footer()

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        team = self.team
        # Worded for any team name: "the Blue Team team" and "the Seoul cell team" read badly.
        self.query_one("#handoff-title", Label).update(
            Text(_("Pass the keyboard to {team}").format(team=team), style="bold")
        )
        self.query_one("#handoff-ready", Button).label = Content(
            _("We are {team} — ready").format(team=team)
        )
        others = [t for i, (_, t) in enumerate(self.seats) if i != self.index]
        self.query_one("#handoff-others", Label).update(
            Text(
                _("Still to decide after them: {names}\nAnother team ready first? Press o.").format(
                    names=", ".join(others)
                ),
                "dim",
            )
            if others
            else ""
        )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return len(self.seats) > 1 if action == "other" else True

    def action_ready(self) -> None:
        self.dismiss(self.seats[self.index][0].id)

    def action_other(self) -> None:
        self.index = (self.index + 1) % len(self.seats)
        self._show()

    def action_back(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#handoff-ready")
    def _pressed(self) -> None:
        self.action_ready()
