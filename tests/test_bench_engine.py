"""The engine benchmark's plain-dict baseline plays the very games the engine plays (same
cards drawn, same final meters), so its ratio compares the same work: every turn, draw,
choice, condition, effect, flag, cost, red-cell move, ending and phase of a full game."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from wargame.model.deck import Deck
from wargame.store.decks import load_deck

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))

import bench_engine  # noqa: E402

from .conftest import DATA  # noqa: E402


@pytest.mark.parametrize("name", ["default_deck", "mini_deck", "crisis"])
def test_the_baseline_plays_the_engines_games(name, request):
    deck = load_deck(DATA / "crisis.toml") if name == "crisis" else request.getfixturevalue(name)
    bench_engine.check_same_games(deck, 60)


def test_the_check_catches_a_baseline_that_skips_the_red_cell(default_deck: Deck, monkeypatch):
    tables = bench_engine._Tables
    init = tables.__init__

    def without_red_cell(self, deck):
        init(self, deck)
        self.red_cell = []

    monkeypatch.setattr(tables, "__init__", without_red_cell)
    with pytest.raises(AssertionError):
        bench_engine.check_same_games(default_deck, 60)


def test_the_benchmark_games_log_what_the_engine_logged_before_it_was_sped_up():
    """The event logs of 60 benchmark games of the schema-2 test deck (phases, flags, a
    resource, red cell), after their start (whose deck hash follows the deck schema), as
    the engine of commit d0f79f5 wrote them: a speed-up may change no event."""
    deck = load_deck(DATA / "crisis.toml")
    digest = hashlib.sha256()
    for seed in range(60):
        for ev in bench_engine.engine_game(deck, seed).events[1:]:
            digest.update(ev.model_dump_json().encode())
    assert digest.hexdigest() == "ca40834a84df8220d404c7d3fb5ff351eeb77a9aba80400d760f872769db5cd5"
