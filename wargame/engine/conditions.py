"""Evaluate parsed conditions against a game state. Pure: reads, never writes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wargame.model import condition as cond
from wargame.model.deck import Condition, Deck
from wargame.model.game import GameState

_OPS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


class Context:
    """What a condition can see: meters, turn, history, and this card's choices."""

    __slots__ = ("deck", "state", "choices")

    def __init__(self, deck: Deck, state: GameState, choices: Mapping[str, str] | None = None):
        self.deck = deck
        self.state = state
        self.choices = choices or {}

    def value(self, node: cond.Node) -> Any:
        if isinstance(node, cond.Num | cond.Str | cond.Bool):
            return node.value
        if isinstance(node, cond.Name):
            name = node.name
            if name == "turn":
                return self.state.turn
            if name in self.state.meters:
                return self.state.meters[name]
            return self.choices.get(name)
        if isinstance(node, cond.Call):
            return self.call(node)
        if isinstance(node, cond.Compare):
            left, right = self.value(node.left), self.value(node.right)
            if left is None or right is None:
                return False
            return _OPS[node.op](left, right)
        if isinstance(node, cond.And):
            return all(self.value(item) for item in node.items)
        if isinstance(node, cond.Or):
            return any(self.value(item) for item in node.items)
        if isinstance(node, cond.Not):
            return not self.value(node.item)
        raise TypeError(f"unknown condition node {node!r}")

    def call(self, node: cond.Call) -> Any:
        args = node.args
        if node.func == "played":
            return args[0] in self.state.played
        if node.func == "queued":
            return args[0] in self.state.queue
        if node.func == "chose":
            return (args[0], args[1]) in self.state.chosen
        if node.func == "band":
            return self.deck.meter(args[0]).band(self.state.meters[args[0]])
        raise TypeError(f"unknown function {node.func!r}")


def holds(
    c: Condition | None, deck: Deck, state: GameState, choices: Mapping[str, str] | None = None
) -> bool:
    """Whether a condition holds; no condition always holds."""
    if c is None:
        return True
    return bool(Context(deck, state, choices).value(c.tree))
