"""The deck format's field types and limits: ids, one-line and multi-line text, numbers.

Every limit is generous (no real deck comes near it) and documented in `decks/README.md`;
each exists so that hostile or broken input gets a one-line refusal instead of a crash,
a flood of output, or text that rewrites a terminal or a report."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

# Text: at most this many characters in one field. Titles and labels are shorter still.
MAX_TEXT = 20_000
MAX_TITLE = 200
MAX_NAME = 80
MAX_EXPLAIN = 300
# Numbers: meter bounds, starts, bands and effects stay within ±MAX_VALUE.
MAX_VALUE = 1_000_000_000

# C0 and C1 control characters and DEL; multi-line text may hold tab, newline and CR.
ONE_LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$"
MULTI_LINE_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"

Id = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_]*(?:[.\-][A-Za-z0-9_]+)*$",
        max_length=64,
        description="Letters, digits, '_', and single '.' or '-' between them",
    ),
]
# Multi-line text: briefings, notes, questions, sources.
Text = Annotated[str, Field(max_length=MAX_TEXT, pattern=MULTI_LINE_PATTERN)]


# One line of text (titles, labels, names, explanations): no control characters at all.
Title = Annotated[str, Field(min_length=1, max_length=MAX_TITLE, pattern=ONE_LINE_PATTERN)]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME, pattern=ONE_LINE_PATTERN)]
Explain = Annotated[str, Field(min_length=1, max_length=MAX_EXPLAIN, pattern=ONE_LINE_PATTERN)]
OptionalExplain = Annotated[str, Field(max_length=MAX_EXPLAIN, pattern=ONE_LINE_PATTERN)]
Value = Annotated[int, Field(ge=-MAX_VALUE, le=MAX_VALUE)]

# What a pattern above means, for error messages (pydantic would quote the pattern).
PATTERN_MEANINGS = {
    ONE_LINE_PATTERN: "one line of text, without control characters",
    MULTI_LINE_PATTERN: "text without control characters (tab and newline are allowed)",
}
