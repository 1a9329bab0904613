"""A seat's (or observer's) connection to a host, without any UI: the join screens, the
tests and the benchmark all use it.

`SeatView` is what the seat knows, rebuilt from the host's messages into a `Deck`, a
`GameState` and the public log, so the board's widgets can show it. `SeatClient` keeps
the connection: it joins with the code, applies each message to the view, sends
decisions and drafts, and reconnects by itself when the connection drops."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from wargame.engine import pending_seats, seat_name
from wargame.model.deck import Card, Deck
from wargame.model.game import Event, GameState, evolve
from wargame.remote import views
from wargame.remote.protocol import MAX_MESSAGE, dumps, ws_url

log = logging.getLogger(__name__)
RETRY_SECONDS = (0.2, 0.5, 1.0, 2.0)  # between reconnection attempts, then the last again
BUSY_WAIT = 30.0  # seconds a join waits for a seat's dropped connection to be noticed


class JoinRefused(Exception):
    """The host did not accept the code (wrong, already in use, rate-limited)."""

    def __init__(self, reason: str, retry: float | None = None, busy: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry
        self.busy = busy  # the seat is in use: perhaps by this seat's own dropped screen


@dataclass
class SeatView:
    """Everything one connection has been told, as models the widgets take."""

    role: str = "seat"  # seat | observer
    seat: str | None = None
    parts: dict[str, Any] = field(default_factory=dict)
    cards: dict[str, Card] = field(default_factory=dict)
    unavailable: dict[str, dict[str, str]] = field(default_factory=dict)  # card -> option -> why
    deck: Deck | None = None
    _history: list[dict[str, int]] | None = None
    _points: tuple = ()
    _base: dict[str, Any] | None = None  # the parts, validated (`views.deck_base`)
    state: GameState | None = None
    events: list[Event] = field(default_factory=list)
    draft: dict[str, Any] | None = None  # the host's copy of this seat's unsent decision
    connected: list[str] = field(default_factory=list)
    observers: int = 0

    def apply(self, msg: dict[str, Any]) -> list[Event]:
        """Take in one message from the host; returns the new events it brought."""
        kind = msg.get("type")
        if kind == "presence":
            self.connected = list(msg["connected"])
            self.observers = int(msg.get("observers", 0))
            return []
        if kind == "welcome":
            self.role, self.seat = msg["role"], msg["seat"]
            self.parts, self.cards, self.events, self.deck = msg["parts"], {}, [], None
            self._history, self._points, self._base = None, (), None
            self.draft = msg.get("draft")
            self.connected = list(msg.get("connected", []))
        elif kind != "update":
            return []
        new = [views.build_event(e) for e in msg["events"]]
        self.events.extend(new)
        if msg["cards"] or self.deck is None:
            # Only the cards sent are built again: the others have not changed.
            for data in msg["cards"]:
                card, self.unavailable[data["id"]] = views.build_card(data)
                self.cards[card.id] = card
            if self._base is None:
                self._base = views.deck_base(self.parts)
            self.deck = views.build_deck(self._base, self.cards.values())
        if kind == "welcome" or self.state is None:
            state = views.build_state(msg["state"])
        else:  # only what changed: patched into the state, which keeps its undo stack
            state = views.patch_state(self.state, msg["state"])
        history = msg.get("history")  # sent when it changes, as do the cards
        if history is not None and history != self._history:
            self._history = history
            self._points = views.history_points(state, history)
        if state.undo_stack is not self._points:
            state = evolve(state, {"undo_stack": self._points})
        self.state = state
        return new

    # What the screens ask.

    @property
    def card(self) -> Card | None:
        if self.deck is None or self.state is None or not self.state.card:
            return None
        return self.deck.card(self.state.card)

    @property
    def pending(self) -> list[str]:
        if self.deck is None or self.state is None:
            return []
        return pending_seats(self.deck, self.state)

    @property
    def to_decide(self) -> bool:
        """Whether this seat has a decision to make now."""
        return self.seat is not None and self.seat in self.pending

    def name(self, seat: str | None = None) -> str:
        seat = seat or self.seat
        if seat is None:
            return "Observer"
        if self.deck is None or self.state is None:
            return seat
        return seat_name(self.deck, self.state, seat)


class SeatClient:
    """One connection to a host, kept open: joins, listens, reconnects.

    `on_message(msg, new_events)` is called after each message has been applied to
    `view`; `on_status(text)` when the connection's state changes ("connected",
    "reconnecting…", or why it stopped)."""

    def __init__(
        self,
        url: str,
        code: str,
        *,
        on_message: Callable[[dict[str, Any], list[Event]], None] | None = None,
        on_status: Callable[[str], None] | None = None,
        ssl_context: ssl.SSLContext | bool | None = None,
        reconnect: bool = True,
    ) -> None:
        self.url = ws_url(url)
        self.code = code
        self.view = SeatView()
        self.on_message = on_message
        self.on_status = on_status
        self.ssl_context = ssl_context
        self.reconnect = reconnect
        self.joined = asyncio.Event()
        self.stopped: str | None = None  # why the client gave up, once it has
        self.errors: list[str] = []  # commands the host refused
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._session: aiohttp.ClientSession | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False

    # --- connecting -----------------------------------------------------------------------

    async def join(self, timeout: float = 10.0, busy_wait: float = BUSY_WAIT) -> SeatView:
        """Connect, give the code and wait for the whole view; JoinRefused if refused.
        From then on the client listens (and reconnects) in the background.

        A seat still connected may be this seat's own screen that dropped without the host
        noticing yet (it notices within two heartbeats): that refusal is retried for
        `busy_wait` seconds before it is given up."""
        self._session = aiohttp.ClientSession()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + busy_wait
        try:
            while True:
                try:
                    await asyncio.wait_for(self._connect(), timeout)
                    break
                except JoinRefused as exc:
                    if not exc.busy or loop.time() > deadline:
                        raise
                    self._status("waiting for this seat's other connection to close…")
                    await asyncio.sleep(RETRY_SECONDS[-1])
        except BaseException:
            await self.close()
            raise
        self._task = asyncio.create_task(self._run())
        return self.view

    async def _connect(self) -> None:
        assert self._session is not None
        ws = await self._session.ws_connect(
            self.url,
            ssl=True if self.ssl_context is None else self.ssl_context,
            max_msg_size=MAX_MESSAGE * 64,
            heartbeat=10.0,
        )
        await ws.send_str(dumps({"type": "hello", "code": self.code}))
        msg = await ws.receive()
        if msg.type != aiohttp.WSMsgType.TEXT:
            await ws.close()
            raise ConnectionError("the host closed the connection")
        data = json.loads(msg.data)
        if data.get("type") == "refused":
            await ws.close()
            raise JoinRefused(
                data.get("reason", "refused"), data.get("retry"), bool(data.get("busy"))
            )
        self._ws = ws
        local = self.view.draft
        self._take(data)
        state = self.view.state
        if (
            self.view.draft is None
            and local
            and state is not None
            and local.get("card") == state.card
            and self.view.to_decide
        ):
            # A host restarted since: it lost the draft this screen still has. Give it back.
            await self.draft(local["card"], local.get("option"), local.get("rationale", ""))
        self.joined.set()
        self._status("connected")

    async def _run(self) -> None:
        while not self._closing:
            ws = self._ws
            if ws is not None:
                try:
                    async for msg in ws:
                        if msg.type == aiohttp.WSMsgType.TEXT:
                            self._take(json.loads(msg.data))
                except (ValueError, KeyError, TypeError) as exc:
                    # A host of another version, or not a wargame host: say so and stop.
                    log.exception("a message from the host could not be read")
                    self.stopped = f"the host sent a message this client cannot read ({exc})"
                    self._status(self.stopped)
                    await ws.close()
                    break
                self._ws = None
            if self._closing or not self.reconnect:
                break
            await self._reconnect()
            if self.stopped:
                break
        if not self._closing and self.stopped is None:
            self.stopped = "the host closed the connection"
            self._status(self.stopped)

    async def _reconnect(self) -> None:
        self.joined.clear()
        attempt = 0
        while not self._closing:
            self._status("reconnecting…")
            await asyncio.sleep(RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)])
            attempt += 1
            try:
                await asyncio.wait_for(self._connect(), 10.0)
                return
            except JoinRefused as exc:
                # In use: the host has not yet seen the old connection drop.
                if exc.busy or exc.retry:
                    continue
                self.stopped = exc.reason
                self._status(exc.reason)
                return
            except (OSError, aiohttp.ClientError, TimeoutError, ConnectionError):
                continue

    def _take(self, data: dict[str, Any]) -> None:
        if data.get("type") == "error":
            self.errors.append(data.get("message", ""))
        new = self.view.apply(data)
        if self.on_message is not None:
            try:
                self.on_message(data, new)
            except Exception:  # a screen's fault must not drop the connection
                log.exception("showing a message from the host failed")

    def _status(self, text: str) -> None:
        if self.on_status is not None:
            self.on_status(text)

    async def close(self) -> None:
        self._closing = True
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._session is not None:
            await self._session.close()

    # --- commands -------------------------------------------------------------------------

    @property
    def online(self) -> bool:
        return self._ws is not None and not self._ws.closed

    async def _send(self, msg: dict[str, Any]) -> bool:
        ws = self._ws
        if ws is None or ws.closed:
            return False
        try:
            await ws.send_str(dumps(msg))
        except (ConnectionError, RuntimeError, aiohttp.ClientError):
            return False
        return True

    async def decide(self, option: str, rationale: str = "", seconds: float | None = None) -> bool:
        """Send this seat's decision; False if not connected (nothing was sent)."""
        msg: dict[str, Any] = {"type": "decide", "option": option, "rationale": rationale}
        if seconds is not None:
            msg["seconds"] = seconds
        return await self._send(msg)

    async def draft(self, card: str, option: str | None, rationale: str) -> bool:
        """Tell the host what is typed so far, so a reconnect gets it back."""
        self.view.draft = {"card": card, "option": option, "rationale": rationale}
        return await self._send(
            {"type": "draft", "card": card, "option": option, "rationale": rationale}
        )

    async def send_raw(self, msg: dict[str, Any]) -> bool:
        """Any message, as a misbehaving client might send it (for tests)."""
        return await self._send(msg)


def client_ssl(cafile: str | None) -> ssl.SSLContext | None:
    """Trust `cafile` (a self-signed host certificate) besides the system's authorities."""
    if cafile is None:
        return None
    return ssl.create_default_context(cafile=cafile)
