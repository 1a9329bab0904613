"""`wargame join`: one seat's own screen of a hosted game — its brief, the card, the public
meters and log, and its own decision screen. Everything shown comes from the host's view
for this seat (`wargame.remote.views`); decisions go back as commands.

While the team types, its draft goes to the host every moment it changes, so a screen that
drops (or a terminal that is closed) and joins again gets the half-typed decision back."""

from __future__ import annotations

import ssl
import time
from typing import Any

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Label, RichLog, Static, TextArea

from wargame.i18n import N_, _
from wargame.model.game import Event, TurnResolved
from wargame.remote.client import JoinRefused, SeatClient
from wargame.tui.screens.decide import Choice, DecisionScreen
from wargame.tui.widgets.card import CardView
from wargame.tui.widgets.footer import Footer
from wargame.tui.widgets.log import describe
from wargame.tui.widgets.meters import MeterPanel
from wargame.tui.widgets.seats import SeatsPanel

DRAFT_EVERY = 0.3  # seconds between checks for a changed draft


class CodeScreen(Screen[str]):
    """Asks for the join code (always, in a browser: textual-serve has no login)."""

    BINDINGS = [Binding("escape", "quit", N_("Quit"), tooltip=N_("Leave"), id="code.quit")]

    def __init__(self, url: str, problem: str = "") -> None:
        super().__init__(classes="join-code")
        self.url, self.problem = url, problem

    def compose(self) -> ComposeResult:
        with Vertical(id="code-box"):
            yield Label(Text(_("Join a hosted game"), style="bold"))
            yield Label(Content(_("Host: {url}").format(url=self.url)))
            yield Label(_("Your team's join code (from the facilitator):"))
            yield Input(placeholder="XXXX-XXXX-XXXX", id="code-input", password=True)
            yield Button(_("Join"), id="code-join", variant="primary")
            yield Label(Text(self.problem, style="bold red"), id="code-problem")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#code-join")
    def _join(self) -> None:
        code = self.query_one(Input).value.strip()
        if code:
            self.dismiss(code)

    def action_quit(self) -> None:
        self.app.exit()


class SeatDecisionScreen(DecisionScreen):
    """The hot-seat decision screen, reporting its draft to the host as the team types,
    and starting from the draft the host kept."""

    def __init__(self, client: SeatClient, draft: dict[str, Any] | None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.start_draft = draft
        self.sent: tuple[str | None, str] | None = None

    def on_mount(self) -> None:
        super().on_mount()
        draft = self.start_draft
        if draft and draft.get("card") == self.card.id:
            ids = [o.id for o in self.options]
            if draft.get("option") in ids:
                self.action_pick(ids.index(draft["option"]))
            if draft.get("rationale"):
                box = self.query_one(TextArea)
                box.load_text(draft["rationale"])
                box.move_cursor(box.document.end)
            self.sent = self._draft()
        self.set_interval(DRAFT_EVERY, self._report)

    def _draft(self) -> tuple[str | None, str]:
        option = None if self.picked is None else self.options[self.picked].id
        return option, self.query_one(TextArea).text

    async def _report(self) -> None:
        draft = self._draft()
        if draft != self.sent and await self.client.draft(self.card.id, *draft):
            self.sent = draft


class SeatScreen(Screen[None]):
    """The seat's board: card, meters, log, who has decided; its decision when it is due."""

    BINDINGS = [
        Binding(
            "enter,t",
            "decide",
            N_("Decide"),
            tooltip=N_("Open your team's decision"),
            id="seat.decide",
        ),
    ]

    def __init__(self, client: SeatClient) -> None:
        super().__init__(classes="board seat-board")
        self.client = client
        self.view = client.view
        self.status = "connected"

    def compose(self) -> ComposeResult:
        assert self.view.deck is not None and self.view.state is not None
        with Horizontal(id="status-bar"):
            yield Static(id="status")
            yield Static(Content(self.view.deck.deck.title), id="deck-title")
        with Horizontal(id="board"):
            with Vertical(id="board-left"):
                yield CardView(id="card")
                yield Static(id="hint")
                yield RichLog(id="log", wrap=True, markup=False, auto_scroll=True, min_width=20)
            with Vertical(id="board-right"):
                yield MeterPanel(self.view.deck, self.view.state, id="meters")
                yield SeatsPanel()
        yield Footer()

    def on_mount(self) -> None:
        self.write_log(self.view.events)
        self.refresh_board(animate=False)
        if self.view.to_decide and self.view.draft:
            self.call_after_refresh(self.action_decide)  # back to the half-typed decision

    def write_log(self, events: list[Event]) -> None:
        view = self.view
        assert view.deck is not None and view.state is not None
        log = self.query_one(RichLog)
        for ev in events:
            line = describe(view.deck, view.state, ev)
            if line is not None:
                log.write(line)

    def refresh_board(self, animate: bool = True) -> None:
        view = self.view
        state = view.state
        assert state is not None
        card, deck = view.card, view.deck
        self.query_one(CardView).show(
            card,
            idle=_("The table is clear: wait for the inject."),
            category=deck.category_label(card.category) if card and deck else None,
        )
        self.query_one(MeterPanel).show_state(state, animate=animate)
        self.query_one("#hint", Static).update(Text(self._hint(), style="bold"))
        self.query_one("#seats", Static).update(self._seats_text())
        who = view.name()
        phase = {
            "draw": _("Waiting for the next inject"),
            "deciding": _("Deciding"),
            "ended": _("Game over"),
        }
        text = Text(
            _(" Turn {turn}/{turns} ").format(turn=state.turn, turns=state.turns),
            style="bold reverse",
        )
        text += Text(_(" {who} · {phase} · hosted · ").format(who=who, phase=phase[state.phase]))
        text += Text(self.status, style="green" if self.status == "connected" else "bold red")
        self.query_one("#status", Static).update(text)
        self.refresh_bindings()

    def _hint(self) -> str:
        view, state = self.view, self.view.state
        assert state is not None
        if state.ended and state.outcome is not None:
            out = state.outcome
            from wargame.aar.text import ending_words  # loaded when a game ends

            title, text = ending_words(out.reason, out.turn, out.title, out.text)
            return _("Game over: {title}. {text}").format(title=title, text=text)
        if view.seat is None:
            return _("Observing: the board and the log, as the room sees them.")
        if view.to_decide:
            return _("Your team decides: Enter opens your decision.")
        if state.phase == "deciding":
            return _("Decision sent. Waiting for the other teams and the resolution.")
        return _("Waiting for the facilitator to reveal the next inject.")

    def _seats_text(self) -> Text:
        view, state = self.view, self.view.state
        assert view.deck is not None and state is not None
        text = Text(_("Teams (▸ yours; dim: not on line)\n"), style="bold")
        live = set(view.connected)
        for seat in view.deck.seat_ids():
            if state.phase != "deciding":
                mark, style = "·", "dim"
            elif seat in state.decisions:
                mark, style = _("✓ decided"), "green"
            else:
                mark, style = _("… to decide"), "yellow"
            you = seat == view.seat
            look = ("bold " if you else "") + ("" if seat in live else "dim")
            text += Text(f"{'▸' if you else ' '} {view.name(seat):<20} ", style=look.strip())
            text += Text(mark, style=style) + "\n"
        return text

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "decide":
            return self.view.to_decide
        return True

    def action_decide(self) -> None:
        view = self.view
        card = view.card
        if not view.to_decide or card is None or view.deck is None or view.seat is None:
            return
        if isinstance(self.app.screen, SeatDecisionScreen):
            return
        seat = next(s for s in view.deck.seats if s.id == view.seat)
        screen = SeatDecisionScreen(
            self.client,
            view.draft,
            seat,
            view.name(),
            card,
            time.monotonic,
            unavailable=view.unavailable.get(card.id, {}),
            private=card.private.get(seat.id, ""),
        )
        self.app.push_screen(screen, self._decided)

    def _decided(self, choice: Choice | None) -> None:
        if choice is not None:
            self.run_worker(self._send(choice))

    async def _send(self, choice: Choice) -> None:
        if not await self.client.decide(choice.option, choice.rationale, choice.seconds):
            self.notify(_("Not connected: the decision was not sent. Try again."), severity="error")

    # --- from the host ------------------------------------------------------------------

    def took(self, msg: dict[str, Any], events: list[Event]) -> None:
        """A message from the host has been applied to the view: show it."""
        if msg.get("type") == "error":
            self.notify(msg.get("message", ""), title=_("Not now"), severity="error", markup=False)
            return
        if msg.get("type") == "welcome":
            self.query_one(RichLog).clear()
            events = self.view.events
        self.write_log(events)
        self.refresh_board()
        screen = self.app.screen
        view = self.view
        if isinstance(screen, SeatDecisionScreen) and (
            not view.to_decide or view.card is None or screen.card.id != view.card.id
        ):
            screen.dismiss(None)  # decided elsewhere, skipped or undone: back to the board
        for ev in events:
            if isinstance(ev, TurnResolved) and msg.get("type") == "update":
                self.show_resolution(ev)

    def show_resolution(self, resolved: TurnResolved) -> None:
        from wargame.tui.screens.resolution import ResolutionScreen

        view = self.view
        assert view.deck is not None and view.state is not None
        before = view.state.undo_stack[-1].state if view.state.undo_stack else view.state
        self.app.push_screen(ResolutionScreen(view.deck, before, view.state, resolved))

    def connection(self, status: str) -> None:
        self.status = status
        if self.is_attached and self.view.state is not None:
            self.refresh_board(animate=False)


class JoinApp(App[int]):
    CSS_PATH = ["../wargame.tcss", "remote.tcss"]
    TITLE = "wargame — join"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    def __init__(
        self, url: str, code: str | None = None, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        super().__init__()
        self.url, self.code, self.ssl_context = url, code, ssl_context
        self.client: SeatClient | None = None
        self.board: SeatScreen | None = None

    def on_mount(self) -> None:
        if self.code:
            self.run_worker(self.join(self.code))
        else:
            self.ask_code()

    def ask_code(self, problem: str = "") -> None:
        def given(code: str | None) -> None:
            if code:
                self.run_worker(self.join(code))

        self.push_screen(CodeScreen(self.url, problem), given)

    async def join(self, code: str) -> None:
        client = SeatClient(
            self.url,
            code,
            on_message=self._message,
            on_status=self._status,
            ssl_context=self.ssl_context,
        )
        try:
            await client.join()
        except JoinRefused as exc:
            self.ask_code(_("Not joined: {reason}.").format(reason=exc.reason))
            return
        except (OSError, TimeoutError) as exc:
            self.ask_code(_("Cannot reach the host: {value}.").format(value=exc or _("no answer")))
            return
        self.client = client
        self.board = SeatScreen(client)
        if isinstance(self.screen, CodeScreen):
            self.switch_screen(self.board)
        else:
            self.push_screen(self.board)

    def _message(self, msg: dict[str, Any], events: list[Event]) -> None:
        if self.board is not None and self.board.is_mounted:
            self.board.took(msg, events)

    def _status(self, status: str) -> None:
        if self.board is not None:
            self.board.connection(status)

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.close()


def run_join(url: str, code: str | None, ssl_context: ssl.SSLContext | None = None) -> int:
    app = JoinApp(url, code, ssl_context)
    result = app.run()
    return app.return_code or int(result or 0)
