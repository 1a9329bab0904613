"""Schema 2 in the TUI, driven by keys: the phase on the board and its advance, a disabled
option with its reason, a seat's private briefing seen only on its own decision screen and
revealed side by side at resolution, a red-cell move explained at resolution, and a
checkpoint the facilitator continues past."""

from __future__ import annotations

from wargame import engine
from wargame.store.decks import load_deck
from wargame.tui.screens.checkpoint import CheckpointDialog
from wargame.tui.screens.decide import DecisionScreen, HandoffScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.resolution import ResolutionScreen

from .conftest import DATA
from .test_tui_privacy import dom_text
from .tui_helpers import app_for, screen_text

ROK_ONLY = "The Blue House expects Tokyo to retaliate."
JPN_ONLY = "METI has an export-control list ready."


def wide_text(app, selector: str) -> str:
    """A Static's content as plain text, laid out wide (no wrapping)."""
    from io import StringIO

    from rich.console import Console

    console = Console(width=400, record=True, file=StringIO())
    console.print(app.screen.query_one(selector).content)
    return console.export_text()


def crisis_deck():
    return load_deck(DATA / "crisis.toml")


async def board_with(pilot, app, card: str) -> GameScreen:
    """The board with `card` on the table (picked by the White Cell's choose dialog)."""
    await pilot.pause()
    board = app.screen
    assert isinstance(board, GameScreen)
    if board.game.card is not None and board.game.card.id != card:
        board.run_cmd(engine.Skip(reason="test"))
    if board.game.card is None:
        board.run_cmd(engine.Draw(card=card))
    await pilot.pause()
    assert board.game.card is not None and board.game.card.id == card
    return board


async def decide(pilot, app, team: str, pick: str) -> str:
    """Take the hand-off for `team`, pick an option by number, and confirm; the text the
    team's decision screen held, before confirming."""
    assert isinstance(app.screen, HandoffScreen)
    while app.screen.team != team:
        await pilot.press("o")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, DecisionScreen)
    seen = dom_text(app) + screen_text(app)
    await pilot.press(pick, "ctrl+s")
    await pilot.pause()
    return seen


async def test_the_phase_is_on_the_board_and_the_facilitator_advances_it(tmp_path):
    app = app_for(tmp_path, deck=crisis_deck(), seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await board_with(pilot, app, "court")
        assert "Friction" in screen_text(app)
        assert "Phase Friction (1/3)" in screen_text(app)
        board.run_cmd(engine.Skip(reason="to advance between cards"))
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert board.game.state.scenario_phase == "provocation"
        assert "Phase Provocation (2/3)" in screen_text(app)
        assert board.game.events[-1].kind == "phase"


async def test_private_briefings_are_seen_only_by_their_seat_and_revealed_together(tmp_path):
    app = app_for(tmp_path, step=0.5, deck=crisis_deck(), seed=1)
    async with app.run_test(size=(120, 60)) as pilot:
        await board_with(pilot, app, "court")
        board_text = dom_text(app)
        assert ROK_ONLY not in board_text and JPN_ONLY not in board_text
        await pilot.press("enter")
        rok_saw = await decide(pilot, app, "Republic of Korea", "1")
        assert ROK_ONLY in rok_saw and JPN_ONLY not in rok_saw
        assert "For Republic of Korea only" in rok_saw
        jpn_saw = await decide(pilot, app, "Japan", "1")
        assert JPN_ONLY in jpn_saw and ROK_ONLY not in jpn_saw
        assert ROK_ONLY not in dom_text(app)
        await pilot.press("enter")  # resolve
        await pilot.pause()
        assert isinstance(app.screen, ResolutionScreen)
        shown = wide_text(app, "#resolution-private")
        assert "What each government was told" in shown
        assert ROK_ONLY in shown and JPN_ONLY in shown


async def test_a_red_cell_move_is_explained_at_resolution(tmp_path):
    app = app_for(tmp_path, step=0.5, deck=crisis_deck(), seed=1)
    async with app.run_test(size=(120, 60)) as pilot:
        await board_with(pilot, app, "court")
        await pilot.press("enter")
        await decide(pilot, app, "Republic of Korea", "1")  # enforce the ruling
        await decide(pilot, app, "Japan", "1")  # restrict exports
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ResolutionScreen)
        shown = wide_text(app, "#resolution-changes") + wide_text(app, "#resolution-consequences")
        assert "Red cell — China" in shown
        assert "Beijing tests the gap between Seoul and Tokyo" in shown
        assert "Escalation +10" in shown
        assert "Queues China probes the seam" in shown
        assert "Now in force: GSOMIA lapsed" in shown


async def test_a_disabled_option_shows_why_and_cannot_be_picked(tmp_path):
    deck = crisis_deck()
    app = app_for(tmp_path, step=0.5, deck=deck, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await board_with(pilot, app, "court")
        for seat, option in (("ROK", "enforce"), ("JPN", "retaliate")):
            board.run_cmd(engine.Decide(seat=seat, option=option))
        board.run_cmd(engine.Resolve())
        board.run_cmd(engine.Draw(card="launch"))
        await pilot.pause()
        await pilot.press("enter")
        assert isinstance(app.screen, HandoffScreen)
        while app.screen.team != "Republic of Korea":
            await pilot.press("o")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DecisionScreen)
        text = screen_text(app)
        assert "1. Share the track directly — not open: GSOMIA has lapsed" in text
        await pilot.press("1")
        await pilot.pause()
        assert screen.picked is None
        assert "Option 1 is not open: GSOMIA has lapsed" in screen_text(app)
        await pilot.press("2", "ctrl+s")
        await pilot.pause()
        assert board.game.state.decisions == {"ROK": "via-us"}


async def test_a_checkpoint_offers_to_continue(tmp_path):
    app = app_for(tmp_path, step=0.5, deck=crisis_deck(), seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await board_with(pilot, app, "court")
        board.run_cmd(engine.Adjudicate(meter="escalation", value=75, reason="war scare"))
        await pilot.press("enter")
        await decide(pilot, app, "Republic of Korea", "1")
        await decide(pilot, app, "Japan", "1")
        await pilot.press("enter")  # resolve: China's probe takes escalation to 85
        await pilot.pause()
        assert isinstance(app.screen, ResolutionScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckpointDialog)
        assert "Checkpoint: On the brink" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)
        assert board.game.state.checkpoint is None
        assert board.game.events[-1].kind == "continued"
        assert not board.game.state.ended


async def test_ending_at_a_checkpoint(tmp_path):
    app = app_for(tmp_path, step=0.5, deck=crisis_deck(), seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await board_with(pilot, app, "court")
        board.run_cmd(engine.Adjudicate(meter="escalation", value=85, reason="war scare"))
        for seat, option in (("ROK", "fund"), ("JPN", "talk")):
            board.run_cmd(engine.Decide(seat=seat, option=option))
        board.run_cmd(engine.Resolve())
        await pilot.pause()
        assert "At a checkpoint" in screen_text(app)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, CheckpointDialog)
        await pilot.press("e")
        await pilot.pause()
        assert board.game.state.ended
        assert board.game.state.outcome.ending == "brink"
        # The ending reveals each seat's private objective, scored.
        shown = wide_text(app, "#ending-objectives")
        assert "Private objectives, revealed" in shown
        assert "Keep ROK public opinion at 40 or above." in shown
