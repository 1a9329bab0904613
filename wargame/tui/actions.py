"""Game actions, declared once: each gives its key binding (with id and tooltip), its footer
entry and its command-palette entry, and says when it is legal, so the footer and the
palette offer only what the rules accept now."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Protocol, runtime_checkable

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from wargame import engine
from wargame.engine import Game
from wargame.i18n import N_, _


@runtime_checkable
class PlaysGame(Protocol):
    """A screen that holds a game and runs its actions by name (the board)."""

    game: Game

    def do(self, name: str) -> None: ...


def next_step(game: Game) -> str | None:
    """What Enter does now: a checkpoint's choice, reveal (or choose) a card, hand over to the
    seats, or resolve."""
    legal = game.legal
    if "continue" in legal:
        return "checkpoint"
    if "draw" in legal:
        return "reveal" if engine.can_draw(game.deck, game.state) else "choose"
    for step in ("decide", "resolve"):
        if step in legal:
            return step
    return None


@dataclass(frozen=True)
class GameAction:
    name: str  # the screen's action_<name>
    key: str
    title: str  # footer and palette text
    tooltip: str
    legal: Callable[[Game], bool]  # given the game as it is now
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


def _rules(name: str) -> Callable[[Game], bool]:
    return lambda game: name in game.legal


def _next_legal(game: Game) -> bool:
    return next_step(game) is not None


GAME_ACTIONS: list[GameAction] = [
    GameAction(
        "next",
        "enter",
        N_("Next step"),
        N_(
            "Reveal the next inject, hand over to the next "
            "seat, or resolve the turn — whatever comes next"
        ),
        _next_legal,
    ),
    GameAction(
        "reveal",
        "d",
        N_("Reveal inject"),
        N_("Draw the next inject card (follow-ups first, then a seeded random draw)"),
        _rules("draw"),
        show=False,
    ),
    GameAction(
        "decide",
        "t",
        N_("Seats decide"),
        N_("Hand the keyboard to the seats that still have to decide"),
        _rules("decide"),
        show=False,
    ),
    GameAction(
        "resolve",
        "r",
        N_("Resolve turn"),
        N_("Reveal every seat's choice and apply them all at once"),
        _rules("resolve"),
    ),
    GameAction(
        "facilitator",
        "f",
        N_("White Cell"),
        N_("Open the facilitator's panel: adjust, pick, skip, undo, note, timer, end"),
        lambda game: True,
    ),
    GameAction(
        "adjust",
        "a",
        N_("Adjust meter"),
        N_("Change a meter by hand, with a recorded reason"),
        _rules("adjudicate"),
        show=False,
    ),
    GameAction(
        "choose",
        "c",
        N_("Choose card"),
        N_("Pick the next inject card yourself"),
        _rules("draw"),
        show=False,
    ),
    GameAction(
        "skip",
        "s",
        N_("Skip card"),
        N_("Set the card on the table aside and draw another"),
        _rules("skip"),
        show=False,
    ),
    GameAction(
        "advance_phase",
        "m",
        N_("Next phase"),
        N_("Move the scenario on to its next phase (between cards)"),
        _rules("advance"),
        show=False,
    ),
    GameAction(
        "checkpoint",
        "k",
        N_("Checkpoint"),
        N_("The game is at a checkpoint: continue past it or end the game there"),
        _rules("continue"),
    ),
    GameAction(
        "undo", "u", N_("Undo"), N_("Undo the last resolution or adjustment"), _rules("undo")
    ),
    GameAction(
        "note", "n", N_("Note"), N_("Add a facilitator's note to the record"), _rules("note")
    ),
    GameAction(
        "pause",
        "p",
        N_("Pause/resume timer"),
        N_("Pause or resume the turn timer"),
        _rules("timer"),
        show=False,
    ),
    GameAction(
        "extend",
        "plus",
        N_("Extend timer"),
        N_("Give this turn two more minutes"),
        _rules("timer"),
        show=False,
    ),
    GameAction(
        "end_game",
        "e",
        N_("End game"),
        N_("End the game now (asks for a reason)"),
        _rules("end"),
        show=False,
    ),
    GameAction(
        "leave",
        "l",
        N_("Leave to launcher"),
        N_("Back to the launcher (asks first); the game is saved and resumes from there"),
        lambda game: True,
        show=False,
    ),
    GameAction(
        "help", "question_mark", N_("Help"), N_("The game loop and every key"), lambda game: True
    ),
]
BY_NAME = {a.name: a for a in GAME_ACTIONS}


class GameCommands(Provider):
    """The command palette's game entries: only the actions that are legal now."""

    def _actions(self) -> list[GameAction]:
        screen = self.screen
        if not isinstance(screen, PlaysGame):
            return []
        return [a for a in GAME_ACTIONS if a.legal(screen.game)]

    def _runner(self, action: GameAction) -> Callable[[], object]:
        return partial(self.screen.do, action.name)  # type: ignore[attr-defined]

    async def discover(self) -> Hits:
        for action in self._actions():
            yield DiscoveryHit(_(action.title), self._runner(action), help=_(action.tooltip))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action in self._actions():
            score = matcher.match(_(action.title))
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(_(action.title)),
                    self._runner(action),
                    help=_(action.tooltip),
                )
