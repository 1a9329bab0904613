"""Every place that handles events knows every kind of event. `match` with `assert_never`
makes a forgotten kind a type error (mypy); the reducer's table, on the hot path, is
checked here; and each handler is run on one event of every kind."""

from __future__ import annotations

import pytest

from tests.data.saves.make_v1_saves import play_undo
from wargame.aar.timeline import Timeline
from wargame.engine import ReplayMismatch, command_of, reducer
from wargame.engine import rules as r
from wargame.model.game import (
    EVENT_TYPES,
    CheckpointReached,
    Event,
    FlagChanged,
    GameEnded,
    GameStarted,
    PhaseAdvanced,
    RedCellMoved,
    ResourceSpent,
)
from wargame.tui.widgets.log import describe


def test_event_types_are_every_kind_of_the_union():
    kinds = [t.model_fields["kind"].default for t in EVENT_TYPES]
    assert len(kinds) == len(set(kinds)) == 17  # 11 of schema 1, 6 of schema 2


def test_the_reducer_has_one_entry_per_kind():
    assert set(reducer._REDUCERS) == set(EVENT_TYPES)


@pytest.fixture(scope="module")
def game():
    return play_undo()


def crisis_game():
    """A game of the schema-2 test deck with an event of each schema-2 kind."""
    from wargame.engine import AdvancePhase, Continue, Game
    from wargame.store.decks import load_deck

    from .conftest import DATA

    game = Game.start(load_deck(DATA / "crisis.toml"), seed=1)
    game.apply(AdvancePhase())
    game.adjudicate("escalation", "war scare", value=75)
    for card, rok, jpn in (("court", "enforce", "retaliate"), ("launch", "via-us", "intercept")):
        game.draw(card)
        game.decide("ROK", rok)
        game.decide("JPN", jpn)
        game.resolve()  # China and the North move: the brink
        if game.state.checkpoint:
            game.apply(Continue(reason="play on"))
    return game


def one_of_each(*games) -> list[tuple[object, Event]]:
    seen: dict[type, tuple[object, Event]] = {}
    for g in games:
        for ev in g.events:
            seen.setdefault(type(ev), (g, ev))
    assert set(seen) == set(EVENT_TYPES), "the test games must hold an event of every kind"
    return list(seen.values())


def test_every_kind_is_described_timelined_and_replayed(game):
    builders = {}
    for g, ev in one_of_each(game, crisis_game()):
        builder = builders.setdefault(id(g), Timeline(g.deck, g.events))
        line = describe(g.deck, g.state, ev)
        assert (line is None) == isinstance(ev, GameStarted)
        assert builder.entry(ev, "live").kind == ev.kind
        if isinstance(
            ev, GameStarted | FlagChanged | ResourceSpent | RedCellMoved | CheckpointReached
        ) or (isinstance(ev, GameEnded | PhaseAdvanced) and ev.reason != "facilitator"):
            with pytest.raises(ReplayMismatch):
                command_of(ev)
        else:
            assert isinstance(command_of(ev), r.Command)


def test_a_second_start_does_not_fold(game):
    with pytest.raises(ReplayMismatch, match="already started"):
        r.reduce(game.deck, game.state, game.events[0])
