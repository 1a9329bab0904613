"""The reducer of the schema-2 events: each folds into the state what it records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wargame.model.game import (
    CheckpointContinued,
    CheckpointReached,
    FlagChanged,
    GameState,
    PhaseAdvanced,
    RedCellMoved,
    ResourceSpent,
    evolve,
)

# --- the reducer ----------------------------------------------------------------------------


def _reduce_phase(state: GameState, ev: PhaseAdvanced) -> GameState:
    # After a resolution, the new phase begins with the next turn.
    start = state.turn if ev.reason == "facilitator" else ev.turn + 1
    return evolve(state, {"seq": ev.seq, "scenario_phase": ev.phase, "phase_turn": start})


def _reduce_flag(state: GameState, ev: FlagChanged) -> GameState:
    flags = state.flags
    flags = (*flags, ev.flag) if ev.value else tuple(f for f in flags if f != ev.flag)
    return evolve(state, {"seq": ev.seq, "flags": flags})


def _reduce_spent(state: GameState, ev: ResourceSpent) -> GameState:
    return evolve(state, {"seq": ev.seq, "resources": {**state.resources, ev.resource: ev.after}})


def _reduce_red_cell(state: GameState, ev: RedCellMoved) -> GameState:
    up: dict[str, Any] = {"seq": ev.seq, "fired": {**state.fired, ev.rule: ev.turn}}
    if ev.moves:
        meters = state.meters.copy()
        for move in ev.moves:
            meters[move.meter] = move.after
        up["meters"] = meters
    if ev.card is not None:
        rest = tuple(c for c in state.queue if c != ev.card)
        up["queue"] = (ev.card, *rest) if ev.force else (*rest, ev.card)
    return evolve(state, up)


def _reduce_checkpoint(state: GameState, ev: CheckpointReached) -> GameState:
    return evolve(state, {"seq": ev.seq, "checkpoint": ev.ending})


def _reduce_continued(state: GameState, ev: CheckpointContinued) -> GameState:
    return evolve(state, {"seq": ev.seq, "checkpoint": None, "passed": (*state.passed, ev.ending)})


REDUCERS: dict[type, Callable[[GameState, Any], GameState]] = {
    PhaseAdvanced: _reduce_phase,
    FlagChanged: _reduce_flag,
    ResourceSpent: _reduce_spent,
    RedCellMoved: _reduce_red_cell,
    CheckpointReached: _reduce_checkpoint,
    CheckpointContinued: _reduce_continued,
}


CrisisEvent = (
    PhaseAdvanced
    | FlagChanged
    | ResourceSpent
    | RedCellMoved
    | CheckpointReached
    | CheckpointContinued
)


def reduce_crisis(state: GameState, ev: CrisisEvent) -> GameState:
    return REDUCERS[type(ev)](state, ev)
