"""Validate and lint of a generated 10,000-card deck: a valid one, and one with an error on
every card (a prompt for an unknown seat), timed as `wargame validate` and
`wargame lint` spend them (parse, validate, check, place every problem on its line).

    .venv/bin/python benchmarks/bench_validate.py              # 10,000 cards
    .venv/bin/python benchmarks/bench_validate.py 1000 4000 10000  # scaling, per card
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_deck_load import generated_deck  # noqa: E402
from common import print_table, row  # noqa: E402

from wargame.author.lint import lint_text  # noqa: E402
from wargame.store.decks import DeckError, parse_deck  # noqa: E402

TARGET_S = 5.0


def broken_deck(cards: int) -> str:
    """`generated_deck` with a prompt for an unknown seat on every card."""
    text = generated_deck(cards)
    return text.replace("questions = [", 'prompts = { NOSEAT = "Who?" }\nquestions = [')


def _validate(text: str) -> int:
    try:
        parse_deck(text, "generated.toml")
    except DeckError as exc:
        return len(str(exc).splitlines())
    return 0


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def measure(cards: int = 10_000) -> list[list[str]]:
    """Rows: validate of the valid deck, of the broken deck, and lint of the valid deck."""
    good, bad = generated_deck(cards), broken_deck(cards)
    rows = []
    for name, fn in (
        (f"validate ({cards:,} cards, valid)", lambda: _validate(good)),
        (f"validate ({cards:,} cards, an error each)", lambda: _validate(bad)),
        (f"lint ({cards:,} cards)", lambda: len(lint_text(good, "generated.toml")[1])),
    ):
        seconds, _ = _timed(fn)
        per = seconds / cards * 1e6
        rows.append(
            row(name, f"{seconds:.2f} s", f"{per:.0f} µs/card", 0.0, "≤ 5 s", seconds <= TARGET_S)
        )
    return rows


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [10_000]
    rows = []
    for n in sizes:
        rows += measure(n)
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
