"""Shared fixtures: the test decks and a helper that plays a game through the engine."""

from __future__ import annotations

import random
import sys
import types
from pathlib import Path

import pytest

from wargame.engine import Game
from wargame.model.deck import Deck
from wargame.store.decks import find_deck, load_deck

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def mini_deck() -> Deck:
    return load_deck(DATA / "mini.toml")


@pytest.fixture(scope="session")
def default_deck() -> Deck:
    return find_deck(None)[0]


def play_random(deck: Deck, seed: int, rationale: str = "", **start) -> Game:
    """A whole game with seeded random choices, entered through the engine only."""
    game = Game.start(deck, seed=seed, **start)
    rng = random.Random(seed)
    while not game.state.ended:
        game.draw()
        for seat in game.pending:
            option = rng.choice(game.card.options_for(seat))
            game.decide(seat, option.id, rationale or f"{seat} picks {option.id}")
        game.resolve()
    return game


@pytest.fixture
def fake_tui(monkeypatch):
    """Stand in for the Textual app: record how a command would open it."""
    calls = []
    module = types.ModuleType("wargame.tui.app")
    module.run_app = lambda **kw: calls.append(kw) or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "wargame.tui.app", module)
    return calls
