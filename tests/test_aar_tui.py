"""Pilot tests: the AAR screen (timeline filters, charts, export) and the hot-wash dialog."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import DataTable, Select, TextArea

from tests.conftest import play_random
from wargame.aar.export import export
from wargame.engine import Hotwash
from wargame.tui.screens.aar import AARScreen, MeterChart, braille_plot
from wargame.tui.screens.ending import EndingScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.hotwash import HotwashScreen

from .tui_helpers import app_for, keys


class Host(App):
    """A bare app that shows one screen: the AAR screen is reached by pushing it."""

    def __init__(self, screen_factory) -> None:
        super().__init__()
        self.factory = screen_factory
        self.results: list = []

    def on_mount(self) -> None:
        self.push_screen(self.factory(), callback=self.results.append)


def _game(deck):
    game = play_random(deck, 21, rationale="<b>why</b> | [red]not[/red]")
    game.apply(Hotwash(entry="strength", text="Fast [bold]sharing[/bold]", seat="ROK"))
    return game


async def test_aar_from_the_end_of_a_real_game_filters_by_seat_and_exports(
    tmp_path: Path, default_deck
):
    """Play a one-turn game through the app with keys, then open the review from the ending."""
    app = app_for(tmp_path, step=0.5, deck=default_deck, seed=8, turns=1)
    typed: dict[str, list[str]] = {}
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, GameScreen)
        game = board.game
        while not game.state.ended:
            if game.state.phase == "draw":
                await pilot.press("enter")
            await pilot.press("enter")  # hand over to the first seat
            for pick, seat in zip("213", list(game.pending), strict=True):
                why = f"{seat} t{game.state.turn}"
                typed.setdefault(seat, []).append(why)
                pick = str(min(int(pick), len(game.card.options_for(seat))))  # one that exists
                await pilot.press("enter", pick, *keys(why), "ctrl+s")
                await pilot.pause()
            await pilot.press("enter")  # resolve
            await pilot.pause()
            await pilot.press("enter")  # leave the resolution
            await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AARScreen)
        assert screen.events == list(game.events)
        table = screen.query_one("#timeline", DataTable)
        assert table.row_count == len(screen.aar.timeline)
        assert screen.focused is table  # arrow keys go through the entries at once

        # Pick ROK in the seat filter with the keyboard.
        select = screen.query_one("#filter-seat", Select)
        select.focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # All seats → US → ROK
        await pilot.pause()
        assert select.value == "ROK" and screen.seat_filter == "ROK"
        shown = screen.visible_entries()
        assert shown and all(e.seat == "ROK" for e in shown)
        assert table.row_count == len(shown)
        decided = [e for e in shown if e.kind == "decided"]
        assert [e.rationale for e in decided] == typed["ROK"]
        cells = " ".join(str(c) for i in range(table.row_count) for c in table.get_row_at(i))
        assert all(why in cells for why in typed["ROK"])
        assert not any(why in cells for why in typed["US"] + typed["JPN"])
        await pilot.press("c")
        await pilot.pause()
        assert table.row_count == len(screen.aar.timeline)

        # One chart per meter, fed the trajectory on the meter's own scale.
        charts = list(screen.query(MeterChart))
        assert [c.values for c in charts] == [screen.aar.series(m.id) for m in default_deck.meters]

        # Export: all four formats beside the game's own save, byte for byte the CLI's.
        await pilot.press("e")
        await pilot.pause()
        save = board.save_path
        assert save is not None and save.parent == tmp_path
        for fmt in ("md", "html", "json", "csv"):
            path = save.with_name(save.stem + f".aar.{fmt}")
            assert path.read_bytes() == export(default_deck, game.events, fmt).encode()
        assert len(screen.exported) == 4

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
    app.close_saves()


async def test_aar_export_without_a_save_goes_to_the_cwd(mini_deck, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    game = _game(mini_deck)
    app = Host(lambda: AARScreen(mini_deck, game.events))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "mini.aar.csv",
            "mini.aar.html",
            "mini.aar.json",
            "mini.aar.md",
        ]


async def test_markup_in_user_text_is_shown_literally(mini_deck):
    game = _game(mini_deck)
    app = Host(lambda: AARScreen(mini_deck, game.events))
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#timeline", DataTable)
        details = [str(table.get_row_at(i)[-1]) for i in range(table.row_count)]
        assert any("[red]not[/red]" in d for d in details)


async def test_hotwash_dialog_returns_a_command(mini_deck):
    app = Host(lambda: HotwashScreen(mini_deck))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HotwashScreen)
        # Empty text: the dialog stays open.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen and app.results == []
        screen.query_one("#hotwash-text", TextArea).focus()
        await pilot.press(*"Slow data | sharing")
        screen.query_one("#hotwash-kind").focus()
        await pilot.press("down", "enter")
        screen.query_one("#hotwash-seat", Select).value = "JPN"
        screen.query_one("#hotwash-objective", Select).value = "talk"
        await pilot.press("ctrl+s")
        await pilot.pause()
    (cmd,) = app.results
    assert isinstance(cmd, Hotwash)
    assert (cmd.entry, cmd.text, cmd.seat, cmd.card, cmd.objective) == (
        "improvement",
        "Slow data | sharing",
        "JPN",
        None,
        "talk",
    )
    # The engine accepts it as it stands.
    game = play_random(mini_deck, 1)
    (event,) = game.apply(cmd)
    assert event.kind == "hotwash" and event.text == "Slow data | sharing"


async def test_hotwash_dialog_cancel(mini_deck):
    app = Host(lambda: HotwashScreen(mini_deck, kind="action"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press(*"x")
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


def test_braille_plot_uses_a_fixed_scale():
    flat = braille_plot([50, 50, 50], 0, 100, 10, 2)
    assert len(flat) == 2 and all(len(row) == 10 for row in flat)
    # A flat line at mid-scale: one dot row, in the same cell row all along.
    assert len({row for row in flat}) == 2 and "\u2800" * 10 in flat
    low = braille_plot([0, 0], 0, 100, 4, 2)
    high = braille_plot([100, 100], 0, 100, 4, 2)
    assert low[0] == "\u2800" * 4 and low[1] != "\u2800" * 4
    assert high[1] == "\u2800" * 4 and high[0] != "\u2800" * 4
    # A rise draws a connected line from bottom-left to top-right.
    rise = braille_plot([0, 100], 0, 100, 4, 2)
    assert rise[1][0] != "\u2800" and rise[0][-1] != "\u2800"
