"""Simulator: games of the default deck per second (random policy, report included), on one
process and with --jobs 2, against a hand-written loop doing the same meter arithmetic on
plain dicts in the same run."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_engine import baseline_games as baseline_seconds  # noqa: E402
from common import print_table, row  # noqa: E402

from wargame.author.simulate import simulate  # noqa: E402
from wargame.model.deck import Deck  # noqa: E402
from wargame.store.decks import find_deck  # noqa: E402


def simulator_seconds(deck: Deck, games: int, jobs: int) -> float:
    """Seconds for `wargame simulate --json` minus the printing (workers started included)."""
    start = time.perf_counter()
    simulate(deck, games=games, policy="random", seed=1, jobs=jobs)
    return time.perf_counter() - start


def measure(games: int, rounds: int) -> list[list[str]]:
    deck, _ = find_deck(None)
    simulator_seconds(deck, 50, 1)  # warm up imports and caches
    one = min(simulator_seconds(deck, games, 1) for _ in range(rounds))
    two = min(simulator_seconds(deck, games, 2) for _ in range(rounds))
    base = min(baseline_seconds(deck, games) for _ in range(rounds))
    baseline = f"{games / base:,.0f} games/s"
    return [
        row(
            "simulate, 1 process",
            f"{games / one:,.0f} games/s",
            baseline,
            one / base,
            "report the ratio",
        ),
        row(
            "simulate, --jobs 2",
            f"{games / two:,.0f} games/s",
            baseline,
            two / base,
            f"{one / two:.2f}× the 1-process rate",
        ),
        row(
            "10,000 games, --jobs 2 (projected)",
            f"{10_000 * two / games:.1f} s",
            f"{10_000 * base / games:.2f} s",
            two / base,
            "reasonable on 2 cores",
        ),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--games", type=int, default=2000, help="games per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="best of this many rounds")
    args = parser.parse_args()
    print(f"{args.games} games per round, best of {args.rounds}")
    print_table(measure(args.games, args.rounds))
