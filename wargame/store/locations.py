"""A validation location (pydantic's `loc`, a tuple of keys and indexes) as text."""

from __future__ import annotations

import re
from collections.abc import Iterable

# A key shown as it is; anything else (odd characters, control characters that would reach
# the terminal, a key of a thousand characters) is shown quoted, escaped and cut short.
_PLAIN = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")


def loc_text(loc: Iterable[object]) -> str:
    """`("cards", 2, "options")` → `cards[2].options`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        key = str(part)
        if not _PLAIN.match(key):
            key = repr(key if len(key) <= 40 else key[:39] + "…")
        out += f".{key}" if out else key
    return out
