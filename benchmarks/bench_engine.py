"""Engine: whole games of the default deck per second with random choices, one process,
against a hand-written loop doing the same meter arithmetic on plain dicts in the same run."""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from common import print_table, row  # noqa: E402

from wargame.engine import Continue, Game, crisis  # noqa: E402
from wargame.model.deck import Deck  # noqa: E402
from wargame.store.decks import find_deck  # noqa: E402


def engine_games(deck: Deck, games: int) -> float:
    """Seconds for `games` full games through the real engine (events, checks and all):
    random choices among the options open now, playing on past checkpoints."""
    start = time.perf_counter()
    for seed in range(games):
        rng = random.Random(seed)
        game = Game.start(deck, seed=seed)
        while not game.state.ended:
            if game.state.checkpoint is not None:
                game.apply(Continue())
                continue
            game.draw()
            card = game.card
            for seat in game.pending:
                game.decide(seat, rng.choice(crisis.open_options(deck, game.state, card, seat)).id)
            game.resolve()
    return time.perf_counter() - start


def baseline_games(deck: Deck, games: int) -> float:
    """Seconds for the same number of turns of bare arithmetic: draw, choose, sum, clamp."""
    cards = [
        [[dict(o.effects) for o in c.options_for(s)] for s in deck.seat_ids()]
        for c in deck.cards
        if not c.followup_only
    ]
    bounds = {m.id: (m.min, m.max) for m in deck.meters}
    starts = {m.id: m.start for m in deck.meters}
    turns = deck.deck.turns
    start = time.perf_counter()
    for seed in range(games):
        rng = random.Random(seed)
        meters = dict(starts)
        pool = list(range(len(cards)))
        for _ in range(turns):
            card = cards[pool.pop(rng.randrange(len(pool)))]
            totals: dict[str, int] = {}
            for seat_options in card:
                for meter, delta in rng.choice(seat_options).items():
                    totals[meter] = totals.get(meter, 0) + delta
            for meter, delta in totals.items():
                low, high = bounds[meter]
                meters[meter] = min(high, max(low, meters[meter] + delta))
    return time.perf_counter() - start


def measure(games: int = 2000) -> list[str]:
    deck, _ = find_deck(None)
    engine_games(deck, 50)  # warm up
    ours = min(engine_games(deck, games) for _ in range(3))
    base = min(baseline_games(deck, games) for _ in range(3))
    return row(
        "engine (games/s, 1 process)",
        f"{games / ours:,.0f} games/s",
        f"{games / base:,.0f} games/s",
        ours / base,
        "≥ 2,000 games/s, ≤ 3×",
        games / ours >= 2000 and ours / base <= 3,
    )


def measure_crisis(games: int = 2000) -> list[str]:
    """The same on tests/data/crisis.toml: phases, flags, a resource, red-cell rules."""
    from wargame.store.decks import load_deck

    deck = load_deck(Path(__file__).parent.parent / "tests" / "data" / "crisis.toml")
    engine_games(deck, 50)
    ours = min(engine_games(deck, games) for _ in range(3))
    base = min(baseline_games(deck, games) for _ in range(3))
    return row(
        "engine, schema-2 deck (games/s)",
        f"{games / ours:,.0f} games/s",
        f"{games / base:,.0f} games/s",
        ours / base,
        "≥ 2,000 games/s, ≤ 3×",
        games / ours >= 2000 and ours / base <= 3,
    )


if __name__ == "__main__":
    print_table([measure(), measure_crisis()])
