"""Hot-seat privacy: no seat sees another seat's pending choice or rationale, anywhere."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList, RichLog, TextArea

from wargame.engine import Game
from wargame.store.saves import write_save
from wargame.tui.screens.decide import DecisionScreen, HandoffScreen
from wargame.tui.screens.game import GameScreen

from .tui_helpers import app_for, keys, screen_text

SECRET = "Tokyo quietly asks Washington to vouch for it"


def dom_text(app) -> str:
    """Every text the current screen holds, shown or scrolled away: rendered widgets,
    option lists, text boxes."""
    parts = []
    for widget in app.screen.query("*"):
        if isinstance(widget, OptionList):
            parts += [str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count)]
        elif isinstance(widget, TextArea):
            parts.append(widget.text)
        elif isinstance(widget, Input):
            parts.append(widget.value)
        else:
            try:
                rendered = widget.render()
            except Exception:  # containers and scroll views render through their children
                continue
            parts.append(str(getattr(rendered, "plain", rendered)))
    return "\n".join(parts)


@pytest.mark.slow
async def test_rok_sees_nothing_of_japans_pending_decision(tmp_path, default_deck):
    app = app_for(tmp_path, step=0.5, deck=default_deck, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, GameScreen)
        game = board.game
        card = game.card
        assert card is not None
        jpn_options = card.options_for("JPN")
        rok_labels = {o.label for o in card.options_for("ROK")}
        # A JPN option whose label appears nowhere in what ROK may legitimately see.
        secret_option = next(
            o for o in jpn_options if o.label not in rok_labels and o.label not in card.briefing
        )
        pick = jpn_options.index(secret_option) + 1

        await pilot.press("enter")  # hand over: the US first
        assert isinstance(app.screen, HandoffScreen) and app.screen.team == "United States"
        await pilot.press("enter", "1", *keys("US reasons"), "ctrl+s")
        await pilot.pause()
        # ROK is offered next; Japan is ready first.
        assert isinstance(app.screen, HandoffScreen) and app.screen.team == "Republic of Korea"
        await pilot.press("o")
        assert app.screen.team == "Japan"
        await pilot.press("enter")
        assert isinstance(app.screen, DecisionScreen) and app.screen.seat.id == "JPN"
        await pilot.press(str(pick), *keys(SECRET), "ctrl+s")
        await pilot.pause()
        assert game.state.decisions["JPN"] == secret_option.id
        assert game.pending == ["ROK"]

        seen: dict[str, str] = {}
        assert isinstance(app.screen, HandoffScreen) and app.screen.team == "Republic of Korea"
        seen["ROK hand-off"] = screen_text(app) + dom_text(app)
        await pilot.press("escape")  # back to the board, as the facilitator might
        await pilot.pause()
        assert app.screen is board
        seen["board"] = screen_text(app) + dom_text(app)
        assert "Japan has decided" in seen["board"]
        await pilot.press("enter")
        assert isinstance(app.screen, HandoffScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, DecisionScreen) and app.screen.seat.id == "ROK"
        await pilot.pause()
        seen["ROK decision"] = screen_text(app) + dom_text(app)
        # ROK's own screen does show ROK's options: the check can see options at all.
        assert all(label in seen["ROK decision"] for label in rok_labels)
        for where, text in seen.items():
            assert secret_option.label not in text, where
            assert SECRET not in text, where
            assert "US reasons" not in text, where

        # After resolution everything is revealed at once.
        await pilot.press("1", *keys("ROK reasons"), "ctrl+s")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert secret_option.label in screen_text(app)


@pytest.mark.slow
async def test_resume_mid_turn_lands_on_the_next_hand_off(tmp_path, default_deck):
    from wargame.engine import Game
    from wargame.store.saves import write_save

    game = Game.start(default_deck, seed=3, at="2026-11-22T09:00:00+00:00")
    game.draw()
    game.decide("US", game.card.options_for("US")[0].id, "Washington keeps its counsel")
    path = tmp_path / "mid-turn.toml"
    write_save(path, default_deck, game.events)

    app = app_for(tmp_path, resume=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HandoffScreen)
        assert app.screen.team == "Republic of Korea"
        text = screen_text(app)
        assert (
            "Washington keeps its counsel" not in text
            and game.card.options_for("US")[0].label not in text
        )
        await pilot.press("enter", "2", *keys("second"), "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HandoffScreen) and app.screen.team == "Japan"
    # The resumed game kept saving to the same file.
    from wargame.store.saves import load_save

    loaded = load_save(path)
    assert set(loaded.game.state.decisions) == {"US", "ROK"}


def log_text(board: GameScreen) -> str:
    """Every line the board's event log holds, scrolled into view or not."""
    log = board.query_one(RichLog)
    return "\n".join("".join(seg.text for seg in strip) for strip in log.lines)


def secret_option(card, seat: str, others: list[str]):
    """One of `seat`'s options whose label appears nowhere another seat may look."""
    public = [card.briefing, card.title, *card.prompts.values()]
    public += [o.label for s in others for o in card.options_for(s)]
    return next(o for o in card.options_for(seat) if not any(o.label in p for p in public))


async def test_rok_screens_after_japan_decided_first_through_the_engine(tmp_path, default_deck):
    """The literal Done-when: JPN's choice stands (entered through the engine), then ROK's
    hand-off, the board and ROK's decision screen show nothing of it."""
    game = Game.start(default_deck, seed=12, at="2026-11-22T09:00:00+00:00")
    game.draw()
    card = game.card
    jpn = secret_option(card, "JPN", ["US", "ROK"])
    us = secret_option(card, "US", ["ROK", "JPN"])
    game.decide("US", us.id, "Washington whispers")
    game.decide("JPN", jpn.id, SECRET)
    assert game.pending == ["ROK"]
    path = tmp_path / "jpn-first.toml"
    write_save(path, default_deck, game.events)

    app = app_for(tmp_path, resume=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        seen: dict[str, str] = {}
        # Resuming lands straight on the hand-off of the one seat still to decide.
        assert isinstance(app.screen, HandoffScreen) and app.screen.team == "Republic of Korea"
        seen["ROK hand-off (resumed)"] = screen_text(app) + dom_text(app)
        await pilot.press("escape")
        await pilot.pause()
        board = app.screen
        assert isinstance(board, GameScreen)
        seen["board"] = screen_text(app) + dom_text(app)
        seen["board log"] = log_text(board)
        assert "Japan has decided" in seen["board log"]
        await pilot.press("enter")  # the board's next step: hand over to ROK
        await pilot.pause()
        assert isinstance(app.screen, HandoffScreen) and app.screen.team == "Republic of Korea"
        seen["ROK hand-off"] = screen_text(app) + dom_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen) and app.screen.seat.id == "ROK"
        seen["ROK decision"] = screen_text(app) + dom_text(app)
        assert card.options_for("ROK")[0].label in seen["ROK decision"]
        for where, text in seen.items():
            for secret in (jpn.label, SECRET, us.label, "Washington whispers"):
                assert secret not in text, f"{secret!r} on {where}"


@pytest.mark.slow
async def test_japan_screens_and_board_log_after_rok_decided(tmp_path, default_deck):
    """In seat order: once the US and ROK have decided, Japan's hand-off and decision screens
    and the board's log show neither choice; the log reveals them only at resolution."""
    app = app_for(tmp_path, step=0.5, deck=default_deck, seed=12)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, GameScreen)
        card = board.game.card
        rok = secret_option(card, "ROK", ["US", "JPN"])
        us = secret_option(card, "US", ["ROK", "JPN"])
        rok_pick = card.options_for("ROK").index(rok) + 1
        us_pick = card.options_for("US").index(us) + 1
        await pilot.press("enter", "enter", str(us_pick), *keys("US why"), "ctrl+s")
        await pilot.pause()
        await pilot.press("enter", str(rok_pick), *keys("ROK why"), "ctrl+s")
        await pilot.pause()
        seen: dict[str, str] = {}
        assert isinstance(app.screen, HandoffScreen) and app.screen.team == "Japan"
        seen["JPN hand-off"] = screen_text(app) + dom_text(app)
        await pilot.press("escape")
        await pilot.pause()
        seen["board"] = screen_text(app) + dom_text(app)
        seen["board log"] = log_text(board)
        assert "Republic of Korea has decided" in seen["board log"]
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen) and app.screen.seat.id == "JPN"
        seen["JPN decision"] = screen_text(app) + dom_text(app)
        for where, text in seen.items():
            for secret in (rok.label, "ROK why", us.label, "US why"):
                assert secret not in text, f"{secret!r} on {where}"

        await pilot.press("1", *keys("JPN why"), "ctrl+s")
        await pilot.pause()
        assert app.screen is board
        before = log_text(board)
        assert "JPN why" not in before and card.options_for("JPN")[0].label not in before
        await pilot.press("enter")  # resolve: every choice revealed at once
        await pilot.pause()
        after = log_text(board)
        words = " ".join(after.split())  # a long line wraps in the log
        assert rok.label in words and us.label in words
        # Rationales belong to the after-action review, not to the projector's log.
        assert "ROK why" not in after and "US why" not in after


@pytest.mark.slow
async def test_a_seats_draft_shows_only_on_its_own_decision_screen(tmp_path, default_deck):
    """Issue 13's drafts keep hot-seat privacy: Japan's half-typed decision (kept when it
    went back, and again after quit and resume) shows on no hand-off, not on the board, not
    on another seat's screen; only on Japan's own."""
    app = app_for(tmp_path, deck=default_deck, seed=12)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.screen
        card = board.game.card
        jpn = secret_option(card, "JPN", ["US", "ROK"])
        pick = card.options_for("JPN").index(jpn) + 1
        await pilot.press("enter", "o", "o")  # hand-off: past the US and ROK to Japan
        assert isinstance(app.screen, HandoffScreen) and app.screen.team == "Japan"
        await pilot.press("enter", str(pick), *keys(SECRET))
        assert isinstance(app.screen, DecisionScreen) and app.screen.picked == pick - 1
        await pilot.press("escape")  # Japan steps away: its draft is kept...
        await pilot.pause()
        assert board.drafts["JPN"].rationale == SECRET
        path = board.save_path
        await pilot.press("ctrl+q")  # ...and survives the laptop being shut
    app.close_saves()

    again = app_for(tmp_path, resume=path)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = again.screen
        assert isinstance(board, GameScreen) and board.drafts["JPN"].rationale == SECRET
        seen = {"board": screen_text(again) + dom_text(again) + log_text(board)}
        await pilot.press("enter")
        assert isinstance(again.screen, HandoffScreen) and again.screen.team == "United States"
        seen["US hand-off"] = screen_text(again) + dom_text(again)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(again.screen, DecisionScreen) and again.screen.seat.id == "US"
        seen["US decision"] = screen_text(again) + dom_text(again)
        await pilot.press("1", *keys("US why"), "ctrl+s")
        await pilot.pause()
        assert isinstance(again.screen, HandoffScreen)
        seen["ROK hand-off"] = screen_text(again) + dom_text(again)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(again.screen, DecisionScreen) and again.screen.seat.id == "ROK"
        seen["ROK decision"] = screen_text(again) + dom_text(again)
        for where, text in seen.items():
            assert SECRET not in text, where
            assert jpn.label not in text, where
        await pilot.press("1", *keys("ROK why"), "ctrl+s")
        await pilot.pause()
        assert isinstance(again.screen, HandoffScreen) and again.screen.team == "Japan"
        assert SECRET not in screen_text(again) + dom_text(again)
        await pilot.press("enter")
        await pilot.pause()
        own = again.screen
        assert isinstance(own, DecisionScreen) and own.seat.id == "JPN"
        assert own.picked == pick - 1 and SECRET in dom_text(again)
    again.close_saves()
