"""Test conditions against a game state. Pure: reads, never writes."""

from __future__ import annotations

from collections.abc import Mapping

from wargame.model.deck import Condition, Deck
from wargame.model.game import GameState

NO_CHOICES: Mapping[str, str] = {}


class Env:
    """What a condition can see: meters, turn, history, and this card's choices."""

    __slots__ = (
        "deck",
        "turn",
        "meters",
        "played",
        "queue",
        "chosen",
        "choices",
        "flags",
        "phase",
        "resources",
        "fired",
    )

    def __init__(self, deck: Deck, state: GameState, choices: Mapping[str, str] | None = None):
        self.deck = deck
        self.turn = state.turn
        self.meters = state.meters
        self.played = state.played
        self.queue = state.queue
        self.chosen = state.chosen
        self.choices = choices or NO_CHOICES
        self.flags = state.flags
        self.phase = state.scenario_phase
        self.resources = state.resources
        self.fired = state.fired

    def band(self, meter: str) -> str:
        """`Meter.band`, with the meter's bands sorted once per deck instead of per test."""
        key = ("bands", meter)
        bounds = self.deck.memo.get(key)
        if bounds is None:
            bounds = self.deck.memo[key] = tuple(self.deck.meter(meter).band_bounds())
        value, current = self.meters[meter], ""
        for name, low in bounds:
            if value >= low:
                current = name
        return current


def holds(
    c: Condition | None, deck: Deck, state: GameState, choices: Mapping[str, str] | None = None
) -> bool:
    """Whether a condition holds; no condition always holds."""
    if c is None:
        return True
    return bool(c.fn(Env(deck, state, choices)))


def holds_in(c: Condition | None, env: Env) -> bool:
    """`holds` with an environment built once for many conditions on the same state."""
    return c is None or bool(c.fn(env))
