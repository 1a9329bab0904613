"""The hot-wash dialog: the facilitator records a strength, an area for improvement or a
recommended action, optionally tied to a seat, card or objective. It returns a
`wargame.engine.Hotwash` command (the caller applies it), or None when cancelled.

Enter an area for improvement first and then its recommended action: the improvement
plan pairs each action with the area entered just before it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, RadioButton, RadioSet, Select, TextArea
from textual.widgets.select import NoSelection

from wargame.engine import Hotwash
from wargame.i18n import N_, _
from wargame.model.deck import Deck
from wargame.model.game import HotwashKind
from wargame.tui.widgets.footer import Footer

KINDS: list[tuple[HotwashKind, str]] = [
    ("strength", N_("Strength")),
    ("improvement", N_("Area for improvement")),
    ("action", N_("Recommended action")),
]


def _value(select: Select) -> str | None:
    return None if isinstance(select.value, NoSelection) else str(select.value)


class HotwashScreen(ModalScreen[Hotwash | None]):
    """Record one hot-wash entry."""

    CSS_PATH = "../aar.tcss"
    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            N_("Save entry"),
            tooltip=N_("Record this hot-wash entry"),
            id="hotwash.save",
            priority=True,
        ),
        Binding(
            "escape",
            "cancel",
            N_("Cancel"),
            tooltip=N_("Close without recording"),
            id="hotwash.cancel",
        ),
    ]

    def __init__(self, deck: Deck, kind: HotwashKind = "strength") -> None:
        super().__init__()
        self.deck = deck
        self.kind: HotwashKind = kind

    def compose(self) -> ComposeResult:
        # Scrolls: at 80×24 the ties and the buttons are below the fold.
        with VerticalScroll(id="hotwash-dialog"):
            yield Label(_("Hot wash"), id="hotwash-title")
            yield Label(_("What kind of entry?"))
            with RadioSet(id="hotwash-kind"):
                for kind, label in KINDS:
                    yield RadioButton(_(label), value=kind == self.kind, name=kind)
            yield Label(_("What did the room observe? (Ctrl+S saves)"))
            yield TextArea(id="hotwash-text", soft_wrap=True, tab_behavior="focus")
            yield Label(_("Tied to (optional)"))
            with Horizontal(id="hotwash-ties"):
                yield Select(
                    [(Text(f"{s.id} — {s.name}"), s.id) for s in self.deck.seats],
                    prompt=_("No seat"),
                    id="hotwash-seat",
                    tooltip=_("The seat this entry is about (and responsible for an action)"),
                )
                yield Select(
                    [(Text(c.title), c.id) for c in self.deck.cards],
                    prompt=_("No card"),
                    id="hotwash-card",
                    tooltip=_("The inject card this entry is about"),
                )
                yield Select(
                    [(Text(o.text), o.id) for o in self.deck.deck.objectives],
                    prompt=_("No objective"),
                    id="hotwash-objective",
                    tooltip=_("The exercise objective this entry is about"),
                    disabled=not self.deck.deck.objectives,
                )
            with Horizontal(id="hotwash-buttons"):
                yield Button(_("Cancel"), id="hotwash-cancel", tooltip=_("Close without recording"))
                yield Button(
                    _("Save"), id="hotwash-save", variant="primary", tooltip=_("Record this entry")
                )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#hotwash-text", TextArea).focus()

    @on(RadioSet.Changed, "#hotwash-kind")
    def _kind(self, event: RadioSet.Changed) -> None:
        self.kind = event.pressed.name  # type: ignore[assignment]

    @on(Button.Pressed, "#hotwash-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#hotwash-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def command(self) -> Hotwash | None:
        """The entry as a command, or None (with a notice) if it has no text."""
        text = self.query_one("#hotwash-text", TextArea).text.strip()
        if not text:
            self.notify(_("Write what the room observed first."), severity="warning")
            return None
        return Hotwash(
            entry=self.kind,
            text=text,
            seat=_value(self.query_one("#hotwash-seat", Select)),
            card=_value(self.query_one("#hotwash-card", Select)),
            objective=_value(self.query_one("#hotwash-objective", Select)),
            at=datetime.now(UTC).isoformat(timespec="seconds"),
        )

    def action_save(self) -> None:
        cmd = self.command()
        if cmd is not None:
            self.dismiss(cmd)

    def action_cancel(self) -> None:
        self.dismiss(None)
