"""Game actions, declared once: each gives its key binding (with id and tooltip), its footer
entry and its command-palette entry, and says when it is legal, so the footer and the
palette offer only what the rules accept now."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from wargame.tui.screens.game import GameScreen


@dataclass(frozen=True)
class GameAction:
    name: str  # the screen's action_<name>
    key: str
    title: str  # footer and palette text
    tooltip: str
    legal: Callable[[GameScreen], bool]
    show: bool = True  # in the footer

    def binding(self) -> Binding:
        return Binding(
            self.key,
            self.name,
            self.title,
            show=self.show,
            tooltip=self.tooltip,
            id=f"game.{self.name}",
        )


def _rules(name: str) -> Callable[[GameScreen], bool]:
    return lambda screen: name in screen.game.legal


def _next_legal(screen: GameScreen) -> bool:
    return screen.next_step() is not None


GAME_ACTIONS: list[GameAction] = [
    GameAction(
        "next",
        "enter",
        "Next step",
        "Reveal the next inject, hand over to the next "
        "seat, or resolve the turn — whatever comes next",
        _next_legal,
    ),
    GameAction(
        "reveal",
        "d",
        "Reveal inject",
        "Draw the next inject card (follow-ups first, then a seeded random draw)",
        _rules("draw"),
        show=False,
    ),
    GameAction(
        "decide",
        "t",
        "Seats decide",
        "Hand the keyboard to the seats that still have to decide",
        _rules("decide"),
        show=False,
    ),
    GameAction(
        "resolve",
        "r",
        "Resolve turn",
        "Reveal every seat's choice and apply them all at once",
        _rules("resolve"),
    ),
    GameAction(
        "facilitator",
        "f",
        "White Cell",
        "Open the facilitator's panel: adjust, pick, skip, undo, note, timer, end",
        lambda s: True,
    ),
    GameAction(
        "adjust",
        "a",
        "Adjust meter",
        "Change a meter by hand, with a recorded reason",
        _rules("adjudicate"),
        show=False,
    ),
    GameAction(
        "choose",
        "c",
        "Choose card",
        "Pick the next inject card yourself",
        _rules("draw"),
        show=False,
    ),
    GameAction(
        "skip",
        "s",
        "Skip card",
        "Set the card on the table aside and draw another",
        _rules("skip"),
        show=False,
    ),
    GameAction(
        "advance_phase",
        "m",
        "Next phase",
        "Move the scenario on to its next phase (between cards)",
        _rules("advance"),
        show=False,
    ),
    GameAction(
        "checkpoint",
        "k",
        "Checkpoint",
        "The game is at a checkpoint: continue past it or end the game there",
        _rules("continue"),
    ),
    GameAction("undo", "u", "Undo", "Undo the last resolution or adjustment", _rules("undo")),
    GameAction("note", "n", "Note", "Add a facilitator's note to the record", _rules("note")),
    GameAction(
        "pause",
        "p",
        "Pause/resume timer",
        "Pause or resume the turn timer",
        _rules("timer"),
        show=False,
    ),
    GameAction(
        "extend",
        "plus",
        "Extend timer",
        "Give this turn two more minutes",
        _rules("timer"),
        show=False,
    ),
    GameAction(
        "end_game",
        "e",
        "End game",
        "End the game now (asks for a reason)",
        _rules("end"),
        show=False,
    ),
    GameAction(
        "leave",
        "l",
        "Leave to launcher",
        "Back to the launcher; the game is saved and can be resumed from there",
        lambda s: True,
        show=False,
    ),
    GameAction("help", "question_mark", "Help", "The game loop and every key", lambda s: True),
]
BY_NAME = {a.name: a for a in GAME_ACTIONS}


class GameCommands(Provider):
    """The command palette's game entries: only the actions that are legal now."""

    def _actions(self) -> list[GameAction]:
        from wargame.tui.screens.game import GameScreen

        screen = self.screen
        if not isinstance(screen, GameScreen):
            return []
        return [a for a in GAME_ACTIONS if a.legal(screen)]

    def _runner(self, action: GameAction) -> Callable[[], object]:
        return partial(self.screen.do, action.name)  # type: ignore[attr-defined]

    async def discover(self) -> Hits:
        for action in self._actions():
            yield DiscoveryHit(action.title, self._runner(action), help=action.tooltip)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action in self._actions():
            score = matcher.match(action.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(action.title),
                    self._runner(action),
                    help=action.tooltip,
                )
