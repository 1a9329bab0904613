"""The engine builds its events without pydantic validation (`trusted`) for speed; every such
event must be indistinguishable from the validated one: equal, same dump, same field order."""

from __future__ import annotations

from pydantic import BaseModel

from tests.conftest import play_random
from wargame.engine import Game
from wargame.model.game import Change, GameState, MeterMove, trusted


def assert_like_validated(model: BaseModel) -> None:
    again = type(model).model_validate(model.model_dump())
    assert again == model
    assert list(model.__dict__) == list(type(model).model_fields)
    assert model.model_dump(mode="json") == again.model_dump(mode="json")
    assert repr(model) == repr(again)


def test_trusted_equals_the_validated_model():
    made = trusted(Change, meter="trust.US-ROK", delta=-3, explain="why", seat="US", option="a")
    assert made == Change(meter="trust.US-ROK", delta=-3, explain="why", seat="US", option="a")
    assert made.rule == "option"
    assert_like_validated(made)
    assert_like_validated(trusted(MeterMove, meter="m", before=1, after=0, clamped=True))


def test_every_event_and_state_part_of_played_games_is_like_a_validated_one(default_deck):
    for seed in range(5):
        game = play_random(default_deck, seed)
        for ev in game.events:
            assert_like_validated(ev)
            for part in (*getattr(ev, "changes", ()), *getattr(ev, "moves", ())):
                assert_like_validated(part)
        assert game.state.outcome is not None
        assert_like_validated(game.state.outcome)


def test_adjudication_undo_and_other_commands_make_validated_like_events(mini_deck):
    game = Game.start(mini_deck, seed=3, at="2025-03-01T09:00:00+09:00")
    game.draw(at="2025-03-01T09:01:00+09:00")
    for seat in game.pending:
        game.decide(seat, game.card.options_for(seat)[0].id, "because", seconds=12.5)
    game.resolve(at="2025-03-01T09:02:00+09:00")
    meter = mini_deck.meters[0]
    game.adjudicate(meter.id, "White Cell", value=meter.min + 1)
    game.undo()
    game.note("a note")
    game.end("time", at="2025-03-01T09:09:00+09:00")
    for ev in game.events:
        assert_like_validated(ev)
    assert all(isinstance(p.state, GameState) for p in game.state.undo_stack)
