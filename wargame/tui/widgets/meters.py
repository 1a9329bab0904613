"""The meters board: every meter under its deck's headings, each row with its label, a bar
that animates to new values, the value, its band in the band's colour, this turn's change
and a sparkline of its history.

One widget per row, drawn as one line of text: the board's first frame is a startup cost,
and a dozen meters of five widgets each was most of it. Columns are measured in display
cells (Korean and Japanese labels are two cells a character) and sized from the deck: the
longest label, band name and number it can show, so every row lines up."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.css.scalar import Unit
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label

from wargame.i18n import language
from wargame.model.deck import Deck, Meter, meter_groups
from wargame.model.game import GameState

# The words of a kind's heading that its rows need not repeat.
KIND_WORDS = {
    "trust": {"trust"},
    "readiness": {"readiness"},
    "opinion": {"public", "opinion"},
}
SPARKS = "▁▂▃▄▅▆▇█"
MIN_BAR = 4
MIN_SPARK = 3
MAX_SPARK = 12
MIN_LABEL = 6


def short_label(meter: Meter) -> str:
    """The label without its kind's words ("US–ROK trust" → "US–ROK") when it sits under
    its kind's heading, which already says them; a declared group's rows keep theirs."""
    drop = KIND_WORDS.get(meter.kind, set()) if meter.group is None else set()
    words = [w for w in meter.label.split() if w.lower() not in drop]
    return " ".join(words) or meter.label


def meter_history(state: GameState) -> list[dict[str, int]]:
    """Meters at the start and after each standing resolution or adjustment, oldest first.

    The undo stack holds the state before each of those, so it *is* the live history:
    undone moves are already gone from it."""
    return [p.state.meters for p in state.undo_stack] + [state.meters]


def turn_base(state: GameState) -> dict[str, int]:
    """The meters this turn's change is counted from: just before the latest standing
    resolution (adjustments since then count as this turn's too), else the start."""
    for point in reversed(state.undo_stack):
        if point.kind == "resolution":
            return point.state.meters
    return state.undo_stack[0].state.meters if state.undo_stack else state.meters


@dataclass(frozen=True, slots=True)
class Widths:
    """The deck's widest label, number, band name and change, in cells."""

    label: int
    value: int
    band: int
    delta: int
    bands: dict[str, str]  # band id -> its display name (the deck's label, or the catalog's)

    @staticmethod
    def of(deck: Deck) -> Widths:
        key = ("tui.meter-widths", language())  # the catalog may name the bands
        known = deck.memo.get(key)
        if known is None:
            ms = deck.meters
            known = deck.memo[key] = Widths(
                label=max(cell_len(short_label(m)) for m in ms),
                value=max(max(len(str(m.min)), len(str(m.max))) for m in ms),
                band=max(cell_len(deck.band_label(n)) for n in deck.band_ids()),
                delta=max(len(f"+{m.max - m.min}") for m in ms),
                bands={n: deck.band_label(n) for n in deck.band_ids()},
            )
        return known

    def columns(self, width: int) -> tuple[int, int, int]:
        """(label, bar, sparkline) cells for a row `width` wide. The value, band and change
        are always whole; then the label, beside a bar of at least four cells (cut, with an
        ellipsis, only when even that does not fit); what is left goes to the bar and, when
        there is room for one, a sparkline."""
        # label bar value band change: four single spaces between them
        rest = width - self.value - self.band - self.delta - 4
        label = max(min(self.label, rest - MIN_BAR), MIN_LABEL)
        room = rest - label  # the bar, and a space and the sparkline if they fit
        if room >= MIN_BAR + 1 + MIN_SPARK:
            spark = min(MAX_SPARK, max(MIN_SPARK, room // 3))
            return label, room - spark - 1, spark
        return label, max(room, 1), 0


def sparkline(history: list[int], cells: int) -> str:
    """`history` stretched over `cells` characters, low to high as ▁ to █."""
    if cells <= 0 or not history:
        return ""
    lo, hi = min(history), max(history)
    span = hi - lo
    out = []
    for i in range(cells):
        v = history[i * len(history) // cells]
        out.append(SPARKS[(v - lo) * (len(SPARKS) - 1) // span if span else 0])
    return "".join(out)


class MeterRow(Widget):
    """One meter, one line: label, animated bar, value, band, this turn's change, sparkline."""

    COMPONENT_CLASSES = {
        "meter-row--danger",
        "meter-row--warning",
        "meter-row--neutral",
        "meter-row--good",
        "meter-row--spark",
    }

    value: reactive[float] = reactive(0.0)

    def __init__(self, meter: Meter, value: int, widths: Widths) -> None:
        super().__init__(id=f"meter-{meter.id.replace('.', '_')}")
        self.meter = meter
        self.widths = widths
        self.label = short_label(meter)
        self.set_reactive(MeterRow.value, float(value))
        self.target = value
        self.delta = 0
        self.fresh = False
        self.history: list[int] = [value]

    def on_unmount(self) -> None:
        self.app.animator.force_stop_animation(self, "value")

    def update_meter(self, value: int, history: list[int], base: int, animate: bool) -> None:
        """Show `value`; the change is this turn's (from `base`), bold if the latest step in
        the game moved this meter."""
        self.target, self.history = value, history
        self.delta = value - base
        self.fresh = len(history) > 1 and history[-1] != history[-2]
        if animate and self.is_mounted and value != round(self.value):
            self.animate("value", float(value), duration=1.2, easing="out_cubic")
        else:
            self.value = float(value)
        self.refresh()

    def watch_value(self) -> None:
        self.refresh()

    def render(self) -> Text:
        m, w = self.meter, self.widths
        label_cells, bar_cells, spark_cells = w.columns(self.size.width)
        shown = round(self.value)
        band = m.band(self.target)
        colour = self.get_component_rich_style(f"meter-row--{m.severity(band)}", partial=True)
        filled = round(bar_cells * (shown - m.min) / (m.max - m.min))
        filled = max(0, min(bar_cells, filled))
        label = self.label
        if cell_len(label) > label_cells:
            label = set_cell_size(label, label_cells - 1) + "…"
        text = Text(set_cell_size(label, label_cells) + " ", no_wrap=True, end="")
        text.append("█" * filled, colour + Style(bold=True))
        text.append("░" * (bar_cells - filled), colour + Style(dim=True))
        text.append(f" {shown:>{w.value}} ", colour)
        text.append(set_cell_size(w.bands.get(band, band), w.band), colour + Style(italic=True))
        d = self.delta
        change = f"{d:+d}" if d else "·"
        text.append(" " + change.rjust(w.delta), Style(bold=self.fresh, dim=not d))
        if spark_cells:
            spark = self.get_component_rich_style("meter-row--spark", partial=True)
            text.append(" " + sparkline(self.history, spark_cells), spark)
        return text


class MeterPanel(Vertical):
    """Every meter of the deck under its headings (`meter_groups`). The board binds
    `state` to its own; other screens tell it (`show_state`)."""

    # When the screen is too short for every meter the panel scrolls; it then takes focus
    # (Tab) and these keys, so the keyboard reaches every meter too.
    BINDINGS = [
        Binding("up", "scroll_up", show=False),
        Binding("down", "scroll_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
    ]

    state: reactive[GameState] = reactive(None, init=False, always_update=True)  # type: ignore[arg-type]

    def __init__(self, deck: Deck, state: GameState, **kwargs) -> None:
        super().__init__(**kwargs)
        self.deck = deck
        self.set_reactive(MeterPanel.state, state)

    def on_resize(self) -> None:
        self.can_focus = self.max_scroll_y > 0

    def compose(self) -> ComposeResult:
        widths = Widths.of(self.deck)
        groups = meter_groups(self.deck.meters)
        self.rows = len(groups) + len(self.deck.meters)
        for title, meters in groups:
            yield Label(Content(title), classes="meter-group")
            for m in meters:
                yield MeterRow(m, self.state.meters[m.id], widths)

    def on_mount(self) -> None:
        # A panel told to fill what is left (the board's, `height: 1fr`) takes no more than
        # its rows and scrolls when that is too little; other screens size it themselves.
        height = self.styles.height
        if height is not None and height.unit == Unit.FRACTION:
            self.styles.max_height = self.rows + self.styles.gutter.height
        self._show(animate=False)

    def watch_state(self) -> None:
        self._show(animate=True)

    def show_state(self, state: GameState, animate: bool = True) -> None:
        self.set_reactive(MeterPanel.state, state)
        self._show(animate)

    def _show(self, animate: bool) -> None:
        state = self.state
        history = meter_history(state)
        base = turn_base(state)
        for row in self.query(MeterRow):
            mid = row.meter.id
            row.update_meter(state.meters[mid], [h[mid] for h in history], base[mid], animate)
