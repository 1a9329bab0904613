"""Schema 2 in the engine: phases, flags, resources, option availability, red cell,
objectives in the draw, checkpoints, private objectives; every state a fold of its events,
and every game replays."""

from __future__ import annotations

import random

import pytest

from wargame import engine
from wargame.engine import Game, crisis, rules
from wargame.model.game import (
    CheckpointContinued,
    CheckpointReached,
    FlagChanged,
    PhaseAdvanced,
    RedCellMoved,
    ResourceSpent,
)
from wargame.store.decks import load_deck, parse_deck
from wargame.store.saves import load_save, write_save

from .conftest import DATA

TEXT = (DATA / "crisis.toml").read_text()


@pytest.fixture(scope="module")
def deck():
    return load_deck(DATA / "crisis.toml")


def kinds(events):
    return [e.kind for e in events]


def play(game: Game, card: str | None, **choices: str):
    game.draw(card)
    for seat, option in choices.items():
        game.decide(seat, option)
    return game.resolve()


def assert_replays(game: Game) -> None:
    assert engine.replay(game.deck, game.events) == game.state
    assert rules.fold(game.deck, game.events) == game.state


def test_a_game_starts_in_the_first_phase_with_its_resources(deck):
    game = Game.start(deck, seed=1)
    assert game.state.scenario_phase == "friction"
    assert crisis.phase_title(deck, game.state) == "Friction"
    assert game.state.resources == {"interceptors": 1}
    assert game.state.flags == ()


def test_the_phase_pool_limits_the_random_draw(deck):
    for seed in range(30):
        game = Game.start(deck, seed=seed)
        game.draw()
        assert deck.card(game.state.card).category == "history"


def test_the_phase_advances_after_its_turns_and_by_hand(deck):
    game = Game.start(deck, seed=1)
    play(game, "textbook", ROK="ignore", JPN="soften")
    events = play(game, "court", ROK="fund", JPN="talk")
    assert kinds(events) == ["resolved", "phase"]
    assert events[-1].reason == "turns" and events[-1].previous == "friction"
    assert game.state.scenario_phase == "provocation" and game.state.phase_turn == 3
    assert "advance" in game.legal
    (ev,) = game.apply(engine.AdvancePhase())
    assert isinstance(ev, PhaseAdvanced) and ev.reason == "facilitator"
    assert game.state.scenario_phase == "aftermath"
    assert "advance" not in game.legal
    with pytest.raises(engine.IllegalCommand, match="last phase"):
        game.apply(engine.AdvancePhase())
    assert_replays(game)


def test_the_phase_advances_when_its_condition_holds(deck):
    game = Game.start(deck, seed=1)
    game.apply(engine.AdvancePhase())  # into provocation
    game.adjudicate("escalation", "the North mobilises", value=50)
    events = play(game, "drills", ROK="answer", JPN="support")
    # The drill (+10) and the North's move (+15) take escalation past 70.
    assert kinds(events) == ["resolved", "redcell", "phase"]
    assert events[-1].reason == "condition"
    assert_replays(game)


def test_advancing_by_hand_waits_for_the_card_on_the_table(deck):
    game = Game.start(deck, seed=1)
    game.draw("court")
    with pytest.raises(engine.WrongPhase):
        game.apply(engine.AdvancePhase())


def test_flags_from_a_joint_rule_take_an_option_off_the_table(deck):
    game = Game.start(deck, seed=1)
    events = play(game, "court", ROK="enforce", JPN="retaliate")
    flag = next(e for e in events if isinstance(e, FlagChanged))
    assert (flag.flag, flag.value, flag.source) == ("gsomia-lapsed", True, "joint")
    assert "gsomia-lapsed" in game.state.flags
    game.draw("launch")
    assert crisis.unavailable(deck, game.state, game.card, "ROK") == {
        "share": "GSOMIA has lapsed: there is no channel to share through"
    }
    assert "GSOMIA lapsed" in crisis.briefing(deck, game.state, game.card)
    with pytest.raises(engine.OptionUnavailable, match="no channel to share through"):
        game.decide("ROK", "share")
    game.decide("ROK", "via-us")  # the others are still open
    assert_replays(game)


def test_a_cost_is_spent_and_then_cannot_be_paid(deck):
    game = Game.start(deck, seed=1)
    events = play(game, "launch", ROK="via-us", JPN="intercept")
    spent = next(e for e in events if isinstance(e, ResourceSpent))
    assert (spent.resource, spent.seat, spent.before, spent.after) == ("interceptors", "JPN", 1, 0)
    assert game.state.resources == {"interceptors": 0}
    game.draw("drills")
    # Intercept is not on this card; the cost shows on the next launch-like card only.
    card = deck.card("launch")
    assert crisis.why_unavailable(deck, game.state, card.id, "JPN", "intercept") == (
        "needs 1 SM-3 interceptors; 0 left"
    )
    assert_replays(game)


def test_the_red_cell_fires_once_and_queues_its_card(deck):
    game = Game.start(deck, seed=1)
    events = play(game, "court", ROK="enforce", JPN="retaliate")  # trust 35 -> 19
    move = next(e for e in events if isinstance(e, RedCellMoved))
    assert (move.rule, move.actor, move.card) == ("china-probe", "China", "seam")
    assert [(m.meter, m.before, m.after) for m in move.moves] == [("escalation", 20, 30)]
    assert move.changes[0].explain == "China: Beijing tests the gap between Seoul and Tokyo"
    assert game.state.queue == ("seam",) and "seam-probed" in game.state.flags
    assert game.state.fired == {"china-probe": 1}
    events = play(game, None, ROK="scramble", JPN="scramble")  # the follow-up; trust still low
    assert game.state.played[-1] == "seam"
    assert not any(isinstance(e, RedCellMoved) for e in events)
    assert_replays(game)


def test_a_repeating_rule_waits_out_its_cooldown(deck):
    game = Game.start(deck, seed=1)
    game.apply(engine.AdvancePhase())
    fired = []
    for card in ("drills", "launch"):
        events = play(
            game,
            card,
            ROK="restrain" if card == "drills" else "via-us",
            JPN="support" if card == "drills" else "track",
        )
        fired.append([e.rule for e in events if isinstance(e, RedCellMoved)])
    assert fired == [["north-escalates"], []]
    play(game, "textbook", ROK="ignore", JPN="soften")
    assert game.state.fired["north-escalates"] == 5 or game.state.scenario_phase != "provocation"
    assert_replays(game)


def test_a_checkpoint_pauses_the_game_until_the_facilitator_continues(deck, tmp_path):
    game = Game.start(deck, seed=1)
    game.adjudicate("escalation", "war scare", value=72)
    events = play(game, "court", ROK="fund", JPN="talk")
    assert not any(isinstance(e, CheckpointReached) for e in events)
    events = play(game, "drills", ROK="answer", JPN="support")  # +10: 82
    assert kinds(events) == ["resolved", "checkpoint", "phase"]
    assert game.state.checkpoint == "brink" and not game.state.ended
    assert "draw" not in game.legal and "continue" in game.legal
    with pytest.raises(engine.WrongPhase, match="checkpoint"):
        game.draw()
    (ev,) = game.apply(engine.Continue(reason="play on"))
    assert isinstance(ev, CheckpointContinued) and ev.ending == "brink"
    assert game.state.checkpoint is None and game.state.passed == ("brink",)
    events = play(game, "textbook", ROK="protest", JPN="defend")
    assert not any(isinstance(e, CheckpointReached) for e in events)
    assert_replays(game)
    write_save(tmp_path / "checkpoint.toml", deck, game.events)
    assert load_save(tmp_path / "checkpoint.toml").events == game.events


def test_ending_at_a_checkpoint_ends_with_its_ending(deck):
    game = Game.start(deck, seed=1)
    game.adjudicate("escalation", "war scare", value=85)
    play(game, "textbook", ROK="ignore", JPN="soften")
    assert game.state.checkpoint == "brink"
    game.end()
    out = game.state.outcome
    assert (out.reason, out.ending, out.title) == ("facilitator", "brink", "On the brink")
    assert_replays(game)


def test_private_objectives_are_scored_on_the_state(deck):
    game = Game.start(deck, seed=1)
    assert crisis.private_objectives(deck, game.state) == [
        ("ROK", "Keep ROK public opinion at 40 or above.", True),
        ("JPN", "Keep one interceptor in reserve.", True),
    ]
    play(game, "launch", ROK="via-us", JPN="intercept")
    assert [met for _, _, met in crisis.private_objectives(deck, game.state)] == [True, False]


def random_game(deck, seed: int) -> Game:
    """A whole game with seeded random choices among the available options, continuing
    past checkpoints."""
    rng = random.Random(seed)
    game = Game.start(deck, seed=seed)
    while not game.state.ended:
        if game.state.checkpoint is not None:
            game.apply(engine.Continue())
            continue
        game.draw()
        for seat in deck.seat_ids():
            game.decide(seat, rng.choice(crisis.open_options(deck, game.state, game.card, seat)).id)
        game.resolve()
    return game


def test_every_objective_is_exercised_in_every_full_game(deck):
    full = 0
    for seed in range(150):
        game = random_game(deck, seed)
        if game.state.outcome.reason == "turns":
            full += 1
            assert crisis.exercised(deck, game.state) == {"direct", "defense"}, seed
    assert full > 50


def test_random_games_replay_and_survive_a_save(deck, tmp_path):
    seen = set()
    for seed in range(40):
        game = random_game(deck, seed)
        assert_replays(game)
        seen |= set(kinds(game.events))
    assert {"phase", "flag", "spent", "redcell"} <= seen
    path = tmp_path / "crisis.toml"
    write_save(path, deck, game.events)
    loaded = load_save(path)
    assert loaded.events == game.events


def test_undo_of_a_resolution_takes_its_crisis_events_back(deck):
    game = Game.start(deck, seed=1)
    before = game.state
    play(game, "court", ROK="enforce", JPN="retaliate")
    game.undo()
    for field in ("flags", "fired", "queue", "meters", "resources", "scenario_phase"):
        assert getattr(game.state, field) == getattr(before, field)
    assert_replays(game)


def test_a_schema_1_deck_plays_as_before():
    deck = load_deck(DATA / "mini.toml")
    game = random_game(deck, 3)
    assert game.state.scenario_phase is None and game.state.flags == ()
    assert not set(kinds(game.events)) & {"phase", "flag", "spent", "redcell"}


def test_a_schema_1_deck_hashes_as_it_did_before_schema_2():
    # Pinned from the schema-1-only wargame (main before schema 2): saves keep matching.
    deck = load_deck(DATA / "mini.toml")
    assert deck.content_hash == "ef417615fa4f1f8ecf23b8163cd190d814e72a84e3aaca1e3c00029ca00178ff"
    assert parse_deck(TEXT, "crisis.toml").content_hash != deck.content_hash
