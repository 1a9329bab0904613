"""The engine's one answer to "what still stands after undo", on the checked-in game with an
undo of every kind, and agreeing with the AAR and the final state."""

from __future__ import annotations

from pathlib import Path

from tests.data.saves.make_v1_saves import play_one_turn, play_undo
from wargame.aar.analysis import build_aar
from wargame.engine import standing_decisions, standing_resolutions, undone_seqs
from wargame.model.game import TurnResolved


def test_undone_events_are_those_between_each_target_and_its_undo():
    game = play_undo()
    undos = [(e.target, e.seq) for e in game.events if e.kind == "undone"]
    want = {e.seq for e in game.events for t, u in undos if t <= e.seq < u}
    assert undone_seqs(game.events) == want
    assert not any(e.kind == "undone" for e in game.events if e.seq in want)


def test_standing_resolutions_are_the_cards_played():
    for game in (play_undo(), play_one_turn()):
        assert [r.card for r in standing_resolutions(game.events)] == list(game.state.played)


def test_standing_decisions_are_the_choices_of_the_standing_resolutions():
    for game in (play_undo(), play_one_turn()):
        pairs = standing_decisions(game.events)
        by_res: dict[int, dict[str, str]] = {}
        for d, res in pairs:
            assert isinstance(res, TurnResolved) and d.seq < res.seq and d.card == res.card
            by_res.setdefault(res.seq, {})[d.seat] = d.option
        assert [res.choices for res in standing_resolutions(game.events)] == list(by_res.values())
        chosen = tuple((d.seat, d.option) for d, _ in pairs)
        assert sorted(chosen) == sorted(game.state.chosen)
        aar = build_aar(game.deck, game.events)
        assert [d.seq for d in aar.decisions] == [d.seq for d, _ in pairs]


def test_a_re_decision_after_an_undo_replaces_the_first():
    game = play_undo()
    undone = undone_seqs(game.events)
    seqs = {d.seq for d, _ in standing_decisions(game.events)}
    assert seqs and not seqs & undone
    # The decisions that led to an undone resolution come before it, so no undo took them
    # back; the re-decisions after the undo replace them.
    replaced = [e for e in game.events if e.kind == "decided" and e.seq not in undone | seqs]
    assert len(replaced) == 2 * 3  # two resolutions undone, three seats each


def test_the_one_turn_game_has_its_second_decisions_standing(tmp_path: Path):
    game = play_one_turn()
    decided = [e for e in game.events if e.kind == "decided"]
    assert [d.seq for d, _ in standing_decisions(game.events)] == [d.seq for d in decided[3:]]
