"""A connection is sent only what changed in the state; its view, patched message by
message, must always equal the whole view rebuilt from the host's game for its role. Played
without sockets: the host's messages go straight from each connection's queue to a view."""

from __future__ import annotations

import json

import pytest

from tests.conftest import DATA
from wargame.engine import Game, pending_seats
from wargame.engine.crisis import open_options
from wargame.model.game import evolve
from wargame.remote import views
from wargame.remote.client import SeatView
from wargame.remote.codes import JoinCodes
from wargame.remote.host import Connection, HostService
from wargame.remote.session import auto_step
from wargame.store.decks import load_deck


def whole_view(game: Game, role: str | None):
    """The state a fresh welcome gives `role` now, and the meters' past it shows."""
    state = views.build_state(views.public_state(views.state_data(game.state), role))
    return state, views.history(game.state)


def check(service: HostService, game: Game, seats: dict[Connection, SeatView]) -> int:
    """Deliver every queued message; each view must then be the whole view. Returns how
    many messages went."""
    sent = 0
    for conn, view in seats.items():
        while not conn.queue.empty():
            text = conn.queue.get_nowait()
            assert text is not None
            view.apply(json.loads(text))
            sent += 1
        state, history = whole_view(game, conn.role)
        assert evolve(view.state, {"undo_stack": ()}) == state
        assert [p.state.meters for p in view.state.undo_stack] == history
        assert len(view.events) == len(game.events)
    return sent


def play(deck, seed: int, undo_every: int = 0) -> None:
    game = Game.start(deck, seed=seed, mode="hotseat")
    service = HostService(game, JoinCodes.new(deck.seat_ids(), observer=True))
    auto_step(game, service.now)
    seats: dict[Connection, SeatView] = {}
    for role in [*deck.seat_ids(), None]:
        conn = Connection(ws=None, role=role, peer="test")  # type: ignore[arg-type]
        conn.queue.put_nowait(service._welcome(conn))
        service.connections.append(conn)
        seats[conn] = SeatView()
    by_seat = {c.role: c for c in seats}
    check(service, game, seats)
    turns = undone = 0
    while not game.state.ended:
        for seat in list(pending_seats(deck, game.state)):
            option = open_options(deck, game.state, game.card, seat)[0]
            service._command(by_seat[seat], json.dumps({"type": "decide", "option": option.id}))
            assert check(service, game, seats) == len(seats)
        auto_step(game, service.now)
        turns += 1
        if undo_every and turns % undo_every == 0 and "undo" in game.legal:
            game.undo()  # the facilitator's: the meters' past shrinks, the state goes back
            undone += 1
            check(service, game, seats)
            auto_step(game, service.now)
        check(service, game, seats)
    assert undone or not undo_every


@pytest.mark.parametrize("seed", [1, 2])
def test_patched_views_equal_whole_views_default_deck(default_deck, seed):
    play(default_deck, seed, undo_every=3)


def test_patched_views_equal_whole_views_crisis_deck():
    play(load_deck(DATA / "crisis.toml"), 1, undo_every=2)


def test_a_decision_is_sent_as_its_event_and_the_choices_only():
    """What a decision costs the wire: the event, the seq and who has decided."""
    deck = load_deck(DATA / "crisis.toml")
    game = Game.start(deck, seed=1, mode="hotseat")
    service = HostService(game, JoinCodes.new(deck.seat_ids(), observer=True))
    auto_step(game, service.now)
    conns = {}
    for role in [*deck.seat_ids(), None]:
        conn = conns[role] = Connection(ws=None, role=role, peer="test")  # type: ignore[arg-type]
        service._welcome(conn)  # what it would be sent on joining: not looked at here
        service.connections.append(conn)
    seat = pending_seats(deck, game.state)[0]
    option = open_options(deck, game.state, game.card, seat)[0].id
    service._command(conns[seat], json.dumps({"type": "decide", "option": option}))
    for role, conn in conns.items():
        msg = json.loads(conn.queue.get_nowait())
        assert set(msg["state"]) == {"seq", "decisions"}
        assert msg["state"]["decisions"] == {seat: option if role == seat else ""}
        assert [ev["kind"] for ev in msg["events"]] == ["decided"]
        assert msg["events"][0]["option"] == (option if role == seat else "")


@pytest.mark.parametrize(
    "changes", [{"undo_stack": []}, {"queue": ["x"]}, {"no_such_field": 1}, {"turn": "three"}]
)
def test_a_patch_the_client_cannot_take_is_an_error(default_deck, changes):
    game = Game.start(default_deck, seed=1, mode="hotseat")
    state = views.build_state(views.public_state(views.state_data(game.state), None))
    with pytest.raises(ValueError):
        views.patch_state(state, changes)
