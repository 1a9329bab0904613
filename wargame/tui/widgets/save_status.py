"""The board's save state, shown for as long as it is not all well: "NOT SAVED since event
N" after a failed autosave (until a write succeeds), or "READ-ONLY" for a save that is open
in another process. Hidden while every event is on disk."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from wargame.i18n import _, ngettext
from wargame.store.saves import SaveStatus


class SaveStatusChanged(Message):
    """Posted (from the autosaver's thread: posting is thread-safe) after each write."""

    def __init__(self, status: SaveStatus) -> None:
        super().__init__()
        self.status = status


def needs_showing(status: SaveStatus) -> bool:
    return status.error is not None or status.read_only is not None


def status_text(status: SaveStatus) -> Text:
    if status.unsaved and status.reason is not None:
        keys = (
            _(" · F6 save elsewhere")
            if status.read_only
            else _(" · F5 try again · F6 save elsewhere")
        )
        n = status.unsaved
        return Text.assemble(
            (
                _("NOT SAVED since event {first_unsaved}").format(
                    first_unsaved=status.first_unsaved
                ),
                "bold",
            ),
            ngettext(" ({n} event) — {reason}{keys}", " ({n} events) — {reason}{keys}", n).format(
                n=n, reason=status.reason, keys=keys
            ),
        )
    if status.read_only is not None:
        return Text.assemble(
            (_("READ-ONLY"), "bold"),
            _(" — {read_only}; what you do here is not saved · F6 save elsewhere").format(
                read_only=status.read_only
            ),
        )
    return Text.assemble(
        (_("NOT SAVED"), "bold"),
        _(" — {reason} · F5 try again · F6 save elsewhere").format(reason=status.reason),
    )


class SaveStatusBar(Static):
    DEFAULT_CSS = """
    SaveStatusBar {
        height: auto;
        padding: 0 1;
        background: $error;
        color: $text;
    }
    SaveStatusBar.-read-only {
        background: $warning;
        color: $foreground;
    }
    """

    def show(self, status: SaveStatus) -> None:
        self.display = needs_showing(status)
        self.set_class(status.read_only is not None and not status.unsaved, "-read-only")
        self.update(status_text(status))
