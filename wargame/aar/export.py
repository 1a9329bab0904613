"""Exports of the AAR: Markdown, HTML, JSON and CSV — and writing them to disk.

Same save in, same bytes out: nothing reads the clock, every list has a fixed order, and
JSON keys are sorted."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic_core import PydanticSerializationError
from pydantic_core import to_json as to_json_bytes

from wargame.aar.analysis import build_aar
from wargame.aar.htmlpage import to_html
from wargame.aar.markdown import to_markdown
from wargame.aar.model import AAR
from wargame.i18n import _, using
from wargame.model.deck import Deck
from wargame.model.game import Event

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _sorted_tree(value: Any, floats: set[float]) -> Any:
    """`value` (JSON data: a dict or list) with every dict's keys in order, and its floats
    collected. Leaves are handled in the loop: a call per leaf was most of the time."""
    if type(value) is dict:
        out = {}
        for k in sorted(value):
            v = value[k]
            kind = type(v)
            if kind is dict or kind is list:
                v = _sorted_tree(v, floats)
            elif kind is float:
                floats.add(v)
            out[k] = v
        return out
    items = []
    for v in value:
        kind = type(v)
        if kind is dict or kind is list:
            v = _sorted_tree(v, floats)
        elif kind is float:
            floats.add(v)
        items.append(v)
    return items


def to_json(aar: AAR) -> str:
    """Sorted keys, two-space indent: the bytes of `json.dumps(data, sort_keys=True,
    indent=2, ensure_ascii=False)`. With an indent, `json` uses its pure-Python encoder
    (most of an export's time), so pydantic-core's writes the sorted data instead, where it
    writes every float as `json` would (else, or on any doubt, `json` does it all)."""
    data = aar.model_dump(mode="json")
    floats: set[float] = set()
    try:
        tree = _sorted_tree(data, floats)
        if all(to_json_bytes(f).decode() == json.dumps(f) for f in floats):
            return to_json_bytes(tree, indent=2).decode() + "\n"
    except (TypeError, ValueError, PydanticSerializationError):
        pass  # a key that is not a string, a lone surrogate, ...
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def inert_cell(text: str) -> str:
    """A text cell a spreadsheet will show, not evaluate: a leading ' before formula starts."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


CSV_HEAD = [
    "turn",
    "card",
    "card_title",
    "category",
    "seat",
    "option",
    "option_label",
    "dimension",
    "rationale",
    "seconds",
]


def to_csv(aar: AAR) -> str:
    """One row per standing decision; the meter columns hold the net change of every meter
    in the resolution the decision was part of (and, for a deck with private briefings, a
    last column holds the seat's)."""
    meters = [m.id for m in aar.overview.meters]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    # Schema 2: each seat's private briefing on the card, when any card had them.
    private = {(c.turn, c.card, b.seat): b.text for c in aar.private_briefings for b in c.briefings}
    extra = ["private_briefing"] if private else []
    writer.writerow([*CSV_HEAD, *(f"delta:{m}" for m in meters), *extra])
    for d in aar.decisions:
        texts = [
            d.card,
            d.card_title,
            d.category,
            d.seat,
            d.option,
            d.option_label,
            d.dimension,
            d.rationale,
        ]
        seconds = "" if d.seconds is None else repr(d.seconds)
        writer.writerow(
            [
                d.turn,
                *(inert_cell(x) for x in texts),
                seconds,
                *(d.meter_deltas[m] for m in meters),
                *([inert_cell(private.get((d.turn, d.card, d.seat), ""))] if private else []),
            ]
        )
    return buf.getvalue()


FORMATS: dict[str, Callable[[AAR], str]] = {
    "md": to_markdown,
    "html": to_html,
    "json": to_json,
    "csv": to_csv,
}
SUFFIXES = {"md": ".aar.md", "html": ".aar.html", "json": ".aar.json", "csv": ".aar.csv"}


def render(aar: AAR, fmt: str, language: str | None = None) -> str:
    """`aar` as `fmt`, its headings and labels in `language` (None: the one in use; the
    AAR's own text, such as timeline summaries, is in the language it was built in)."""
    if fmt not in FORMATS:
        raise ValueError(
            _("unknown export format {fmt!r}; use one of {names}").format(
                fmt=fmt, names=", ".join(FORMATS)
            )
        )
    with using(language):
        return FORMATS[fmt](aar)


def export(deck: Deck, events: Sequence[Event], fmt: str, language: str | None = None) -> str:
    """The AAR of a game as `fmt`, all of it in `language` (None: the one in use)."""
    with using(language):
        return render(build_aar(deck, events), fmt)


def default_path(save: Path | None, fmt: str, deck_id: str = "game") -> Path:
    """Where an export goes when no path is given: beside the save, else in the cwd."""
    if save is not None:
        return save.with_name(save.stem + SUFFIXES[fmt])
    return Path.cwd() / f"{deck_id}{SUFFIXES[fmt]}"


class ExportError(ValueError):
    """An export that could not be written: the file and the problem, on one line."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


def write_export(text: str, path: Path) -> None:
    """Write atomically (temporary file, fsync, replace), so a failed export never leaves
    half a file where a good one was. A symlink is written through; a FIFO or a device is
    refused, never replaced by a regular file."""
    from wargame.store.atomic import atomic_write
    from wargame.store.files import why

    path = Path(path)
    try:
        if path.is_dir():
            raise ExportError(path, _("is a folder; give a file name"))
        atomic_write(path, text.encode("utf-8"), backup=False)
    except OSError as exc:  # a FIFO or device (never replaced), a name too long, ...
        raise ExportError(path, _("cannot be written ({why})").format(why=why(exc))) from None
