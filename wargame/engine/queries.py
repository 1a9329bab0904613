"""Questions about a state the shells and the rules ask: whose turn, what can be drawn,
which commands are legal now."""

from __future__ import annotations

from wargame.engine.conditions import Env, holds
from wargame.model.condition import Fn, reads
from wargame.model.deck import Card, Deck
from wargame.model.game import (
    GameState,
    Outcome,
)


def seat_name(deck: Deck, state: GameState, seat: str) -> str:
    if seat in state.team_names:
        return state.team_names[seat]
    for s in deck.seats:
        if s.id == seat:
            return s.name
    return seat


def current_card(deck: Deck, state: GameState) -> Card | None:
    return deck.card(state.card) if state.card else None


def pending_seats(deck: Deck, state: GameState) -> list[str]:
    """Seats that still have to decide on the current card, in seat order."""
    if state.phase != "deciding":
        return []
    decisions = state.decisions
    if not decisions:
        return list(deck.seat_ids())
    return [s for s in deck.seat_ids() if s not in decisions]


class _Pool:
    """The random pool on one turn, built once per deck and turn: cards and weights in deck
    order, each card's position, and (position, condition) of the cards whose `when` is left
    to test. A `when` that reads nothing but the turn is tested here, once."""

    __slots__ = ("cards", "weights", "index", "conditional", "entries")

    def __init__(self, deck: Deck, turn: int) -> None:
        entries = []
        for card in deck.random_pool():
            when = card.when
            fn = None if when is None else when.fn
            if when is not None and fn is not None and reads(when.tree) <= {"turn"}:
                if not fn(_TurnOnly(turn)):
                    continue
                fn = None
            entries.append((card.id, card, fn))
        self.entries: tuple[tuple[str, Card, Fn | None], ...] = tuple(entries)
        self.cards = tuple(card for _, card, _ in entries)
        self.weights = tuple(card.weight for card in self.cards)
        self.index = {card_id: i for i, (card_id, _, _) in enumerate(entries)}
        self.conditional = tuple((i, fn) for i, (_, _, fn) in enumerate(entries) if fn)


class _TurnOnly:
    """The environment of a condition that reads nothing but the turn."""

    __slots__ = ("turn",)

    def __init__(self, turn: int) -> None:
        self.turn = turn


def _pool_at(deck: Deck, turn: int) -> _Pool:
    pool = deck.memo.get(("engine.pool", turn))
    if pool is None:
        pool = deck.memo["engine.pool", turn] = _Pool(deck, turn)
    return pool


def _drawable(deck: Deck, state: GameState) -> tuple[list[Card], list[float]]:
    """The cards a random draw may reveal now, and their weights."""
    pool = _pool_at(deck, state.turn)
    index = pool.index
    drop = [i for card_id in state.used if (i := index.get(card_id)) is not None]
    env = None
    for i, fn in pool.conditional:
        if i not in drop:
            if env is None:
                env = Env(deck, state)
            if not fn(env):
                drop.append(i)
    cards, weights = list(pool.cards), list(pool.weights)
    for i in sorted(drop, reverse=True):
        del cards[i], weights[i]
    return cards, weights


def drawable(deck: Deck, state: GameState) -> list[Card]:
    """Cards a random draw may reveal now (the facilitator may pick any unused card)."""
    return _drawable(deck, state)[0]


def next_followup(deck: Deck, state: GameState) -> Card | None:
    for card_id in state.queue:
        card = deck.card(card_id)
        if card_id not in state.used and holds(card.when, deck, state):
            return card
    return None


def can_draw(deck: Deck, state: GameState) -> bool:
    if state.queue and next_followup(deck, state) is not None:
        return True
    used = state.used
    env = None
    for card_id, _, fn in _pool_at(deck, state.turn).entries:
        if card_id in used:
            continue
        if fn is None:
            return True
        if env is None:
            env = Env(deck, state)
        if fn(env):
            return True
    return False


def legal(deck: Deck, state: GameState) -> set[str]:
    """Names of the commands the rules accept now; the UI offers only these."""
    if state.phase == "ended":
        allowed = {"note", "hotwash"}
        if state.undo_stack and state.outcome and state.outcome.reason != "facilitator":
            allowed.add("undo")
        return allowed
    allowed = {"note", "timer", "end", "adjudicate"}
    if state.undo_stack:
        allowed.add("undo")
    if state.checkpoint is not None:
        return allowed | {"continue"}
    if state.phase == "draw" and 0 <= deck.phase_index(state.scenario_phase) < len(deck.phases) - 1:
        allowed.add("advance")
    if state.phase == "draw":
        if any(c.id not in state.used for c in deck.cards):
            allowed.add("draw")
    else:
        allowed |= {"skip"}
        if pending_seats(deck, state):
            allowed.add("decide")
        else:
            allowed.add("resolve")
    return allowed


def outcome(state: GameState) -> Outcome | None:
    """How the game ended, or None while it goes on."""
    return state.outcome
