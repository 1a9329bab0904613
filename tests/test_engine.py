"""The rules engine: commands, typed refusals, resolution, undo, endings, replay."""

from __future__ import annotations

import collections

import pytest

from wargame import engine
from wargame.engine import (
    AlreadyDecided,
    Game,
    GameOver,
    MissingReason,
    NotAllDecided,
    NothingToUndo,
    ReplayMismatch,
    UnknownId,
    WrongPhase,
)
from wargame.model.game import CardDrawn, TurnResolved


def neo_game(deck, rok="joint-cell", jpn="sdf-airlift") -> Game:
    g = Game.start(deck, seed=1)
    g.draw("neo")
    g.decide("ROK", rok, "rok why")
    g.decide("JPN", jpn, "jpn why")
    return g


def test_start_sets_meters_and_settings(mini_deck):
    g = Game.start(mini_deck, seed=9, turns=3, mode="open", team_names={"ROK": "Blue"})
    assert g.state.meters == {"trust.ROK-JPN": 35, "opinion.ROK": 50, "readiness.JPN": 95}
    assert (g.state.turns, g.state.mode, g.state.phase, g.state.turn) == (3, "open", "draw", 1)
    assert engine.seat_name(mini_deck, g.state, "ROK") == "Blue"
    assert engine.seat_name(mini_deck, g.state, "JPN") == "Japan"
    with pytest.raises(UnknownId):
        Game.start(mini_deck, team_names={"USA": "x"})
    with pytest.raises(engine.IllegalCommand):
        Game.start(mini_deck, turns=0)


def test_random_draw_honours_when_and_weight(mini_deck):
    first = collections.Counter()
    for seed in range(600):
        g = Game.start(mini_deck, seed=seed)
        g.draw()
        first[g.state.card] += 1
    # radar needs turn >= 2, history needs turn >= 3 or the missile played; cell is follow-up only.
    assert set(first) == {"neo", "missile"}
    # missile has weight 2 against neo's 1.
    assert 1.6 < first["missile"] / first["neo"] < 2.5


def test_facilitator_pick_and_followups(mini_deck):
    g = neo_game(mini_deck)
    resolved = g.resolve()[0]
    assert isinstance(resolved, TurnResolved)
    assert resolved.followups == ["cell"]
    assert g.state.queue == ("cell",)
    drawn = g.draw()[0]
    assert isinstance(drawn, CardDrawn)
    assert (drawn.card, drawn.source, drawn.turn) == ("cell", "followup", 2)
    assert g.state.queue == ()


def test_followup_only_cards_are_never_random_draws(mini_deck):
    for seed in range(40):
        g = Game.start(mini_deck, seed=seed)
        while not g.state.ended:
            drawn = g.draw()[0]
            assert drawn.card != "cell" or drawn.source == "followup"
            for seat in g.pending:
                g.decide(seat, g.card.options_for(seat)[-1].id)
            g.resolve()


def test_illegal_commands_raise_typed_errors(mini_deck):
    g = Game.start(mini_deck, seed=1)
    with pytest.raises(WrongPhase):
        g.decide("ROK", "joint-cell")
    with pytest.raises(WrongPhase):
        g.resolve()
    with pytest.raises(WrongPhase):
        g.skip()
    with pytest.raises(UnknownId):
        g.draw("nope")
    g.draw("neo")
    with pytest.raises(WrongPhase):
        g.draw()
    with pytest.raises(UnknownId, match="ROK has no option 'sdf-airlift' on 'neo'"):
        g.decide("ROK", "sdf-airlift")
    with pytest.raises(UnknownId):
        g.decide("USA", "x")
    g.decide("ROK", "joint-cell")
    with pytest.raises(AlreadyDecided):
        g.decide("ROK", "go-alone")
    with pytest.raises(NotAllDecided, match="still waiting for JPN"):
        g.resolve()
    with pytest.raises(NothingToUndo):
        g.undo()
    # Refused commands leave no trace.
    assert [e.kind for e in g.events] == ["started", "drawn", "decided"]
    assert all(isinstance(e, engine.IllegalCommand) for e in [WrongPhase("x"), GameOver("x")])
    assert issubclass(engine.IllegalCommand, ValueError)


def test_resolution_is_simultaneous_explained_and_clamped(mini_deck):
    g = neo_game(mini_deck)
    resolved = g.resolve()[0]
    # Base effects in seat order, then the joint rule; the extra (trust < 30) does not fire
    # because conditions see the state before resolution (trust 35), not after.
    assert [(c.meter, c.delta, c.rule) for c in resolved.changes] == [
        ("trust.ROK-JPN", 5, "option"),
        ("opinion.ROK", -4, "option"),
        ("readiness.JPN", 10, "option"),
        ("trust.ROK-JPN", -10, "option"),
        ("trust.ROK-JPN", 12, "joint"),
    ]
    assert all(c.explain for c in resolved.changes)
    assert resolved.changes[-1].explain == "A combined cell turns a flashpoint into practice"
    moves = {m.meter: (m.before, m.after, m.clamped) for m in resolved.moves}
    assert moves == {
        "trust.ROK-JPN": (35, 42, False),
        "opinion.ROK": (50, 46, False),
        "readiness.JPN": (95, 100, True),
    }
    assert g.state.meters["readiness.JPN"] == 100


def test_extra_effects_fire_on_the_state_before_resolution(mini_deck):
    g = Game.start(mini_deck, seed=1)
    g.adjudicate("trust.ROK-JPN", "simulate a bad year", value=25)
    g.draw("neo")
    g.decide("ROK", "go-alone")
    g.decide("JPN", "sdf-airlift")
    resolved = g.resolve()[0]
    extra = [c for c in resolved.changes if c.rule == "extra"]
    assert [(c.meter, c.delta, c.seat) for c in extra] == [("opinion.ROK", -8, "JPN")]
    assert extra[0].explain == "Korean anger at Japanese forces on Korean soil"


def test_adjudication_needs_a_reason_and_is_undoable(mini_deck):
    g = Game.start(mini_deck, seed=1)
    with pytest.raises(MissingReason):
        g.adjudicate("opinion.ROK", "  ", delta=5)
    with pytest.raises(UnknownId):
        g.adjudicate("opinion.XX", "why", delta=5)
    with pytest.raises(engine.IllegalCommand, match="either a change"):
        g.adjudicate("opinion.ROK", "why", delta=5, value=3)
    g.adjudicate("opinion.ROK", "a scandal in Seoul", delta=-70)
    assert g.state.meters["opinion.ROK"] == 0  # clamped at the meter's minimum
    event = g.events[-1]
    assert (event.before, event.after, event.reason) == (50, 0, "a scandal in Seoul")
    g.undo()
    assert g.state.meters["opinion.ROK"] == 50
    assert g.events[-1].kind == "undone" and g.events[-1].target == event.seq


def test_undo_resolution_puts_the_card_back_for_new_decisions(mini_deck):
    g = neo_game(mini_deck)
    before = g.state
    g.resolve()
    g.draw()
    g.undo()
    assert g.state.card == "neo" and g.state.phase == "deciding"
    assert g.state.decisions == {}
    assert g.state.meters == before.meters and g.state.played == ()
    g.decide("ROK", "go-alone")
    g.decide("JPN", "charter")
    g.resolve()
    assert g.state.played == ("neo",)
    assert engine.replay(mini_deck, g.events) == g.state


def test_skip_discards_the_card_and_its_decisions(mini_deck):
    g = Game.start(mini_deck, seed=1)
    g.draw("neo")
    g.decide("ROK", "joint-cell")
    g.skip("not relevant to this audience")
    assert g.state.phase == "draw" and g.state.decisions == {}
    assert "neo" in g.state.used and g.state.turn == 1
    g.draw()
    assert g.state.card == "missile"  # the only other card whose `when` holds on turn 1
    g.skip()
    # A random draw with nothing to draw ends the game as the deck ran out...
    state, (ended,) = engine.apply(mini_deck, g.state, engine.Draw())
    assert state.ended and ended.kind == "ended" and ended.reason == "deck" and ended.turn == 1
    g.draw("radar")  # ...while the facilitator may still pick any unused card
    assert g.state.card == "radar"


def test_notes_timer_and_hotwash_are_events(mini_deck):
    g = Game.start(mini_deck, seed=1)
    g.note("ROK team asks for a break")
    g.apply(engine.Timer(action="pause"))
    assert g.state.timer_paused
    with pytest.raises(engine.IllegalCommand):
        g.apply(engine.Timer(action="pause"))
    g.apply(engine.Timer(action="resume"))
    g.apply(engine.Timer(action="extend", seconds=120))
    assert g.state.timer_extra == 120 and not g.state.timer_paused
    with pytest.raises(MissingReason):
        g.note(" ")
    g.end("time is up")
    g.note("written after the end")
    g.apply(
        engine.Hotwash(
            entry="strength", text="Fast joint cell", seat="ROK", card="neo", objective="talk"
        )
    )
    with pytest.raises(UnknownId):
        g.apply(engine.Hotwash(entry="action", text="x", objective="nope"))
    with pytest.raises(GameOver):
        g.draw()
    with pytest.raises(GameOver):
        g.apply(engine.Timer(action="pause"))
    with pytest.raises(NothingToUndo):
        g.undo()
    kinds = [e.kind for e in g.events]
    assert kinds == ["started", "note", "timer", "timer", "timer", "ended", "note", "hotwash"]
    assert g.state.outcome.reason == "facilitator" and g.state.outcome.text == "time is up"


def test_an_ending_fires_after_resolution_and_can_be_undone(mini_deck):
    g = Game.start(mini_deck, seed=1)
    g.adjudicate("trust.ROK-JPN", "a bad start", value=12)
    g.draw("radar")
    g.decide("ROK", "deny")
    g.decide("JPN", "protest")
    events = g.resolve()
    assert [e.kind for e in events] == ["resolved", "ended"]
    assert g.state.ended
    assert engine.outcome(g.state).ending == "rupture"
    assert g.state.outcome.turn == 1
    assert "undo" in g.legal
    g.undo()
    assert not g.state.ended and g.state.card == "radar"


def test_game_runs_out_of_turns(mini_deck):
    g = Game.start(mini_deck, seed=2, turns=2)
    for _ in range(2):
        g.draw("missile" if g.state.turn == 1 else "history")
        for seat in g.pending:
            g.decide(seat, g.card.options_for(seat)[1].id)
        g.resolve()
    assert g.state.outcome.reason == "turns" and g.state.outcome.turn == 2


def test_deck_exhaustion_ends_the_game(mini_deck):
    g = Game.start(mini_deck, seed=2, turns=20)
    while not g.state.ended:
        g.draw()
        for seat in g.pending:
            g.decide(seat, g.card.options_for(seat)[-1].id)
        g.resolve()
    assert g.state.outcome.reason == "deck"
    assert not engine.can_draw(mini_deck, g.state)


def test_legal_offers_only_what_fits(mini_deck):
    g = Game.start(mini_deck, seed=1)
    assert g.legal == {"draw", "note", "timer", "end", "adjudicate"}
    g.draw("neo")
    assert "decide" in g.legal and "resolve" not in g.legal and "skip" in g.legal
    g.decide("ROK", "go-alone")
    g.decide("JPN", "charter")
    assert "resolve" in g.legal and "decide" not in g.legal
    g.resolve()
    assert "undo" in g.legal and "draw" in g.legal


def test_replay_catches_an_edited_log(mini_deck):
    g = neo_game(mini_deck)
    g.resolve()
    assert engine.replay(mini_deck, g.events) == g.state
    resolved = g.events[-1]
    forged = resolved.model_copy(
        update={"moves": [m.model_copy(update={"after": 99}) for m in resolved.moves]}
    )
    with pytest.raises(ReplayMismatch, match="event 5 \\(resolved\\) differs"):
        engine.replay(mini_deck, [*g.events[:-1], forged])
    wrong = g.events[3].model_copy(update={"option": "go-alone"})
    with pytest.raises(ReplayMismatch, match="event 4"):
        engine.replay(mini_deck, [*g.events[:3], wrong, *g.events[4:]])
    with pytest.raises(ReplayMismatch, match="does not begin"):
        engine.replay(mini_deck, g.events[1:])
    other = mini_deck.model_copy(update={"endings": []})
    with pytest.raises(ReplayMismatch, match="different version"):
        engine.replay(other, g.events)
    # Decided twice in the log: the rules refuse it on replay too.
    with pytest.raises(ReplayMismatch, match="already decided"):
        engine.replay(mini_deck, [*g.events[:4], g.events[3].model_copy(update={"seq": 5})])
