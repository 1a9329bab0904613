"""The AAR's meter charts as inline SVG, one per heading of the deck's meters, for the HTML page
(`htmlpage`). Every piece of text goes through `html.escape`."""

from __future__ import annotations

from functools import lru_cache
from html import escape

from wargame.aar import text as t
from wargame.aar.model import AAR, MeterInfo
from wargame.i18n import _
from wargame.model.deck import meter_groups

# Colours that stay apart on screen and paper, with dash patterns for black-and-white print.
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b"]
DASHES = ["", "6 3", "2 3", "8 3 2 3"]


def _e(text: object) -> str:
    return _escaped(text) if type(text) is str else escape(str(text), quote=True)


@lru_cache(maxsize=4096)  # titles, names and labels come back on every row
def _escaped(text: str) -> str:
    return escape(text, quote=True)


def chart(aar: AAR, meters: list[MeterInfo], title: str) -> str:
    """An SVG line chart: one polyline per meter over the trajectory points."""
    width, height = 760, 300
    left, right, top, bottom = 48, 64, 16, 40
    legend_rows = (len(meters) + 2) // 3
    total_h = height + 22 * legend_rows + 8
    lo = min(m.min for m in meters)
    hi = max(m.max for m in meters)
    points = aar.trajectory
    n = max(len(points) - 1, 1)
    pw, ph = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return round(left + pw * i / n, 1)

    def y(v: int) -> float:
        return round(top + ph * (hi - v) / (hi - lo), 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total_h}" '
        f'width="{width}" height="{total_h}" role="img" aria-label="{_e(title)}">',
        f"<title>{_e(title)}</title>",
        f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="#fbfcfd" stroke="#c8d0da"/>',
    ]
    # Band boundaries, shaded lightly, when every meter in the chart shares them.
    bands = {tuple((b.name, b.low) for b in m.bands) for m in meters}
    if len(bands) == 1:
        for name, low in next(iter(bands))[1:]:
            parts.append(
                f'<line x1="{left}" x2="{left + pw}" y1="{y(low)}" y2="{y(low)}" '
                'stroke="#9aa5b1" stroke-dasharray="2 4"/>'
            )
            parts.append(
                f'<text x="{left + pw + 4}" y="{y(low) + 3}" '
                f'font-size="10" fill="#7a8591">{_e(name)}</text>'
            )
    # Axes: y ticks every fifth of the range, x ticks at every point.
    for k in range(6):
        v = lo + (hi - lo) * k // 5
        parts.append(
            f'<line x1="{left - 4}" x2="{left}" y1="{y(v)}" y2="{y(v)}" stroke="#5a6570"/>'
            f'<text x="{left - 7}" y="{y(v) + 4}" text-anchor="end" font-size="11" '
            f'fill="#333">{v}</text>'
        )
    step = max(1, len(points) // 16)
    for i, p in enumerate(points):
        parts.append(
            f'<line x1="{x(i)}" x2="{x(i)}" y1="{top + ph}" y2="{top + ph + 4}" stroke="#5a6570"/>'
        )
        if i % step == 0 or i == len(points) - 1:
            parts.append(
                f'<text x="{x(i)}" y="{top + ph + 17}" text-anchor="middle" font-size="11" '
                f'fill="#333">{_e(t.point_label(p.label))}</text>'
            )
    parts.append(
        f'<text x="{left + pw / 2}" y="{top + ph + 33}" text-anchor="middle" font-size="11" '
        f'fill="#5a6570">{_e(_("turn"))}</text>'
    )
    for j, m in enumerate(meters):
        colour = PALETTE[j % len(PALETTE)]
        dash = DASHES[(j // len(PALETTE) + j) % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        values = aar.series(m.id)
        coords = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values))
        parts.append(
            f'<polyline class="meter" data-meter="{_e(m.id)}" points="{coords}" fill="none" '
            f'stroke="{colour}" stroke-width="2.2"{dash_attr}/>'
        )
        for i, v in enumerate(values):
            parts.append(
                f'<circle cx="{x(i)}" cy="{y(v)}" r="2.6" fill="{colour}">'
                f"<title>{_e(m.label)}, {_e(points[i].label)}: {v}</title></circle>"
            )
        lx = left + (j % 3) * (pw / 3)
        ly = height + 4 + 22 * (j // 3)
        parts.append(
            f'<line x1="{lx}" x2="{lx + 26}" y1="{ly}" y2="{ly}" stroke="{colour}" '
            f'stroke-width="3"{dash_attr}/>'
            f'<text x="{lx + 32}" y="{ly + 4}" font-size="12" fill="#1b1b1b">'
            f"{_e(m.label)} ({values[0]} → {values[-1]})</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


def charts(aar: AAR) -> str:
    """One chart per heading, the board's headings (`meter_groups`)."""
    out = []
    for title, meters in meter_groups(aar.overview.meters):
        out.append(
            f"<figure><figcaption>{_e(title)}</figcaption>\n{chart(aar, meters, title)}</figure>"
        )
    return "\n".join(out)
