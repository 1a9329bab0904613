"""Whole games through the real app, pressing keys only, checked against the engine."""

from __future__ import annotations

import random

import pytest

from wargame.engine import Game
from wargame.model.game import DecisionMade
from wargame.tui.screens.decide import DecisionScreen, HandoffScreen, OpenDecisionScreen
from wargame.tui.screens.ending import EndingScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.resolution import ResolutionScreen

from .tui_helpers import app_for, keys

pytestmark = pytest.mark.slow  # whole games, leak counts or snapshots


async def test_hotseat_game_by_keys_only(tmp_path, default_deck):
    app = app_for(tmp_path, step=0.5, deck=default_deck, seed=11)
    rng = random.Random(11)
    typed: list[tuple[int, str, str, str]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, GameScreen)
        game = board.game
        while not game.state.ended:
            assert isinstance(app.screen, GameScreen)
            if game.state.phase == "draw":
                await pilot.press("enter")  # reveal the next inject
            assert game.card is not None
            await pilot.press("enter")  # hand over to the first seat
            while game.pending:
                seat = game.pending[0]
                assert isinstance(app.screen, HandoffScreen)
                await pilot.press("enter")
                assert isinstance(app.screen, DecisionScreen)
                options = game.card.options_for(seat)
                pick = rng.randrange(len(options))
                rationale = f"{seat} t{game.state.turn} o{pick + 1}"
                await pilot.press(str(pick + 1), *keys(rationale), "ctrl+s")
                await pilot.pause()
                typed.append((game.state.turn, seat, options[pick].id, rationale))
            assert isinstance(app.screen, GameScreen)
            await pilot.press("enter")  # resolve
            await pilot.pause()
            assert isinstance(app.screen, ResolutionScreen)
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        events = list(game.events)

    decisions = [e for e in events if isinstance(e, DecisionMade)]
    assert [(d.turn, d.seat, d.option, d.rationale) for d in decisions] == typed
    assert all(d.seconds and d.seconds > 0 and d.entered_by == d.seat for d in decisions)
    # The same choices through the engine directly give the same game.
    replayed = Game.start(default_deck, seed=11)
    for card_turn in sorted({t for t, *_ in typed}):
        replayed.draw()
        for turn, seat, option, rationale in typed:
            if turn == card_turn:
                replayed.decide(seat, option, rationale)
        replayed.resolve()
    assert replayed.state.meters == game.state.meters
    assert replayed.state.outcome == game.state.outcome
    assert [e.card for e in replayed.events if e.kind == "drawn"] == [
        e.card for e in events if e.kind == "drawn"
    ]


async def test_open_mode_with_white_cell_controls(tmp_path, default_deck):
    app = app_for(tmp_path, deck=default_deck, seed=5, mode="open", turns=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.screen
        game = board.game
        first = game.state.card
        # Skip the first card (White Cell panel, then "s"), with a reason.
        await pilot.press("f", "s", *keys("not for this audience"), "enter")
        await pilot.pause()
        assert game.state.card is None
        await pilot.press("enter")  # reveal another
        await pilot.pause()
        assert game.state.card not in (None, first)
        # A note.
        await pilot.press("n", *keys("ROK asks for a recess"), "enter")
        # Open mode: one screen for every seat.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OpenDecisionScreen)
        for seat in game.deck.seat_ids():
            await pilot.press("tab") if seat != "US" else None
            await pilot.press("enter")  # pick the highlighted (first) option
            await pilot.press(*keys(f"{seat} announced"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert game.state.decisions and not game.pending
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        # Adjust a meter with a reason, then undo it.
        before = dict(game.state.meters)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("tab", *keys("-7"), "tab", *keys("press leak in Seoul"), "enter")
        await pilot.pause()
        assert game.state.meters != before
        await pilot.press("u")
        await pilot.pause()
        assert game.state.meters == before
        kinds = [e.kind for e in game.events]
    assert "skipped" in kinds and "note" in kinds and "adjudicated" in kinds
    assert kinds[-1] == "undone"
    skipped = next(e for e in game.events if e.kind == "skipped")
    assert skipped.reason == "not for this audience"
    note = next(e for e in game.events if e.kind == "note")
    assert note.text == "ROK asks for a recess"
    adj = next(e for e in game.events if e.kind == "adjudicated")
    assert adj.reason == "press leak in Seoul" and adj.after - adj.before == -7
    decided = [e for e in game.events if isinstance(e, DecisionMade)]
    assert {d.entered_by for d in decided} == {"facilitator"}
    assert [d.rationale for d in decided] == ["US announced", "ROK announced", "JPN announced"]
