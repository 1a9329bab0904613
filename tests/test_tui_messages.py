"""Intent goes up: the launcher and the board post StartGame / ResumeGame / LeaveGame, and
the app acts on them (tests record the messages, as harlequin's do)."""

from __future__ import annotations

from wargame.tui.messages import LeaveGame, ResumeGame, StartGame
from wargame.tui.screens.facilitator import ConfirmDialog
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.launcher import LauncherScreen

from .tui_helpers import app_for, wait_for_saves_listed, wait_for_screen


async def test_start_leave_and_resume_go_up_as_messages(tmp_path):
    app = app_for(tmp_path)
    posted = []

    def hook(message) -> None:
        if isinstance(message, StartGame | ResumeGame | LeaveGame) and all(
            m is not message for m in posted
        ):
            posted.append(message)

    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        assert await wait_for_screen(pilot, LauncherScreen)
        await pilot.press("ctrl+n")
        assert await wait_for_screen(pilot, GameScreen)
        [start] = posted
        assert isinstance(start, StartGame)
        assert (start.deck.id, start.seed, start.turns, start.mode) == (
            "fault-lines",
            1,
            None,
            "hotseat",
        )
        board = app.screen
        await pilot.press("l")
        assert await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("enter")
        assert await wait_for_screen(pilot, LauncherScreen)
        assert isinstance(posted[-1], LeaveGame)
        assert await wait_for_saves_listed(pilot)
        await pilot.press("r")
        assert await wait_for_screen(pilot, GameScreen)
        assert isinstance(posted[-1], ResumeGame) and posted[-1].path == board.save_path
        assert [type(m) for m in posted] == [StartGame, LeaveGame, ResumeGame]
    app.close_saves()
