"""The board's Teams panel: who has decided, never what. It scrolls when a deck has more
seats than fit, so the meters above it keep their room and no seat is cut off."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

NAME_CELLS = 22  # names are padded to this many cells, so the marks line up


def padded_name(name: str, cells: int = NAME_CELLS) -> Text:
    """A seat's name padded by display cells (never cut: a longer name wraps)."""
    return Text(name + " " * max(1, cells + 1 - cell_len(name)))


class SeatsPanel(VerticalScroll):
    """A scrolling frame around the `#seats` text the board (and the remote boards) fill."""

    def __init__(self) -> None:
        super().__init__(id="seats-panel", can_focus=False)

    def compose(self) -> ComposeResult:
        yield Static(id="seats")
