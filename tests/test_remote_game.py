"""A hosted game on loopback: a host, three seat clients and an observer play a whole game,
deciding in parallel; the saved log is the hot-seat game with the same decisions. Every
message each connection was sent is then searched for what it must not hold."""

from __future__ import annotations

import asyncio
import json
import random

import pytest

from tests.remote_helpers import (
    TIMEOUT,
    draft_text,
    hotseat_replay,
    play_seat,
    rationale,
    running_host,
)
from wargame.cli import main
from wargame.remote.codes import OBSERVER
from wargame.store.saves import Autosaver, load_save


def dump(events) -> list[dict]:
    return [ev.model_dump(mode="json") for ev in events]


async def play_whole_game(deck, tmp_path, seed=3):
    async with running_host(deck, tmp_path, seed=seed) as host:
        saver = Autosaver(host.hosted.path, deck).attach(host.game)
        seats = list(deck.seat_ids())
        for role in [*seats, OBSERVER]:
            await host.join(role)
        jitter = random.Random(seed)
        await asyncio.wait_for(
            asyncio.gather(*(play_seat(host.clients[s], jitter) for s in seats)), TIMEOUT
        )
        # Every connection hears the ending.
        for client in host.clients.values():
            while not (client.view.state and client.view.state.ended):
                client.changed.clear()
                await asyncio.wait_for(client.changed.wait(), TIMEOUT)
        saver.close()
        return host


async def test_whole_game_in_parallel_equals_hotseat(default_deck, tmp_path, capsys):
    host = await play_whole_game(default_deck, tmp_path)
    game = host.game
    assert game.state.ended
    decided = [ev for ev in game.events if ev.kind == "decided"]
    assert len(decided) == 3 * len(game.state.played)
    # In parallel: on some turn the seats did not decide in seat order.
    seats = list(default_deck.seat_ids())
    orders = {
        tuple(ev.seat for ev in decided if ev.turn == t) for t in range(1, game.state.turn + 1)
    }
    assert any(order != tuple(seats) for order in orders if len(order) == 3)

    reference = hotseat_replay(default_deck, 3, game.events)
    assert dump(game.events) == dump(reference.events)
    assert reference.state == game.state
    saved = load_save(host.hosted.path)
    assert dump(saved.events) == dump(reference.events)
    # Each seat's own decisions reached the log whole, entered by the seat itself.
    for ev in decided:
        assert ev.rationale == rationale(ev.seat, ev.turn)
        assert ev.entered_by == ev.seat and ev.seconds == 12.0

    # A hosted game's save is like any other: it replays and exports.
    assert main(["replay", str(host.hosted.path)]) == 0
    assert main(["export", str(host.hosted.path), "--format", "json", "-o", "-"]) == 0
    assert rationale("US", 1) in capsys.readouterr().out

    # Every connection ends with the same board: state, meters and the log's length.
    for client in host.clients.values():
        assert client.view.state.meters == game.state.meters
        assert client.view.state.outcome == game.state.outcome
        assert len(client.view.events) == len(game.events)


async def test_no_message_leaks_another_seats_choice(default_deck, tmp_path):
    host = await play_whole_game(default_deck, tmp_path, seed=5)
    game = host.game
    seats = list(default_deck.seat_ids())
    briefs = {s.id: s.brief.strip() for s in default_deck.seats}
    notes = [c.facilitator_notes.strip() for c in default_deck.cards if c.facilitator_notes]
    assert all(briefs.values()) and notes
    turns = range(1, game.state.turn + 1)
    for role, client in host.clients.items():
        text = "\n".join(client.received)
        others = [s for s in seats if s != role]
        for seat in others:
            for t in turns:
                assert rationale(seat, t) not in text
                assert draft_text(seat, t) not in text
            assert briefs[seat] not in text
        for note in notes:
            assert note not in text
        # Choices: another seat's decision event and pending choice carry no option.
        for raw in client.received:
            msg = json.loads(raw)
            for ev in msg.get("events", []):
                if ev["kind"] == "decided" and ev["seat"] != role:
                    assert ev["option"] == "" and ev["rationale"] == ""
            state = msg.get("state") or {}
            for seat, option in state.get("decisions", {}).items():
                assert seat == role or option == ""
            assert not state.get("queue")
        if role != OBSERVER:
            # Its own brief and rationales did reach it.
            assert briefs[role] in text
            assert rationale(role, 1) in text


async def test_options_of_others_stay_hidden_until_resolved(default_deck, tmp_path):
    """While the seats decide, a seat's copy of the card holds only its own options."""
    async with running_host(default_deck, tmp_path) as host:
        us = await host.join("US")
        card = us.view.card
        assert card is not None and {o.seat for o in card.options} == {"US"}
        observer = await host.join(OBSERVER)
        assert {o.seat for o in observer.view.card.options} == set(default_deck.seat_ids())


@pytest.mark.parametrize("role", ["US", OBSERVER])
async def test_view_survives_a_reconnect(default_deck, tmp_path, role):
    async with running_host(default_deck, tmp_path) as host:
        first = await host.join(role)
        await first.close()
        del host.clients[role]
        again = await host.join(role)
        assert again.view.state == first.view.state


async def test_a_draft_goes_back_only_to_its_own_seat(default_deck, tmp_path):
    async with running_host(default_deck, tmp_path) as host:
        card = host.game.card
        us = await host.join("US")
        await us.draft(card.id, card.options_for("US")[0].id, draft_text("US", 1))
        await asyncio.sleep(0.1)
        others = [await host.join(role) for role in ("ROK", "JPN", OBSERVER)]
        for client in others:
            assert client.view.draft is None
            assert draft_text("US", 1) not in "\n".join(client.received)
        await us.close()
        del host.clients["US"]
        again = await host.join("US")
        assert again.view.draft["rationale"] == draft_text("US", 1)
