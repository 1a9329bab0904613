"""The screens of a hosted game, driven with Pilot: a seat's join app (code prompt, board,
decision with its draft) and the facilitator's host board."""

from __future__ import annotations

import asyncio

from textual.widgets import Input, Label, RichLog, Static, TextArea

from tests.remote_helpers import TIMEOUT, fixed_now, running_host
from wargame.remote.codes import OBSERVER
from wargame.remote.session import new_hosted
from wargame.tui.remote.host import CodesScreen, HostApp, HostScreen
from wargame.tui.remote.join import CodeScreen, JoinApp, SeatDecisionScreen, SeatScreen

SIZE = (120, 40)


async def until(pilot, check, what: str) -> None:
    """Pause until `check()` holds; fails after TIMEOUT seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while not check():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.05)


async def opened_decision(pilot, app) -> SeatDecisionScreen:
    """The seat's decision screen, once it has opened by itself and taken its draft."""
    await until(pilot, lambda: isinstance(app.screen, SeatDecisionScreen), "the decision")
    await pilot.pause()
    return app.screen


def text_of(widget: Static) -> str:
    return str(widget.content)


async def test_seat_joins_decides_and_the_host_records_it(default_deck, tmp_path):
    async with running_host(default_deck, tmp_path) as host:
        app = JoinApp(host.url, host.code("ROK"))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, SeatScreen), "the board")
            await pilot.pause()
            board = app.screen
            assert "Republic of Korea" in text_of(board.query_one("#status", Static))
            assert "Enter opens your decision" in text_of(board.query_one("#hint", Static))
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, SeatDecisionScreen), "decision")
            await pilot.press("2", *"hold firm")
            await until(
                pilot,
                lambda: getattr(host.service.drafts.get("ROK"), "rationale", "") == "hold firm",
                "the draft at the host",
            )
            option = host.game.card.options_for("ROK")[1].id
            assert host.service.drafts["ROK"].option == option
            await pilot.press("ctrl+s")
            await until(pilot, lambda: "ROK" in host.game.state.decisions, "the decision")
            assert host.game.events[-1].rationale == "hold firm"
            await until(pilot, lambda: isinstance(app.screen, SeatScreen), "back on the board")
            await until(
                pilot,
                lambda: "Decision sent" in text_of(app.screen.query_one("#hint", Static)),
                "the board to say so",
            )


async def test_a_rejoining_seat_gets_its_half_typed_decision_back(default_deck, tmp_path):
    async with running_host(default_deck, tmp_path) as host:
        card = host.game.card
        option = card.options_for("JPN")[-1]
        first = await host.join("JPN")
        await first.draft(card.id, option.id, "half-typed reason")
        await asyncio.sleep(0.1)
        await first.close()
        del host.clients["JPN"]
        app = JoinApp(host.url, host.code("JPN"))
        async with app.run_test(size=SIZE) as pilot:
            screen = await opened_decision(pilot, app)
            assert screen.picked == len(card.options_for("JPN")) - 1
            assert screen.query_one(TextArea).text == "half-typed reason"


async def test_code_is_asked_and_a_wrong_one_is_refused(default_deck, tmp_path):
    async with running_host(default_deck, tmp_path) as host:
        app = JoinApp(host.url)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, CodeScreen), "the code prompt")
            app.screen.query_one(Input).value = "WRONG"
            await pilot.press("enter")
            await until(
                pilot,
                lambda: isinstance(app.screen, CodeScreen) and app.screen.problem,
                "the refusal",
            )
            assert "wrong code" in app.screen.problem
            app.screen.query_one(Input).value = host.code(OBSERVER).lower()
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, SeatScreen), "the board")
            assert "Observing" in text_of(app.screen.query_one("#hint", Static))
            assert not app.screen.check_action("decide", ())


async def test_host_board_shows_who_is_on_line_and_remote_decisions(default_deck, tmp_path):
    hosted = new_hosted(default_deck, tmp_path, seed=3, now=fixed_now)
    app = HostApp(hosted, port=0, now=fixed_now, saves=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: bool(app.service.url), "the service")
        board = app.screen
        assert isinstance(board, HostScreen)
        from wargame.remote.client import SeatClient

        us = SeatClient(app.service.url, hosted.codes.codes["US"])
        await us.join(timeout=TIMEOUT)
        try:
            seats = board.query_one("#seats", Static)
            await until(pilot, lambda: "On line: US" in text_of(seats), "US on line")
            option = hosted.game.card.options_for("US")[0].id
            await us.decide(option, "from afar")
            await until(pilot, lambda: "US" in hosted.game.state.decisions, "the decision")
            log = board.query_one(RichLog)
            assert any("United States has decided" in line.text for line in log.lines)
            await pilot.press("j")
            await until(pilot, lambda: isinstance(app.screen, CodesScreen), "the codes")
            shown = text_of(app.screen.query_one("#codes-text", Static))
            assert hosted.codes.codes["ROK"] in shown and app.service.url in shown
        finally:
            await us.close()


async def test_resolution_reaches_the_seat_screen(default_deck, tmp_path):
    """When the last team decides, every seat sees the resolution, with all the choices."""
    from wargame.tui.screens.resolution import ResolutionScreen

    async with running_host(default_deck, tmp_path) as host:
        card = host.game.card
        app = JoinApp(host.url, host.code("JPN"))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, SeatScreen), "the board")
            for seat in ("US", "ROK"):
                client = await host.join(seat)
                await client.decide(card.options_for(seat)[0].id, "ours")
            await until(pilot, lambda: len(host.game.state.decisions) == 2, "two decisions")
            await pilot.press("enter", "1", "ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, ResolutionScreen), "resolution")
            await pilot.pause()
            shown = text_of(app.screen.query_one("#resolution-title", Label))
            assert card.title in shown
            # The seat's copy of the card now holds every team's options, to show the choices.
            screen = app.screen
            assert set(screen.resolved.choices) == {"US", "ROK", "JPN"}
            for seat, option in screen.resolved.choices.items():
                shown_card = screen.deck.card(card.id)
                assert shown_card.option(seat, option).label == card.option(seat, option).label


async def test_host_resumes_a_hosted_game_mid_turn(default_deck, tmp_path):
    """`wargame host --resume`: the board as it was, no hand-off screen, the same codes."""
    from wargame.remote.client import SeatClient
    from wargame.remote.session import resume_hosted
    from wargame.store.saves import write_save

    hosted = new_hosted(default_deck, tmp_path, seed=3, now=fixed_now)
    game = hosted.game
    game.draw()
    game.decide("US", game.card.options_for("US")[0].id, "decided before the break", None, "US")
    write_save(hosted.path, default_deck, game.events)
    again = resume_hosted(hosted.path, tmp_path, now=fixed_now)
    assert again.codes == hosted.codes and again.resumed
    app = HostApp(again, port=0, now=fixed_now, saves=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: bool(app.service.url), "the service")
        await pilot.pause()
        assert isinstance(app.screen, HostScreen)
        assert list(again.game.state.decisions) == ["US"]
        us = SeatClient(app.service.url, hosted.codes.codes["US"])
        await us.join(timeout=TIMEOUT)
        try:
            assert not us.view.to_decide
            # The US seat's own decision came back (the host's clock may start after it).
            decided = [e for e in us.view.events if e.kind == "decided"]
            assert decided[-1].rationale == "decided before the break"
        finally:
            await us.close()
