"""Faults: a seat's process killed mid-decision rejoins with its half-typed decision; the
host killed with SIGKILL and resumed (`wargame host --resume`) brings every seat back to
where it was, with nothing lost. Real processes, on 127.0.0.1, every wait bounded."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import socket
import sys
from pathlib import Path

import pytest

from tests.remote_helpers import TIMEOUT, RecordingClient, play_seat, running_host
from tests.test_remote_tui import SIZE, opened_decision, until
from wargame.remote.codes import OBSERVER
from wargame.store.saves import load_save
from wargame.tui.remote.join import JoinApp
from wargame.tui.widgets.meters import meter_history

pytestmark = pytest.mark.slow
ROOT = Path(__file__).parent.parent
CHILD_ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@contextlib.asynccontextmanager
async def process(*args: str):
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=ROOT,
        env=CHILD_ENV,
    )
    try:
        yield proc
    finally:
        if proc.returncode is None:
            proc.kill()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(proc.wait(), TIMEOUT)


async def read_until(proc, last: str) -> list[str]:
    """The lines a child prints up to and including `last`."""
    lines: list[str] = []
    while not lines or lines[-1] != last:
        line = await asyncio.wait_for(proc.stdout.readline(), TIMEOUT)
        if not line:
            err = await proc.stderr.read()
            raise AssertionError(f"child ended early: {err.decode()[-2000:]}")
        lines.append(line.decode().strip())
    return lines


async def kill(proc) -> None:
    proc.send_signal(signal.SIGKILL)
    await asyncio.wait_for(proc.wait(), TIMEOUT)


async def test_a_killed_seat_process_rejoins_with_its_draft(default_deck, tmp_path):
    async with running_host(default_deck, tmp_path) as host:
        typed = "we were typing this when the laptop died"
        async with process("tests/remote_seat_child.py", host.url, host.code("ROK"), typed) as seat:
            await read_until(seat, "typed")
            assert host.service.connected() == ["ROK"]
            await kill(seat)
        option = host.game.card.options_for("ROK")[1].id
        assert host.service.drafts["ROK"].option == option
        app = JoinApp(host.url, host.code("ROK"))
        async with app.run_test(size=SIZE) as pilot:
            # The host may take a moment to see the dead connection; the app waits.
            screen = await opened_decision(pilot, app)
            assert screen.picked == 1
            assert screen.query_one("#decision-rationale").text == typed
            await pilot.press("ctrl+s")
            await until(pilot, lambda: "ROK" in host.game.state.decisions, "the decision")
        decided = host.game.events[-1]
        assert (decided.seat, decided.option, decided.rationale) == ("ROK", option, typed)


def public(state) -> dict:
    return state.model_dump(exclude={"undo_stack"})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse(lines: list[str]) -> tuple[str, dict[str, str], Path]:
    url = next(line.split()[1] for line in lines if line.startswith("url "))
    codes = {p[1]: p[2] for p in (line.split() for line in lines) if p[0] == "code"}
    save = Path(next(line.split(maxsplit=1)[1] for line in lines if line.startswith("save ")))
    return url, codes, save


async def saved_events(save: Path, count: int) -> list:
    """The saved log once it holds `count` events (the autosaver writes in the background)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while True:
        with contextlib.suppress(Exception):
            events = load_save(save).events
            if len(events) >= count:
                return events
        assert loop.time() < deadline, "the save never caught up"
        await asyncio.sleep(0.05)


async def wait_for(check, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while not check():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


async def test_host_killed_and_resumed_brings_every_seat_back(tmp_path):
    port = str(free_port())
    host_args = ["-m", "wargame", "host", "--headless", "--port", port, "--saves", str(tmp_path)]
    clients: dict[str, RecordingClient] = {}
    try:
        async with process(*host_args, "--seed", "4") as first:
            url, codes, save = parse(await read_until(first, "ready"))
            assert url == f"ws://127.0.0.1:{port}/ws"
            for role, code in codes.items():
                clients[role] = RecordingClient(url, code)
                await clients[role].join(timeout=TIMEOUT)
            seats = [r for r in clients if r != OBSERVER]
            # Turn 1: everyone decides. Turn 2: two decide, the third half-types.
            for seat in seats:
                view = clients[seat].view
                await clients[seat].decide(view.card.options_for(seat)[0].id, f"{seat} turn 1")
            await wait_for(lambda: clients["US"].view.state.turn == 2, "turn 2")
            for seat in seats[:2]:
                view = clients[seat].view
                await clients[seat].decide(view.card.options_for(seat)[-1].id, f"{seat} turn 2")
            last = seats[2]
            card = clients[last].view.card
            await clients[last].draft(card.id, card.options_for(last)[0].id, "half a thought")
            await wait_for(
                lambda: len(clients[OBSERVER].view.state.decisions) == 2, "two decisions"
            )
            before = await saved_events(save, len(clients[OBSERVER].view.events))
            state_before = clients[OBSERVER].view.state
            seen_before = list(clients[OBSERVER].view.events)
            await kill(first)
            await wait_for(lambda: not any(c.joined.is_set() for c in clients.values()), "drop")

        async with process(*host_args, "--resume", str(save)) as second:
            url2, codes2, save2 = parse(await read_until(second, "ready"))
            assert (url2, codes2, save2) == (url, codes, save)  # same codes, same save
            await wait_for(lambda: all(c.joined.is_set() for c in clients.values()), "rejoin")
            state_after = clients[OBSERVER].view.state
            # The same game, to the event; the meters' past as before (the undo stack on a
            # seat's side holds only those).
            assert public(state_after) == public(state_before)
            assert meter_history(state_after) == meter_history(state_before)
            assert clients[OBSERVER].view.events == seen_before
            assert clients[last].view.to_decide and not clients["US"].view.to_decide
            # The draft the third seat still had went back to the new host: a fresh screen
            # for that seat gets it.
            await asyncio.sleep(0.2)
            await clients[last].close()
            again = RecordingClient(url, codes[last])
            await again.join(timeout=TIMEOUT)
            clients[last] = again
            assert again.view.draft["rationale"] == "half a thought"
            # And the game plays on to its end.
            jitter = random.Random(1)
            await asyncio.wait_for(
                asyncio.gather(*(play_seat(clients[s], jitter) for s in seats)), TIMEOUT * 2
            )
            await wait_for(lambda: clients[OBSERVER].view.state.ended, "the ending")
            final = await saved_events(save, len(clients[OBSERVER].view.events))
            assert final[: len(before)] == before
            assert load_save(save).game.state.ended
    finally:
        for client in clients.values():
            await client.close()
