"""Golden games of the schema-2 test deck: the seeded draw (phase pools, and the objective
rule reaching outside the pool), every schema-2 event in order, the final flags, phase,
resources and meters, and the private briefings the AAR reconciles. A change that moves
these is a change to how the game plays: update the pins only on purpose."""

from __future__ import annotations

from wargame.aar.analysis import build_aar
from wargame.engine import Game
from wargame.store.decks import load_deck

from .conftest import DATA

RECORDED = [
    ("court", {"ROK": "enforce", "JPN": "retaliate"}),
    ("seam", {"ROK": "scramble", "JPN": "scramble"}),
    ("drills", {"ROK": "answer", "JPN": "support"}),
    ("launch", {"ROK": "via-us", "JPN": "intercept"}),
    ("review", {"ROK": "joint-review", "JPN": "accept"}),
]
KINDS = [
    "started",
    "drawn",
    "decided",
    "decided",
    "resolved",
    "flag",
    "redcell",
    "flag",
    "drawn",
    "decided",
    "decided",
    "resolved",
    "phase",
    "drawn",
    "decided",
    "decided",
    "resolved",
    "redcell",
    "drawn",
    "decided",
    "decided",
    "resolved",
    "spent",
    "phase",
    "drawn",
    "decided",
    "decided",
    "resolved",
    "ended",
]


def play(seed: int, recorded) -> Game:
    game = Game.start(load_deck(DATA / "crisis.toml"), seed=seed)
    for card, choices in recorded:
        game.draw()
        assert game.state.card == card
        for seat, option in choices.items():
            game.decide(seat, option, f"recorded choice for {card}")
        game.resolve()
    return game


def test_golden_game_of_the_crisis_deck():
    game = play(2026, RECORDED)
    state = game.state
    assert [e.kind for e in game.events] == KINDS
    assert state.meters == {"trust.ROK-JPN": 30, "opinion.ROK": 67, "escalation": 45}
    assert state.flags == ("gsomia-lapsed", "seam-probed")
    assert state.fired == {"china-probe": 1, "north-escalates": 3}
    assert state.scenario_phase == "aftermath"
    assert state.resources == {"interceptors": 0}
    assert state.outcome is not None and state.outcome.reason == "turns"
    (private,) = build_aar(game.deck, game.events).private_briefings
    assert [(b.seat, b.option) for b in private.briefings] == [
        ("ROK", "enforce"),
        ("JPN", "retaliate"),
    ]


def test_golden_draw_reaches_outside_the_phase_for_a_missing_objective():
    # The court is the only card exercising "direct"; on the last turn, in the aftermath,
    # the draw takes it although it is not in the aftermath's pool.
    recorded = [
        ("textbook", {"ROK": "protest", "JPN": "defend"}),
        ("seam", {"ROK": "scramble", "JPN": "scramble"}),
        ("launch", {"ROK": "share", "JPN": "intercept"}),
        ("drills", {"ROK": "answer", "JPN": "support"}),
        ("court", {"ROK": "enforce", "JPN": "retaliate"}),
    ]
    game = play(7, recorded)
    assert game.state.scenario_phase == "aftermath"
    assert game.state.played[-1] == "court"
