"""AAR export: build the review and render each format for a 500-decision game, against
`json.dumps` of the same event log in the same run (the cheapest possible "export")."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_deck_load import generated_deck  # noqa: E402
from common import median_time, print_table, row  # noqa: E402

from wargame.aar.analysis import build_aar  # noqa: E402
from wargame.aar.export import FORMATS, render  # noqa: E402
from wargame.engine import Game  # noqa: E402
from wargame.store.decks import parse_deck  # noqa: E402

DECISIONS = 500


def long_game():
    """A seeded game of at least 500 decisions on a generated three-seat deck."""
    deck = parse_deck(generated_deck(cards=200), "generated.toml")
    seats = len(deck.seats)
    game = Game.start(deck, seed=7, turns=-(-DECISIONS // seats))
    rng = random.Random(7)
    cards = iter(deck.cards)
    while not game.state.ended:
        game.draw(card=next(cards).id)  # the facilitator's pick: no card's `when` can stall
        for seat in game.pending:
            option = rng.choice(game.card.options_for(seat))
            game.decide(seat, option.id, f"{seat} because {rng.random():.6f}", seconds=30.0)
        game.resolve()
    assert len(game.state.chosen) >= DECISIONS
    return deck, game.events


def measure_total() -> list[str]:
    """One row: the analysis and all four formats, against `json.dumps` of the log."""
    deck, events = long_game()
    log = [e.model_dump(mode="json") for e in events]
    base = median_time(lambda: json.dumps(log), repeat=7)

    def everything() -> list[str]:
        review = build_aar(deck, events)
        return [render(review, f) for f in FORMATS]

    total = median_time(everything, repeat=3)
    return row(
        "export (AAR + 4 formats, 500 decisions)",
        f"{total * 1e3:.0f} ms",
        f"{base * 1e3:.1f} ms",
        total / base,
        "report the ratio",
    )


def measure() -> list[list[str]]:
    deck, events = long_game()
    log = [e.model_dump(mode="json") for e in events]
    base = median_time(lambda: json.dumps(log), repeat=7)
    rows = []
    build = median_time(lambda: build_aar(deck, events), repeat=5)
    rows.append(
        row(
            "AAR analysis (500 decisions)",
            f"{build * 1e3:.0f} ms",
            f"{base * 1e3:.1f} ms",
            build / base,
            "—",
        )
    )
    aar = build_aar(deck, events)
    for fmt in FORMATS:
        t = median_time(lambda fmt=fmt: render(aar, fmt), repeat=5)
        rows.append(
            row(f"render {fmt}", f"{t * 1e3:.1f} ms", f"{base * 1e3:.1f} ms", t / base, "—")
        )

    def everything() -> list[str]:
        review = build_aar(deck, events)
        return [render(review, f) for f in FORMATS]

    total = median_time(everything, repeat=3)
    rows.append(
        row(
            "analysis + all four formats",
            f"{total * 1e3:.0f} ms",
            f"{base * 1e3:.1f} ms",
            total / base,
            "< 1 s",
        )
    )
    return rows


if __name__ == "__main__":
    print_table(measure())
