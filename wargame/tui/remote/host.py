"""The facilitator's board of a hosted game: the board as in hot-seat play, serving the
seats over the network. Teams decide on their own screens; the White Cell stays here."""

from __future__ import annotations

import asyncio
import ssl

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import RichLog, Static

from wargame import engine
from wargame.i18n import N_, _
from wargame.model.game import Event
from wargame.remote.host import HostService
from wargame.remote.session import HostedGame
from wargame.tui.app import WargameApp
from wargame.tui.screens.game import GameScreen
from wargame.tui.widgets.footer import Footer
from wargame.tui.widgets.log import describe


class CodesScreen(ModalScreen[None]):
    """The address and every join code: for the facilitator's eyes, not the projector's."""

    BINDINGS = [
        Binding("escape,j", "close", N_("Close"), tooltip=N_("Back to the board"), id="codes.close")
    ]

    def __init__(self, lines: list[str]) -> None:
        super().__init__(classes="codes")
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(id="codes-box"):
            yield Static(Text(_("Join codes — hand each team its own"), style="bold"))
            yield Static(Text("\n".join(self.lines)), id="codes-text")
            yield Static(Text(_("Esc: back to the board"), style="dim"))
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)


class HostScreen(GameScreen):
    BINDINGS = [
        Binding(
            "j",
            "codes",
            N_("Join codes"),
            tooltip=N_("The address and each seat's code"),
            id="host.codes",
        )
    ]

    def __init__(self, hosted: HostedGame, service: HostService, *args, **kwargs) -> None:
        super().__init__(hosted.game, hosted.path, *args, **kwargs)
        self.hosted = hosted
        self.service = service
        self.web_url = ""

    def resume_flow(self) -> None:
        # The seats decide on their own screens: no hand-off here.
        if self.game.state.ended:
            self.show_ending()

    def action_decide(self) -> None:
        """Teams connected decide on their own screens; the White Cell may still enter the
        decision of a team that is not connected (hot-seat style)."""
        offline = [s for s in self.game.pending if s not in self.service.connected()]
        if offline:
            super().action_decide()
            return
        names = ", ".join(
            engine.seat_name(self.game.deck, self.game.state, s) for s in self.game.pending
        )
        self.notify(
            _("Waiting for {names}: they decide on their own screens.").format(names=names),
            markup=False,
        )

    def refresh_board(self) -> None:
        super().refresh_board()
        if self.next_step() == "decide":
            # The seats see the card as it is drawn: that is the hand-over, and the clock runs.
            self.call_later(self.start_clock)
            offline = [s for s in self.game.pending if s not in self.service.connected()]
            hint = _("The teams decide on their own screens; the board shows who is done.")
            if offline:
                hint += _(" Enter: enter a team's decision here.")
            self.query_one("#hint", Static).update(Text(hint, style="bold"))

    def show_remote(self, events: list[Event]) -> None:
        """Events a seat's command made: into the log, and onto the board."""
        log = self.query_one(RichLog)
        for ev in events:
            line = describe(self.game.deck, self.game.state, ev)
            if line is not None:
                log.write(line)
        self.refresh_board()

    def _seats_text(self) -> Text:
        text = super()._seats_text()
        live = set(self.service.connected())
        text += Text(_("\nOn line: "), style="bold")
        seats = self.game.deck.seat_ids()
        text += Text(", ".join(s for s in seats if s in live) or _("no team yet"))
        if self.service.observers():
            text += Text(_(" · {observers} observing").format(observers=self.service.observers()))
        text += Text(
            _("\n{value}  (j: join codes)").format(value=self.service.url or _("starting…")),
            style="dim",
        )
        return text

    def action_codes(self) -> None:
        from wargame.remote.session import describe_codes

        lines = describe_codes(self.hosted, self.service.url)
        if self.web_url:
            lines.insert(1, _("browsers {web_url}").format(web_url=self.web_url))
        self.app.push_screen(CodesScreen(lines))


class HostApp(WargameApp):
    """`wargame host`: straight onto the host board of one game."""

    CSS_PATH = ["../wargame.tcss", "remote.tcss"]

    def __init__(
        self,
        hosted: HostedGame,
        *,
        bind: str = "127.0.0.1",
        port: int = 0,
        ssl_context: ssl.SSLContext | None = None,
        web_port: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.hosted = hosted
        self.bind, self.port, self.ssl_context, self.web_port = bind, port, ssl_context, web_port
        self.service = HostService(
            hosted.game,
            hosted.codes,
            now=self.now,
            on_events=self._seat_events,
            on_presence=self._presence,
        )
        self.board: HostScreen | None = None

    def launch(self) -> None:
        self.deferred_launch = False
        game = self.hosted.game
        self._autosave(game, self.hosted.path)
        if (
            not self.hosted.resumed
            and "draw" in game.legal
            and engine.can_draw(game.deck, game.state)
        ):
            game.draw(at=self._stamp())
        self.board = HostScreen(
            self.hosted,
            self.service,
            self.clock,
            self.now,
            self.breakpoints(),
            turn_minutes=self.turn_minutes,
        )
        self.push_screen(self.board)
        self.run_worker(self._serve(), name="host", exit_on_error=False)

    async def _serve(self) -> None:
        web = None
        try:
            try:
                await self.service.start(self.bind, self.port, self.ssl_context)
                if self.web_port is not None:
                    from wargame.remote.web import BrowserSeats

                    web = BrowserSeats(self.service.url, self.bind, self.web_port)
                    if self.board is not None:
                        self.board.web_url = await web.start()
            except OSError as exc:
                self.exit(
                    1,
                    message=_("wargame: cannot serve on {bind}:{port}: {exc}").format(
                        bind=self.bind, port=self.port, exc=exc
                    ),
                )
                return
            self._presence()
            await asyncio.Event().wait()  # until the app closes and cancels this worker
        finally:
            if web is not None:
                await web.stop()
            await self.service.stop()

    def _seat_events(self, events: list[Event]) -> None:
        if self.board is not None and self.board.is_mounted:
            self.board.show_remote(events)

    def _presence(self) -> None:
        if self.board is not None and self.board.is_mounted:
            self.board.refresh_board()

    def on_unmount(self) -> None:
        # Every event is on disk before the app is gone, and no saver outlives it.
        self.close_saves()

    def leave_game(self) -> None:
        """Leaving a hosted game stops hosting it: it is saved, and `--resume` hosts it again."""
        self.close_saves()
        self.exit()


def run_host(hosted: HostedGame, **kwargs) -> int:
    app = HostApp(hosted, **kwargs)
    try:
        result = app.run()
    finally:
        app.close_saves()
    return app.return_code or int(result or 0)
