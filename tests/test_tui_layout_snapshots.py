"""The screens that must read well at 80×24 and at 120×40, with the default deck and with a
deck in Korean and Japanese (tests/data/cjk.toml: wide characters, long titles and labels):
resolution, game over, launcher with saves, the after-action review's timeline and turning
points, the hot wash and a decision. Nothing may be cut or pushed off the edge: long text
wraps, and where it cannot fit the columns stack and the screen scrolls.

Update deliberately with `--snapshot-update`, then look at every picture."""

from __future__ import annotations

from pathlib import Path

import pytest

from wargame.store.decks import load_deck

from .test_tui_snapshots import (  # noqa: F401 (steady_screen: an autouse fixture)
    decide_all,
    game_app,
    launcher_on_row,
    steady_screen,
    to_ending,
)
from .tui_helpers import keys

pytestmark = pytest.mark.slow  # snapshots

CJK = Path(__file__).parent / "data" / "cjk.toml"
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


@pytest.fixture
def deck(request, default_deck):
    return default_deck if request.param == "default" else load_deck(CJK)


def decks_and_sizes(test):
    """Each test once per deck and per terminal size."""
    test = pytest.mark.parametrize("deck", ["default", "cjk"], indirect=True)(test)
    return SIZES(test)


class TestReadsAtEverySize:
    @decks_and_sizes
    def test_resolution(self, snap_compare, deck, size):
        async def resolved(pilot):
            await decide_all(pilot)
            await pilot.press("enter")
            await pilot.pause()

        assert snap_compare(game_app(deck), terminal_size=size, run_before=resolved)

    @decks_and_sizes
    def test_ending(self, snap_compare, deck, size):
        assert snap_compare(game_app(deck, turns=1), terminal_size=size, run_before=to_ending)

    @decks_and_sizes
    def test_decision(self, snap_compare, deck, size):
        async def deciding(pilot):
            await pilot.press("enter", "enter", "2", *keys("why"))
            await pilot.pause()

        assert snap_compare(game_app(deck), terminal_size=size, run_before=deciding)

    @decks_and_sizes
    @pytest.mark.parametrize("tab", ["tab-timeline", "tab-turning"])
    def test_aar(self, snap_compare, deck, size, tab):
        """The review's timeline (its filters) and its turning points."""
        from textual.widgets import TabbedContent

        async def review(pilot):
            await to_ending(pilot)
            await pilot.press("a")
            await pilot.pause()
            pilot.app.screen.query_one(TabbedContent).active = tab
            await pilot.pause()

        assert snap_compare(game_app(deck, turns=1), terminal_size=size, run_before=review)

    @decks_and_sizes
    def test_hotwash(self, snap_compare, deck, size):
        async def hotwash(pilot):
            await to_ending(pilot)
            await pilot.press("h", *keys("Seoul and Tokyo talked directly"))
            await pilot.pause()

        assert snap_compare(game_app(deck, turns=1), terminal_size=size, run_before=hotwash)

    @decks_and_sizes
    def test_launcher_with_saves(self, snap_compare, deck, size):
        """A game in play and a finished one of this deck, the newest highlighted."""
        import os
        import random

        from wargame.engine import Game
        from wargame.store.saves import write_save

        at = "2026-11-22T09:00:00+00:00"
        first = deck.seats[0].id
        playing = Game.start(deck, seed=3, team_names={first: "Blue House 청와대"}, at=at)
        playing.draw(at=at)
        done = Game.start(deck, seed=4, turns=2, mode="open", at=at)
        rng = random.Random(4)
        while not done.state.ended:
            done.draw(at=at)
            for seat in done.pending:
                option = rng.choice(done.card.options_for(seat)).id
                done.decide(seat, option, "why", at=at)
            done.resolve(at=at)
        for day, game in ((22, playing), (21, done)):
            path = Path("saves") / f"{deck.id}-202611{day}-090000.toml"
            write_save(path, deck, game.events)
            when = 1_795_000_000 + day * 86_400
            os.utime(path, (when, when))
        app, settle = launcher_on_row(0)
        assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("deck", ["default", "cjk"], indirect=True)
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_the_meters_stack_under_the_resolution_when_narrow(deck, size):
    """Side by side at 120 columns; at 80 the meters go under the text at full width, and
    the keys scroll the whole screen down to them (the body itself cannot scroll)."""
    from wargame.tui.screens.resolution import ResolutionScreen

    app = game_app(deck)
    async with app.run_test(size=size) as pilot:
        await decide_all(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ResolutionScreen)
        body = app.screen.query_one("#resolution-body").region
        side = app.screen.query_one("#resolution-side").region
        layout = app.screen.query_one("#resolution-layout")
        if size[0] < 110:
            assert side.y >= body.bottom and body.width >= size[0] - 2
            assert layout.max_scroll_y > 0
            await pilot.press("end")
            await pilot.pause()
            assert layout.scroll_y == layout.max_scroll_y
        else:
            assert side.x >= body.right and side.y == body.y
