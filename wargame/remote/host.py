"""The host service: serves one authoritative `Game` to seats and observers over
WebSockets (aiohttp), in the event loop of whoever owns the game (the facilitator's TUI,
or the headless host).

Seats send commands; the host checks each against the seat its connection authenticated
as, applies it to the engine, and sends every connection its own view of the new events
(`wargame.remote.views`). Facilitator commands never come from the network: they are
applied to the `Game` by its owner, and reach the seats the same way, as events."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

from wargame.engine import Game, IllegalCommand
from wargame.model.game import Event, GameState
from wargame.remote import views
from wargame.remote.codes import OBSERVER, JoinCodes, RateLimiter
from wargame.remote.protocol import (
    MAX_MESSAGE,
    PATH,
    VERSION,
    BadMessage,
    DecideMsg,
    DraftMsg,
    Hello,
    dumps,
    parse_client,
)

HELLO_SECONDS = 10.0  # a connection that does not give its code by then is closed
HEARTBEAT = 10.0  # seconds between pings: a dead connection frees its seat within two


@dataclass
class Draft:
    """A seat's unsent decision on one card, as last reported."""

    card: str
    option: str | None
    rationale: str


class _Batch:
    """What changed between a state sent and the new one, and each view's message of it."""

    def __init__(self, events: list[dict[str, Any]], before: GameState, after: GameState):
        self.events = events
        self.changes = views.state_changes(before, after)
        self.owners = views.owners(events, self.changes)
        self.history = None
        if before.undo_stack is not after.undo_stack:  # a resolution, adjustment or undo
            history = views.history(after)
            if history != views.history(before):
                self.history = history
        self._texts: dict[views.Role, str] = {}

    def message(self, role: views.Role, cards: list[dict[str, Any]]) -> str:
        """The update for `role` (`views.viewer`), with the cards its connection is sent."""
        text = None if cards else self._texts.get(role)
        if text is None:
            msg = {
                "type": "update",
                "events": views.public_events(self.events, role),
                "cards": cards,
                "state": views.public_changes(self.changes, role),
            }
            if self.history is not None:
                msg["history"] = self.history
            text = dumps(msg)
            if not cards:
                self._texts[role] = text
        return text


@dataclass(eq=False)
class Connection:
    ws: web.WebSocketResponse
    role: views.Role
    peer: str
    queue: asyncio.Queue[str | None] = field(default_factory=asyncio.Queue)
    sent_events: int = 0  # how much of the game's log this connection has been sent
    sent_cards: dict[str, dict[str, Any]] = field(default_factory=dict)
    current: str | None = None  # the card last sent as being decided (its options cut)
    sent_state: GameState | None = None  # the host's state when last sent (as changes)
    cards_key: tuple[Any, ...] = ()  # what the cards sent last depended on

    @property
    def label(self) -> str:
        return self.role or OBSERVER


class HostService:
    """Serve `game` to the holders of `codes`.

    `on_events(events)` is called, soon after, with the events each seat command made (the
    facilitator's screen shows them); `on_presence()` when a connection opens or closes."""

    def __init__(
        self,
        game: Game,
        codes: JoinCodes,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        limiter: RateLimiter | None = None,
        on_events: Callable[[list[Event]], None] | None = None,
        on_presence: Callable[[], None] | None = None,
        heartbeat: float = HEARTBEAT,
    ) -> None:
        self.game = game
        self.codes = codes
        self.now = now
        self.limiter = limiter or RateLimiter()
        self.on_events = on_events
        self.on_presence = on_presence
        self.heartbeat = heartbeat
        self.connections: list[Connection] = []
        self.drafts: dict[str, Draft] = {}
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._extra_routes: list[web.RouteDef] = []
        game.listeners.append(self._on_game_events)

    # --- serving ------------------------------------------------------------------------

    def web_app(self) -> web.Application:
        app = web.Application()
        app.add_routes([web.get(PATH, self._handle), *self._extra_routes])
        return app

    async def start(
        self, bind: str = "127.0.0.1", port: int = 0, ssl_context: ssl.SSLContext | None = None
    ) -> str:
        """Listen on `bind:port` (0: any free port); returns the seats' address."""
        self._runner = web.AppRunner(self.web_app(), handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, bind, port, ssl_context=ssl_context)
        await site.start()
        host, real_port = self._runner.addresses[0][:2]
        scheme = "wss" if ssl_context else "ws"
        self.url = f"{scheme}://{host}:{real_port}{PATH}"
        return self.url

    async def stop(self) -> None:
        for conn in list(self.connections):
            with contextlib.suppress(Exception):
                await conn.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        with contextlib.suppress(ValueError):
            self.game.listeners.remove(self._on_game_events)

    def connected(self) -> list[str]:
        """The seats with a live connection, in seat order."""
        live = {c.role for c in self.connections if c.role is not None}
        return [s for s in self.game.deck.seat_ids() if s in live]

    def observers(self) -> int:
        return sum(1 for c in self.connections if c.role is None)

    # --- one connection -------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=self.heartbeat, max_msg_size=MAX_MESSAGE)
        await ws.prepare(request)
        peer = request.remote or "?"
        conn = await self._authenticate(ws, peer)
        if conn is None:
            await ws.close()
            return ws
        writer = asyncio.create_task(self._writer(conn))
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                self._command(conn, msg.data)
        finally:
            self.connections.remove(conn)
            conn.queue.put_nowait(None)
            await writer
            self._presence()
        return ws

    async def _authenticate(self, ws: web.WebSocketResponse, peer: str) -> Connection | None:
        async def refuse(reason: str, **extra: Any) -> None:
            await ws.send_str(dumps({"type": "refused", "reason": reason, **extra}))

        async def blocked() -> bool:
            wait = self.limiter.blocked_for(peer)
            if wait:
                await refuse(f"too many wrong codes: try again in {int(wait) + 1} s", retry=wait)
            return bool(wait)

        if await blocked():
            return None
        try:
            first = await ws.receive(timeout=HELLO_SECONDS)
        except TimeoutError:
            await refuse("no join code given")
            return None
        if first.type != WSMsgType.TEXT:
            return None
        try:
            hello = parse_client(first.data)
        except BadMessage as exc:
            await refuse(f"not a join message ({exc})")
            return None
        if not isinstance(hello, Hello):
            await refuse("send the join code first")
            return None
        if hello.version != VERSION:
            await refuse(f"this host speaks protocol {VERSION}, the client {hello.version}")
            return None
        if await blocked():  # again: guesses sent at once on many connections count too
            return None
        role = self.codes.role_of(hello.code)
        if role is None:
            self.limiter.failed(peer)
            await refuse("wrong code")
            return None
        seat = None if role == OBSERVER else role
        if seat is not None and seat not in self.game.deck.seat_ids():
            await refuse("wrong code")
            return None
        if seat is not None and any(c.role == seat for c in self.connections):
            # A second screen for one seat would split its decision: the first keeps it.
            name = self._seat_name(seat)
            await refuse(f"{name} is already connected; close the other screen first", busy=True)
            return None
        conn = Connection(ws, seat, peer)
        conn.queue.put_nowait(self._welcome(conn))
        self.connections.append(conn)
        self._presence()
        return conn

    async def _writer(self, conn: Connection) -> None:
        """Send a connection's messages in order; a slow seat holds up no one else."""
        while (text := await conn.queue.get()) is not None:
            try:
                await conn.ws.send_str(text)
            except (ConnectionError, RuntimeError):
                break

    def _command(self, conn: Connection, text: str) -> None:
        def error(message: str) -> None:
            conn.queue.put_nowait(dumps({"type": "error", "message": message}))

        try:
            msg = parse_client(text)
        except BadMessage as exc:
            error(f"not understood: {exc}")
            return
        if isinstance(msg, Hello):
            error("already joined")
            return
        if conn.role is None:
            error("observers watch the game: they cannot act")
            return
        seat = conn.role
        if isinstance(msg, DraftMsg):
            self.drafts[seat] = Draft(msg.card, msg.option, msg.rationale)
            return
        assert isinstance(msg, DecideMsg)
        seconds = None if msg.seconds is None else float(round(msg.seconds, 1))
        stamp = self.now().isoformat(timespec="seconds")
        try:
            # The message is validated already: the engine's own shorthand takes it as is.
            events = self.game.decide(seat, msg.option, msg.rationale.strip(), seconds, seat, stamp)
        except IllegalCommand as exc:
            error(str(exc))
            return
        self.drafts.pop(seat, None)
        if self.on_events is not None:
            # After the writers have sent this decision on: what the owner does next (show
            # it, or resolve the turn) need not hold it up.
            asyncio.get_running_loop().call_soon(self.on_events, events)

    # --- views ----------------------------------------------------------------------------

    def _seat_name(self, seat: str) -> str:
        from wargame.engine import seat_name

        return seat_name(self.game.deck, self.game.state, seat)

    def _welcome(self, conn: Connection) -> str:
        game, role = self.game, conn.role
        draft = self.drafts.get(role) if role is not None else None
        if draft is not None and draft.card != game.state.card:
            draft = None
        conn.sent_events = len(game.events)
        conn.sent_state = game.state
        return dumps(
            {
                "type": "welcome",
                "role": "observer" if role is None else "seat",
                "seat": role,
                "parts": views.deck_parts(game.deck, role),
                "cards": self._changed_cards(conn),
                "state": views.public_state(views.state_data(game.state), role),
                "history": views.history(game.state),
                "events": views.public_events(views.event_data(game.events), role),
                "draft": None if draft is None else draft.__dict__,
                "connected": self.connected(),
            }
        )

    def _changed_cards(self, conn: Connection) -> list[dict[str, Any]]:
        """Cards this connection has not been sent as they are now: those newly revealed,
        and the current card and the one before (whose options open up on resolution)."""
        state = self.game.state
        # A card's view changes only when it is revealed, or its deciding starts or ends.
        key = (state.card, state.phase == "deciding", len(state.used))
        if key == conn.cards_key:
            return []
        conn.cards_key = key
        out = []
        candidates = [c for c in views.visible_cards(state) if c not in conn.sent_cards]
        for c in (state.card, conn.current):
            if c and c not in candidates:
                candidates.append(c)
        for card_id in candidates:
            card = views.public_card(self.game.deck, state, card_id, conn.role)
            if conn.sent_cards.get(card_id) != card:
                conn.sent_cards[card_id] = card
                out.append(card)
        conn.current = state.card
        return out

    def _on_game_events(self, game: Game, events: list[Event]) -> None:
        """Every command's events, whoever gave it: each connection gets its own view, of
        what changed since its last message, written once for all who see it alike."""
        if not self.connections:
            return
        state = game.state
        batches: dict[tuple[int, int], _Batch] = {}  # by the log and state last sent
        for conn in self.connections:
            before = conn.sent_state
            assert before is not None
            batch = batches.get((conn.sent_events, id(before)))
            if batch is None:
                batch = batches[conn.sent_events, id(before)] = _Batch(
                    views.event_data(game.events[conn.sent_events :]), before, state
                )
            cards = self._changed_cards(conn)
            conn.queue.put_nowait(batch.message(views.viewer(conn.role, batch.owners), cards))
            conn.sent_events, conn.sent_state = len(game.events), state

    def _presence(self) -> None:
        text = dumps(
            {"type": "presence", "connected": self.connected(), "observers": self.observers()}
        )
        for conn in self.connections:
            conn.queue.put_nowait(text)
        if self.on_presence is not None:
            self.on_presence()


def server_ssl(cert: str, key: str) -> ssl.SSLContext:
    """TLS for `--cert/--key` (PEM files)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context
