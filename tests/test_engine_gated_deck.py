"""A valid deck whose every card is gated off (`weight = 0` or `when = "false"`): the game
ends cleanly as the deck ran out, in the engine, `play --headless` and `simulate`
(issue 13; both commands died with DeckExhausted)."""

from __future__ import annotations

import json
import tomllib

import pytest
import tomli_w

from wargame.author.simulate import simulate
from wargame.cli import main
from wargame.engine import Game, replay
from wargame.store.decks import parse_deck

from .conftest import DATA

MINI = (DATA / "mini.toml").read_text()


def gated(text: str, field: str, value: object) -> str:
    """The mini deck with every card's draw gated off by `field = value`."""
    data = tomllib.loads(text)
    for card in data["cards"]:
        card[field] = value
    return tomli_w.dumps(data)


@pytest.fixture(params=[("weight", 0), ("when", "false")], ids=["weight-0", "when-false"])
def deck_text(request) -> str:
    return gated(MINI, *request.param)


def test_the_deck_is_valid_and_a_draw_ends_the_game(deck_text):
    deck = parse_deck(deck_text)
    game = Game.start(deck, seed=1)
    (ended,) = game.draw()
    assert ended.kind == "ended" and ended.reason == "deck"
    out = game.state.outcome
    assert out is not None and out.title == "The deck is exhausted" and out.turn == 1
    assert replay(deck, game.events) == game.state


def test_the_facilitator_may_still_pick_a_card(deck_text):
    game = Game.start(parse_deck(deck_text), seed=1)
    game.draw("neo")
    assert game.state.card == "neo"


def test_play_headless_ends_cleanly(deck_text, tmp_path, capsys):
    path = tmp_path / "gated.toml"
    path.write_text(deck_text, "utf-8")
    assert main(["play", "--deck", str(path), "--headless", "--seed", "3"]) == 0
    out = capsys.readouterr()
    assert "Ended on turn 1: The deck is exhausted. No card is left that can be drawn." in out.out
    assert "Traceback" not in out.err


def test_simulate_ends_every_game_cleanly(deck_text, tmp_path, capsys):
    report = simulate(parse_deck(deck_text), games=20, policy="random", seed=1, jobs=1)
    assert [(o["reason"], o["games"]) for o in report["outcomes"]] == [("deck", 20)]
    path = tmp_path / "gated.toml"
    path.write_text(deck_text, "utf-8")
    assert main(["simulate", str(path), "--games", "10", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["outcomes"][0]["outcome"] == "(deck exhausted)"
    assert data["cards"] and all(c["drawn"] == 0 for c in data["cards"].values())
