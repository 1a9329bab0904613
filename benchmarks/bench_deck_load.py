"""Deck load: parse + validate + check a generated 1,000-card deck, against `tomllib.loads`
of the same text in the same run."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from common import median_time, print_table, row  # noqa: E402

from wargame.store.decks import parse_deck  # noqa: E402

SEATS = ("US", "ROK", "JPN")
METERS = [f"trust.{a}-{b}" for a, b in (("US", "ROK"), ("US", "JPN"), ("ROK", "JPN"))] + [
    f"{kind}.{s}" for kind in ("readiness", "opinion") for s in SEATS
]


def generated_deck(cards: int = 1000) -> str:
    out = ["schema = 1", "", "[deck]", 'id = "generated"', 'title = "Generated"', "turns = 8", ""]
    for s in SEATS:
        out += ["[[seats]]", f'id = "{s}"', f'name = "{s} team"', ""]
    for m in METERS:
        kind = m.split(".")[0]
        out += ["[[meters]]", f'id = "{m}"', f'label = "{m}"', f'kind = "{kind}"', "start = 50", ""]
    for i in range(cards):
        out += [
            "[[cards]]",
            f'id = "card-{i}"',
            f'title = "Card {i}"',
            'category = "neo"',
            f'when = "turn >= {1 + i % 4} and trust.ROK-JPN < 90"',
            f'briefing = "Briefing for card {i}."',
            'questions = ["What now?"]',
            "",
        ]
        for s in SEATS:
            for j in range(3):
                a, b = METERS[(i + j) % 9], METERS[(i + j + 4) % 9]
                out += [
                    "[[cards.options]]",
                    f'seat = "{s}"',
                    f'id = "opt-{j}"',
                    f'label = "Option {j}"',
                    f'effects = {{ "{a}" = {j + 1}, "{b}" = -{3 - j} }}',
                    "",
                ]
        out += [
            "[[cards.joint]]",
            "when = \"US == 'opt-0' and ROK == 'opt-1'\"",
            'effects = { "trust.US-ROK" = 3 }',
            'explain = "Together"',
            "",
        ]
    return "\n".join(out)


def measure(repeat: int = 5) -> list[str]:
    text = generated_deck()
    ours = median_time(lambda: parse_deck(text, "generated.toml"), repeat=repeat)
    base = median_time(lambda: tomllib.loads(text), repeat=repeat)
    return row(
        "deck load (1,000 cards)",
        f"{ours * 1e3:.0f} ms",
        f"{base * 1e3:.0f} ms",
        ours / base,
        "≤ 2×",
        ours / base <= 2,
    )


if __name__ == "__main__":
    print_table([measure()])
