"""What each connection may see: pure functions from the host's game to one role's view.

A role is a seat id, or None for an observer. Privacy is decided here, on the host, and
nowhere else: another seat's pending choice, its rationale, its draft and its private brief
never go into a view, nor do the facilitator's notes, the follow-ups queued, the deck's
rules (effects, joint rules, endings) or cards not yet revealed. A resolution is public,
as it is on the board: its choices, changes and explanations. Rationales stay with the
host (the after-action review has them); a seat sees only its own.

The client rebuilds a `Deck` and a `GameState` from a view (`build_deck`, `build_state`),
so the same widgets that show the host's game show a seat's. After the first, whole, view a
connection is sent only the fields of the state that changed (`state_changes`), which the
client validates and patches in (`patch_state`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Annotated, Any

from pydantic import TypeAdapter

from wargame.engine import crisis
from wargame.model.deck import Card, Deck, DeckInfo, Meter, Seat
from wargame.model.game import Event, GameState, UndoPoint, evolve

# Never sent as they are: the undo stack holds whole past states (`history` sends what the
# seats need of it) and the queue of follow-ups is the facilitator's.
_NOT_SENT = frozenset({"undo_stack", "queue"})

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


def state_changes(before: GameState, after: GameState) -> dict[str, Any]:
    """The fields of `after` that differ from `before`, as JSON, for every role alike: its
    "decisions" (if changed) still go through `public_decisions`. The engine shares the
    values an event leaves alone, so most fields are told apart by identity."""
    old = before.__dict__
    return {
        k: _field_adapter(k).dump_python(v, mode="json")
        for k, v in after.__dict__.items()
        if k not in _NOT_SENT and old[k] is not v and old[k] != v
    }


def public_changes(changes: dict[str, Any], role: Role) -> dict[str, Any]:
    """`state_changes` for one role: only its own pending choice."""
    if "decisions" not in changes:
        return changes
    return {**changes, "decisions": public_decisions(changes["decisions"], role)}


def owners(events: list[dict[str, Any]], changes: dict[str, Any]) -> set[str]:
    """The seats whose own choices are in `event_data` and `state_changes`: a decision made,
    or pending in "decisions". Any other seat's view of them is the observers' (`viewer`)."""
    seats = {e["seat"] for e in events if e["kind"] == "decided"}
    seats.update(changes.get("decisions", ()))
    return seats


def viewer(role: Role, owners: set[str]) -> Role:
    """Whose view `role` gets of what `owners` were computed from: its own if it owns a
    choice in it; else the observers' (None), which holds no seat's choice, so one text
    serves every such connection."""
    return role if role in owners else None


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


# Every list a view leaves out, given: pydantic's `model_construct` inspects the signature
# of each default factory it calls, which cost the client milliseconds per message.
_EMPTY_DECK = {"endings": [], "phases": [], "flags": [], "resources": [], "red_cell": []}
_EMPTY_CARD = {"joint": [], "tags": [], "objectives": [], "briefing_if": []}


def build_card(data: dict[str, Any]) -> tuple[Card, dict[str, str]]:
    """A revealed card from a view, and the options of it not open to this seat now (id ->
    why). A seat with no option on a card (an observer never decides) still sees the card,
    so an empty option list is let through."""
    data = dict(data)
    unavailable = data.pop("unavailable", {})
    if data["options"]:
        return Card.model_validate(data), unavailable
    return Card.model_construct(**_EMPTY_CARD, **data), unavailable


def deck_base(parts: dict[str, Any]) -> dict[str, Any]:
    """A view's parts validated, once per welcome: every `Deck` built from it shares them."""
    return {
        "schema_version": 1,
        "deck": DeckInfo.model_validate(parts["deck"]),
        "seats": [Seat.model_validate(s) for s in parts["seats"]],
        "meters": [Meter.model_validate(m) for m in parts["meters"]],
        **_EMPTY_DECK,
    }


def build_deck(base: dict[str, Any], cards: Iterable[Card]) -> Deck:
    """A `Deck` for the widgets from a view's `deck_base` and its cards. Built without the
    deck checks: it holds only the revealed cards (possibly none) and none of the rules."""
    return Deck.model_construct(**base, cards=list(cards))


def build_state(data: dict[str, Any], points: tuple[UndoPoint, ...] = ()) -> GameState:
    """A `GameState` from a view, with `points` (see `history_points`) as its undo stack."""
    state = GameState.model_validate(data)
    return evolve(state, {"undo_stack": points}) if points else state


@cache
def _field_adapter(name: str) -> TypeAdapter[Any]:
    field = GameState.model_fields.get(name)
    if field is None or name in _NOT_SENT:
        raise ValueError(f"not a field of the state a host sends: {name!r}")
    kind = field.annotation
    return TypeAdapter(Annotated[kind, *field.metadata] if field.metadata else kind)


def patch_state(state: GameState, changes: dict[str, Any]) -> GameState:
    """`state` with `changes` (from `state_changes`) in, each field validated as the whole
    state would validate it; ValueError if one does not."""
    if not changes:
        return state
    return evolve(state, {k: _field_adapter(k).validate_python(v) for k, v in changes.items()})


def history_points(
    state: GameState, meters_history: Sequence[dict[str, int]]
) -> tuple[UndoPoint, ...]:
    """The undo stack of a view's state: only the past meters (all the meter panel reads),
    each in a copy of the state (without its own undo stack)."""
    base = evolve(state, {"undo_stack": ()})
    return tuple(
        UndoPoint(seq=0, kind="resolution", ref="", state=evolve(base, {"meters": dict(m)}))
        for m in meters_history
    )


def build_event(data: dict[str, Any]) -> Event:
    return _event_adapter().validate_python(data)
