"""Browser seats: the join screen served to browsers by textual-serve, in the host's own
event loop. Each browser tab runs `wargame join URL` on the host machine, with no code:
the code is asked inside the app (textual-serve itself has no login), so a tab that does
not know a code sees nothing of the game."""

from __future__ import annotations

import shlex
import sys

from aiohttp import web
from textual_serve.server import Server


class _QuietServer(Server):
    """textual-serve's server without its banner (the host's screen is a TUI)."""

    async def on_startup(self, app: web.Application) -> None:
        return None

    async def handle_index(self, request: web.Request):  # type: ignore[override]
        # Links back to wherever the browser reached us: the bind address may be 0.0.0.0.
        self.public_url = f"{request.scheme}://{request.host}"
        return await super().handle_index(request)


class BrowserSeats:
    def __init__(self, seats_url: str, bind: str = "127.0.0.1", port: int = 0) -> None:
        self.seats_url = seats_url
        self.bind, self.port = bind, port
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> str:
        """Serve; returns the address to open in a browser."""
        # The join app runs here, beside the host: it reaches the seats' port locally.
        local = self.seats_url.replace("//0.0.0.0:", "//127.0.0.1:")
        command = " ".join(shlex.quote(a) for a in (sys.executable, "-m", "wargame", "join", local))
        server = _QuietServer(command, host=self.bind, port=self.port, title="wargame — join")
        app = await server._make_app()
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.bind, self.port)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
