"""Workarounds for Textual defects, in one place, each with the upstream issue it waits for.

Nothing else in wargame touches Textual's private parts. `tests/test_tui_compat.py` checks
that each defect still reproduces without its workaround, and fails, saying which workaround
to remove, once upstream has fixed it.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual._styles_cache import StylesCache
from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget

__all__ = [
    "StylesCache",
    "clear_render_caches",
    "drop_watchers",
    "on_frame",
    "render_cache_of",
    "send_key",
]


def clear_render_caches() -> None:
    """Let closed screens' widgets go (textual#6665).

    Textual caches `StylesCache.get_inner_outer` with an `lru_cache` on the method, so the
    cache keys hold up to 1,024 widgets' render caches alive after their screens have closed
    (some 5 MiB a turn on the board). The board calls this whenever it is shown again, when
    the screens above it are gone."""
    StylesCache.get_inner_outer.cache_clear()


def drop_watchers(watched: DOMNode, gone: Callable[[DOMNode], bool]) -> None:
    """Drop the watchers on `watched` whose owner is `gone` (textual#6666).

    Textual has no public way to unwatch, and prunes a closed owner's watchers only when the
    watched value next changes: a TextArea watching the app's theme, or a footer key bound to
    the footer's `compact`, stays in memory until then, which may be never."""
    for watchers in getattr(watched, "__watchers", {}).values():
        watchers[:] = [(owner, call) for owner, call in watchers if not gone(owner)]


def render_cache_of(widget: Widget) -> StylesCache:
    """A widget's render cache, for the memory tests that count orphaned ones."""
    return widget._styles_cache


def on_frame(app: App, callback: Callable[[Screen], None]) -> None:
    """Call `callback(screen)` after each frame the compositor hands to the driver: the
    benchmarks' measure of a key's latency (Textual has no public frame hook)."""
    display = app._display

    def hooked(screen: Screen, renderable: object) -> None:
        display(screen, renderable)  # type: ignore[arg-type]
        if renderable is not None:
            callback(screen)

    app._display = hooked  # type: ignore[method-assign]


def send_key(app: App, key: str) -> None:
    """A key as the terminal driver sends it (not through Pilot, which waits for the app
    to settle and so would hide the latency being measured)."""
    assert app._driver is not None
    app._driver.send_message(events.Key(key, key))
