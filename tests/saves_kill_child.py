"""The game process that `test_saves_kill.py` kills with SIGKILL.

Plays a seeded game of a deck through `Game` + `Autosaver`, then keeps adding hot-wash
entries (a long debrief) up to `MAX_EVENTS`, and waits to be killed. After every command it
flushes the autosaver and prints the number of events now on disk, so the parent knows
what must survive the kill. `play` is shared with the parent, which builds the reference
game in-process with the same seed.

Usage: python saves_kill_child.py DECK.toml SAVE.toml SEED
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from wargame.engine import Game, Hotwash
from wargame.model.deck import Deck

MAX_EVENTS = 400
T0 = datetime(2025, 3, 1, 9, 0, 0)


def play(deck: Deck, seed: int, after: Callable[[Game], None] = lambda g: None) -> Game:
    """A deterministic game: same deck and seed, same events (time stamps included)."""
    rng = random.Random(seed)
    clock = iter(range(1_000_000))

    def at() -> str:
        return (T0 + timedelta(seconds=7 * next(clock))).isoformat()

    game = Game.start(deck, seed=seed, team_names={deck.seat_ids()[0]: "Blue ../../team"}, at=at())
    after(game)
    while not game.state.ended:
        game.draw(at=at())
        after(game)
        game.note(f"turn {game.state.turn}: briefed {game.card.title}", at=at())
        after(game)
        for seat in game.pending:
            option = rng.choice(game.card.options_for(seat))
            game.decide(
                seat, option.id, f"{seat} weighs {option.label}", seconds=rng.random() * 90, at=at()
            )
            after(game)
        game.resolve(at=at())
        after(game)
    kinds = ("strength", "improvement", "action")
    while len(game.events) < MAX_EVENTS:
        seat = rng.choice([None, *deck.seat_ids()])
        n = len(game.events)
        game.apply(Hotwash(entry=kinds[n % 3], text=f"debrief point {n}", seat=seat, at=at()))
        after(game)
    return game


def main() -> None:
    from wargame.store.decks import load_deck
    from wargame.store.saves import Autosaver

    deck = load_deck(sys.argv[1])
    path = Path(sys.argv[2])
    seed = int(sys.argv[3])
    saver = Autosaver(path, deck)

    def after(game: Game) -> None:
        if saver not in game.listeners:
            saver.attach(game)
        saver.flush()
        print(len(game.events), flush=True)

    print("ready", flush=True)
    play(deck, seed, after)
    saver.close()
    print("done", flush=True)
    while True:  # wait for the kill
        time.sleep(1)


if __name__ == "__main__":
    main()
