"""The reducer: one event folded into a state, and a state rebuilt from its log. `apply`
folds every event it makes with `reduce`, so a state is by construction the fold of its
events."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from wargame.engine import crisis, errors
from wargame.engine.crisis_reducer import REDUCERS as CRISIS_REDUCERS
from wargame.model.deck import Deck
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
    NoteAdded,
    Outcome,
    TimerChanged,
    TurnResolved,
    Undone,
    UndoPoint,
    evolve,
    trusted,
    trusted_full,
)


def initial_state(deck: Deck, started: GameStarted) -> GameState:
    # Built from a validated start event and a checked deck: nothing left to validate. Every
    # field is given, so `evolve` never has to add to the set of fields given.
    return trusted(
        GameState,
        deck_id=started.deck_id,
        deck_hash=started.deck_hash,
        seed=started.seed,
        turns=started.turns,
        mode=started.mode,
        team_names=dict(started.team_names),
        seq=started.seq,
        turn=1,
        phase="draw",
        card=None,
        draws=0,
        decisions={},
        meters={m.id: m.start for m in deck.meters},
        used=(),
        played=(),
        chosen=(),
        queue=(),
        timer_paused=False,
        timer_extra=0,
        outcome=None,
        undo_stack=(),
        **crisis.initial_fields(deck),
    )


def reduce(deck: Deck, state: GameState, ev: Event) -> GameState:
    """Fold one event into the state. Trusts the event: `apply` and `replay` check it."""
    return _REDUCERS[type(ev)](state, ev)


# One reducer per kind of event, looked up by type (the engine folds an event per command;
# a table is faster than `match` here): tests/test_event_kinds.py checks it has every kind.


def _reduce_started(state: GameState, ev: GameStarted) -> GameState:
    raise errors.ReplayMismatch(f"event {ev.seq} starts a game that has already started")


def _reduce_seq(state: GameState, ev: Event) -> GameState:
    return evolve(state, {"seq": ev.seq})


def _reduce_decided(state: GameState, ev: DecisionMade) -> GameState:
    return evolve(state, {"seq": ev.seq, "decisions": {**state.decisions, ev.seat: ev.option}})


def _reduce_drawn(state: GameState, ev: CardDrawn) -> GameState:
    up = {
        "seq": ev.seq,
        "turn": ev.turn,
        "card": ev.card,
        "phase": "deciding",
        "used": (*state.used, ev.card),
        "draws": state.draws + (ev.source == "deck"),
    }
    # Only what changes: the draw phase mostly has these already.
    if state.decisions:
        up["decisions"] = {}
    if state.queue:
        up["queue"] = tuple(c for c in state.queue if c != ev.card)
    if state.timer_paused:
        up["timer_paused"] = False
    if state.timer_extra:
        up["timer_extra"] = 0
    return evolve(state, up)


def _reduce_skipped(state: GameState, ev: CardSkipped) -> GameState:
    return evolve(state, {"seq": ev.seq, "card": None, "phase": "draw", "decisions": {}})


def _reduce_resolved(state: GameState, ev: TurnResolved) -> GameState:
    meters = state.meters.copy()
    for move in ev.moves:
        meters[move.meter] = move.after
    point = trusted_full(
        UndoPoint, {"seq": ev.seq, "kind": "resolution", "ref": ev.card, "state": state}
    )
    return evolve(
        state,
        {
            "seq": ev.seq,
            "meters": meters,
            "played": (*state.played, ev.card),
            "chosen": (*state.chosen, *ev.choices.items()),
            "queue": (*state.queue, *ev.followups) if ev.followups else state.queue,
            "card": None,
            "phase": "draw",
            "decisions": {},
            "turn": ev.turn + 1,
            "undo_stack": (*state.undo_stack, point),
        },
    )


def _reduce_adjudicated(state: GameState, ev: Adjudicated) -> GameState:
    point = trusted_full(
        UndoPoint, {"seq": ev.seq, "kind": "adjudication", "ref": ev.meter, "state": state}
    )
    return evolve(
        state,
        {
            "seq": ev.seq,
            "meters": {**state.meters, ev.meter: ev.after},
            "undo_stack": (*state.undo_stack, point),
        },
    )


def _reduce_undone(state: GameState, ev: Undone) -> GameState:
    point = state.undo_stack[-1]
    restored = point.state
    if point.kind == "resolution":
        # The card goes back on the table and every seat decides again.
        return evolve(restored, {"decisions": {}, "seq": ev.seq})
    return evolve(restored, {"seq": ev.seq})


def _reduce_timer(state: GameState, ev: TimerChanged) -> GameState:
    if ev.action == "extend":
        return evolve(state, {"seq": ev.seq, "timer_extra": state.timer_extra + ev.seconds})
    if ev.action == "start":  # the clock itself is read from the events' time stamps
        return evolve(state, {"seq": ev.seq})
    return evolve(state, {"seq": ev.seq, "timer_paused": ev.action == "pause"})


def _reduce_ended(state: GameState, ev: GameEnded) -> GameState:
    outcome = trusted(
        Outcome, reason=ev.reason, turn=ev.turn, ending=ev.ending, title=ev.title, text=ev.text
    )
    return evolve(state, {"seq": ev.seq, "phase": "ended", "turn": ev.turn, "outcome": outcome})


_REDUCERS: dict[type, Callable[[GameState, Any], GameState]] = {
    GameStarted: _reduce_started,
    DecisionMade: _reduce_decided,
    CardDrawn: _reduce_drawn,
    CardSkipped: _reduce_skipped,
    TurnResolved: _reduce_resolved,
    Adjudicated: _reduce_adjudicated,
    Undone: _reduce_undone,
    TimerChanged: _reduce_timer,
    GameEnded: _reduce_ended,
    NoteAdded: _reduce_seq,  # commentary: it changes nothing the rules read
    HotwashAdded: _reduce_seq,
    **CRISIS_REDUCERS,
}


def fold(deck: Deck, events: Sequence[Event]) -> GameState:
    """Rebuild a state from its log, trusting each event (see `replay` to verify)."""
    if not events or not isinstance(events[0], GameStarted):
        raise errors.ReplayMismatch("the log does not begin with a game start")
    state = initial_state(deck, events[0])
    for ev in events[1:]:
        state = reduce(deck, state, ev)
    return state
