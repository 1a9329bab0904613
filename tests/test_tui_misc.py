"""The app around the game loop: the launcher with good and damaged saves, the palette's
legality, help from anywhere, the small-terminal guard, and the CLI's refusals."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import DataTable

from wargame.tui.actions import GameCommands
from wargame.tui.app import TooSmallScreen
from wargame.tui.screens.decide import HandoffScreen
from wargame.tui.screens.ending import EndingScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.help import HelpScreen
from wargame.tui.screens.launcher import LauncherScreen
from wargame.tui.screens.resolution import ResolutionScreen

from .tui_helpers import app_for, keys, palette_offers, screen_text

EXAMPLE = Path(__file__).parent.parent / "saves" / "example-fault-lines.toml"


async def test_launcher_lists_good_and_damaged_saves_and_keeps_working(tmp_path):
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    (tmp_path / "garbled.toml").write_bytes(b"\x00\xff not [ a save = at all\n")
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        launcher = app.screen
        assert isinstance(launcher, LauncherScreen)
        by_name = {e.path.name: e for e in launcher.entries}
        assert set(by_name) == {EXAMPLE.name, "garbled.toml"}
        assert by_name[EXAMPLE.name].ok and by_name[EXAMPLE.name].ended
        assert not by_name["garbled.toml"].ok

        table = launcher.query_one(DataTable)
        rows = {
            str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)]
            for i in range(table.row_count)
        }
        state = 2  # Game, Turn, State, …
        assert rows["garbled.toml"][state] == "damaged"
        assert "Fault Lines" in rows and rows["Fault Lines"][state].startswith("ended")
        text = screen_text(app)
        assert "garbled.toml" in text and "damaged" in text and "Fault Lines" in text

        # Highlight the damaged save: its detail says why; resuming it is refused politely.
        damaged_row = [str(table.get_row_at(i)[0]) for i in range(table.row_count)].index(
            "garbled.toml"
        )
        table.focus()
        table.move_cursor(row=1 - damaged_row)
        await pilot.pause()

        def shown() -> set[str]:
            return {b.id for b in launcher.query("#save-buttons Button") if b.display}

        assert shown() == {"resume", "review"}  # a good save has nothing to restore
        table.move_cursor(row=damaged_row)
        await pilot.pause()
        assert "Damaged:" in screen_text(app) and shown() == set()  # and it has no backup
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is launcher
        # The launcher still starts a new game.
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)
        assert app.screen.game.state.turn == 1
    app.close_saves()
    # Nothing was written over either save.
    assert (tmp_path / EXAMPLE.name).read_bytes() == EXAMPLE.read_bytes()
    assert (tmp_path / "garbled.toml").read_bytes().startswith(b"\x00\xff not")


async def palette_search(pilot, query: str) -> list[str]:
    """What the command palette offers for a typed query."""
    return await palette_offers(pilot, query)


async def provider_titles(screen: GameScreen) -> list[str]:
    provider = GameCommands(screen)
    return [str(hit.display) async for hit in provider.discover()]


@pytest.mark.slow
async def test_resolve_is_offered_only_once_every_seat_has_decided(tmp_path, default_deck):
    app = app_for(tmp_path, deck=default_deck, seed=9)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, GameScreen)
        game = board.game
        await pilot.press("enter")
        for seat in ("US", "ROK"):
            assert "Resolve turn" not in await provider_titles(board), seat
            await pilot.press("enter", "1", *keys("ok"), "ctrl+s")
            await pilot.pause()
        await pilot.press("escape")  # leave Japan's hand-off: back to the board
        await pilot.pause()
        assert app.screen is board and game.pending == ["JPN"]
        assert "Resolve turn" not in await provider_titles(board)
        assert "Resolve turn" not in await palette_search(pilot, "Resolve")
        await pilot.press("enter", "enter", "1", *keys("ok"), "ctrl+s")
        await pilot.pause()
        assert not game.pending
        assert "Resolve turn" in await provider_titles(board)
        assert "Resolve turn" in await palette_search(pilot, "Resolve")


@pytest.mark.slow
@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_opens_from_the_board_and_closes(tmp_path, default_deck, key):
    app = app_for(tmp_path, deck=default_deck, seed=9)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.screen
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "How a turn goes" in text and "Keys on the board" in text
        await pilot.press(key)  # the same key closes it
        await pilot.pause()
        assert app.screen is board


@pytest.mark.slow
async def test_f1_opens_help_from_the_launcher_and_the_hand_off(tmp_path, default_deck):
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LauncherScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "ctrl+n")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HandoffScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HandoffScreen)
    app.close_saves()


async def test_below_80x24_the_board_gives_way_to_a_message(tmp_path, default_deck):
    app = app_for(tmp_path, deck=default_deck, seed=9)
    async with app.run_test(size=(70, 20)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        text = screen_text(app)
        assert "enlarge the terminal" in text
        assert "Turn 1" not in text and "Meters" not in text
        # Keys do nothing under the guard: no game starts behind it.
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)
        game = app.screen.game
        assert not game.state.decisions and game.state.turn == 1
    app.close_saves()


async def test_refused_start_settings_do_not_leave_an_empty_screen(tmp_path, default_deck):
    app = app_for(tmp_path, deck=default_deck, turns=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.return_code == 1 or isinstance(app.screen, LauncherScreen)


def wargame(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wargame", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.slow
@pytest.mark.parametrize("deck", ["no-such-deck", "missing/deck.toml"])
def test_play_with_an_unknown_deck_exits_1_with_a_message(tmp_path, deck):
    out = wargame("play", "--deck", deck, cwd=tmp_path)
    assert out.returncode == 1
    assert deck in out.stderr and "Traceback" not in out.stderr + out.stdout
    assert len(out.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "saves").exists()


@pytest.mark.slow
async def test_team_names_are_shown_literally_through_resolution(tmp_path, default_deck):
    name = "[/b]Blue"
    app = app_for(tmp_path, deck=default_deck, seed=7, turns=1, team_names={"US": name})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        assert name in screen_text(app)  # the hand-off shows it as typed
        for _ in range(3):
            await pilot.press("enter", "1", "ctrl+s")
        await pilot.pause()
        await pilot.press("enter")  # resolve
        await pilot.pause()
        assert isinstance(app.screen, ResolutionScreen)
        assert name in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        assert name in screen_text(app)
    app.close_saves()


async def test_choose_card_lists_queued_follow_ups_first(default_deck):
    """The facilitator's card list starts with what the story queued, then the rest in deck
    order; used cards are not offered."""
    import random

    from textual.app import App
    from textual.widgets import OptionList

    from wargame.engine import Game
    from wargame.tui.screens.facilitator import ChooseCardDialog

    game, rng = Game.start(default_deck, seed=2), random.Random(2)
    while not game.state.queue and not game.state.ended:  # until a follow-up is queued
        if game.state.phase == "draw":
            game.draw()
        for seat in game.pending:
            game.decide(seat, rng.choice(game.card.options_for(seat)).id)
        game.resolve()
    state = game.state
    assert state.phase == "draw" and state.queue

    app: App[None] = App()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(ChooseCardDialog(default_deck, state))
        await pilot.pause()
        ids = [o.id for o in app.screen.query_one(OptionList).options]
    queued = list(state.queue)
    rest = [c.id for c in default_deck.cards if c.id not in state.used and c.id not in queued]
    assert ids == queued + rest
