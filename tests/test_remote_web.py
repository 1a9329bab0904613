"""A browser seat: `--web` serves the join app through textual-serve; headless Chromium
opens it, types the code inside the app, and the team decides from the browser.

Skipped when Chromium or Playwright is missing (`apt-get install chromium`,
`pip install playwright`); Playwright never downloads a browser here."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
from pathlib import Path

import pytest

from tests.remote_helpers import TIMEOUT, running_host
from wargame.remote.web import BrowserSeats

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Where the screenshot is left for a person to look at (the test's own folder otherwise).
SHOTS = os.environ.get("WARGAME_SCREENSHOTS")


async def wait_for(
    check, what: str, page=None, shot: Path | None = None, timeout: float = TIMEOUT
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            if page is not None and shot is not None:
                await page.screenshot(path=str(shot))
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def test_browser_seat_joins_and_decides(default_deck, tmp_path):
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    playwright_api = pytest.importorskip("playwright.async_api", reason="playwright not installed")
    shots = Path(SHOTS) if SHOTS else tmp_path
    async with running_host(default_deck, tmp_path / "saves") as host:
        web = BrowserSeats(host.url, "127.0.0.1", 0)
        url = await web.start()
        try:
            async with playwright_api.async_playwright() as p:
                browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                try:
                    page = await browser.new_page(viewport={"width": 1280, "height": 800})
                    await page.goto(url, timeout=TIMEOUT * 1000)
                    # The join app starts in its own process and asks for the code; the
                    # page is a canvas, so keep typing the code until the seat is on line
                    # (keys sent before the app is up are lost).
                    await page.wait_for_timeout(2000)
                    await page.screenshot(path=str(shots / "web-code.png"))
                    for _attempt in range(4):
                        # A click on the code box (at 1280×800, 16 px type) gives it the keys.
                        await page.mouse.click(320, 206)
                        for _ in range(20):
                            await page.keyboard.press("Backspace")
                        await page.keyboard.type(host.code("US"))
                        await page.keyboard.press("Enter")
                        with contextlib.suppress(AssertionError):
                            await wait_for(
                                lambda: host.service.connected() == ["US"], "", timeout=8
                            )
                            break
                    await wait_for(
                        lambda: host.service.connected() == ["US"],
                        "the browser seat to join",
                        page,
                        shots / "web-failed.png",
                    )
                    await page.wait_for_timeout(1500)
                    await page.keyboard.press("Enter")  # open the decision
                    await page.wait_for_timeout(1000)
                    await page.keyboard.press("1")
                    await page.keyboard.type("decided in a browser")
                    await page.wait_for_timeout(500)
                    await page.screenshot(path=str(shots / "web-decision.png"))
                    await page.keyboard.press("Control+s")
                    await wait_for(
                        lambda: "US" in host.game.state.decisions,
                        "the decision",
                        page,
                        shots / "web-failed.png",
                    )
                    await page.wait_for_timeout(1000)
                    await page.screenshot(path=str(shots / "web-board.png"))
                finally:
                    await browser.close()
        finally:
            await web.stop()
    decided = host.game.events[-1]
    assert decided.seat == "US" and decided.rationale == "decided in a browser"
    assert decided.option == default_deck.card(decided.card).options_for("US")[0].id
