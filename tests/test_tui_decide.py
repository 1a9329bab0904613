"""The decision screens: how a team picks and writes its rationale, and what they leave
behind in memory once closed."""

from __future__ import annotations

import gc
import weakref

from textual.app import App
from textual.binding import Binding
from textual.widgets import OptionList, TextArea

from wargame.model.game import DecisionMade
from wargame.tui.screens.decide import DecisionScreen, OpenDecisionScreen
from wargame.tui.widgets.footer import Footer

from .tui_helpers import app_for, collected, is_footer_key, keys, wait_until


def picked_line(screen) -> str:
    return str(screen.query_one("#decision-picked").render())


async def test_number_keys_pick_in_the_list_and_typing_writes_the_rationale(tmp_path, default_deck):
    """A number picks and leaves the focus on the list, so another number changes the
    choice; typing goes on into the rationale, where digits are text; Shift+Tab and Enter
    pick from the list again and return to the rationale."""
    app = app_for(tmp_path, deck=default_deck, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        game = app.screen.game
        await pilot.press("enter", "enter")
        screen = app.screen
        assert isinstance(screen, DecisionScreen)
        options = screen.options
        await pilot.press("2")
        assert screen.picked == 1 and isinstance(screen.focused, OptionList)
        assert "Chosen: 2." in picked_line(screen) and "type why next" in picked_line(screen)
        await pilot.press("1")
        assert screen.picked == 0 and isinstance(screen.focused, OptionList)
        await pilot.press("9")  # no such option: said, and the choice stands
        assert screen.picked == 0 and "No option 9 here" in picked_line(screen)
        await pilot.press(*keys("Why 2"))
        assert isinstance(screen.focused, TextArea)
        assert screen.query_one(TextArea).text == "Why 2" and screen.picked == 0
        assert "Ctrl+S records it" in picked_line(screen)
        await pilot.press("shift+tab", "down", "enter")  # back to the list, pick the next
        assert screen.picked == 1 and isinstance(screen.focused, TextArea)
        await pilot.press(*keys(", on reflection"), "ctrl+s")
        await pilot.pause()
    decided = [e for e in game.events if isinstance(e, DecisionMade)]
    assert [(d.option, d.rationale) for d in decided] == [(options[1].id, "Why 2, on reflection")]


async def test_a_burst_of_typing_keeps_its_digits(tmp_path, default_deck):
    """Keys typed faster than the focus moves (a fast typist, tmux, a terminal's key
    repeat) all reach the rationale: a digit among them is text, not a new pick."""
    from textual import events

    app = app_for(tmp_path, deck=default_deck, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "enter", "2")
        screen = app.screen
        assert isinstance(screen, DecisionScreen) and screen.picked == 1
        for char in "Plan 1 of 2":  # all queued before any is handled
            key = "space" if char == " " else char
            app.post_message(events.Key(key, char))
        box = screen.query_one(TextArea)
        assert await wait_until(pilot, lambda: len(box.text) == len("Plan 1 of 2"))
        assert box.text == "Plan 1 of 2"
        assert screen.picked == 1


async def test_tab_from_the_list_goes_to_the_rationale(tmp_path, default_deck):
    app = app_for(tmp_path, deck=default_deck, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "enter", "1", "tab")
        assert isinstance(app.screen.focused, TextArea)


async def test_open_mode_number_keys_stay_in_the_team_list(tmp_path, default_deck):
    app = app_for(tmp_path, deck=default_deck, seed=7, mode="open")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, OpenDecisionScreen)
        await pilot.press("2")
        assert screen.focused is screen.query_one("#open-options-US")
        await pilot.press("1", *keys("US"))
        assert screen.query_one("#open-rationale-US", TextArea).text == "US"
        assert screen.picked["US"] == screen.card.options_for("US")[0].id


async def test_moving_focus_keeps_the_footer(tmp_path, default_deck):
    """The footer shows the same keys in the list and in the rationale box, so moving
    between them does not rebuild it."""
    app = app_for(tmp_path, deck=default_deck, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "enter")
        await pilot.pause()
        before = list(app.screen.query("FooterKey"))
        await pilot.press("tab")
        await pilot.pause()
        await pilot.press("shift+tab")
        await pilot.pause()
        assert before and list(app.screen.query("FooterKey")) == before


async def test_a_closed_decision_screen_is_freed(tmp_path, default_deck):
    """TextArea watches the app's theme (textual#6666): without letting go on unmount, each
    closed decision screen's rationale box would live for the rest of the game."""
    app = app_for(tmp_path, deck=default_deck, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DecisionScreen)
        closed = [weakref.ref(screen), weakref.ref(screen.query_one(TextArea))]
        del screen
        await pilot.press("1", *keys("why"), "ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, DecisionScreen)
        assert await collected(pilot, lambda: [ref() for ref in closed] == [None, None])


async def test_quiet_footer_lets_go_of_the_keys_it_removes():
    """Each FooterKey data-binds the footer's `compact`; Textual keeps that watcher, and so
    the key, after the footer rebuilds (textual#6666). A long-lived footer must not."""

    class Tiny(App[None]):
        BINDINGS = [Binding("a", "first", "A"), Binding("b", "second", "B")]
        dim = False

        def compose(self):
            yield Footer()

        def check_action(self, action, parameters):
            return None if self.dim and action == "second" else True

    app = Tiny()
    async with app.run_test() as pilot:
        await pilot.pause()
        for _ in range(4):  # B dimmed, then not: the footer rebuilds each time
            app.dim = not app.dim
            app.refresh_bindings()
            await pilot.pause()
        shown = len(app.query("FooterKey"))
        assert shown > 0
        assert await collected(
            pilot, lambda: sum(is_footer_key(o) for o in gc.get_objects()) == shown
        )
