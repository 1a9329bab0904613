"""Dialogs about saving: a save open in another process (Read-only / Copy / Cancel), a new
place to save to, and quitting while events are not saved."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from wargame.i18n import N_, _
from wargame.store.saves import SaveLocked
from wargame.tui.widgets.footer import Footer

DIALOG_CSS = """
LockedDialog, SaveElsewhereDialog, UnsavedQuitDialog {
    align: center middle;
}
"""


class _Dialog(ModalScreen[str | None]):
    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False
    BINDINGS = [
        Binding(
            "escape", "cancel", N_("Cancel"), tooltip=N_("Close without changes"), id="save.cancel"
        )
    ]

    def action_cancel(self) -> None:
        self.dismiss(None)


class LockedDialog(_Dialog):
    """The save is open elsewhere: look at it read-only, continue in a copy, or cancel.
    Dismisses with "read-only", "copy" or None."""

    def __init__(self, error: SaveLocked) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(_("This save is open elsewhere"), style="bold"))
            yield Static(
                Text(
                    _(
                        "{name} {message}. Two games writing one save would lose events, so it can "
                        "only be looked at here, or continued in a copy of its own."
                    ).format(name=self.error.path.name, message=self.error.message)
                )
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Read-only"), id="locked-read-only", variant="primary")
                yield Button(_("Copy"), id="locked-copy")
                yield Button(_("Cancel"), id="locked-cancel")
        yield Footer()

    @on(Button.Pressed, "#locked-read-only")
    def _read_only(self) -> None:
        self.dismiss("read-only")

    @on(Button.Pressed, "#locked-copy")
    def _copy(self) -> None:
        self.dismiss("copy")

    @on(Button.Pressed, "#locked-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class SaveElsewhereDialog(_Dialog):
    """A path to save the game to from now on (dismisses with it as text, or None)."""

    def __init__(self, suggestion: Path, why: str) -> None:
        super().__init__()
        self.suggestion, self.why = suggestion, why

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(_("Save elsewhere"), style="bold"))
            yield Static(Text(self.why))
            yield Input(str(self.suggestion), placeholder=_("File to save to"), id="elsewhere-path")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save here"), id="elsewhere-ok", variant="primary")
                yield Button(_("Cancel"), id="elsewhere-cancel")
        yield Footer()

    @on(Input.Submitted)
    @on(Button.Pressed, "#elsewhere-ok")
    def _ok(self) -> None:
        text = self.query_one(Input).value.strip()
        if not text:
            self.notify(_("Give a file to save to."), severity="warning")
            return
        self.dismiss(text)

    @on(Button.Pressed, "#elsewhere-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class UnsavedQuitDialog(_Dialog):
    """Quitting with events not on disk: stay (and save elsewhere), or quit and lose them.
    Dismisses with "quit", "elsewhere" or None."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Stay"), tooltip=N_("Back to the game"), id="unsaved.stay"),
    ]

    def __init__(self, detail: str, go: str = _("Quit anyway")) -> None:
        super().__init__()
        self.detail, self.go = detail, go

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(_("Events are not saved"), style="bold"))
            yield Static(Text(self.detail))
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Stay (Esc)"), id="unsaved-stay", variant="primary")
                yield Button(_("Save elsewhere"), id="unsaved-elsewhere")
                yield Button(self.go, id="unsaved-quit", variant="error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#unsaved-stay", Button).focus()

    @on(Button.Pressed, "#unsaved-stay")
    def _stay(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#unsaved-elsewhere")
    def _elsewhere(self) -> None:
        self.dismiss("elsewhere")

    @on(Button.Pressed, "#unsaved-quit")
    def _quit(self) -> None:
        self.dismiss("quit")
