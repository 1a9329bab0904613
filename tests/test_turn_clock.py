"""The turn clock: its length from `--turn-minutes` or the deck, started at the hand-over,
read from the events' time stamps so that leaving, resuming and undo keep it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import DATA
from wargame import engine
from wargame.engine import Game, IllegalCommand
from wargame.engine.turn_clock import turn_clock, turn_seconds
from wargame.store.decks import load_deck

from .tui_helpers import app_for, screen_text, wait_until

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def at(seconds: float) -> str:
    return (T0 + timedelta(seconds=seconds)).isoformat(timespec="seconds")


def dealt(deck) -> Game:
    game = Game.start(deck, seed=2, at=at(0))
    game.draw(at=at(0))
    return game


def timer(game: Game, action: str, t: float, seconds: int = 0) -> None:
    game.apply(engine.Timer(action=action, seconds=seconds, at=at(t)))


def test_the_clock_runs_from_the_hand_over_less_its_pauses(mini_deck) -> None:
    game = dealt(mini_deck)
    assert not turn_clock(game.events, T0 + timedelta(seconds=500)).started  # revealed only
    timer(game, "start", 60, 600)
    assert turn_clock(game.events, T0 + timedelta(seconds=150)).used == 90
    timer(game, "pause", 160)
    paused = turn_clock(game.events, T0 + timedelta(seconds=400))
    assert paused.paused and paused.used == 100
    timer(game, "resume", 460)
    timer(game, "extend", 470, 120)
    clock = turn_clock(game.events, T0 + timedelta(seconds=560))
    assert (clock.used, clock.limit, clock.paused) == (200, 720, False)
    assert not clock.over and turn_clock(game.events, T0 + timedelta(seconds=2000)).over


def test_a_pause_before_the_hand_over_holds_the_clock_once_it_starts(mini_deck) -> None:
    game = dealt(mini_deck)
    timer(game, "pause", 10)
    timer(game, "start", 30, 300)
    assert turn_clock(game.events, T0 + timedelta(seconds=90)).used == 0
    timer(game, "resume", 100)
    assert turn_clock(game.events, T0 + timedelta(seconds=130)).used == 30


def test_each_turn_has_its_own_clock_and_undo_keeps_it(mini_deck) -> None:
    game = dealt(mini_deck)
    timer(game, "start", 0, 300)
    for seat in game.pending:
        game.decide(seat, game.card.options_for(seat)[0].id, at=at(50))
    game.resolve(at=at(60))
    game.apply(engine.Undo(at=at(70)))  # the card is back on the table: the clock runs on
    assert turn_clock(game.events, T0 + timedelta(seconds=100)).used == 100
    for seat in game.pending:
        game.decide(seat, game.card.options_for(seat)[0].id, at=at(110))
    game.resolve(at=at(120))
    game.draw(at=at(130))
    assert not turn_clock(game.events, T0 + timedelta(seconds=200)).started


def test_the_length_comes_from_the_option_then_the_last_turn_then_the_deck(tmp_path) -> None:
    text = (DATA / "crisis.toml").read_text(encoding="utf-8")
    path = tmp_path / "timed.toml"
    path.write_text(text.replace("[deck]\n", "[deck]\nturn_minutes = 7\n", 1), "utf-8")
    deck = load_deck(path)
    game = dealt(deck)
    assert turn_seconds(deck, game.events) == 7 * 60
    assert turn_seconds(deck, game.events, minutes=15) == 15 * 60
    timer(game, "start", 0, 12 * 60)
    assert turn_seconds(deck, game.events) == 12 * 60  # a resumed game keeps its length
    assert turn_seconds(load_deck(DATA / "crisis.toml"), []) == 10 * 60


def test_the_clock_starts_only_with_a_card_on_the_table(mini_deck) -> None:
    game = Game.start(mini_deck, seed=1)
    with pytest.raises(IllegalCommand):
        game.apply(engine.Timer(action="start", seconds=600))
    game.draw()
    with pytest.raises(IllegalCommand):
        game.apply(engine.Timer(action="start", seconds=0))


@pytest.mark.slow
async def test_the_board_starts_the_clock_at_hand_over_and_keeps_it_across_leaving(
    tmp_path, default_deck
) -> None:
    app = app_for(tmp_path, deck=default_deck, seed=7, turn_minutes=5)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.screen
        game = board.game
        app.clock.t += 300  # the briefing is discussed: the clock has not started
        board.refresh_board()
        await pilot.pause()
        assert "clock --:--" in screen_text(app)
        await pilot.press("enter")  # the facilitator hands over to the first team
        await pilot.pause()
        assert [e.action for e in game.events if e.kind == "timer"] == ["start"]
        assert game.events[-1].seconds == 300
        await pilot.press("escape")  # back to the board from the hand-off
        await pilot.pause()
        assert app.screen is board
        app.clock.t += 90
        board.refresh_board()
        await pilot.pause()
        assert "clock 01:30 of 05:00" in screen_text(app)
        board.pause_clock()
        assert game.state.timer_paused
        path = board.save_path
    app2 = app_for(tmp_path, resume=path)
    async with app2.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert await wait_until(pilot, lambda: "clock 01:30 of 05:00 paused" in screen_text(app2))
