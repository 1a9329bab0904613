"""The Textual workarounds in `wargame/tui/compat.py`: each defect still reproduces without
its workaround, and the workaround cures it. When one of these fails saying the defect no
longer reproduces, upstream has fixed it: remove the workaround (and this test)."""

from __future__ import annotations

import gc
import weakref

import pytest
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static, TextArea

from wargame.tui.compat import clear_render_caches, drop_watchers, render_cache_of

pytestmark = pytest.mark.slow  # whole games, leak counts or snapshots


class Closing(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("a widget that is drawn", id="drawn")
        yield TextArea("a box that watches the app's theme", id="box")


class Host(App[None]):
    pass


async def settle(pilot, ref: weakref.ref, tries: int = 30) -> bool:
    """Whether `ref` is dead once the closed screen's widgets have had time to finish."""
    for _ in range(tries):
        gc.collect()
        if ref() is None:
            return True
        await pilot.pause(0.02)
    return False


async def test_textual_6665_closed_screens_render_caches_stay_in_the_lru_cache():
    app = Host()
    async with app.run_test(size=(60, 10)) as pilot:
        clear_render_caches()
        await app.push_screen(Closing())
        await pilot.pause()
        cache = weakref.ref(render_cache_of(app.screen.query_one("#drawn")))
        app.pop_screen()
        await pilot.pause()
        leaked = not await settle(pilot, cache)
        assert leaked, (
            "textual#6665 no longer reproduces: a closed screen's render cache is freed "
            "without help. Remove clear_render_caches from wargame/tui/compat.py."
        )
        clear_render_caches()
        assert await settle(pilot, cache), "clear_render_caches no longer frees it"


async def test_textual_6666_a_removed_widget_stays_watched_until_the_value_changes():
    app = Host()
    async with app.run_test(size=(60, 10)) as pilot:
        await app.push_screen(Closing())
        await pilot.pause()
        box = weakref.ref(app.screen.query_one(TextArea))
        app.pop_screen()
        await pilot.pause()
        clear_render_caches()  # the other leak, not this one
        leaked = not await settle(pilot, box)
        assert leaked, (
            "textual#6666 no longer reproduces: a removed TextArea is not held by the app's "
            "theme watchers. Remove drop_watchers from wargame/tui/compat.py (and its callers)."
        )
        drop_watchers(app, lambda owner: not owner.is_attached)
        assert await settle(pilot, box), "drop_watchers no longer lets it go"
