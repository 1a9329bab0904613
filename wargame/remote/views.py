"""What each connection may see: pure functions from the host's game to one role's view.

A role is a seat id, or None for an observer. Privacy is decided here, on the host, and
nowhere else: another seat's pending choice, its rationale, its draft and its private brief
never go into a view, nor do the facilitator's notes, the follow-ups queued, the deck's
rules (effects, joint rules, endings) or cards not yet revealed. A resolution is public,
as it is on the board: its choices, changes and explanations. Rationales stay with the
host (the after-action review has them); a seat sees only its own.

The client rebuilds a `Deck` and a `GameState` from a view (`build_deck`, `build_state`),
so the same widgets that show the host's game show a seat's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from pydantic import TypeAdapter

from wargame.engine import crisis
from wargame.model.deck import Card, Deck, DeckInfo, Meter, Seat
from wargame.model.game import Event, GameState, UndoPoint, evolve

Role = str | None  # a seat id; None for an observer


@cache
def _event_adapter() -> TypeAdapter[Event]:
    return TypeAdapter(Event)


def deck_parts(deck: Deck, role: Role) -> dict[str, Any]:
    """The deck without its cards: title, seats (only this seat's brief), meters."""
    info = deck.deck
    return {
        "deck": {"id": info.id, "title": info.title, "summary": info.summary, "turns": info.turns},
        "seats": [
            {"id": s.id, "name": s.name, **({"brief": s.brief} if s.id == role else {})}
            for s in deck.seats
        ],
        "meters": [m.model_dump(mode="json") for m in deck.meters],
    }


def visible_cards(state: GameState) -> list[str]:
    """Cards a view may hold: those revealed so far (drawn or skipped), and the current one."""
    cards = list(state.used)
    if state.card and state.card not in cards:
        cards.append(state.card)
    return cards


def public_card(deck: Deck, state: GameState, card_id: str, role: Role) -> dict[str, Any]:
    """A revealed card as `role` may see it: the briefing and questions, its own prompt, and
    option labels, with no effects or conditions. While the seats decide on it, a seat sees
    only its own options (with why any is not open now) and only its own private briefing;
    observers (the room) see every label, as on a projector, and no private briefing. Once
    the card is decided, every private briefing is revealed together, as on the board."""
    card = deck.card(card_id)
    current = state.card == card_id
    deciding = state.phase == "deciding" and current
    options = [
        {"seat": o.seat, "id": o.id, "label": o.label, "dimension": card.dimension_of(o)}
        for o in card.options
        if role is None or not deciding or o.seat == role
    ]
    return {
        "id": card.id,
        "title": card.title,
        "category": card.category,
        "dimension": card.dimension,
        "briefing": crisis.briefing(deck, state, card) if current else card.briefing,
        "private": (
            {s: t for s, t in card.private.items() if s == role} if deciding else dict(card.private)
        ),
        "unavailable": crisis.unavailable(deck, state, card, role) if deciding and role else {},
        "questions": list(card.questions),
        "prompts": {s: p for s, p in card.prompts.items() if s == role},
        "options": options,
        "sources": list(card.sources),
    }


def state_data(state: GameState) -> dict[str, Any]:
    """The state as JSON, without the undo stack (whole past states: see `history`)."""
    return state.model_dump(mode="json", exclude={"undo_stack"})


def public_state(data: dict[str, Any], role: Role) -> dict[str, Any]:
    """`state_data` for one role: other seats' pending choices become "" (who has decided
    is public, what is not) and the queue of follow-ups (the facilitator's) is dropped."""
    out = dict(data)
    out["decisions"] = public_decisions(data["decisions"], role)
    out["queue"] = []
    return out


def public_decisions(decisions: dict[str, str], role: Role) -> dict[str, str]:
    """Who has decided, with only `role`'s own choice."""
    return {s: (o if s == role else "") for s, o in decisions.items()}


def history(state: GameState) -> list[dict[str, int]]:
    """The meters before each standing resolution or adjustment: the bars' sparklines."""
    return [p.state.meters for p in state.undo_stack]


_HIDDEN = {"option": "", "rationale": "", "seconds": None, "entered_by": ""}


def event_data(events: Iterable[Event]) -> list[dict[str, Any]]:
    """Events as JSON, once for every connection (`public_events` then cuts per role)."""
    return [ev.model_dump(mode="json") for ev in events]


def public_events(data: list[dict[str, Any]], role: Role) -> list[dict[str, Any]]:
    """`event_data` for `role`: another seat's decision says only that it decided."""
    return [
        {**ev, **_HIDDEN} if ev["kind"] == "decided" and ev["seat"] != role else ev for ev in data
    ]


# --- the client's side -------------------------------------------------------------------


def build_card(data: dict[str, Any]) -> tuple[Card, dict[str, str]]:
    """A revealed card from a view, and the options of it not open to this seat now (id ->
    why). A seat with no option on a card (an observer never decides) still sees the card,
    so an empty option list is let through."""
    data = dict(data)
    unavailable = data.pop("unavailable", {})
    card = Card.model_validate(data) if data["options"] else Card.model_construct(**data)
    return card, unavailable


def build_deck(parts: dict[str, Any], cards: Iterable[Card]) -> Deck:
    """A `Deck` for the widgets from a view's parts and its cards. Built without the deck
    checks: it holds only the revealed cards (possibly none) and none of the rules."""
    return Deck.model_construct(
        schema_version=1,
        deck=DeckInfo.model_validate(parts["deck"]),
        seats=[Seat.model_validate(s) for s in parts["seats"]],
        meters=[Meter.model_validate(m) for m in parts["meters"]],
        cards=list(cards),
        endings=[],
    )


def build_state(data: dict[str, Any], points: tuple[UndoPoint, ...] = ()) -> GameState:
    """A `GameState` from a view, with `points` (see `history_points`) as its undo stack."""
    state = GameState.model_validate(data)
    return evolve(state, {"undo_stack": points}) if points else state


def history_points(
    state_data: dict[str, Any], meters_history: Sequence[dict[str, int]]
) -> tuple[UndoPoint, ...]:
    """The undo stack of a view's state: only the past meters (all the meter panel reads),
    each in a copy of the state."""
    state = GameState.model_validate(state_data)
    return tuple(
        UndoPoint(seq=0, kind="resolution", ref="", state=evolve(state, {"meters": dict(m)}))
        for m in meters_history
    )


def build_event(data: dict[str, Any]) -> Event:
    return _event_adapter().validate_python(data)
