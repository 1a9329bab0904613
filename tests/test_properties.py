"""Property tests: whatever legal play happens, meters stay in bounds, the state is the fold
of its log (also after a JSON round trip), and the same seed and decisions give the same game."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from wargame import engine
from wargame.engine import Game
from wargame.engine.crisis import open_options
from wargame.model.game import Event

EVENTS = TypeAdapter(list[Event])
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def play(deck, data: st.DataObject, seed: int) -> Game:
    """Random legal play, including the facilitator's adjudications, undos and skips."""
    game = Game.start(deck, seed=seed, turns=data.draw(st.integers(1, 10), label="turns"))
    for _ in range(120):
        legal = game.legal
        if game.state.ended:
            break
        action = data.draw(st.sampled_from(sorted(legal)), label="action")
        if action == "draw":
            unused = [c.id for c in deck.cards if c.id not in game.state.used]
            pick = data.draw(st.one_of(st.none(), st.sampled_from(unused)), label="pick")
            if pick is None and not engine.can_draw(deck, game.state):
                pick = unused[0]
            game.draw(pick)
        elif action == "decide":
            seat = data.draw(st.sampled_from(game.pending), label="seat")
            option = data.draw(st.sampled_from(game.card.options_for(seat)), label="option")
            game.decide(seat, option.id, data.draw(st.text(max_size=20), label="rationale"))
        elif action == "resolve":
            game.resolve()
        elif action == "adjudicate":
            meter = data.draw(st.sampled_from(deck.meters), label="meter")
            delta = data.draw(st.integers(-150, 150).filter(bool), label="delta")
            # Refused when the meter already sits at that bound: nothing to change.
            with contextlib.suppress(engine.IllegalCommand):
                game.adjudicate(meter.id, "facilitator's call", delta=delta)
        elif action == "undo":
            game.undo()
        elif action == "skip":
            game.skip("not this one")
        elif action == "note":
            game.note("a note")
        elif action == "timer":
            game.apply(engine.Timer(action="resume" if game.state.timer_paused else "pause"))
        elif action == "end" and data.draw(st.integers(0, 9), label="end?") == 0:
            game.end("time")
        for meter in deck.meters:
            assert meter.min <= game.state.meters[meter.id] <= meter.max
    return game


@SETTINGS
@given(data=st.data(), seed=st.integers(0, 2**31))
def test_meters_stay_in_bounds_and_state_is_the_fold_of_its_log(mini_deck, data, seed):
    game = play(mini_deck, data, seed)
    assert engine.fold(mini_deck, game.events) == game.state
    round_trip = EVENTS.validate_json(EVENTS.dump_json(game.events))
    assert round_trip == game.events
    assert engine.replay(mini_deck, round_trip) == game.state
    assert [e.seq for e in game.events] == list(range(1, len(game.events) + 1))


@SETTINGS
@given(data=st.data(), seed=st.integers(0, 2**31))
def test_default_deck_random_play(default_deck, data, seed):
    game = play(default_deck, data, seed)
    assert engine.replay(default_deck, game.events) == game.state


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**31), picks=st.lists(st.integers(0, 3), min_size=60, max_size=60))
def test_same_seed_and_decisions_give_the_same_game(default_deck, seed, picks):
    def run() -> Game:
        game = Game.start(default_deck, seed=seed)
        choices = iter(picks)
        while not game.state.ended:
            if game.state.checkpoint:  # a schema-2 checkpoint: play on past it
                game.apply(engine.Continue(reason="play on"))
                continue
            game.draw()
            for seat in game.pending:
                options = open_options(default_deck, game.state, game.card, seat)
                game.decide(seat, options[next(choices, 0) % len(options)].id)
            game.resolve()
        return game

    first, second = run(), run()
    assert first.events == second.events
    assert first.state == second.state
