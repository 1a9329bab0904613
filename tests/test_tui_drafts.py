"""Issue 13: no key throws typing away. Esc, leaving and quitting keep a seat's unsent
decision as a draft beside the save, and its own decision screen gives it back, also after
the game is resumed; `l` and the ending's `q` ask first."""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from wargame.model.game import DecisionMade
from wargame.store.drafts import drafts_path, load_drafts
from wargame.store.saves import list_saves
from wargame.tui.screens.decide import DecisionScreen, HandoffScreen, OpenDecisionScreen
from wargame.tui.screens.facilitator import ConfirmDialog
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.launcher import LauncherScreen

from .tui_helpers import (
    app_for,
    keys,
    screen_text,
    wait_for_saves_listed,
    wait_for_screen,
    wait_until,
)

HALF = "Seoul first then"


def rationale(app) -> str:
    return app.screen.query_one(TextArea).text


async def test_esc_keeps_the_rationale_and_coming_back_restores_it(tmp_path, default_deck):
    app = app_for(tmp_path, deck=default_deck, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        board = app.screen
        assert isinstance(board, GameScreen)
        game = board.game
        await pilot.press("enter", "enter", "2", *keys(HALF))
        assert isinstance(app.screen, DecisionScreen) and app.screen.seat.id == "US"
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: app.screen is board)
        assert not game.state.decisions  # nothing was decided...
        assert board.drafts["US"].rationale == HALF  # ...and nothing was lost
        assert HALF not in screen_text(app)  # the board never shows a draft
        assert await wait_until(pilot, lambda: drafts_path(board.save_path).exists())

        await pilot.press("enter", "enter")  # the US again
        assert await wait_for_screen(pilot, DecisionScreen)
        screen = app.screen
        assert screen.seat.id == "US" and screen.picked == 1
        assert rationale(app) == HALF
        await pilot.press(*keys(" always"), "ctrl+s")
        assert await wait_until(pilot, lambda: "US" in game.state.decisions)
        [made] = [e for e in game.events if isinstance(e, DecisionMade)]
        assert (made.option, made.rationale) == (screen.options[1].id, HALF + " always")
        assert "US" not in board.drafts  # sent: no longer a draft
        assert not drafts_path(board.save_path).exists()
    app.close_saves()


@pytest.mark.slow
async def test_a_draft_survives_quit_and_resume(tmp_path, default_deck):
    """Ctrl+Q mid-decision keeps the draft (and `wargame resume` / the launcher's resume
    bring it back on that seat's own screen); the drafts file is not a save."""
    app = app_for(tmp_path, deck=default_deck, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        board = app.screen
        await pilot.press("enter", "enter", "3", *keys(HALF))
        assert isinstance(app.screen, DecisionScreen)
        await pilot.press("ctrl+q")
    app.close_saves()
    save = board.save_path
    assert load_drafts(save)["US"].rationale == HALF
    [entry] = list_saves(tmp_path)
    assert entry.path == save

    for from_launcher in (False, True):
        again = app_for(tmp_path) if from_launcher else app_for(tmp_path, resume=save)
        async with again.run_test(size=(120, 40)) as pilot:
            if from_launcher:
                assert await wait_for_screen(pilot, LauncherScreen)
                assert await wait_for_saves_listed(pilot)
                await pilot.press("r")
            assert await wait_for_screen(pilot, GameScreen)
            await pilot.press("enter")
            assert await wait_for_screen(pilot, HandoffScreen)
            await pilot.press("enter")
            assert await wait_for_screen(pilot, DecisionScreen)
            assert again.screen.picked == 2 and rationale(again) == HALF
            await pilot.press("escape")
            await pilot.pause()
        again.close_saves()
        assert load_drafts(save)["US"].rationale == HALF


@pytest.mark.slow
async def test_open_mode_entries_survive_leaving_and_resuming(tmp_path, default_deck):
    app = app_for(tmp_path, deck=default_deck, seed=7, mode="open")
    async with app.run_test(size=(120, 40)) as pilot:
        board = app.screen
        await pilot.press("enter")
        assert await wait_for_screen(pilot, OpenDecisionScreen)
        await pilot.press("2", *keys("US announces"))
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: app.screen is board)
        await pilot.press("l")
        assert await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("enter")
        assert await wait_for_screen(pilot, LauncherScreen)
        assert await wait_for_saves_listed(pilot)
        await pilot.press("r")
        assert await wait_for_screen(pilot, GameScreen)
        await pilot.press("enter")
        assert await wait_for_screen(pilot, OpenDecisionScreen)
        screen = app.screen
        assert screen.picked == {
            "US": default_deck.card(board.game.state.card).options_for("US")[1].id
        }
        assert screen.query_one("#open-rationale-US", TextArea).text == "US announces"
        assert screen.query_one("#open-rationale-ROK", TextArea).text == ""
    app.close_saves()


async def test_leave_asks_first_and_no_stays_on_the_board(tmp_path, default_deck):
    app = app_for(tmp_path, deck=default_deck, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        board = app.screen
        await pilot.press("l")
        assert await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: app.screen is board)
        assert app.screen_stack[-1] is board
    app.close_saves()
