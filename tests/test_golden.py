"""Golden game (python-chess's perft idea): a recorded game of the default deck must always
draw the same cards and end with the same meters. A rule or deck change that moves these
numbers is a change to how the game plays: update the pins only on purpose."""

from __future__ import annotations

from wargame import engine
from wargame.engine import Game

SEED = 2026
# The cards the seeded draw reveals, and each seat's recorded choice on them.
RECORDED = [
    ("neo-social-media", {"US": "private-calls", "ROK": "rebuke", "JPN": "clarify"}),
    ("china-scrambles", {"US": "pass-tracks", "ROK": "solo-intercept", "JPN": "coordinate"}),
    ("exercise-routine", {"US": "criticise", "ROK": "new-date", "JPN": "bilateral-instead"}),
    ("neo-seoul-nationals", {"US": "broker", "ROK": "refuse", "JPN": "sdf-airlift"}),
    ("history-whitelist", {"US": "not-our-fight", "ROK": "mirror", "JPN": "fast-track"}),
    ("intel-gsomia-deadline", {"US": "press-seoul", "ROK": "conditional", "JPN": "seouls-call"}),
    ("intel-gsomia-renewal", {"US": "stand-aside", "ROK": "withdraw", "JPN": "on-request"}),
]
FINAL_METERS = {
    "trust.US-ROK": 39,
    "trust.US-JPN": 75,
    "trust.ROK-JPN": 2,
    "readiness.US": 54,
    "readiness.ROK": 57,
    "readiness.JPN": 59,
    "opinion.US": 59,
    "opinion.ROK": 71,
    "opinion.JPN": 47,
}


def test_golden_game_of_the_default_deck(default_deck):
    game = Game.start(default_deck, seed=SEED)
    for card, choices in RECORDED:
        game.draw()
        assert game.state.card == card
        for seat, option in choices.items():
            game.decide(seat, option, f"recorded choice for {card}")
        game.resolve()
    assert game.state.meters == FINAL_METERS
    outcome = engine.outcome(game.state)
    assert (outcome.reason, outcome.ending, outcome.turn) == ("ending", "rok-japan-rupture", 7)
    assert len(game.events) == 37
    # The GSOMIA renewal arrived as a follow-up of Seoul's conditional extension.
    drawn = [e for e in game.events if e.kind == "drawn"]
    assert [e.source for e in drawn][-1] == "followup"
    assert engine.replay(default_deck, game.events) == game.state
