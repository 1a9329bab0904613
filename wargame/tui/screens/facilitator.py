"""The White Cell: the facilitator's panel and its small dialogs. Each dialog returns what
was entered; the game screen turns it into an engine command (and so an event)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.validation import Integer
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from wargame.i18n import N_, _
from wargame.model.deck import Deck
from wargame.model.game import GameState
from wargame.tui.actions import BY_NAME
from wargame.tui.widgets.footer import Footer

PANEL = ["adjust", "choose", "skip", "undo", "note", "pause", "extend", "end_game"]


class FacilitatorScreen(ModalScreen[str | None]):
    """Every White Cell control, with its key; only legal ones can be pressed."""

    BINDINGS = [
        Binding(
            "escape,f", "close", N_("Close"), tooltip=N_("Back to the board"), id="panel.close"
        ),
        *[
            Binding(
                BY_NAME[n].key,
                f"run('{n}')",
                BY_NAME[n].title,
                show=False,
                tooltip=BY_NAME[n].tooltip,
                id=f"panel.{n}",
            )
            for n in PANEL
        ],
    ]

    def __init__(self, legal: dict[str, bool], status: str, notes: str = "") -> None:
        super().__init__()
        self.legal, self.status, self.notes = legal, status, notes.strip()

    def compose(self) -> ComposeResult:
        with Vertical(id="panel-box"):
            yield Label(Text(_("White Cell — facilitator controls"), style="bold"))
            yield Static(Content(self.status), id="panel-status")
            if self.notes:
                # The deck author's notes on the card on the table, for the facilitator only.
                notes = VerticalScroll(Static(Content(self.notes)), id="panel-notes")
                notes.border_title = _("Facilitator's notes")
                yield notes
            with Grid(id="panel-buttons"):
                for name in PANEL:
                    action = BY_NAME[name]
                    key = "+" if action.key == "plus" else action.key
                    # Content, not markup: "[s]" would otherwise strike the label through.
                    yield Button(
                        Content(f"[{key}] {action.title}"),
                        id=f"panel-{name}",
                        disabled=not self.legal[name],
                        tooltip=action.tooltip,
                        compact=True,
                    )
        yield Footer()

    def action_run(self, name: str) -> None:
        if self.legal.get(name):
            self.dismiss(name)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("panel-"))

    def action_close(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class Adjustment:
    meter: str
    delta: int
    reason: str


class _Dialog(ModalScreen):
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            N_("Cancel"),
            tooltip=N_("Close without changes"),
            id="dialog.cancel",
        )
    ]

    def action_cancel(self) -> None:
        self.dismiss(None)


class AdjustDialog(_Dialog):
    """Adjust a meter by hand: which, by how much, and why (required)."""

    def __init__(self, deck: Deck, state: GameState) -> None:
        super().__init__()
        self.deck, self.state = deck, state

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(_("Adjust a meter"), style="bold"))
            yield Select(
                [
                    (Content(f"{m.label} ({self.state.meters[m.id]})"), m.id)
                    for m in self.deck.meters
                ],
                prompt=_("Meter"),
                id="adjust-meter",
                allow_blank=False,
            )
            yield Input(
                placeholder=_("Change, e.g. -5 or 8"),
                id="adjust-delta",
                validators=[Integer()],
                type="integer",
            )
            yield Input(
                placeholder=_("Reason (required; recorded in the after-action review)"),
                id="adjust-reason",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Apply"), id="adjust-apply", variant="primary")
                yield Button(_("Cancel"), id="adjust-cancel")
        yield Footer()

    @on(Input.Submitted)
    @on(Button.Pressed, "#adjust-apply")
    def _apply(self) -> None:
        delta_text = self.query_one("#adjust-delta", Input).value.strip()
        reason = self.query_one("#adjust-reason", Input).value.strip()
        try:
            delta = int(delta_text)
        except ValueError:
            self.notify(_("Enter the change as a whole number, e.g. -5."), severity="warning")
            self.query_one("#adjust-delta", Input).focus()
            return
        if not reason:
            self.notify(_("An adjustment needs a reason."), severity="warning")
            self.query_one("#adjust-reason", Input).focus()
            return
        meter = self.query_one("#adjust-meter", Select).value
        self.dismiss(Adjustment(str(meter), delta, reason))

    @on(Button.Pressed, "#adjust-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class TextDialog(_Dialog):
    """One line of text: a note, a reason to skip or to end."""

    def __init__(self, title: str, placeholder: str, required: bool = True) -> None:
        super().__init__()
        self.title_text, self.placeholder, self.required = title, placeholder, required

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.title_text, style="bold"))
            yield Input(placeholder=self.placeholder, id="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("OK"), id="dialog-ok", variant="primary")
                yield Button(_("Cancel"), id="dialog-cancel")
        yield Footer()

    @on(Input.Submitted)
    @on(Button.Pressed, "#dialog-ok")
    def _ok(self) -> None:
        text = self.query_one(Input).value.strip()
        if self.required and not text:
            self.notify(_("Please write something first."), severity="warning")
            return
        self.dismiss(text)

    @on(Button.Pressed, "#dialog-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(_Dialog):
    """Yes or no to a step that is hard to take back; Enter confirms, Escape cancels."""

    BINDINGS = [
        Binding("enter", "yes", N_("Yes"), tooltip=N_("Go ahead"), id="confirm.yes"),
        Binding(
            "escape", "cancel", N_("No"), tooltip=N_("Leave things as they are"), id="confirm.no"
        ),
    ]

    def __init__(self, question: str, detail: str) -> None:
        super().__init__()
        self.question, self.detail = question, detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.question, style="bold"))
            yield Static(Content(self.detail))
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Yes (Enter)"), id="confirm-yes", variant="warning")
                yield Button(_("No (Esc)"), id="confirm-no")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#confirm-yes", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(None)


class ChooseCardDialog(_Dialog):
    """Pick the next inject yourself: any card not yet used this game."""

    def __init__(self, deck: Deck, state: GameState) -> None:
        super().__init__()
        self.deck, self.state = deck, state

    def compose(self) -> ComposeResult:
        queue = self.state.queue
        # Queued follow-ups first, in the order the deck would draw them: they are what the
        # story set up, and what a facilitator most often wants next.
        unused = [self.deck.card(c) for c in queue if c not in self.state.used] + [
            c for c in self.deck.cards if c.id not in self.state.used and c.id not in queue
        ]
        with Vertical(classes="dialog"):
            yield Label(Text(_("Choose the next inject"), style="bold"))
            yield OptionList(
                *[
                    Option(
                        Content(
                            f"[{self.deck.category_label(c.category)}] {c.title}"
                            + (_(" (queued follow-up)") if c.id in queue else "")
                        ),
                        id=c.id,
                    )
                    for c in unused
                ],
                id="choose-cards",
            )
        yield Footer()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id))
