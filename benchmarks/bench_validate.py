"""Validate and lint of a generated 10,000-card deck: a valid one, and one with an error on
every card (a prompt for an unknown seat), timed as `wargame validate` and
`wargame lint` spend them (parse, validate, check, place every problem on its line).

    .venv/bin/python benchmarks/bench_validate.py              # 10,000 cards
    .venv/bin/python benchmarks/bench_validate.py 1000 4000 10000  # scaling, per card
"""

from __future__ import annotations

import gc
import sys
import time
import tomllib as stdlib_toml
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_deck_load import METERS, SEATS  # noqa: E402
from common import print_table, row  # noqa: E402

from wargame.author.lint import lint_text  # noqa: E402
from wargame.store.decks import DeckError, parse_deck  # noqa: E402

TARGET_S = 5.0


def generated_deck(cards: int = 10_000) -> str:
    """A valid deck of `cards` cards, written compactly (options as inline tables) so that
    10,000 cards fit the 8 MiB file limit: three seats, nine meters, two options a seat;
    no facilitator notes or sources, so the lint has two warnings a card to place."""
    out = [*_head(), *(line for i in range(cards) for line in _card(i))]
    return "\n".join(out) + "\n"


def _head() -> list[str]:
    head = ["schema = 1", "", "[deck]", 'id = "generated"', 'title = "Generated"', "turns = 8"]
    for s in SEATS:
        head += ["", "[[seats]]", f'id = "{s}"', f'name = "{s} team"']
    for m in METERS:
        kind = m.split(".")[0]
        head += ["", "[[meters]]", f'id = "{m}"', f'label = "{m}"', f'kind = "{kind}"']
        head.append("start = 50")
    return head


def _card(i: int) -> list[str]:
    lines = ["", "[[cards]]", f'id = "card-{i}"', f'title = "Card {i}"', 'category = "neo"']
    lines += [f'when = "turn >= {1 + i % 4} and trust.ROK-JPN < {10 + i % 90}"']
    lines += [f'briefing = "Briefing for card {i}."', 'questions = ["What now?"]']
    lines.append("options = [")
    for s in SEATS:
        for j in range(2):
            meter = METERS[(i + j) % 9]
            lines.append(
                f'  {{ seat = "{s}", id = "o{j}", label = "Option {j}", '
                f'effects = {{ "{meter}" = 1 }} }},'
            )
    lines.append("]")
    lines.append(
        "joint = [{ when = \"US == 'o0' and ROK == 'o1'\", "
        'effects = { "trust.US-ROK" = 3 }, explain = "Together" }]'
    )
    return lines


def broken_deck(cards: int = 10_000) -> str:
    """`generated_deck` with a prompt for an unknown seat on every card."""
    text = generated_deck(cards)
    return text.replace("questions = [", 'prompts = { NOSEAT = "Who?" }\nquestions = [')


def _validate(text: str) -> int:
    try:
        parse_deck(text, "generated.toml")
    except DeckError as exc:
        return len(str(exc).splitlines())
    return 0


def _cpu_and_wall(fn) -> tuple[float, float]:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(cards: int = 10_000) -> list[list[str]]:
    """Rows: validate of the valid deck, of the broken deck, and lint of the valid deck,
    each against the standard library's `tomllib.loads` of the same text in the same run
    (the ratio holds on a loaded machine; so does CPU time, more than wall-clock time)."""
    good, bad = generated_deck(cards), broken_deck(cards)
    rows = []
    for name, text, fn in (
        (f"validate ({cards:,} cards, valid)", good, lambda: _validate(good)),
        (f"validate ({cards:,} cards, an error each)", bad, lambda: _validate(bad)),
        (f"lint ({cards:,} cards)", good, lambda: lint_text(good, "generated.toml")),
    ):
        base, _ = _cpu_and_wall(lambda text=text: stdlib_toml.loads(text))
        wall, cpu = _cpu_and_wall(fn)
        rows.append(
            row(
                name,
                f"{wall:.2f} s (cpu {cpu:.2f} s, {cpu / cards * 1e6:.0f} µs/card)",
                f"{base:.2f} s tomllib",
                wall / base,
                f"≤ {TARGET_S:.0f} s",
                wall <= TARGET_S,
            )
        )
    return rows


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [10_000]
    rows = []
    for n in sizes:
        rows += measure(n)
        print_table(rows[-3:])
        print(flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
