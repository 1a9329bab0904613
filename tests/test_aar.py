"""The AAR analysis: built from (deck, events) alone, and always agreeing with a replay."""

from __future__ import annotations

import contextlib
import random
import subprocess
import sys

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import play_random
from wargame.aar.analysis import build_aar
from wargame.aar.model import aar_json_schema
from wargame.engine import Game, Hotwash, fold
from wargame.model.game import Adjudicated, DecisionMade, TurnResolved

T0 = "2025-03-01T09:00:00+09:00"


def stamp(minute: int) -> str:
    return f"2025-03-01T{9 + minute // 60:02d}:{minute % 60:02d}:00+09:00"


def _check_against_replay(deck, events) -> None:
    """The invariants every AAR keeps, whatever happened in the game."""
    aar = build_aar(deck, events)
    state = fold(deck, events)
    # Standing decisions are exactly the engine's resolved choices, in order.
    assert [(d.seat, d.option) for d in aar.decisions] == list(state.chosen)
    assert aar.overview.decisions == len(state.chosen)
    assert aar.overview.turns_played == len(state.played)
    # The trajectory ends at the final state and each turn's point matches a replay to it.
    assert aar.trajectory[-1].values == state.meters
    assert aar.trajectory[0].values == {m.id: m.start for m in deck.meters}
    by_seq = {e.seq: i for i, e in enumerate(events)}
    for point in aar.trajectory[1:]:
        assert point.seq is not None
        assert fold(deck, events[: by_seq[point.seq] + 1]).meters == point.values
    for m in aar.overview.meters:
        assert m.final == state.meters[m.id]
    # Every decision event shows in the timeline exactly once.
    decided = [e for e in events if isinstance(e, DecisionMade)]
    timeline = [e for e in aar.timeline if e.kind == "decided"]
    assert [e.seq for e in timeline] == [d.seq for d in decided]
    assert sum(e.status == "live" for e in timeline) == len(state.chosen)
    # The JSON validates against the published schema.
    jsonschema.validate(aar.model_dump(mode="json"), aar_json_schema())


@pytest.mark.parametrize("seed", range(6))
def test_random_games_agree_with_replay(mini_deck, seed):
    game = play_random(mini_deck, seed)
    _check_against_replay(mini_deck, game.events)
    aar = build_aar(mini_deck, game.events)
    assert aar.overview.ending is not None
    assert all(d.rationale for d in aar.decisions)


def test_undo_supersedes_decisions_and_moves(mini_deck):
    g = Game.start(mini_deck, seed=2, at=stamp(0))
    g.draw(card="neo", at=stamp(1))
    g.decide("ROK", "go-alone", "first thoughts", seconds=30, at=stamp(2))
    g.decide("JPN", "sdf-airlift", "fly them out", seconds=45, at=stamp(3))
    first = g.resolve(at=stamp(4))[0]
    g.adjudicate("opinion.ROK", "press leak", delta=-7, at=stamp(5))
    g.undo(at=stamp(6))  # the adjudication
    g.undo(at=stamp(7))  # the resolution: the card is back on the table
    g.decide("ROK", "joint-cell", "second thoughts", seconds=20, at=stamp(8))
    g.decide("JPN", "sdf-airlift", "still fly", seconds=10, at=stamp(9))
    g.resolve(at=stamp(10))
    g.note("the cell works", at=stamp(11))
    aar = build_aar(mini_deck, g.events)
    _check_against_replay(mini_deck, g.events)

    assert [(d.seat, d.option, d.rationale) for d in aar.decisions] == [
        ("ROK", "joint-cell", "second thoughts"),
        ("JPN", "sdf-airlift", "still fly"),
    ]
    status = {e.rationale: e.status for e in aar.timeline if e.kind == "decided"}
    assert status == {
        "first thoughts": "undone",
        "fly them out": "undone",
        "second thoughts": "live",
        "still fly": "live",
    }
    undone = {e.seq for e in aar.timeline if e.status == "undone"}
    assert first.seq in undone
    adj = next(e for e in g.events if isinstance(e, Adjudicated))
    assert adj.seq in undone
    assert aar.overview.adjudications == 0 and aar.overview.undos == 2
    # The joint rule fired in the standing resolution: trust 35 + 5 - 10 + 12.
    assert aar.trajectory[-1].values["trust.ROK-JPN"] == 42
    assert aar.overview.date == "2025-03-01"
    assert aar.overview.duration_seconds == 11 * 60
    assert aar.decisions[0].seconds == 20


def test_skipped_and_unresolved_decisions(mini_deck):
    g = Game.start(mini_deck, seed=1)
    g.draw(card="missile")
    g.decide("ROK", "share", "tell them")
    g.skip(reason="out of time")
    g.draw(card="neo")
    g.decide("JPN", "charter", "civil flights")
    g.end(reason="room booked")
    aar = build_aar(mini_deck, g.events)
    _check_against_replay(mini_deck, g.events)
    status = {e.rationale: e.status for e in aar.timeline if e.kind == "decided"}
    assert status == {"tell them": "skipped", "civil flights": "unresolved"}
    assert [(s.card, s.reason) for s in aar.skipped] == [("missile", "out of time")]
    assert aar.decisions == []
    assert aar.overview.ending is not None and aar.overview.ending.reason == "facilitator"
    assert aar.questions == []  # the only card with questions was never resolved


def test_adjudication_after_last_resolution_adds_an_end_point(mini_deck):
    g = Game.start(mini_deck, seed=4)
    g.draw(card="radar")
    g.decide("ROK", "deny", "")
    g.decide("JPN", "quiet", "")
    g.resolve()
    g.adjudicate("trust.ROK-JPN", "summit", value=60)
    g.end()
    aar = build_aar(mini_deck, g.events)
    _check_against_replay(mini_deck, g.events)
    assert [p.label for p in aar.trajectory] == ["start", "turn 1", "end"]
    tp = [t for t in aar.turning_points if t.label == "end"]
    assert tp and tp[0].causes[0].kind == "adjudication"
    assert tp[0].causes[0].explain == "summit"
    assert tp[0].crossed_band  # 31 (strained) -> 60 (steady)


def test_turning_points_name_their_decisions(mini_deck):
    g = Game.start(mini_deck, seed=0)
    g.draw(card="neo")
    g.decide("ROK", "joint-cell", "cell")
    g.decide("JPN", "sdf-airlift", "airlift")
    g.resolve()
    aar = build_aar(mini_deck, g.events)
    trust = next(t for t in aar.turning_points if t.meter == "trust.ROK-JPN")
    assert (trust.before, trust.after, trust.band_before, trust.band_after) == (
        35,
        42,
        "strained",
        "steady",
    )
    assert trust.crossed_band and trust.card == "neo"
    kinds = sorted((c.kind, c.seat, c.delta) for c in trust.causes)
    assert kinds == [("decision", "JPN", -10), ("decision", "ROK", 5), ("joint", None, 12)]
    assert sum(c.delta for c in trust.causes) == trust.delta
    seq_of = {d.seat: d.seq for d in aar.decisions}
    assert {c.seat: c.seq for c in trust.causes if c.seat} == seq_of


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_breakdowns_by_seat_and_dimension(mini_deck, seed):
    game = play_random(mini_deck, seed)
    aar = build_aar(mini_deck, game.events)
    state = game.state
    for s in aar.by_seat:
        assert s.decisions == sum(seat == s.seat for seat, _ in state.chosen)
        assert sum(s.dimensions.values()) == s.decisions
    total = sum(d.decisions for d in aar.by_dimension)
    assert total == len(state.chosen)
    for d in aar.by_dimension:
        assert d.exercised == (d.decisions > 0)
        for dec in aar.decisions:
            card = mini_deck.card(dec.card)
            assert dec.dimension == card.dimension_of(card.option(dec.seat, dec.option))
    played = list(state.played)
    assert [q.card for q in aar.questions] == [
        c for c in played for _ in mini_deck.card(c).questions
    ]


def test_hotwash_and_improvement_plan(mini_deck):
    g = play_random(mini_deck, 3)
    for entry, text, seat in [
        ("strength", "Quick sharing", None),
        ("improvement", "Slow cell", "ROK"),
        ("action", "Standing cell", "JPN"),
        ("improvement", "No hotline", None),
    ]:
        g.apply(Hotwash(entry=entry, text=text, seat=seat, objective="talk"))
    aar = build_aar(mini_deck, g.events)
    assert [(h.entry, h.text) for h in aar.hotwash][0] == ("strength", "Quick sharing")
    assert [(r.issue, r.action, r.seat) for r in aar.improvement_plan] == [
        ("Slow cell", "Standing cell", "JPN"),
        ("No hotline", "", None),
    ]
    assert len(aar.objectives[0].hotwash) == 4


# --- random games with undos, skips and adjudications -----------------------------------


def _chaotic(deck, seed: int) -> Game:
    rng = random.Random(seed)
    g = Game.start(deck, seed=seed)
    for _ in range(60):
        legal = g.legal
        if g.state.ended:
            if "undo" in legal and rng.random() < 0.3:
                g.undo()
                continue
            break
        roll = rng.random()
        if "undo" in legal and roll < 0.12:
            g.undo()
        elif roll < 0.2:
            meter = rng.choice(deck.meters)
            with contextlib.suppress(ValueError):
                g.adjudicate(meter.id, "table call", delta=rng.choice([-9, -4, 5, 11]))
        elif "skip" in legal and roll < 0.25:
            g.skip("skip it")
        elif "draw" in legal:
            g.draw()  # with nothing left to draw, the game ends
        elif "decide" in legal:
            seat = g.pending[0]
            opt = rng.choice(g.card.options_for(seat))
            g.decide(seat, opt.id, f"r{rng.randrange(1000)}", seconds=rng.randrange(5, 90))
        elif "resolve" in legal:
            g.resolve()
        else:
            break
    return g


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_chaotic_games_agree_with_replay(mini_deck, seed):
    game = _chaotic(mini_deck, seed)
    _check_against_replay(mini_deck, game.events)
    aar = build_aar(mini_deck, game.events)
    live = {e.seq for e in game.events if isinstance(e, TurnResolved)} - {
        e.seq for e in aar.timeline if e.status == "undone"
    }
    assert {d.resolution_seq for d in aar.decisions} <= live


def test_aar_imports_no_ui():
    code = (
        "import sys, wargame.aar.analysis, wargame.aar.export, wargame.cli.export;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("seed", range(3))
def test_default_deck_games_agree_with_replay(default_deck, seed):
    game = play_random(default_deck, seed)
    _check_against_replay(default_deck, game.events)
    aar = build_aar(default_deck, game.events)
    assert {d.dimension for d in aar.decisions} <= {"human", "procedural", "technical"}
    assert sum(d.decisions for d in aar.by_dimension) == len(game.state.chosen)
