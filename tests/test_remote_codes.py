"""Join codes: wrong, reused and foreign codes are refused, wrong guesses are
rate-limited, observers cannot act, and the codes file is the owner's alone."""

from __future__ import annotations

import asyncio
import stat

import pytest

from tests.remote_helpers import TIMEOUT, RecordingClient, running_host
from wargame.remote.client import JoinRefused, SeatClient
from wargame.remote.codes import (
    OBSERVER,
    CodesError,
    JoinCodes,
    RateLimiter,
    codes_path,
    new_code,
    normalise,
)
from wargame.remote.protocol import ws_url


def test_codes_are_random_grouped_and_typed_loosely():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    code = next(iter(codes))
    assert len(code) == 14 and code.count("-") == 2
    typed = code.replace("-", " ").lower()
    assert normalise(typed) == code
    jc = JoinCodes({"US": code})
    assert jc.role_of(typed) == "US"
    assert jc.role_of(code[:-1] + ("A" if code[-1] != "A" else "B")) is None
    assert jc.role_of("") is None


def test_codes_file_is_owner_only_and_round_trips(tmp_path):
    save = tmp_path / "game.toml"
    codes = JoinCodes.new(["US", "ROK"])
    codes.save(codes_path(save))
    path = codes_path(save)
    assert path.name == "game.toml.codes.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert JoinCodes.load(path, ["US", "ROK"]) == codes
    with pytest.raises(CodesError, match="no join code for seat JPN"):
        JoinCodes.load(path, ["US", "ROK", "JPN"])
    path.write_text("{not json")
    with pytest.raises(CodesError, match="cannot read the join codes"):
        JoinCodes.load(path, ["US"])


def test_rate_limiter_blocks_after_too_many_failures():
    now = [0.0]
    limiter = RateLimiter(attempts=3, window=60.0, clock=lambda: now[0])
    for _ in range(3):
        assert limiter.blocked_for("1.2.3.4") == 0
        limiter.failed("1.2.3.4")
    assert limiter.blocked_for("1.2.3.4") == pytest.approx(60.0)
    assert limiter.blocked_for("5.6.7.8") == 0  # per address
    now[0] = 61.0
    assert limiter.blocked_for("1.2.3.4") == 0


def test_ws_url_accepts_what_players_type():
    assert ws_url("10.0.0.5:8765") == "ws://10.0.0.5:8765/ws"
    assert ws_url("https://host.example:443/") == "wss://host.example:443/ws"
    assert ws_url("ws://127.0.0.1:1/ws") == "ws://127.0.0.1:1/ws"
    with pytest.raises(ValueError, match="not a host address"):
        ws_url("ftp://x")


async def refused(url: str, code: str) -> str:
    client = SeatClient(url, code)
    with pytest.raises(JoinRefused) as info:
        await client.join(timeout=TIMEOUT, busy_wait=0)
    return info.value.reason


async def test_wrong_reused_and_foreign_codes_are_refused(default_deck, tmp_path):
    async with running_host(default_deck, tmp_path / "a") as host:
        assert await refused(host.url, "AAAA-AAAA-AAAA") == "wrong code"
        await host.join("US")
        # A second screen for a seat already connected.
        assert "already connected" in await refused(host.url, host.code("US"))
        # Observers may be many.
        await host.join(OBSERVER)
        second = RecordingClient(host.url, host.code(OBSERVER))
        await second.join(timeout=TIMEOUT)
        await second.close()
        async with running_host(default_deck, tmp_path / "b") as other:
            # A code of another game opens nothing here.
            assert await refused(host.url, other.code("ROK")) == "wrong code"
        assert host.service.connected() == ["US"]


async def test_wrong_codes_are_rate_limited(default_deck, tmp_path):
    limiter = RateLimiter(attempts=3, window=600.0)
    async with running_host(default_deck, tmp_path, limiter=limiter) as host:
        for _ in range(3):
            assert await refused(host.url, "WRONG-CODE-0000") == "wrong code"
        # Now even the right code is refused from this address, for a while.
        assert "too many wrong codes" in await refused(host.url, host.code("US"))


async def test_observer_cannot_act_and_commands_are_checked(default_deck, tmp_path):
    async with running_host(default_deck, tmp_path) as host:
        observer = await host.join(OBSERVER)
        before = len(host.game.events)
        option = host.game.card.options_for("US")[0].id
        await observer.decide(option, "as the observer")
        await observer.draft(host.game.card.id, option, "x")
        us = await host.join("US")
        # Impersonation: a seat's message names no seat; the host uses the connection's.
        await us.send_raw({"type": "decide", "option": option, "seat": "ROK"})
        await us.send_raw({"type": "decide", "option": "no-such-option"})
        await us.send_raw({"type": "hello", "code": host.code("ROK")})
        for client, count in ((observer, 2), (us, 3)):
            while len(client.errors) < count:
                client.changed.clear()
                await asyncio.wait_for(client.changed.wait(), TIMEOUT)
        assert observer.errors == ["observers watch the game: they cannot act"] * 2
        assert us.errors[0] == "not understood: decide.seat: Extra inputs are not permitted"
        assert "no-such-option" in us.errors[1]
        assert us.errors[2] == "already joined"
        assert len(host.game.events) == before
        assert "ROK" not in host.service.drafts and not host.service.drafts


async def test_a_join_waits_for_its_seats_old_connection_to_go(default_deck, tmp_path):
    """A seat rejoining before the host has noticed its dropped connection gets in once
    the old one is gone, rather than being turned away."""
    async with running_host(default_deck, tmp_path) as host:
        old = await host.join("JPN")
        again = SeatClient(host.url, host.code("JPN"))
        joining = asyncio.create_task(again.join(timeout=TIMEOUT, busy_wait=TIMEOUT))
        await asyncio.sleep(0.5)
        assert not joining.done()
        await old.close()
        await asyncio.wait_for(joining, TIMEOUT)
        assert again.view.seat == "JPN" and host.service.connected() == ["JPN"]
        await again.close()


async def test_guesses_sent_at_once_are_rate_limited_too(default_deck, tmp_path):
    """Many connections opened together, each with a guess: only the first few are tried."""
    limiter = RateLimiter(attempts=3, window=600.0)
    async with running_host(default_deck, tmp_path, limiter=limiter) as host:
        reasons = await asyncio.gather(*(refused(host.url, f"WRONG-{i:04d}") for i in range(12)))
        assert reasons.count("wrong code") <= 3
        assert sum("too many wrong codes" in r for r in reasons) >= 9
