"""The JSON export's bytes are `json.dumps(..., sort_keys=True, indent=2,
ensure_ascii=False)` of the review's data, whichever encoder writes them: awkward text and
floats included, and a lone surrogate (which pydantic-core refuses) too."""

from __future__ import annotations

import json

import pytest

from wargame.aar.analysis import build_aar
from wargame.aar.export import to_json
from wargame.engine import Game

NASTY = 'quote " back \\ tab \t nl \n cr \r bell \x07 del \x7f ls \u2028 한국어 日本語 😀'


def reference(aar) -> str:
    data = aar.model_dump(mode="json")
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize(
    "seconds", [30.0, 0.1, 41.533333333333335, 1e-05, 0.0001, 1e15, 1e16, 1.5e17, 0.0]
)
def test_json_export_is_jsons_bytes(mini_deck, seconds):
    game = Game.start(mini_deck, seed=1, at="2026-03-01T09:00:00+09:00")
    while not game.state.ended:
        game.draw(at="2026-03-01T09:01:00+09:00")
        for seat in game.pending:
            option = game.card.options_for(seat)[0]
            game.decide(seat, option.id, NASTY, seconds=seconds)
        game.resolve(at="2026-03-01T09:07:30+09:00")
    aar = build_aar(mini_deck, game.events)
    assert to_json(aar) == reference(aar)
    assert json.loads(to_json(aar))["decisions"][0]["rationale"] == NASTY


def test_a_lone_surrogate_falls_back_to_json(mini_deck):
    game = Game.start(mini_deck, seed=1)
    game.draw()
    seat = game.pending[0]
    game.decide(seat, game.card.options_for(seat)[0].id, "half a pair \ud800 here")
    aar = build_aar(mini_deck, game.events)
    assert to_json(aar) == reference(aar)
