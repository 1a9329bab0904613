"""Golden game (python-chess's perft idea): a recorded game of the default deck must always
draw the same cards and end with the same meters. A rule or deck change that moves these
numbers is a change to how the game plays: update the pins only on purpose."""

from __future__ import annotations

from wargame import engine
from wargame.engine import Game

SEED = 2026
# The cards the seeded draw reveals, and each seat's recorded choice on them (the last option
# each seat had open).
RECORDED = [
    ("exercise-buddy-squadron", {"US": "full-tempo", "ROK": "as-planned", "JPN": "decline"}),
    ("china-scrambles", {"US": "relay-calls", "ROK": "solo-intercept", "JPN": "selective"}),
    ("dprk-deal", {"US": "brief-and-talk", "ROK": "joint-position", "JPN": "join-seoul"}),
    ("intel-link16-cop", {"US": "us-hub", "ROK": "us-link-only", "JPN": "filtered-feed"}),
    ("neo-artillery-alert", {"US": "phased", "ROK": "runway-priority", "JPN": "nationals-first"}),
    (
        "force-flow-unc-rear",
        {"US": "move-now", "ROK": "us-forces-only", "JPN": "attach-conditions"},
    ),
    ("force-flow-1950", {"US": "consult-then-fly", "ROK": "ask-tokyo-too", "JPN": "diet-first"}),
    ("exercise-opcon", {"US": "certify", "ROK": "through-unc", "JPN": "wait-and-see"}),
]
# The scenario phase after each turn.
PHASES = [
    "friction",
    "provocation",
    "provocation",
    "crisis",
    "crisis",
    "crisis",
    "aftermath",
    "aftermath",
]
FINAL_METERS = {
    "trust.US-ROK": 86,
    "trust.US-JPN": 39,
    "trust.ROK-JPN": 19,
    "readiness.US": 56,
    "readiness.ROK": 51,
    "readiness.JPN": 57,
    "opinion.US": 53,
    "opinion.ROK": 56,
    "opinion.JPN": 60,
    "escalation": 30,
}


def test_golden_game_of_the_default_deck(default_deck):
    game = Game.start(default_deck, seed=SEED)
    phases = []
    for card, choices in RECORDED:
        game.draw()
        assert game.state.card == card
        for seat, option in choices.items():
            game.decide(seat, option, f"recorded choice for {card}")
        game.resolve()
        phases.append(game.state.scenario_phase)
    assert phases == PHASES
    assert game.state.meters == FINAL_METERS
    assert game.state.flags == ("reinforced",)  # Seoul's runway priority let the surge land
    assert sorted(game.state.fired) == [
        "china-probes-seam",
        "north-deterred",
        "north-guns",
        "north-reads-division",
        "north-salvo",
    ]
    outcome = engine.outcome(game.state)
    assert (outcome.reason, outcome.ending, outcome.turn) == ("turns", None, 8)
    assert len(game.events) == 53
    # China's probe of the seam after turn 1 arrived as the follow-up drawn on turn 2.
    drawn = [e for e in game.events if e.kind == "drawn"]
    assert [e.source for e in drawn][1] == "followup"
    assert engine.replay(default_deck, game.events) == game.state
