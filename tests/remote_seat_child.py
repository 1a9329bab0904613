"""A seat's process for the fault tests: joins with the real join app (headless), opens
its decision, picks and half-types a rationale, says "typed", then waits to be killed."""

from __future__ import annotations

import asyncio
import sys

from wargame.tui.remote.join import JoinApp, SeatDecisionScreen


async def main(url: str, code: str, text: str) -> None:
    app = JoinApp(url, code)
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.board or not app.board.is_mounted:
            await pilot.pause(0.05)
        await pilot.press("enter")
        while not isinstance(app.screen, SeatDecisionScreen):
            await pilot.pause(0.05)
        await pilot.press("2", *text)
        screen = app.screen
        while getattr(screen, "sent", None) != (screen.options[1].id, text):
            await pilot.pause(0.05)  # until the draft has gone to the host
        print("typed", flush=True)
        await asyncio.sleep(3600)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
