"""SVG snapshots of the main screens (pytest-textual-snapshot), fixed deck, seed, clock and
terminal size. Update deliberately with `pytest tests/test_tui_snapshots.py --snapshot-update`,
then look at the pictures."""

from __future__ import annotations

import functools

import pytest
from textual.widgets import Input, TextArea

from wargame.tui.app import TooSmallScreen
from wargame.tui.screens.decide import DecisionScreen, HandoffScreen, OpenDecisionScreen
from wargame.tui.screens.facilitator import ChooseCardDialog, ConfirmDialog

from .tui_helpers import app_for, keys

pytestmark = pytest.mark.slow  # whole games, leak counts or snapshots


SIZE = (120, 40)


def steady(init):
    """A text box's __init__ that turns its cursor blink off (public API, not a private
    default): a blinking cursor is drawn or not depending on when the snapshot is taken."""

    @functools.wraps(init)
    def wrapper(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.cursor_blink = False

    return wrapper


@pytest.fixture(autouse=True)
def steady_screen(monkeypatch, tmp_path):
    """No blinking cursors, and a saves folder whose name is the same on every machine."""
    for widget in (Input, TextArea):
        monkeypatch.setattr(widget, "__init__", steady(widget.__init__))
    (tmp_path / "saves").mkdir()
    monkeypatch.chdir(tmp_path)


def game_app(default_deck, **kwargs):
    from pathlib import Path

    app = app_for(Path("saves"), deck=default_deck, seed=7, **kwargs)
    app.animation_level = "none"
    return app


class TestLauncher:
    def test_launcher(self, snap_compare):
        from pathlib import Path

        app = app_for(Path("saves"))
        app.animation_level = "none"

        async def settle(pilot):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

        assert snap_compare(app, terminal_size=SIZE, run_before=settle)

    @pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["120x40", "80x24"])
    def test_launcher_with_saves(self, snap_compare, default_deck, size):
        """A game in play, a finished one and a damaged save with a good backup, newest
        first; the damaged one is highlighted with its detail line and the restore button.
        Stamps and file times are fixed. At 80 columns the list still shows each save's
        turn and state."""
        import os
        import random
        from pathlib import Path

        from wargame.engine import Game
        from wargame.store.saves import write_save

        def stamp(day: int) -> str:
            return f"2026-11-{day}T09:00:00+00:00"

        game = Game.start(default_deck, seed=3, team_names={"US": "Blue House"}, at=stamp(22))
        game.draw(at=stamp(22))
        done = Game.start(default_deck, seed=4, turns=2, mode="open", at=stamp(21))
        rng = random.Random(4)
        while not done.state.ended:
            done.draw(at=stamp(21))
            for seat in done.pending:
                option = rng.choice(done.card.options_for(seat)).id
                done.decide(seat, option, "why", at=stamp(21))
            done.resolve(at=stamp(21))
        saves = {
            "fault-lines-20261122-090000.toml": (22, game),
            "fault-lines-20261121-090000.toml": (21, done),
            "fault-lines-20261120-090000.toml": (20, None),
        }
        for name, (day, played) in saves.items():
            path = Path("saves") / name
            if played is None:
                path.write_text("schema = 1\n[game\n")
                write_save(path.with_name(path.name + ".bak"), default_deck, done.events)
            else:
                write_save(path, default_deck, played.events)
            when = 1_795_000_000 + day * 86_400
            os.utime(path, (when, when))
        app, settle = launcher_on_row(2)
        assert snap_compare(app, terminal_size=size, run_before=settle)


def launcher_on_row(row: int):
    """The launcher on ./saves, and a pilot step that waits for its saves list and
    highlights `row` of it."""
    from pathlib import Path

    app = app_for(Path("saves"))
    app.animation_level = "none"

    async def settle(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        table = pilot.app.screen.query_one("#saves")
        table.move_cursor(row=row)
        # Rows of auto height (a wrapped title) are measured over more than one refresh,
        # and the scrollbar follows: under load one pause can catch the table between two
        # of them. Wait until its size and scrollbar have held still for a few pauses.
        seen, still = None, 0
        for _ in range(60):
            await pilot.pause(0.05)
            now = (table.virtual_size, table.show_vertical_scrollbar, table.scrollbar_size_vertical)
            still = still + 1 if now == seen else 0
            seen = now
            if still >= 3:
                break
        table.refresh(layout=True)  # paint what it settled on (its scrollbar too)
        await pilot.pause(0.1)

    return app, settle


class TestBoard:
    def test_board(self, snap_compare, default_deck):
        assert snap_compare(game_app(default_deck), terminal_size=SIZE)

    def test_board_light_theme(self, snap_compare, default_deck):
        app = game_app(default_deck)
        app.theme = "textual-light"
        assert snap_compare(app, terminal_size=SIZE)

    def test_board_small_terminal(self, snap_compare, default_deck):
        assert snap_compare(game_app(default_deck), terminal_size=(80, 24))

    def test_facilitator_panel(self, snap_compare, default_deck):
        assert snap_compare(game_app(default_deck), press=["f"], terminal_size=SIZE)


class TestDeciding:
    def test_handoff(self, snap_compare, default_deck):
        async def to_handoff(pilot):
            await pilot.press("enter")
            assert isinstance(pilot.app.screen, HandoffScreen)

        assert snap_compare(game_app(default_deck), terminal_size=SIZE, run_before=to_handoff)

    def test_decision(self, snap_compare, default_deck):
        async def deciding(pilot):
            await pilot.press("enter", "enter", "2", *keys("Keep Seoul in the lead"))
            assert isinstance(pilot.app.screen, DecisionScreen)

        assert snap_compare(game_app(default_deck), terminal_size=SIZE, run_before=deciding)


async def decide_all(pilot, picks=("1", "2", "1")):
    await pilot.press("enter")
    for pick in picks:
        await pilot.press("enter", pick, *keys("why"), "ctrl+s")
    await pilot.pause()


async def to_ending(pilot):
    await decide_all(pilot)
    await pilot.press("enter")  # resolve the only turn
    await pilot.pause()
    await pilot.press("enter")  # leave the resolution for the ending
    await pilot.pause()


class TestResolutionAndEnding:
    def test_resolution(self, snap_compare, default_deck):
        async def resolved(pilot):
            await decide_all(pilot)
            await pilot.press("enter")
            await pilot.pause()

        assert snap_compare(game_app(default_deck), terminal_size=SIZE, run_before=resolved)

    def test_ending(self, snap_compare, default_deck):
        app = game_app(default_deck, turns=1)
        assert snap_compare(app, terminal_size=SIZE, run_before=to_ending)


class TestAfterTheGame:
    def test_aar(self, snap_compare, default_deck):
        from wargame.tui.screens.aar import AARScreen

        async def review(pilot):
            await to_ending(pilot)
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(pilot.app.screen, AARScreen)

        app = game_app(default_deck, turns=1)
        assert snap_compare(app, terminal_size=SIZE, run_before=review)

    def test_hotwash(self, snap_compare, default_deck):
        from wargame.tui.screens.hotwash import HotwashScreen

        async def hotwash(pilot):
            await to_ending(pilot)
            await pilot.press("h", *keys("Seoul and Tokyo talked directly"))
            await pilot.pause()
            assert isinstance(pilot.app.screen, HotwashScreen)

        app = game_app(default_deck, turns=1)
        assert snap_compare(app, terminal_size=SIZE, run_before=hotwash)


class TestHelpAndGuards:
    def test_help(self, snap_compare, default_deck):
        assert snap_compare(game_app(default_deck), press=["question_mark"], terminal_size=SIZE)

    def test_too_small(self, snap_compare, default_deck):
        async def shrunk(pilot):
            await pilot.resize_terminal(60, 20)
            await pilot.pause()
            assert isinstance(pilot.app.screen, TooSmallScreen)

        assert snap_compare(game_app(default_deck), terminal_size=SIZE, run_before=shrunk)

    def test_open_mode_entry(self, snap_compare, default_deck):
        async def entering(pilot):
            await pilot.press("enter", "2", *keys("Washington announces"))
            assert isinstance(pilot.app.screen, OpenDecisionScreen)

        app = game_app(default_deck, mode="open")
        assert snap_compare(app, terminal_size=SIZE, run_before=entering)


class TestDialogs:
    def test_adjust(self, snap_compare, default_deck):
        assert snap_compare(game_app(default_deck), press=["a"], terminal_size=SIZE)

    def test_text(self, snap_compare, default_deck):
        press = ["n", *keys("The ROK delegation asked for a recess")]
        assert snap_compare(game_app(default_deck), press=press, terminal_size=SIZE)

    def test_confirm(self, snap_compare, default_deck):
        async def leaving(pilot):
            await pilot.press("l")
            assert isinstance(pilot.app.screen, ConfirmDialog)

        assert snap_compare(game_app(default_deck), terminal_size=SIZE, run_before=leaving)

    def test_choose_card(self, snap_compare, default_deck):
        async def choosing(pilot):
            await pilot.press("s", "enter")  # set the card aside: the next one may be chosen
            await pilot.pause()
            await pilot.press("c")
            await pilot.pause()
            assert isinstance(pilot.app.screen, ChooseCardDialog)

        assert snap_compare(game_app(default_deck), terminal_size=SIZE, run_before=choosing)


class TestHoldOutDecks:
    """Decks of other shapes than the default: four seats and thirteen meters (an escalation
    track on 0..10, opinion on -50..50, a ten-letter band, a declared group), and two seats
    with one meter. Every seat, label, band and column shows whole at both sizes."""

    @pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["120x40", "80x24"])
    @pytest.mark.parametrize("name", ["holdout-four", "holdout-one-meter"])
    def test_board(self, snap_compare, name, size):
        from pathlib import Path

        from wargame.store.decks import load_deck

        deck = load_deck(Path(__file__).parent / "data" / f"{name}.toml")
        app = app_for(Path("saves"), deck=deck, seed=7)
        app.animation_level = "none"
        assert snap_compare(app, terminal_size=size)
