"""Pilot tests of the screens around the game loop: launcher, palette, help, White Cell
timer and card controls, the small-terminal guard, and the ending's hot wash and AAR."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.command import CommandList, CommandPalette
from textual.widgets import Label

from wargame.model.game import CardDrawn, GameEnded, HotwashAdded, TimerChanged
from wargame.store.saves import list_saves, load_save
from wargame.tui.app import TooSmallScreen
from wargame.tui.screens.aar import AARScreen
from wargame.tui.screens.decide import OpenDecisionScreen
from wargame.tui.screens.ending import EndingScreen
from wargame.tui.screens.facilitator import ConfirmDialog
from wargame.tui.screens.game import EXTEND_SECONDS, GameScreen
from wargame.tui.screens.help import HelpScreen
from wargame.tui.screens.hotwash import HotwashScreen
from wargame.tui.screens.launcher import LauncherScreen
from wargame.tui.widgets.meters import MeterRow

from .tui_helpers import (
    START,
    app_for,
    keys,
    palette_offers,
    screen_text,
    wait_for_saves_listed,
    wait_for_screen,
    wait_until,
)

STAMP = START.isoformat(timespec="seconds")


async def palette_titles(pilot) -> list[str]:
    """What the command palette offers with an empty query."""
    return await palette_offers(pilot)


def highlighted_command(pilot) -> str | None:
    palette = pilot.app.screen
    if not isinstance(palette, CommandPalette):
        return None
    found = palette.query_one(CommandList)
    if found.highlighted is None:
        return None
    return str(found.get_option_at_index(found.highlighted).prompt).split("\n")[0]


@pytest.mark.slow
async def test_palette_offers_only_legal_actions(tmp_path, default_deck):
    app = app_for(tmp_path, deck=default_deck, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        game = app.screen.game
        titles = await palette_titles(pilot)
        assert "Seats decide" in titles and "Skip card" in titles
        assert "Resolve turn" not in titles and "Reveal inject" not in titles
        assert "Undo" not in titles  # nothing to undo yet
        await pilot.press("enter")
        for pick in "121":
            await pilot.press("enter", pick, *keys("because"), "ctrl+s")
        await pilot.pause()
        assert not game.pending
        titles = await palette_titles(pilot)
        assert "Resolve turn" in titles and "Seats decide" not in titles
        # The palette runs what it offers.
        await pilot.press("ctrl+p", *keys("Resolve turn"))
        assert await wait_until(pilot, lambda: highlighted_command(pilot) == "Resolve turn")
        await pilot.press("enter")
        await pilot.pause()
        assert game.state.played and game.state.phase == "draw"


@pytest.mark.slow
async def test_help_screen_from_question_mark_and_f1(tmp_path, default_deck):
    app = app_for(tmp_path, deck=default_deck, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for key in ("question_mark", "f1"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            text = screen_text(app)
            assert "How a turn goes" in text and "Resolve turn" in text and "White Cell" in text
            await pilot.press("escape")
            assert isinstance(app.screen, GameScreen)


@pytest.mark.slow
async def test_timer_choose_card_and_end_game_are_recorded(tmp_path, default_deck):
    app = app_for(tmp_path, deck=default_deck, seed=7, mode="open")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        game = app.screen.game
        await pilot.press("p")
        assert game.state.timer_paused and "paused" in screen_text(app)
        await pilot.press("p", "plus")
        assert not game.state.timer_paused and game.state.timer_extra == EXTEND_SECONDS
        timers = [(e.action, e.seconds) for e in game.events if isinstance(e, TimerChanged)]
        assert timers == [("pause", 0), ("resume", 0), ("extend", EXTEND_SECONDS)]

        # Choose the next card by hand: skip this one (no reason), then pick from the list.
        assert "draw" not in game.legal
        await pilot.press("s", "enter")
        await pilot.pause()
        assert game.state.phase == "draw"
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        drawn = [e for e in game.events if isinstance(e, CardDrawn)]
        assert drawn[-1].source == "facilitator"
        unused = [c.id for c in default_deck.cards if c.id != drawn[0].card]
        assert drawn[-1].card == unused[2]

        # End the game: a reason is required.
        await pilot.press("e", "enter")
        await pilot.pause()
        assert not game.state.ended  # refused without a reason; the dialog stays open
        await pilot.press(*keys("out of time"), "enter")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        ended = game.events[-1]
        assert isinstance(ended, GameEnded) and ended.reason == "facilitator"
        assert ended.text == "out of time"
        assert all(e.at == STAMP for e in game.events)


@pytest.mark.slow
async def test_ending_leads_to_hot_wash_and_after_action_review(tmp_path, default_deck):
    app = app_for(tmp_path, deck=default_deck, seed=7, turns=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        game = app.screen.game
        await pilot.press("enter")
        for pick in "212":
            await pilot.press("enter", pick, *keys("why"), "ctrl+s")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        text = screen_text(app)
        assert "The last turn is played" in text and "Decisions" in text
        card = default_deck.card(game.state.played[0])
        chosen = card.option("US", dict(game.state.chosen)["US"]).label
        assert chosen.split()[0] in text and "United States" in text

        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HotwashScreen)
        await pilot.press(*keys("Seoul and Tokyo talked directly"), "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        entry = game.events[-1]
        assert isinstance(entry, HotwashAdded)
        assert entry.text == "Seoul and Tokyo talked directly" and entry.at == STAMP

        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AARScreen)
        assert len(app.screen.events) == len(game.events)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("q")  # asks first (issue 13): Esc stays, Enter quits
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen) and app.is_running
        await pilot.press("q", "enter")
        await pilot.pause()
    assert app.return_code == 0


@pytest.mark.slow
async def test_undo_from_the_ending_asks_first(tmp_path, default_deck):
    """Undoing the resolution that ended the game discards every team's decision: as on the
    board, the ending asks first; No goes back to the ending, Yes puts the card back."""
    from wargame.tui.screens.facilitator import ConfirmDialog

    app = app_for(tmp_path, deck=default_deck, seed=7, turns=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        game = app.screen.game
        await pilot.press("enter")
        for _ in game.pending:
            await pilot.press("enter", "1", "ctrl+s")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen) and game.state.ended
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)
        assert not game.state.ended and game.state.phase == "deciding"


@pytest.mark.slow
async def test_too_small_terminal_asks_to_enlarge(tmp_path, default_deck):
    app = app_for(tmp_path, deck=default_deck, seed=7)
    async with app.run_test(size=(70, 20)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "enlarge the terminal to at least 80×24" in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)
        card = app.screen.game.card
        assert card is not None and card.title in screen_text(app)
        assert "enlarge" not in screen_text(app)
        await pilot.resize_terminal(79, 30)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.press("f1")  # nothing opens above the guard
        assert isinstance(app.screen, TooSmallScreen)


@pytest.mark.slow
async def test_launcher_starts_an_open_game_then_resumes_it(tmp_path, default_deck):
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LauncherScreen)
        where = app.screen.query_one("#saves-where", Label).render()
        assert str(where) == f"Saves go to {tmp_path}"
        assert "No saved games yet" in screen_text(app)
        # decks → seed → turns → mode → first team name
        await pilot.press("tab", *keys("42"), "tab", *keys("2"), "tab")  # typing replaces
        await pilot.press("down", "enter", "tab", *keys("Blue House"), "ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)
        state = app.screen.game.state
        assert (state.seed, state.turns, state.mode) == (42, 2, "open")
        assert state.team_names == {"US": "Blue House"}
        assert state.phase == "deciding"  # straight onto the first inject's briefing

    [entry] = list_saves(tmp_path)
    assert entry.ok and entry.mode == "open" and entry.turn == 1
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Fault Lines" in screen_text(app) and "in play" in screen_text(app)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, AARScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)
        assert app.screen.game.state.team_names == {"US": "Blue House"}
        assert app.screen.save_path == entry.path


@pytest.mark.slow
async def test_leaving_the_resolution_while_meters_move(tmp_path, default_deck):
    """Continue in mid-animation: the board then shows every meter's final value."""
    app = app_for(tmp_path, deck=default_deck, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        app.animation_level = "full"
        await pilot.pause()
        game = app.screen.game
        await pilot.press("enter")
        for pick in "121":
            await pilot.press("enter", pick, *keys("why"), "ctrl+s")
        # Keys posted, not pressed: Pilot.press waits for animations to finish, and this is
        # about leaving before they do.
        app.post_message(events.Key("enter", "\r"))  # resolve: the meters start to move

        def moving() -> bool:
            rows = app.screen.query(MeterRow)
            return any(app.animator.is_being_animated(row, "value") for row in rows)

        assert await wait_until(pilot, moving)
        app.post_message(events.Key("enter", "\r"))  # and leave before they arrive
        assert await wait_for_screen(pilot, GameScreen)

        def final_values_shown() -> bool:
            text = screen_text(app)
            return all(
                f" {game.state.meters[m.id]} " in text or m.kind == "other"
                for m in default_deck.meters
            )

        assert await wait_until(pilot, final_values_shown)


@pytest.mark.slow
async def test_open_mode_number_keys_pick_in_the_focused_list(tmp_path, default_deck):
    app = app_for(tmp_path, deck=default_deck, seed=7, mode="open")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        game = app.screen.game
        assert "record each team's announced choice" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OpenDecisionScreen)
        # A digit typed into a rationale stays text; in a list it picks.
        await pilot.press("2", *keys("US said 2"), "tab", "1", *keys("ROK"), "tab", "2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        card = game.card
        picked = {s: card.options_for(s)[i].id for s, i in (("US", 1), ("ROK", 0), ("JPN", 1))}
        assert game.state.decisions == picked
    rationales = {e.seat: e.rationale for e in game.events if e.kind == "decided"}
    assert rationales == {"US": "US said 2", "ROK": "ROK", "JPN": ""}


@pytest.mark.slow
async def test_meter_rows_show_history_and_this_turns_change(tmp_path, default_deck):
    """Sparklines follow the standing history (undone moves drop out); the change column is
    this turn's (since the latest standing resolution, adjustments after it included), bold
    only for a meter the latest step moved; a meter this turn left alone shows none."""
    from wargame.tui.widgets.meters import MeterRow

    app = app_for(tmp_path, deck=default_deck, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.screen
        game = board.game
        start = dict(game.state.meters)
        await pilot.press("enter")
        for pick in "121":
            await pilot.press("enter", pick, *keys("why"), "ctrl+s")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        after = dict(game.state.meters)
        moved = next(m for m in after if after[m] != start[m] and m != "opinion.JPN")
        still = next(m for m in after if after[m] == start[m])

        def row(meter_id: str) -> MeterRow:
            return board.query_one(f"#meter-{meter_id.replace('.', '_')}", MeterRow)

        assert (row(moved).delta, row(moved).fresh) == (after[moved] - start[moved], True)
        assert row(still).delta == 0

        await pilot.press("a")
        await pilot.pause()
        # Pick Japan's public opinion (the last meter), lower it by 4.
        await pilot.press(
            "enter", "end", "enter", "tab", *keys("-4"), "tab", *keys("poll"), "enter"
        )
        await pilot.pause()
        jpn = row("opinion.JPN")
        assert jpn.history == [
            start["opinion.JPN"],
            after["opinion.JPN"],
            after["opinion.JPN"] - 4,
        ]
        assert (jpn.delta, jpn.fresh) == (after["opinion.JPN"] - 4 - start["opinion.JPN"], True)
        other = row(moved)
        assert (other.delta, other.fresh) == (after[moved] - start[moved], False)

        await pilot.press("u")
        await pilot.pause()
        assert jpn.history == [start["opinion.JPN"], after["opinion.JPN"]]
        assert other.history == [start[moved], after[moved]]
        assert other.fresh

        # The next turn's resolution: a meter it leaves alone shows no change any more.
        from wargame import engine
        from wargame.engine import crisis

        board.run_cmd(engine.Draw())
        for seat in default_deck.seat_ids():
            option = crisis.open_options(default_deck, game.state, game.card, seat)[0]
            board.run_cmd(engine.Decide(seat=seat, option=option.id))
        board.run_cmd(engine.Resolve())
        await pilot.pause()
        now = game.state.meters
        assert game.state.turn == 3
        for m in default_deck.meters:
            assert row(m.id).delta == now[m.id] - after[m.id]


@pytest.mark.slow
async def test_deck_text_that_looks_like_markup_is_shown_literally(tmp_path):
    """Deck authors may write brackets: titles, briefings, labels, questions and notes are
    shown as written on every screen, never read as markup (which could crash the app)."""
    from wargame.store.decks import load_deck

    text = (Path(__file__).parent / "data" / "mini.toml").read_text(encoding="utf-8")
    for old, new in [
        ('title = "Evacuation"', 'title = "[/b]Evacuation [ROK]"'),
        ('"Sixty thousand nationals', '"[bold]Sixty[/] thousand [/i] nationals'),
        ('label = "Send SDF aircraft"', 'label = "Send [SDF] aircraft [/x]"'),
        ('label = "ROK public opinion"', 'label = "ROK [public] opinion"'),
        ('"Who flies them out?"', '"[/q] Who flies them out?"'),
    ]:
        assert old in text
        text = text.replace(old, new, 1)
    (tmp_path / "marked.toml").write_text(text, encoding="utf-8")
    deck = load_deck(tmp_path / "marked.toml")
    app = app_for(tmp_path / "saves", deck=deck, seed=1, turns=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        game = app.screen.game
        if game.card.id != "neo":
            await pilot.press("s", "enter", "c")  # skip, then choose the marked card
            await pilot.pause()
            await pilot.press(
                *["down"] * [c.id for c in deck.cards if c.id not in game.state.used].index("neo"),
                "enter",
            )
            await pilot.pause()
        assert game.card.id == "neo"
        assert "[/b]Evacuation [ROK]" in screen_text(app)
        assert "[bold]Sixty[/] thousand [/i] nationals" in screen_text(app)
        await pilot.press("a")  # the adjust dialog lists meter labels
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "ROK [public] opinion" in screen_text(app)
        await pilot.press("escape", "escape")
        await pilot.pause()
        await pilot.press("enter")
        for seat in game.pending:
            pick = [o.id for o in game.card.options_for(seat)].index(
                "sdf-airlift" if seat == "JPN" else game.card.options_for(seat)[0].id
            )
            await pilot.press("enter", str(pick + 1))
            await pilot.pause()
            if seat == "JPN":
                assert "Send [SDF] aircraft [/x]" in screen_text(app)
            await pilot.press("ctrl+s")
            await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Send [SDF] aircraft [/x]" in text and "[/q] Who flies them out?" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        assert "Send [SDF] aircraft [/x]" in screen_text(app)
    app.close_saves()


@pytest.mark.slow
@pytest.mark.parametrize("from_launcher", [True, False])
async def test_leave_a_game_for_the_launcher_and_resume_it(tmp_path, default_deck, from_launcher):
    """`l` on the board goes back to the launcher, whether the game began there or straight
    from the command line; the game is saved whole, listed, and resumes where it was left."""
    app = app_for(tmp_path) if from_launcher else app_for(tmp_path, deck=default_deck, seed=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        if from_launcher:
            await pilot.press("ctrl+n")
            await pilot.pause()
        board = app.screen
        assert isinstance(board, GameScreen)
        game = board.game
        await pilot.press("enter", "enter", "1", "ctrl+s")  # one seat decides
        await pilot.pause()
        await pilot.press("escape")  # the next seat's hand-off, back to the board
        await pilot.pause()
        assert app.screen is board
        events = list(game.events)
        await pilot.press("l")  # asks first (issue 13): Enter leaves
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        assert await wait_for_screen(pilot, LauncherScreen)
        assert await wait_for_saves_listed(pilot)
        assert board not in app.screen_stack
        assert "in play" in screen_text(app)
        saved = load_save(board.save_path).events  # nothing lost on the way out, and
        assert saved[:-1] == events  # the turn clock stopped while the game is away
        assert (saved[-1].kind, saved[-1].action) == ("timer", "pause")
        await pilot.press("r")  # resume the highlighted (only) save
        await pilot.pause()
        [resumed] = [s for s in app.screen_stack if isinstance(s, GameScreen)]
        assert resumed.game.events == saved and len(resumed.game.pending) == 2
