"""The pure rules: commands in, events out.

`apply(deck, state, command)` checks a command against the rules, produces its events,
and folds them into the new state with `reduce` (`wargame.engine.reducer`). The commands
are in `commands`, the questions about a state in `queries`, what a resolution does in
`resolution`; this module re-exports them, so `rules` is the engine's whole rulebook.
"""

from __future__ import annotations

import _random
from bisect import bisect
from collections.abc import Callable
from itertools import accumulate
from typing import Any

from wargame.engine import crisis, errors, scenario
from wargame.engine.commands import (
    MAX_TEXT,
    Adjudicate,
    AdvancePhase,
    Command,
    Continue,
    Decide,
    Draw,
    End,
    Hotwash,
    Note,
    Resolve,
    Skip,
    Timer,
    Undo,
)
from wargame.engine.queries import (
    _drawable,
    can_draw,
    current_card,
    drawable,
    legal,
    next_followup,
    outcome,
    pending_seats,
    seat_name,
)
from wargame.engine.reducer import (
    _reduce_decided,
    _reduce_resolved,
    fold,
    initial_state,
    reduce,
)
from wargame.engine.resolution import (
    _resolution,
    deck_ran_out,
    former_words,
    resolution,
)

__all__ = [  # the rulebook, as `rules.<name>`
    "MAX_TEXT",
    "Adjudicate",
    "AdvancePhase",
    "Command",
    "Continue",
    "Decide",
    "Draw",
    "End",
    "Hotwash",
    "Note",
    "Resolve",
    "Skip",
    "Timer",
    "Undo",
    "apply",
    "apply_decide",
    "apply_decisions",
    "can_draw",
    "current_card",
    "drawable",
    "fold",
    "former_words",
    "initial_state",
    "legal",
    "next_followup",
    "outcome",
    "pending_seats",
    "reduce",
    "resolution",
    "seat_name",
    "start",
]
from wargame.model.deck import Card, Deck
from wargame.model.game import (
    Adjudicated,
    CardDrawn,
    CardSkipped,
    DecisionMade,
    Event,
    GameEnded,
    GameStarted,
    GameState,
    HotwashAdded,
    Mode,
    NoteAdded,
    TimerChanged,
    Undone,
    evolve,
    trusted,
    trusted_full,
)


def start(
    deck: Deck,
    seed: int = 0,
    turns: int | None = None,
    mode: Mode = "hotseat",
    team_names: dict[str, str] | None = None,
    at: str | None = None,
) -> tuple[GameState, list[Event]]:
    """A new game on `deck`: the starting state and its first event."""
    names = {k: v.strip() for k, v in (team_names or {}).items() if v and v.strip()}
    for seat in names:
        if seat not in deck.seat_ids():
            raise errors.UnknownId(f"unknown seat {seat!r}; seats are {', '.join(deck.seat_ids())}")
    n = deck.deck.turns if turns is None else turns
    if not 1 <= n <= 200:
        raise errors.IllegalCommand(f"turns must be between 1 and 200, not {n}")
    started = GameStarted(
        seq=1,
        at=at,
        deck_id=deck.id,
        deck_hash=deck.content_hash,
        seed=seed,
        turns=n,
        mode=mode,
        team_names=names,
    )
    return initial_state(deck, started), [started]


# --- apply ------------------------------------------------------------------------------


def apply(deck: Deck, state: GameState, command: Command) -> tuple[GameState, list[Event]]:
    """Run one command: the new state and the events it produced, or a typed error."""
    make = _HANDLERS.get(type(command))
    if make is None:
        raise errors.IllegalCommand(f"unknown command {type(command).__name__}")
    if state.phase == "ended" and not isinstance(command, Note | Hotwash | Undo):
        raise errors.GameOver("the game has ended")
    if type(command) is Resolve:
        return _resolve(deck, state, command)
    if type(command) is Continue:
        return scenario.continue_past(deck, state, command.at, command.reason)
    # Every other command makes one event, numbered and stamped by its handler.
    ev: Event = make(deck, state, command)
    return reduce(deck, state, ev), [ev]


# The fields a validated event of each kind counts as given: shared by the hot events the
# engine builds itself (frozen models never change their set).
_DRAWN_SET = {"seq", "at", "turn", "card", "source"}
_DECIDED_SET = {"seq", "at", "turn", "card", "seat", "option", "rationale", "seconds", "entered_by"}


def _draw(deck: Deck, state: GameState, cmd: Draw) -> Event:
    if state.phase != "draw":
        raise errors.WrongPhase(
            f"card {state.card!r} is already on the table; resolve or skip it first"
        )
    if state.checkpoint is not None:
        raise errors.WrongPhase(
            f"the game is paused at checkpoint {state.checkpoint!r}; continue or end it"
        )
    turn = len(state.played) + 1
    if cmd.card is not None:
        if not deck.has_card(cmd.card):
            raise errors.UnknownId(f"unknown card {cmd.card!r}")
        if cmd.card in state.used:
            raise errors.IllegalCommand(f"card {cmd.card!r} has already been used this game")
        card_id, source = cmd.card, "facilitator"
    else:
        followup = next_followup(deck, state) if state.queue else None
        if followup is not None:
            card_id, source = followup.id, "followup"
        else:
            pool, weights = _drawable(deck, state)
            if not pool:
                # The game ends when no card can be drawn: after a resolution, or here when
                # nothing could be drawn before (a deck whose cards are all gated off at the
                # start, or after a skip). A facilitator's pick never gets here.
                return deck_ran_out(state.seq + 1, cmd.at, state.turn)
            pool, weights = crisis.draw_candidates(deck, state, pool, weights)
            card = _pick(state.seed * 1_000_003 + state.draws, pool, weights)
            card_id, source = card.id, "deck"
    return trusted_full(
        CardDrawn,
        {
            "seq": state.seq + 1,
            "at": cmd.at,
            "kind": "drawn",
            "turn": turn,
            "card": card_id,
            "source": source,
        },
        _DRAWN_SET,
    )


def _pick(seed: int, pool: list[Card], weights: list[float]) -> Card:
    """`random.Random(seed).choices(pool, weights)[0]`: the same single draw from the same
    generator (so saves replay), without `choices`' general case around it."""
    cum = list(accumulate(weights))
    return pool[bisect(cum, _Random(seed).random() * (cum[-1] + 0.0), 0, len(pool) - 1)]


# `random.Random(seed)` seeds its generator twice: in C as the object is made, then again in
# Python in `__init__`. Its C base, made with the seed, is the same generator seeded once
# (an int seed takes the same path in both), at half the cost of the draw.
_Random = _random.Random


def _skip(deck: Deck, state: GameState, cmd: Skip) -> Event:
    if state.phase != "deciding" or state.card is None:
        raise errors.WrongPhase("there is no card on the table to skip")
    return trusted(
        CardSkipped,
        seq=state.seq + 1,
        at=cmd.at,
        turn=state.turn,
        card=state.card,
        reason=cmd.reason.strip()[:MAX_TEXT],
    )


def _decide(deck: Deck, state: GameState, cmd: Decide) -> Event:
    return _decided(
        deck, state, cmd.seat, cmd.option, cmd.rationale, cmd.seconds, cmd.entered_by, cmd.at
    )


def _decided(
    deck: Deck,
    state: GameState,
    seat: str,
    option: str,
    rationale: str,
    seconds: float | None,
    entered_by: str,
    at: str | None,
) -> DecisionMade:
    card_id = _check_decision(deck, state.phase, state.card, state.decisions, seat, option)
    crisis.check_available(deck, state, card_id, seat, option)
    return _decision(
        state.seq + 1, at, state.turn, card_id, seat, option, rationale, seconds, entered_by
    )


def _check_decision(
    deck: Deck,
    phase: str,
    card_id: str | None,
    decisions: dict[str, str],
    seat: str,
    option: str,
) -> str:
    """The card on the table, if `seat` may choose `option` on it now; else the error."""
    if phase != "deciding" or card_id is None:
        raise errors.WrongPhase("no card is on the table; draw one first")
    if seat not in deck.seat_ids():
        raise errors.UnknownId(f"unknown seat {seat!r}")
    if seat in decisions:
        raise errors.AlreadyDecided(f"{seat} has already decided on {card_id!r}")
    if deck.option(card_id, seat, option) is None:
        ids = ", ".join(o.id for o in deck.card(card_id).options_for(seat))
        raise errors.UnknownId(f"{seat} has no option {option!r} on {card_id!r}; options: {ids}")
    return card_id


def _decision(
    seq: int,
    at: str | None,
    turn: int,
    card_id: str,
    seat: str,
    option: str,
    rationale: str,
    seconds: float | None,
    entered_by: str,
) -> DecisionMade:
    return trusted_full(
        DecisionMade,
        {
            "seq": seq,
            "at": at,
            "kind": "decided",
            "turn": turn,
            "card": card_id,
            "seat": seat,
            "option": option,
            "rationale": rationale[:MAX_TEXT],
            "seconds": seconds,
            "entered_by": entered_by or seat,
        },
        _DECIDED_SET,
    )


def apply_decide(
    deck: Deck,
    state: GameState,
    seat: str,
    option: str,
    rationale: str,
    seconds: float | None,
    entered_by: str,
    at: str | None,
) -> tuple[GameState, list[Event]]:
    """`apply(deck, state, Decide(...))` without making the command, for values that are
    already exactly of the types of Decide's fields (so validation would not change them)."""
    if state.phase == "ended":
        raise errors.GameOver("the game has ended")
    ev = _decided(deck, state, seat, option, rationale, seconds, entered_by, at)
    return _reduce_decided(state, ev), [ev]


def apply_decisions(
    deck: Deck, state: GameState, choices: dict[str, str]
) -> tuple[GameState, list[Event]]:
    """`apply(..., Decide(seat=s, option=o))` for each (s, o) of `choices` in turn (no
    rationale, time or stamp), folded into the state once: the simulator's fast path. The
    same checks, errors, events and state (tests/test_engine_fastpath.py)."""
    if state.phase == "ended":
        raise errors.GameOver("the game has ended")
    card_id = state.card
    decisions = dict(state.decisions)
    seq, turn = state.seq, state.turn
    events: list[Event] = []
    for seat, option in choices.items():
        seq += 1
        checked = _check_decision(deck, state.phase, card_id, decisions, seat, option)
        crisis.check_available(deck, state, checked, seat, option)
        events.append(_decision(seq, None, turn, checked, seat, option, "", None, ""))
        decisions[seat] = option
    return evolve(state, {"seq": seq, "decisions": decisions}), events


def _resolve(deck: Deck, state: GameState, cmd: Resolve) -> tuple[GameState, list[Event]]:
    # Each event is folded as it is made, so the ending sees the state the resolution left.
    resolved = _resolution(deck, state, state.seq + 1, cmd.at)
    after = _reduce_resolved(state, resolved)
    return scenario.finish_resolution(deck, state, resolved, after, cmd.at)


def _adjudicate(deck: Deck, state: GameState, cmd: Adjudicate) -> Event:
    reason = cmd.reason.strip()
    if not reason:
        raise errors.MissingReason("an adjudication needs a reason")
    try:
        meter = deck.meter(cmd.meter)
    except KeyError:
        raise errors.UnknownId(f"unknown meter {cmd.meter!r}") from None
    if (cmd.delta is None) == (cmd.value is None):
        raise errors.IllegalCommand("give either a change (delta) or a new value, not both")
    before = state.meters[meter.id]
    target = cmd.value if cmd.value is not None else before + (cmd.delta or 0)
    after = min(meter.max, max(meter.min, target))
    if after == before:
        raise errors.IllegalCommand(f"{meter.label} is already {before}; nothing to change")
    return trusted(
        Adjudicated,
        seq=state.seq + 1,
        at=cmd.at,
        turn=state.turn,
        meter=meter.id,
        before=before,
        after=after,
        reason=reason[:MAX_TEXT],
    )


def _undo(deck: Deck, state: GameState, cmd: Undo) -> Event:
    if "undo" not in legal(deck, state):
        raise errors.NothingToUndo("there is no resolution or adjudication to undo")
    point = state.undo_stack[-1]
    return trusted(
        Undone, seq=state.seq + 1, at=cmd.at, target=point.seq, undid=point.kind, ref=point.ref
    )


def _note(deck: Deck, state: GameState, cmd: Note) -> Event:
    text = cmd.text.strip()
    if not text:
        raise errors.MissingReason("a note needs some text")
    return trusted(NoteAdded, seq=state.seq + 1, at=cmd.at, turn=state.turn, text=text[:MAX_TEXT])


MAX_TURN_SECONDS = 10 * 60 * 60


def _timer(deck: Deck, state: GameState, cmd: Timer) -> Event:
    if cmd.action == "pause" and state.timer_paused:
        raise errors.IllegalCommand("the timer is already paused")
    if cmd.action == "resume" and not state.timer_paused:
        raise errors.IllegalCommand("the timer is not paused")
    if cmd.action == "extend" and not 0 < cmd.seconds <= 3600:
        raise errors.IllegalCommand("extend the timer by 1 to 3600 seconds")
    if cmd.action == "start":
        if state.phase != "deciding":
            raise errors.IllegalCommand("the turn clock starts once a card is on the table")
        if not 0 < cmd.seconds <= MAX_TURN_SECONDS:
            raise errors.IllegalCommand("a turn lasts 1 second to 10 hours")
    return trusted(
        TimerChanged,
        seq=state.seq + 1,
        at=cmd.at,
        turn=state.turn,
        action=cmd.action,
        seconds=cmd.seconds if cmd.action in ("extend", "start") else 0,
    )


def _hotwash(deck: Deck, state: GameState, cmd: Hotwash) -> Event:
    text = cmd.text.strip()
    if not text:
        raise errors.MissingReason("a hot-wash entry needs some text")
    if cmd.seat is not None and cmd.seat not in deck.seat_ids():
        raise errors.UnknownId(f"unknown seat {cmd.seat!r}")
    if cmd.card is not None and not deck.has_card(cmd.card):
        raise errors.UnknownId(f"unknown card {cmd.card!r}")
    if cmd.objective is not None and cmd.objective not in {o.id for o in deck.deck.objectives}:
        raise errors.UnknownId(f"unknown objective {cmd.objective!r}")
    return trusted(
        HotwashAdded,
        seq=state.seq + 1,
        at=cmd.at,
        entry=cmd.entry,
        text=text[:MAX_TEXT],
        seat=cmd.seat,
        card=cmd.card,
        objective=cmd.objective,
    )


def _end(deck: Deck, state: GameState, cmd: End) -> Event:
    if state.checkpoint is not None:
        return scenario.end_at_checkpoint(deck, state, cmd.at, cmd.reason)
    return trusted(
        GameEnded,
        seq=state.seq + 1,
        at=cmd.at,
        turn=state.turn,
        reason="facilitator",
        title="Ended by the facilitator",
        text=cmd.reason.strip()[:MAX_TEXT],
    )


# Each command's handler; `_resolve` and Continue's make (and fold) their events themselves.
_HANDLERS: dict[type[Command], Callable[[Deck, GameState, Any], Any]] = {
    Draw: _draw,
    Skip: _skip,
    Decide: _decide,
    Resolve: _resolve,
    Adjudicate: _adjudicate,
    Undo: _undo,
    Note: _note,
    Timer: _timer,
    Hotwash: _hotwash,
    End: _end,
    AdvancePhase: lambda deck, state, cmd: scenario.advance_by_hand(deck, state, cmd.at),
    Continue: lambda deck, state, cmd: scenario.continue_past(deck, state, cmd.at, cmd.reason),
}
