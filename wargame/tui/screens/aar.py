"""The after-action review screen: the timeline with filters, the meters over the game,
the turning points, the breakdowns, and an export of the four report formats.

All content comes from `wargame.aar.build_aar(deck, events)`; this screen only shows it.
"""

from __future__ import annotations

from pathlib import Path

from rich import box
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import (
    DataTable,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.select import NoSelection

from wargame.aar import text as t
from wargame.aar.analysis import build_aar
from wargame.aar.export import FORMATS, ExportError, default_path, render, write_export
from wargame.aar.model import AAR, DIMENSIONS, TimelineEntry
from wargame.i18n import N_, _
from wargame.model.deck import Deck
from wargame.model.game import Event
from wargame.tui.widgets.footer import Footer

KIND_LABELS = {
    "started": N_("start"),
    "drawn": N_("card"),
    "skipped": N_("skip"),
    "decided": N_("decision"),
    "resolved": N_("resolution"),
    "adjudicated": N_("adjudication"),
    "undone": N_("undo"),
    "note": N_("note"),
    "timer": N_("timer"),
    "hotwash": N_("hot wash"),
    "ended": N_("end"),
    "phase": N_("phase"),
    "flag": N_("flag"),
    "spent": N_("spent"),
    "redcell": N_("red cell"),
    "checkpoint": N_("checkpoint"),
    "continued": N_("continue"),
}


def _selected(value: object) -> str | None:
    return None if isinstance(value, NoSelection) else str(value)


def matches(
    e: TimelineEntry, seat: str | None, category: str | None, dimension: str | None
) -> bool:
    """Whether a timeline entry passes the screen's filters (None lets everything by)."""
    return (
        (seat is None or e.seat == seat)
        and (category is None or e.category == category)
        and (dimension is None or e.dimension == dimension)
    )


_BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # [row][col]


def braille_plot(values: list[int], lo: int, hi: int, width: int, height: int) -> list[str]:
    """A line through `values` on a fixed lo..hi scale, drawn in braille (2×4 dots a cell),
    so a small move looks small: the rows of text, top first."""
    cols, rows = max(width, 1) * 2, max(height, 1) * 4
    dots = [[False] * cols for _ in range(rows)]
    n = len(values)

    def row_of(v: float) -> int:
        frac = (v - lo) / (hi - lo) if hi > lo else 0.5
        return rows - 1 - round(min(max(frac, 0.0), 1.0) * (rows - 1))

    prev = None
    for x in range(cols):
        pos = x * (n - 1) / (cols - 1) if n > 1 and cols > 1 else 0
        i = min(int(pos), n - 2) if n > 1 else 0
        v = values[i] + (values[i + 1] - values[i]) * (pos - i) if n > 1 else values[0]
        y = row_of(v)
        top, bottom = (y, y) if prev is None else (min(prev, y), max(prev, y))
        for yy in range(top, bottom + 1):
            dots[yy][x] = True
        prev = y
    lines = []
    for cy in range(height):
        chars = []
        for cx in range(width):
            bits = 0
            for r in range(4):
                for c in range(2):
                    if dots[cy * 4 + r][cx * 2 + c]:
                        bits |= _BRAILLE_BITS[r][c]
            chars.append(chr(0x2800 + bits))
        lines.append("".join(chars))
    return lines


class MeterChart(Widget):
    """One meter over the game as a line on the meter's own scale (min at the bottom)."""

    DEFAULT_CSS = """
    MeterChart { height: 4; }
    """
    COMPONENT_CLASSES = {"meter-chart--line", "meter-chart--axis"}

    def __init__(self, values: list[int], lo: int, hi: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.values = values
        self.lo, self.hi = lo, hi

    def render(self) -> Text:
        width = max(self.size.width - 5, 1)
        lines = braille_plot(self.values, self.lo, self.hi, width, max(self.size.height, 1))
        line_style = self.get_component_rich_style("meter-chart--line")
        axis_style = self.get_component_rich_style("meter-chart--axis")
        out = Text()
        for i, row in enumerate(lines):
            label = str(self.hi) if i == 0 else (str(self.lo) if i == len(lines) - 1 else "")
            out.append(f"{label:>4}▕", style=axis_style)
            out.append(row, style=line_style)
            if i < len(lines) - 1:
                out.append("\n")
        return out


class AARScreen(Screen):
    """The after-action review of one game."""

    CSS_PATH = "../aar.tcss"
    # The timeline, not the tab strip: arrow keys go through the entries at once.
    AUTO_FOCUS = "#timeline"
    BINDINGS = [
        Binding(
            "e",
            "export",
            N_("Export"),
            tooltip=N_("Write the review as Markdown, HTML, JSON and CSV beside the save"),
            id="aar.export",
        ),
        Binding(
            "escape",
            "close",
            N_("Back"),
            tooltip=N_("Leave the after-action review"),
            id="aar.close",
        ),
        Binding(
            "c",
            "clear_filters",
            N_("Clear filters"),
            tooltip=N_("Show every timeline entry again"),
            id="aar.clear_filters",
        ),
    ]

    seat_filter: reactive[str | None] = reactive(None)
    category_filter: reactive[str | None] = reactive(None)
    dimension_filter: reactive[str | None] = reactive(None)

    def __init__(self, deck: Deck, events: list[Event], save_path: Path | None = None) -> None:
        super().__init__()
        self.deck = deck
        self.events = list(events)
        self.save_path = save_path
        self.aar: AAR = build_aar(deck, self.events)
        self.exported: list[Path] = []

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        o = self.aar.overview
        yield Static(
            _(
                "[b]After-action review[/b] — {esc}   [dim]{turns_played} of {turns_planned} "
                "turns · {decisions} decisions · {esc2}[/dim]"
            ).format(
                esc=_esc(o.deck_title),
                turns_played=o.turns_played,
                turns_planned=o.turns_planned,
                decisions=o.decisions,
                esc2=_esc(t.ending_line(self.aar)),
            ),
            id="aar-title",
        )
        with TabbedContent(id="aar-tabs"):
            with TabPane(_("Timeline"), id="tab-timeline"):
                with Horizontal(id="aar-filters"):
                    yield Select(
                        [(Text(f"{s.id} — {s.name}"), s.id) for s in o.seats],
                        prompt=_("All seats"),
                        id="filter-seat",
                        tooltip=_("Show only one seat's decisions"),
                    )
                    categories = sorted({c.category for c in self.deck.cards})
                    yield Select(
                        [(Text(self.deck.category_label(c)), c) for c in categories],
                        prompt=_("All categories"),
                        id="filter-category",
                        tooltip=_("Show only cards of one category"),
                    )
                    yield Select(
                        [(_(d), d) for d in DIMENSIONS],
                        prompt=_("All dimensions"),
                        id="filter-dimension",
                        tooltip=_("Show only decisions in one interoperability dimension"),
                    )
                    yield Label("", id="filter-count")
                yield DataTable(id="timeline", cursor_type="row", zebra_stripes=True)
                yield Static("", id="timeline-detail")
            with TabPane(_("Meters"), id="tab-meters"), VerticalScroll(id="meter-charts"):
                for m in o.meters:
                    series = self.aar.series(m.id)
                    with Horizontal(classes="meter-row"):
                        yield Label(Text(m.label), classes="meter-label")
                        yield MeterChart(
                            series, m.min, m.max, classes="meter-chart", id=f"chart-{_wid(m.id)}"
                        )
                        change = t.signed(series[-1] - series[0])
                        yield Label(
                            Text(
                                f"{series[0]} → {series[-1]} ({change})"
                                f"  {_(m.start_band)} → {_(m.final_band)}"
                            ),
                            classes="meter-values",
                        )
                yield DataTable(id="trajectory", cursor_type="row", zebra_stripes=True)
            with TabPane(_("Turning points"), id="tab-turning"), VerticalScroll():
                # A table that wraps, not a DataTable: at 80 columns a DataTable would push
                # "Caused by" off the right edge; here every column stays in view and wraps.
                yield Static(self._turning(), id="turning")
            with TabPane(_("Analysis"), id="tab-analysis"), VerticalScroll():
                # Tables that wrap, as the turning points: nothing pushed off the edge.
                yield Label(_("By seat"), classes="section")
                yield Static(self._by_seat(), id="by-seat")
                yield Label(_("By interoperability dimension"), classes="section")
                yield Static(self._by_dimension(), id="by-dimension")
                yield Label(_("Discussion questions"), classes="section")
                yield Static(self._questions(), id="questions")
                yield Label(_("Hot wash"), classes="section")
                yield Static(self._hotwash(), id="hotwash")
            if self.aar.private_briefings or self.aar.private_objectives:
                from wargame.tui.widgets.crisis import aar_private

                with TabPane(_("Private"), id="tab-private"), VerticalScroll():
                    yield Static(aar_private(self.aar), id="aar-private")
        yield Footer()

    def on_mount(self) -> None:
        self._fill_timeline()
        self._fill_trajectory()

    # --- tables -------------------------------------------------------------------------

    def visible_entries(self) -> list[TimelineEntry]:
        return [
            e
            for e in self.aar.timeline
            if matches(e, self.seat_filter, self.category_filter, self.dimension_filter)
        ]

    def _fill_timeline(self) -> None:
        table = self.query_one("#timeline", DataTable)
        if not table.columns:
            table.add_columns(
                _("Turn"), _("What"), _("Seat"), _("Card"), _("Dim."), _("Time"), _("Detail")
            )
        table.clear()
        shown = self.visible_entries()
        for e in shown:
            style = "dim strike" if e.status != "live" else ""
            detail = e.summary
            if e.kind == "decided" and e.rationale:
                detail += " — " + " ⏎ ".join(t.normalise_newlines(e.rationale).split("\n"))
            if e.status != "live":
                detail = f"({e.status}) {detail}"
            table.add_row(
                *_cells(
                    str(e.turn),
                    _(KIND_LABELS[e.kind]),
                    e.seat or "",
                    e.card_title or "",
                    _(e.dimension) if e.dimension else "",
                    t.seconds(e.seconds) if e.kind == "decided" else "",
                ),
                Text(detail, style=style),
                key=str(e.seq),
            )
        count = self.query_one("#filter-count", Label)
        count.update(
            _("{count} of {count2} entries").format(count=len(shown), count2=len(self.aar.timeline))
        )
        self._show_detail(shown[0] if shown else None)

    def _fill_trajectory(self) -> None:
        table = self.query_one("#trajectory", DataTable)
        table.add_columns(_("Meter"), *(t.point_label(p.label) for p in self.aar.trajectory))
        for m in self.aar.overview.meters:
            table.add_row(*_cells(m.label, *(str(v) for v in self.aar.series(m.id))), key=m.id)

    def _turning(self) -> Table | Text:
        if not self.aar.turning_points:
            return Text(_("No meter moved enough to be a turning point."), style="dim")
        table = _wrapping_table(
            (_("Turn"), None),
            (_("Card"), 2),
            (_("Meter"), 2),
            (_("Change"), 2),
            (_("Caused by"), 4),
            leading=1,
        )
        for tp in self.aar.turning_points:
            band = f"{tp.band_before} → {tp.band_after}" if tp.crossed_band else tp.band_after
            table.add_row(
                *_cells(
                    str(tp.turn),
                    tp.card_title or tp.label,
                    tp.meter_label,
                    f"{tp.before} → {tp.after} ({t.signed(tp.delta)})\n{band}",
                    "\n".join(t.cause_text(c, self.aar) for c in tp.causes),
                )
            )
        return table

    def _by_seat(self) -> Table:
        labels = {m.id: m.label for m in self.aar.overview.meters}
        table = _wrapping_table(
            (_("Seat"), 2),
            (_("Decisions"), None),
            (_("Human"), None),
            (_("Procedural"), None),
            (_("Technical"), None),
            (_("Mean time"), None),
            (_("Net effect"), 3),
        )
        for s in self.aar.by_seat:
            table.add_row(
                *_cells(
                    f"{s.seat} — {s.name}",
                    str(s.decisions),
                    *(str(s.dimensions[d]) for d in DIMENSIONS),
                    t.seconds(s.seconds_mean),
                    ", ".join(f"{labels[k]} {t.signed(v)}" for k, v in s.meter_effects.items())
                    or _("none"),
                )
            )
        return table

    def _by_dimension(self) -> Table:
        labels = {m.id: m.label for m in self.aar.overview.meters}
        table = _wrapping_table(
            (_("Dimension"), None), (_("Decisions"), None), (_("By seat"), 2), (_("Net effect"), 3)
        )
        for d in self.aar.by_dimension:
            table.add_row(
                *_cells(
                    _(d.dimension),
                    str(d.decisions),
                    ", ".join(f"{k} {v}" for k, v in d.by_seat.items()),
                    ", ".join(f"{labels[k]} {t.signed(v)}" for k, v in d.meter_effects.items())
                    or _("not exercised"),
                )
            )
        return table

    def _questions(self) -> Text:
        if not self.aar.questions:
            return Text(_("The cards played raise no discussion questions."), style="dim")
        return Text("\n").join(
            Text(
                _("Turn {turn}, {card_title}: {text}").format(
                    turn=q.turn, card_title=q.card_title, text=q.text
                )
            )
            for q in self.aar.questions
        )

    def _hotwash(self) -> Text:
        if not self.aar.hotwash:
            return Text(_("No hot-wash entries yet."), style="dim")
        lines = []
        for h in self.aar.hotwash:
            tie = t.ties(h, self.aar)
            lines.append(
                Text.assemble(
                    (f"{_(t.ENTRY_TITLES[h.entry])}: ", "bold"),
                    h.text,
                    (f"  ({tie})" if tie else "", "dim"),
                )
            )
        return Text("\n").join(lines)

    def _show_detail(self, e: TimelineEntry | None) -> None:
        detail = self.query_one("#timeline-detail", Static)
        if e is None:
            detail.update(Text(_("No entry matches these filters."), style="dim"))
            return
        parts = [Text(e.summary, style="bold")]
        if e.rationale:
            parts.append(Text.assemble((_("Rationale: "), "bold"), e.rationale))
        for ch in e.changes:
            parts.append(
                Text(f"  {t.signed(ch.delta)} {ch.meter_label} — {t.change_text(ch, self.aar)}")
            )
        if e.status != "live":
            parts.append(Text(_("This entry is {status}.").format(status=e.status), style="italic"))
        detail.update(Text("\n").join(parts))

    # --- events and actions -------------------------------------------------------------

    @on(Select.Changed, "#filter-seat")
    def _seat(self, event: Select.Changed) -> None:
        self.seat_filter = _selected(event.value)

    @on(Select.Changed, "#filter-category")
    def _category(self, event: Select.Changed) -> None:
        self.category_filter = _selected(event.value)

    @on(Select.Changed, "#filter-dimension")
    def _dimension(self, event: Select.Changed) -> None:
        self.dimension_filter = _selected(event.value)

    def _refilter(self) -> None:
        if self.is_mounted:
            self._fill_timeline()

    def watch_seat_filter(self) -> None:
        self._refilter()

    def watch_category_filter(self) -> None:
        self._refilter()

    def watch_dimension_filter(self) -> None:
        self._refilter()

    @on(DataTable.RowHighlighted, "#timeline")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        seq = int(event.row_key.value or 0)
        entry = next((e for e in self.aar.timeline if e.seq == seq), None)
        self._show_detail(entry)

    def action_clear_filters(self) -> None:
        for sel in self.query(Select):
            sel.clear()

    def action_close(self) -> None:
        self.dismiss()

    def action_export(self) -> None:
        """Write all four formats beside the save (or in the current folder)."""
        written: list[Path] = []
        for fmt in FORMATS:
            path = default_path(self.save_path, fmt, self.aar.overview.deck_id)
            try:
                write_export(render(self.aar, fmt), path)
            except ExportError as exc:
                self.notify(str(exc), title=_("Export failed"), severity="error")
                return
            written.append(path)
        self.exported = written
        folder = written[0].parent
        names = ", ".join(p.name for p in written)
        self.notify(
            _("{names}\nin {folder}").format(names=names, folder=folder),
            title=_("After-action review exported"),
        )


def _wrapping_table(*columns: tuple[str, int | None], leading: int = 0) -> Table:
    """A table as wide as its place whose text columns (those with a ratio) share the room
    and wrap, folding long words (Japanese has no spaces); the others keep their width."""
    table = Table(expand=True, box=box.SIMPLE_HEAD, leading=leading)
    for heading, ratio in columns:
        if ratio is None:
            table.add_column(heading, no_wrap=True)
        else:
            table.add_column(heading, ratio=ratio, overflow="fold")
    return table


def _cells(*cells: str) -> list[Text]:
    """Table cells as plain Text: deck and player text is never read as markup."""
    return [Text(c) for c in cells]


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _wid(meter: str) -> str:
    """A widget id from a meter id ('.' is not allowed in ids)."""
    return meter.replace(".", "-")
