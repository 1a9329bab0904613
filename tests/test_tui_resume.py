"""Mid-turn resume through the real app: two teams decide with keys, the app quits, a new app
resumes the save, and the third team's hand-off is waiting with the first two choices kept."""

from __future__ import annotations

import pytest

from wargame.model.game import DecisionMade
from wargame.store.saves import list_saves, load_save
from wargame.tui.screens.decide import DecisionScreen, HandoffScreen
from wargame.tui.screens.game import GameScreen

from .tui_helpers import app_for, keys, screen_text

pytestmark = pytest.mark.slow  # whole games, leak counts or snapshots


US_WHY = "US keeps Seoul close"
ROK_WHY = "ROK wants GSOMIA"


async def test_quit_mid_turn_then_resume_lands_on_the_third_hand_off(tmp_path, default_deck):
    app = app_for(tmp_path, step=0.5, deck=default_deck, seed=4)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, GameScreen)
        game = board.game
        card = game.card
        assert card is not None
        picks = {"US": 2, "ROK": 1}
        await pilot.press("enter")  # hand over: the US first
        for seat, why in (("US", US_WHY), ("ROK", ROK_WHY)):
            assert isinstance(app.screen, HandoffScreen)
            await pilot.press("enter")
            assert isinstance(app.screen, DecisionScreen) and app.screen.seat.id == seat
            await pilot.press(str(picks[seat]), *keys(why), "ctrl+s")
            await pilot.pause()
        # Japan's hand-off is up; the room breaks here and the laptop is shut.
        assert isinstance(app.screen, HandoffScreen) and app.screen.team == "Japan"
        expected = {seat: card.options_for(seat)[n - 1].id for seat, n in picks.items()}
        assert game.state.decisions == expected
        events_before_quit = list(game.events)
        await pilot.press("ctrl+q")
        await pilot.pause()
    # What run_app does on the way out: every autosave is on disk before the process ends.
    app.close_saves()

    [entry] = list_saves(tmp_path)
    assert entry.ok and not entry.ended
    saved = load_save(entry.path)
    # Everything, and the turn clock stopped for the break (quitting pauses it).
    assert list(saved.game.events)[:-1] == events_before_quit
    assert (saved.game.events[-1].kind, saved.game.events[-1].action) == ("timer", "pause")

    again = app_for(tmp_path, step=0.5, resume=entry.path)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, HandoffScreen)
        assert again.screen.team == "Japan"
        # Nothing of the two standing choices shows on Japan's hand-off.
        text = screen_text(again)
        for seat in picks:
            assert card.option(seat, expected[seat]).label not in text
        assert US_WHY not in text and ROK_WHY not in text

        resumed = again.screen_stack[1]
        assert isinstance(resumed, GameScreen)
        game2 = resumed.game
        assert game2.card is not None and game2.card.id == card.id
        assert game2.state.decisions == expected
        assert game2.pending == ["JPN"]
        decided = {e.seat: e.rationale for e in game2.events if isinstance(e, DecisionMade)}
        assert decided == {"US": US_WHY, "ROK": ROK_WHY}

        # Japan decides; the turn resolves with all three choices.
        await pilot.press("enter", "1", *keys("JPN agrees"), "ctrl+s")
        await pilot.pause()
        assert again.screen is resumed and not game2.pending
        await pilot.press("enter")
        await pilot.pause()
        resolved = game2.events[-1]
        assert resolved.kind == "resolved"
        assert resolved.choices == {**expected, "JPN": card.options_for("JPN")[0].id}
    again.close_saves()

    # The resumed game went on saving into the same file.
    final = load_save(entry.path)
    assert list(final.game.events) == list(game2.events)
    assert [e.path for e in list_saves(tmp_path)] == [entry.path]
