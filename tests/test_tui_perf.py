"""Performance guards for the TUI (issue #7): what a long game must not keep."""

from __future__ import annotations

import gc

import pytest
from textual.widget import Widget

from wargame.tui.compat import StylesCache, render_cache_of
from wargame.tui.screens.game import GameScreen

from .tui_helpers import app_for, collected, is_footer_key

pytestmark = pytest.mark.slow  # whole games, leak counts or snapshots


def alive(kind: type) -> list:
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, kind)]


def footer_keys() -> int:
    gc.collect()
    return sum(is_footer_key(o) for o in gc.get_objects())


def orphan_render_caches() -> int:
    """Render caches (StylesCache) that no live widget owns."""
    owned = {id(render_cache_of(node)) for node in alive(Widget)}
    return sum(id(cache) not in owned for cache in alive(StylesCache))


async def play_turn(pilot, game) -> None:
    if game.state.phase == "draw":
        await pilot.press("enter")  # reveal
    await pilot.press("enter")  # hand over
    while game.pending:
        await pilot.press("enter", "1", "ctrl+s")
        await pilot.pause()
    await pilot.press("enter")  # resolve
    await pilot.pause()
    await pilot.press("enter")  # close the resolution
    await pilot.pause()


async def test_turns_leave_no_footer_keys_or_render_caches_behind(tmp_path, default_deck):
    """The board's footer keeps only the keys it shows (it kept every key it ever showed,
    textual#6666), and the render caches of closed screens go with them (Textual's
    StylesCache.get_inner_outer kept up to 1,024 of them, textual#6665): ~5 MiB a turn."""
    app = app_for(tmp_path, deck=default_deck, seed=1)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            game = app.screen.game
            await play_turn(pilot, game)
            keys, orphans = footer_keys(), orphan_render_caches()
            for _ in range(2):
                await play_turn(pilot, game)
            assert isinstance(app.screen, GameScreen)
            assert await collected(
                pilot, lambda: footer_keys() <= keys and orphan_render_caches() <= orphans
            )
    finally:
        app.close_saves()
