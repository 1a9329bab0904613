"""The scenario's course (schema 2): what follows a resolution (flags, costs, red cell,
an ending or checkpoint, the phase's advance), the facilitator's advance of the phase, and
continuing past or ending at a checkpoint."""

from __future__ import annotations

from wargame.engine import crisis, errors
from wargame.engine.conditions import Env
from wargame.engine.crisis_reducer import reduce_crisis
from wargame.engine.reducer import reduce
from wargame.engine.resolution import _ending_after
from wargame.model.deck import Deck
from wargame.model.game import (
    CheckpointContinued,
    Event,
    GameEnded,
    GameState,
    PhaseAdvanced,
    TurnResolved,
    trusted,
)

MAX_TEXT = 20_000


def finish_resolution(
    deck: Deck, before: GameState, resolved: TurnResolved, after: GameState, at: str | None
) -> tuple[GameState, list[Event]]:
    """Everything after a resolution, folded as made: its flags, costs and red-cell moves;
    the ending or checkpoint; and, unless the game ended, the phase's advance."""
    after, events = crisis.after_resolution(deck, before, resolved, after, at)
    events.insert(0, resolved)
    ended = _ending_after(deck, after, resolved.turn, at)
    if ended is not None:
        after = reduce(deck, after, ended)
        events.append(ended)
    if not isinstance(ended, GameEnded) and deck.phases:
        advanced = phase_after(deck, after, resolved.turn, at)
        if advanced is not None:
            after = reduce_crisis(after, advanced)
            events.append(advanced)
    return after, events


def continue_past(
    deck: Deck, state: GameState, at: str | None, reason: str
) -> tuple[GameState, list[Event]]:
    """Past the checkpoint, the rest of the end-of-turn tests still apply (last turn, deck)."""
    ev = continued(state, at, reason.strip()[:MAX_TEXT])
    after = reduce_crisis(state, ev)
    ended = _ending_after(deck, after, state.turn - 1, at)
    if ended is None:
        return after, [ev]
    return reduce(deck, after, ended), [ev, ended]


def end_at_checkpoint(deck: Deck, state: GameState, at: str | None, reason: str) -> GameEnded:
    """The facilitator's end at the checkpoint the game is paused at, with its ending."""
    ending = next(e for e in deck.endings if e.id == state.checkpoint)
    return trusted(
        GameEnded,
        seq=state.seq + 1,
        at=at,
        turn=state.turn - 1,
        reason="facilitator",
        ending=ending.id,
        title=ending.title,
        text=(reason.strip() or ending.text.strip())[:MAX_TEXT],
    )


# --- phases and checkpoints ---------------------------------------------------------------------


def phase_after(deck: Deck, state: GameState, turn: int, at: str | None) -> PhaseAdvanced | None:
    """The phase's advance after the resolution of `turn`, if it has run its turns or its
    `advance_when` holds (and it is not the last)."""
    i = deck.phase_index(state.scenario_phase)
    if i < 0 or i + 1 >= len(deck.phases):
        return None
    phase = deck.phases[i]
    reason = None
    if phase.turns is not None and turn - state.phase_turn + 1 >= phase.turns:
        reason = "turns"
    elif phase.advance_when is not None:
        env = Env(deck, state)
        env.turn = turn
        if phase.advance_when.fn(env):
            reason = "condition"
    if reason is None:
        return None
    return _advanced(deck, state, at, turn, i, reason)


def _advanced(
    deck: Deck, state: GameState, at: str | None, turn: int, i: int, reason: str
) -> PhaseAdvanced:
    return trusted(
        PhaseAdvanced,
        seq=state.seq + 1,
        at=at,
        turn=turn,
        previous=deck.phases[i].id,
        phase=deck.phases[i + 1].id,
        reason=reason,
    )


def advance_by_hand(deck: Deck, state: GameState, at: str | None) -> PhaseAdvanced:
    if state.phase != "draw":
        raise errors.WrongPhase("advance the phase between cards, not with one on the table")
    i = deck.phase_index(state.scenario_phase)
    if i < 0:
        raise errors.IllegalCommand("this deck has no phases")
    if i + 1 >= len(deck.phases):
        raise errors.IllegalCommand(f"{deck.phases[i].title} is the last phase")
    return _advanced(deck, state, at, state.turn, i, "facilitator")


def continued(state: GameState, at: str | None, reason: str) -> CheckpointContinued:
    if state.checkpoint is None:
        raise errors.WrongPhase("no checkpoint is waiting to be continued past")
    return trusted(
        CheckpointContinued,
        seq=state.seq + 1,
        at=at,
        turn=state.turn,
        ending=state.checkpoint,
        reason=reason,
    )
