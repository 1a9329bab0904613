"""Help: the game loop and every key."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from wargame.i18n import N_, _
from wargame.tui.actions import GAME_ACTIONS
from wargame.tui.widgets.footer import Footer

LOOP = N_("""\
# How a turn goes

1. **Reveal** — the facilitator reveals an inject card (Enter, or `d`; `c` to choose one).
   Read the briefing to the room.
2. **Decide** — each team decides in private (hot-seat: a hand-off screen between teams) or
   announces its choice for the facilitator to enter (open mode). Pick an option with its
   number key (another number changes it), then just type the rationale the after-action
   review will quote, and confirm with Ctrl+S. Enter or Tab also moves to the rationale.
   Esc goes back without deciding and keeps what was typed as a draft, even over a quit:
   that team finds it again on its own decision screen.
3. **Resolve** — all choices are revealed at once and applied together. Every meter change is
   explained. Discuss the card's questions.
4. **Adjudicate** — the White Cell (`f`) may adjust a meter with a reason, undo, skip or pick
   the next card, add notes, pause or extend the timer, or end the game.

The game ends after the last turn, when no card is left, or when an ending fires. Then come
the hot wash and the after-action review. Every step is saved as it happens.
""")


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding(
            "escape,question_mark,f1,q",
            "close",
            N_("Close"),
            tooltip=N_("Close help"),
            id="help.close",
        )
    ]

    def compose(self) -> ComposeResult:
        keys = Table(title=_("Keys on the board"), title_justify="left", expand=True)
        keys.add_column(_("Key"), style="bold", no_wrap=True)
        keys.add_column(_("Action"), no_wrap=True)
        keys.add_column(_("What it does"))
        for a in GAME_ACTIONS:
            keys.add_row(a.key.replace("question_mark", "?"), _(a.title), _(a.tooltip))
        keys.add_row(
            "ctrl+p", _("Command palette"), _("Every action that is possible now, by name")
        )
        keys.add_row("F1", _("Help"), _("This screen"))
        keys.add_row(
            "ctrl+q",
            _("Quit"),
            _("Leave at any point: every step is saved; resume from the launcher"),
        )
        with VerticalScroll(id="help-box"):
            yield Markdown(_(LOOP))
            yield Static(keys)
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
