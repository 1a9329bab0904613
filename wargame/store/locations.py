"""A validation location (pydantic's `loc`, a tuple of keys and indexes) as text."""

from __future__ import annotations

from collections.abc import Iterable


def loc_text(loc: Iterable[object]) -> str:
    """`("cards", 2, "options")` → `cards[2].options`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
