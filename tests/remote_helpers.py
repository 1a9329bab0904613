"""Helpers for the remote-seat tests: an in-process host on a free loopback port, seat
clients that record every message they are sent, and seats that play by themselves."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wargame.engine import Continue, Game
from wargame.model.deck import Deck
from wargame.model.game import DecisionMade, Event
from wargame.remote.client import SeatClient
from wargame.remote.codes import OBSERVER
from wargame.remote.host import HostService
from wargame.remote.session import HostedGame, auto_step, new_hosted

FIXED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
STAMP = FIXED.isoformat(timespec="seconds")
TIMEOUT = 30.0  # seconds: every wait in these tests is bounded


def fixed_now() -> datetime:
    return FIXED


class RecordingClient(SeatClient):
    """A seat client that keeps every message the host sent it, as received."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.received: list[str] = []
        self.changed = asyncio.Event()

    def _take(self, data: dict[str, Any]) -> None:
        self.received.append(json.dumps(data, ensure_ascii=False))
        super()._take(data)
        self.changed.set()


@dataclass
class Host:
    hosted: HostedGame
    service: HostService
    url: str
    clients: dict[str, RecordingClient] = field(default_factory=dict)

    @property
    def game(self) -> Game:
        return self.hosted.game

    def code(self, role: str) -> str:
        return self.hosted.codes.codes[role]

    async def join(self, role: str, **kwargs) -> RecordingClient:
        client = RecordingClient(self.url, self.code(role), **kwargs)
        await client.join(timeout=TIMEOUT)
        self.clients[role] = client
        return client


@contextlib.asynccontextmanager
async def running_host(deck: Deck, saves: Path, seed: int = 3, **kwargs) -> AsyncIterator[Host]:
    """A host with the automatic facilitator and a fixed clock, on 127.0.0.1, any port."""
    saves.mkdir(parents=True, exist_ok=True)
    hosted = new_hosted(deck, saves, seed=seed, now=fixed_now)
    game = hosted.game
    service = HostService(
        game, hosted.codes, now=fixed_now, on_events=lambda _: auto_step(game, fixed_now), **kwargs
    )
    url = await service.start("127.0.0.1", 0)
    auto_step(game, fixed_now)
    host = Host(hosted, service, url)
    try:
        yield host
    finally:
        for client in host.clients.values():
            await client.close()
        await service.stop()


def pick(seat: str, turn: int, card: str, options: list) -> Any:
    """The option a test seat picks: seeded by seat, turn and card, so reproducible."""
    return random.Random(f"{seat}/{turn}/{card}").choice(options)


def rationale(seat: str, turn: int) -> str:
    return f"SECRET-RATIONALE-{seat}-T{turn}"


def draft_text(seat: str, turn: int) -> str:
    return f"DRAFT-{seat}-T{turn}"


async def play_seat(client: RecordingClient, jitter: random.Random) -> None:
    """Decide on every card as it comes, after a draft and a random pause (so the seats'
    decisions arrive in no fixed order), until the game ends."""
    done: set[tuple[int, str]] = set()
    while True:
        view = client.view
        state = view.state
        assert state is not None
        if state.ended:
            return
        key = (state.turn, state.card or "")
        if view.to_decide and key not in done:
            done.add(key)
            seat = view.seat
            assert seat is not None and view.card is not None
            closed = view.unavailable.get(view.card.id, {})
            open_ = [o for o in view.card.options_for(seat) if o.id not in closed]
            option = pick(seat, state.turn, view.card.id, open_)
            await client.draft(view.card.id, option.id, draft_text(seat, state.turn))
            await asyncio.sleep(jitter.random() * 0.02)
            await client.decide(option.id, rationale(seat, state.turn), seconds=12.0)
        client.changed.clear()
        await client.changed.wait()


def hotseat_replay(deck: Deck, seed: int, events: list[Event]) -> Game:
    """The hot-seat game with the same decisions, in the order the host recorded them:
    reveal, each team in turn (the hand-off's `o` lets any team go first), resolve."""
    game = Game.start(deck, seed=seed, at=STAMP)
    pending: list[DecisionMade] = []
    for ev in events[1:]:
        if ev.kind == "drawn":
            game.draw(at=STAMP)
        elif ev.kind == "decided":
            pending.append(ev)
            game.decide(ev.seat, ev.option, ev.rationale, ev.seconds, ev.seat, at=STAMP)
        elif ev.kind == "resolved":
            game.resolve(at=STAMP)
        elif ev.kind == "continued":
            game.apply(Continue(reason=ev.reason, at=STAMP))
        elif ev.kind == "ended" and not game.state.ended:
            game.end(ev.text, at=STAMP)
    return game


def seats_of(deck: Deck) -> list[str]:
    return list(deck.seat_ids())


ROLES_WITH_OBSERVER = (OBSERVER,)
