"""The meters board: trust, readiness and public opinion, each with its band colour, last
change, a bar that animates to new values, and a sparkline of its history."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label, Sparkline, Static

from wargame.i18n import N_, _
from wargame.model.deck import Deck, Meter
from wargame.model.game import GameState

GROUPS = [
    ("trust", N_("Trust")),
    ("readiness", N_("Readiness")),
    ("opinion", N_("Public opinion")),
    ("escalation", N_("Escalation")),
    ("other", N_("Other")),
]
BAR_SPARE = 14  # cells of the bar column kept for " 100 strained"


def short_label(meter: Meter) -> str:
    """The label without its kind's words ("US–ROK trust" → "US–ROK"): rows sit under a
    group heading that already says it."""
    words = [w for w in meter.label.split() if w.lower() not in KIND_WORDS]
    return " ".join(words) or meter.label


KIND_WORDS = {"trust", "readiness", "public", "opinion"}


def meter_history(state: GameState) -> list[dict[str, int]]:
    """Meters at the start and after each standing resolution or adjustment, oldest first.

    The undo stack holds the state before each of those, so it *is* the live history:
    undone moves are already gone from it."""
    return [p.state.meters for p in state.undo_stack] + [state.meters]


class MeterRow(Widget):
    """One meter: label, animated bar and value, band, last change, sparkline."""

    value: reactive[float] = reactive(0.0)

    def __init__(self, meter: Meter, value: int) -> None:
        # Born with its band's class: adding it once mounted would restyle the row.
        super().__init__(
            id=f"meter-{meter.id.replace('.', '_')}",
            classes=f"meter-row band-{meter.band(value)}",
        )
        self.meter = meter
        self.set_reactive(MeterRow.value, float(value))
        self.target = value
        self.delta = 0
        self.fresh = False
        self.history: list[int] = [value]

    def compose(self) -> ComposeResult:
        # Kept as attributes: an animation frame may land while the row is being removed,
        # when querying for the children would fail.
        self.bar = Static(classes="meter-bar")
        self.change = Static(classes="meter-delta")
        self.spark = Sparkline(self.history, classes="meter-spark")
        yield Label(Content(short_label(self.meter)), classes="meter-label")
        yield self.bar
        yield self.change
        yield self.spark

    def on_mount(self) -> None:
        self._paint()

    def on_unmount(self) -> None:
        self.app.animator.force_stop_animation(self, "value")

    def update_meter(self, value: int, history: list[int], animate: bool) -> None:
        """Show `value`; the last change is the latest step that moved this meter, drawn
        bold if that step is the most recent one in the game and dim if it is older."""
        self.target, self.history = value, history
        steps = [b - a for a, b in zip(history, history[1:], strict=False)]
        moved = [i for i, d in enumerate(steps) if d]
        self.delta = steps[moved[-1]] if moved else 0
        self.fresh = bool(moved) and moved[-1] == len(steps) - 1
        self.spark.data = history if len(history) > 1 else history * 2
        if animate and self.is_mounted and value != round(self.value):
            self.animate("value", float(value), duration=1.2, easing="out_cubic")
        else:
            self.value = float(value)
        self._paint()

    def watch_value(self) -> None:
        if self.is_mounted:
            self._paint()

    def on_resize(self) -> None:
        self._paint()

    def _paint(self) -> None:
        m = self.meter
        shown = round(self.value)
        band = m.band(self.target)
        # One batch: restyled once, and only if the band changed.
        self.update_classes({f"band-{name}": name == band for name, _bound in m.band_bounds()})
        if not self.is_mounted:
            return
        cells = max(4, self.bar.size.width - BAR_SPARE)
        filled = round(cells * (shown - m.min) / (m.max - m.min))
        bar = Text("█" * filled, style="bold") + Text("░" * (cells - filled), style="dim")
        self.bar.update(bar + Text(f" {shown:>3} ") + Text(_(band), style="italic"))
        d = self.delta
        self.change.update(
            Text(f"{d:+d}", style="bold" if self.fresh else "dim") if d else Text("·", "dim")
        )


class MeterPanel(Vertical):
    """Every meter of the deck, grouped by kind. The board binds `state` to its own; other
    screens tell it (`show_state`)."""

    state: reactive[GameState] = reactive(None, init=False, always_update=True)  # type: ignore[arg-type]

    def __init__(self, deck: Deck, state: GameState, **kwargs) -> None:
        super().__init__(**kwargs)
        self.deck = deck
        self.set_reactive(MeterPanel.state, state)

    def compose(self) -> ComposeResult:
        for kind, title in GROUPS:
            meters = [m for m in self.deck.meters if m.kind == kind]
            if meters:
                yield Label(Content(_(title)), classes="meter-group")
                for m in meters:
                    yield MeterRow(m, self.state.meters[m.id])

    def on_mount(self) -> None:
        self._show(animate=False)

    def watch_state(self) -> None:
        self._show(animate=True)

    def show_state(self, state: GameState, animate: bool = True) -> None:
        self.set_reactive(MeterPanel.state, state)
        self._show(animate)

    def _show(self, animate: bool) -> None:
        state = self.state
        history = meter_history(state)
        for row in self.query(MeterRow):
            mid = row.meter.id
            row.update_meter(state.meters[mid], [h[mid] for h in history], animate)
