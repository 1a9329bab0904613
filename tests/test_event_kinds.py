"""Every place that handles events knows every kind of event. `match` with `assert_never`
makes a forgotten kind a type error (mypy); the reducer's table, on the hot path, is
checked here; and each handler is run on one event of every kind."""

from __future__ import annotations

import pytest

from tests.data.saves.make_v1_saves import play_undo
from wargame.aar.timeline import Timeline
from wargame.engine import ReplayMismatch, command_of, reducer
from wargame.engine import rules as r
from wargame.model.game import EVENT_TYPES, Event, GameEnded, GameStarted
from wargame.tui.widgets.log import describe


def test_event_types_are_every_kind_of_the_union():
    kinds = [t.model_fields["kind"].default for t in EVENT_TYPES]
    assert len(kinds) == len(set(kinds)) == 11


def test_the_reducer_has_one_entry_per_kind():
    assert set(reducer._REDUCERS) == set(EVENT_TYPES)


@pytest.fixture(scope="module")
def game():
    return play_undo()


def one_of_each(events: list[Event]) -> list[Event]:
    seen: dict[type, Event] = {}
    for ev in events:
        seen.setdefault(type(ev), ev)
    assert set(seen) == set(EVENT_TYPES), "the test game must hold an event of every kind"
    return list(seen.values())


def test_every_kind_is_described_timelined_and_replayed(game):
    builder = Timeline(game.deck, game.events)
    for ev in one_of_each(game.events):
        line = describe(game.deck, game.state, ev)
        assert (line is None) == isinstance(ev, GameStarted)
        assert builder.entry(ev, "live").kind == ev.kind
        if isinstance(ev, GameStarted) or (
            isinstance(ev, GameEnded) and ev.reason != "facilitator"
        ):
            with pytest.raises(ReplayMismatch):
                command_of(ev)
        else:
            assert isinstance(command_of(ev), r.Command)


def test_a_second_start_does_not_fold(game):
    with pytest.raises(ReplayMismatch, match="already started"):
        r.reduce(game.deck, game.state, game.events[0])
