"""A checkpoint ending: the facilitator continues past it (recorded) or ends the game."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from wargame.i18n import N_, _
from wargame.tui.widgets.footer import Footer


class CheckpointDialog(ModalScreen[str | None]):
    """Dismisses with "continue", "end", or None (decide later, from the board)."""

    BINDINGS = [
        Binding(
            "enter", "continue", N_("Continue"), tooltip=N_("Play on past it"), id="checkpoint.go"
        ),
        Binding("e", "end", N_("End here"), tooltip=N_("End the game at it"), id="checkpoint.end"),
        Binding(
            "escape", "later", N_("Later"), tooltip=N_("Back to the board"), id="checkpoint.later"
        ),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_, self.text = title, text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(_("Checkpoint: {title_}").format(title_=self.title_), style="bold"))
            if self.text:
                yield Static(Content(self.text))
            yield Static(
                Content(_("The game may end here, or the White Cell may play on (recorded)."))
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Continue (Enter)"), id="checkpoint-continue", variant="primary")
                yield Button(_("End here (e)"), id="checkpoint-end", variant="warning")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#checkpoint-continue", Button).focus()

    @on(Button.Pressed, "#checkpoint-continue")
    def action_continue(self) -> None:
        self.dismiss("continue")

    @on(Button.Pressed, "#checkpoint-end")
    def action_end(self) -> None:
        self.dismiss("end")

    def action_later(self) -> None:
        self.dismiss(None)
