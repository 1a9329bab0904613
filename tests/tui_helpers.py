"""Helpers for driving the app like a person: keys only, a fixed clock, a private saves folder."""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from wargame.tui.app import WargameApp, make_app

START = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


class FakeClock:
    """A clock that moves only when told (or by a fixed step each time it is read)."""

    def __init__(self, step: float = 0.0) -> None:
        self.t = 0.0
        self.step = step

    def __call__(self) -> float:
        self.t += self.step
        return self.t

    def now(self) -> datetime:
        return START + timedelta(seconds=self.t)


def app_for(tmp: Path, step: float = 0.0, **kwargs) -> WargameApp:
    clock = FakeClock(step)
    return make_app(saves=tmp, clock=clock, now=clock.now, **kwargs)


def keys(text: str) -> list[str]:
    """Key names that type `text` into a focused text box."""
    names = {" ": "space", ".": "full_stop", ",": "comma", "-": "minus", "'": "apostrophe"}
    return [names.get(ch, ch) for ch in text]


def screen_text(app: WargameApp) -> str:
    """Everything the screen shows, as plain text (from a rendered screenshot)."""
    import re
    from html import unescape

    svg = app.export_screenshot()
    return unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def is_footer_key(obj: object) -> bool:
    """A key of a footer (Textual's FooterKey, which only a private module exports)."""
    from textual.widget import Widget

    return isinstance(obj, Widget) and type(obj).__name__ == "FooterKey"


async def collected(pilot, check: Callable[[], bool], tries: int = 50) -> bool:
    """Whether `check` holds after a garbage collection, giving removed widgets up to `tries`
    short pauses to finish closing: under load a widget's message task can still be shutting
    down, holding it, just after its screen is gone. A leak fails every try."""
    for _ in range(tries):
        gc.collect()
        if check():
            return True
        await pilot.pause(0.02)
    return False


async def wait_until(pilot, check: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Whether `check` comes to hold within `timeout` seconds, checked after each pause: a
    condition to wait on instead of a fixed sleep, which is too short on a loaded machine
    and too long on a quiet one. Use as `assert await wait_until(pilot, ...)`."""
    import time

    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        await pilot.pause(0.01)
    return True


async def wait_for_screen(pilot, kind: type) -> bool:
    """Whether the app comes to show a screen of `kind` (see `wait_until`)."""
    return await wait_until(pilot, lambda: isinstance(pilot.app.screen, kind))


async def wait_for_saves_listed(pilot) -> bool:
    """Whether the launcher comes to show its saves list with a game in play: it lists them
    from a worker, and the table draws them on a later frame."""
    await pilot.app.workers.wait_for_complete()
    return await wait_until(pilot, lambda: "in play" in screen_text(pilot.app))


async def palette_offers(pilot, query: str = "") -> list[str]:
    """Open the command palette, type `query`, and read what it offers once the search is
    done: every legal game action that matches is listed, and the list is not empty (with no
    match at all, Textual adds "No matches found"). Then close it."""
    from textual.command import CommandList, CommandPalette

    from wargame.tui.actions import GAME_ACTIONS, PlaysGame

    board = pilot.app.screen
    expected = set()
    if isinstance(board, PlaysGame):
        legal = [a.title for a in GAME_ACTIONS if a.legal(board.game)]
        expected = {t for t in legal if query.lower() in t.lower()}
    await pilot.press("ctrl+p", *keys(query))

    def titles() -> list[str]:
        palette = pilot.app.screen
        if not isinstance(palette, CommandPalette):
            return []
        found = palette.query_one(CommandList)
        return [
            str(found.get_option_at_index(i).prompt).split("\n")[0]
            for i in range(found.option_count)
        ]

    assert await wait_until(pilot, lambda: bool(titles()) and expected <= set(titles()))
    shown = titles()
    await pilot.press("escape")
    await pilot.pause()
    return shown
