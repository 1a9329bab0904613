"""Remote seats: the decision round trip on loopback, seat -> host -> every seat.

The host runs in this process; the seats (three and an observer) run together in a child
process, as seats run apart from the host in a real game. One seat sends a decision; the
time is taken when every seat has received the update that holds it, and again when every
seat's view (its Deck, GameState and log) has been rebuilt from it. The baseline, measured
in the same run and the same way, is a bare aiohttp WebSocket server that relays a message
of the same size from one client to the same four clients. Target: the median at most 3×
the baseline's, and a p95 of at most 50 ms.

    .venv/bin/python benchmarks/bench_remote.py [--decisions N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).parent))
from common import print_table, row  # noqa: E402

TARGET_RATIO = 3.0
TARGET_P95 = 0.050
CLIENTS = 4
WARM_UP = 3
RATIONALE = "a reason of a sentence or two, as teams write them"


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


# --- the child: the seats ------------------------------------------------------------------


async def child_echo(url: str, n: int, size: int) -> dict:
    samples = []
    message = "x" * size
    async with aiohttp.ClientSession() as session:
        clients = [await session.ws_connect(url) for _ in range(CLIENTS)]
        await asyncio.sleep(0.2)
        for i in range(n + WARM_UP):
            start = time.perf_counter()
            await clients[i % 3].send_str(message)
            for c in clients:
                await c.receive()
            if i >= WARM_UP:
                samples.append(time.perf_counter() - start)
        for c in clients:
            await c.close()
    return {"arrived": samples}


async def child_remote(url: str, codes: dict[str, str], n: int) -> dict:
    from wargame.remote.client import SeatClient

    arrived: list[float] = []
    applied: list[float] = []
    expect: dict[str, object] = {"key": None, "arrive": set(), "apply": set()}
    done = asyncio.Event()
    marks: dict[str, float] = {}

    def match(ev) -> bool:
        get = ev.get if isinstance(ev, dict) else ev.__dict__.get
        return get("kind") == "decided" and (get("seat"), get("turn")) == expect["key"]

    class Seat(SeatClient):
        def _take(self, data) -> None:
            if any(match(e) for e in data.get("events", ())):
                expect["arrive"].discard(self.code)
                if not expect["arrive"]:
                    marks["arrived"] = time.perf_counter()
            super()._take(data)
            if any(match(e) for e in data.get("events", ())):
                expect["apply"].discard(self.code)
                if not expect["apply"]:
                    marks["applied"] = time.perf_counter()
                    done.set()

    clients = {role: Seat(url, code, reconnect=False) for role, code in codes.items()}
    for c in clients.values():
        await c.join()
    watcher = clients["observer"].view
    count = 0
    while not watcher.state.ended and len(arrived) < n:
        for seat in list(watcher.pending):
            view = clients[seat].view
            closed = view.unavailable.get(view.card.id, {})
            option = next(o.id for o in view.card.options_for(seat) if o.id not in closed)
            expect.update(key=(seat, view.state.turn), arrive=set(codes.values()))
            expect["apply"] = set(codes.values())
            done.clear()
            start = time.perf_counter()
            await clients[seat].decide(option, RATIONALE, 10.0)
            await asyncio.wait_for(done.wait(), 10)
            count += 1
            if count > WARM_UP:
                arrived.append(marks["arrived"] - start)
                applied.append(marks["applied"] - start)
        # The next inject follows the last decision at once; wait for it to arrive.
        while not watcher.state.ended and not watcher.pending:
            await asyncio.sleep(0.001)
    for c in clients.values():
        await c.close()
    size = len(json.dumps({"type": "decide", "option": option, "rationale": RATIONALE}))
    return {"arrived": arrived, "applied": applied, "size": size}


def child(argv: list[str]) -> int:
    mode, url, n = argv[0], argv[1], int(argv[2])
    if mode == "echo":
        out = asyncio.run(child_echo(url, n, int(argv[3])))
    else:
        out = asyncio.run(child_remote(url, json.loads(argv[3]), n))
    print(json.dumps(out))
    return 0


# --- the parent: the host --------------------------------------------------------------------


async def run_child(*args: str) -> dict:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--child", *args, stdout=subprocess.PIPE
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 300)
    if proc.returncode:
        raise RuntimeError(f"the seats' process failed ({proc.returncode})")
    return json.loads(out)


async def echo_round_trips(n: int, size: int) -> list[float]:
    """A bare relay: whatever one client sends, every client receives."""
    sockets: list[web.WebSocketResponse] = []

    async def handle(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        sockets.append(ws)
        async for msg in ws:
            for other in sockets:
                await other.send_str(msg.data)
        sockets.remove(ws)
        return ws

    app = web.Application()
    app.add_routes([web.get("/ws", handle)])
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        out = await run_child("echo", f"ws://127.0.0.1:{port}/ws", str(n), str(size))
    finally:
        await runner.cleanup()
    return out["arrived"]


async def decision_round_trips(n: int) -> tuple[list[float], list[float], int]:
    """Games of the default deck, one after another, until `n` decisions."""
    from wargame.remote.host import HostService
    from wargame.remote.session import auto_step, new_hosted
    from wargame.store.decks import find_deck

    deck, _ = find_deck(None)
    arrived: list[float] = []
    applied: list[float] = []
    size = 0
    with tempfile.TemporaryDirectory() as tmp:
        seed = 1
        while len(arrived) < n:
            hosted = new_hosted(deck, Path(tmp), seed=seed, turns=30)
            game = hosted.game
            service = HostService(game, hosted.codes)
            service.on_events = lambda _, g=game, s=service: auto_step(g, s.now)
            url = await service.start("127.0.0.1", 0)
            auto_step(game, service.now)
            try:
                out = await run_child(
                    "remote", url, str(n - len(arrived)), json.dumps(hosted.codes.codes)
                )
            finally:
                await service.stop()
            arrived += out["arrived"]
            applied += out["applied"]
            size = out["size"]
            seed += 1
    return arrived, applied, size


async def measure_async(n: int) -> list[list[str]]:
    remote, applied, size = await decision_round_trips(n)
    echo = await echo_round_trips(n, size)
    base, base95 = statistics.median(echo), p95(echo)
    ratio = statistics.median(remote) / base
    relay = f"{base * 1000:.2f} ms bare WebSocket relay"
    return [
        row(
            "remote decision round trip (median)",
            f"{statistics.median(remote) * 1000:.2f} ms",
            relay,
            ratio,
            f"≤ {TARGET_RATIO:.0f}×",
            ratio <= TARGET_RATIO,
        ),
        row(
            "remote decision round trip (p95)",
            f"{p95(remote) * 1000:.2f} ms",
            f"{base95 * 1000:.2f} ms bare WebSocket relay",
            p95(remote) / base95,
            "≤ 50 ms",
            p95(remote) <= TARGET_P95,
        ),
        row(
            "… to every seat's view rebuilt (median)",
            f"{statistics.median(applied) * 1000:.2f} ms (p95 {p95(applied) * 1000:.1f})",
            relay,
            statistics.median(applied) / base,
            "",
        ),
    ]


def measure(n: int = 200) -> list[list[str]]:
    return asyncio.run(measure_async(n))


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        return child(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=300)
    args = parser.parse_args()
    print_table(measure(args.decisions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
