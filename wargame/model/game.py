"""Game state and the events of its append-only log.

The state is a fold over the events (`wargame.engine.fold`). Events carry everything
needed to rebuild the state, and everything the after-action review reports: who
decided what, why, how long it took, and every meter change with its explanation.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field

Mode = Literal["hotseat", "open"]
MODE_LABELS: dict[str, str] = {"hotseat": "hot-seat", "open": "open"}  # as players read them
Phase = Literal["draw", "deciding", "ended"]
EndReason = Literal["ending", "turns", "deck", "facilitator"]
DrawSource = Literal["deck", "followup", "facilitator"]
HotwashKind = Literal["strength", "improvement", "action"]
# What an undo takes back: a resolution (of a card) or an adjudication (of a meter).
UndoKind = Literal["resolution", "adjudication"]


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


M = TypeVar("M", bound=BaseModel)


# Made the way pydantic's own `model_construct` and `__copy__` make a model: a bare instance
# whose documented instance attributes (`__dict__`, `__pydantic_fields_set__`,
# `__pydantic_extra__`, `__pydantic_private__`) are set with `object.__setattr__`, since a
# frozen model refuses its own `__setattr__`. Without `model_construct`'s walk over every
# field (14× slower on the state), which the engine's hot path cannot afford.
_new = object.__new__
_set = object.__setattr__


def _make(cls: type[M], data: dict[str, Any], fields_set: set[str]) -> M:
    new = _new(cls)
    _set(new, "__dict__", data)
    _set(new, "__pydantic_fields_set__", fields_set)
    _set(new, "__pydantic_extra__", None)
    _set(new, "__pydantic_private__", None)
    return new


def evolve(model: M, update: dict[str, Any]) -> M:
    """`model.model_copy(update=...)` without its generic copying: the engine's hot path.

    Like `model_copy`, it does not validate `update`; the engine only passes values it built.
    Models here are frozen, so a copy may share its original's set of fields set.
    """
    data = model.__dict__.copy()
    data.update(update)
    fields_set = model.__pydantic_fields_set__
    if len(fields_set) < len(data) and not fields_set.issuperset(update):
        fields_set = fields_set | update.keys()
    new = _new(type(model))  # `_make`, inlined: the engine evolves its state per event
    _set(new, "__dict__", data)
    _set(new, "__pydantic_fields_set__", fields_set)
    _set(new, "__pydantic_extra__", None)
    _set(new, "__pydantic_private__", None)
    return new


_IMMUTABLE = (str, int, float, bool, tuple, frozenset, type(None))


@cache
def _defaults(cls: type[BaseModel]) -> dict[str, Any]:
    """Every field of `cls` in declaration order, mapped to its default where that default
    is immutable (so sharing it is safe); other fields map to None and must be given."""
    out: dict[str, Any] = {}
    for name, field in cls.model_fields.items():
        default = None if field.is_required() else field.default
        out[name] = default if isinstance(default, _IMMUTABLE) else None
    return out


def trusted(cls: type[M], **values: Any) -> M:
    """`cls(**values)` without validation, for values the engine built from checked data.

    Validating the dozen small events and changes of every turn cost the engine more than
    its rules. The result equals the validated model (same `__dict__`, in field order);
    give every required field, and every field whose default is a list or dict.
    """
    data = _defaults(cls).copy()
    data.update(values)
    return _make(cls, data, set(values))


def trusted_full(cls: type[M], data: dict[str, Any], fields_set: set[str] | None = None) -> M:
    """`trusted` for a dict that already holds every field of `cls`, in declaration order.

    `fields_set` (the fields counted as given) may be one set shared by many frozen models
    of the same shape; by default every key of `data`.
    """
    new = _new(cls)  # `_make`, inlined: the engine makes a few dozen events per game
    _set(new, "__dict__", data)
    _set(new, "__pydantic_fields_set__", set(data) if fields_set is None else fields_set)
    _set(new, "__pydantic_extra__", None)
    _set(new, "__pydantic_private__", None)
    return new


class Change(Frozen):
    """One contribution to a meter in a resolution, with its one-line explanation."""

    meter: str
    delta: int
    explain: str
    seat: str | None = None
    option: str | None = None
    rule: str = "option"  # option | extra | joint


class MeterMove(Frozen):
    """The net movement of one meter in a resolution, after clamping."""

    meter: str
    before: int
    after: int
    clamped: bool = False


# --- events -----------------------------------------------------------------------------


class EventBase(Frozen):
    seq: int = 0
    at: str | None = None  # ISO time stamp supplied by the shell; the engine has no clock


class GameStarted(EventBase):
    kind: Literal["started"] = "started"
    deck_id: str
    deck_hash: str
    seed: int
    turns: int
    mode: Mode
    team_names: dict[str, str] = {}


class CardDrawn(EventBase):
    kind: Literal["drawn"] = "drawn"
    turn: int
    card: str
    source: DrawSource


class CardSkipped(EventBase):
    kind: Literal["skipped"] = "skipped"
    turn: int
    card: str
    reason: str = ""


class DecisionMade(EventBase):
    kind: Literal["decided"] = "decided"
    turn: int
    card: str
    seat: str
    option: str
    rationale: str = ""
    seconds: float | None = None
    entered_by: str = ""


class TurnResolved(EventBase):
    kind: Literal["resolved"] = "resolved"
    turn: int
    card: str
    choices: dict[str, str]
    changes: list[Change]
    moves: list[MeterMove]
    followups: list[str] = []


class Adjudicated(EventBase):
    kind: Literal["adjudicated"] = "adjudicated"
    turn: int
    meter: str
    before: int
    after: int
    reason: str


class Undone(EventBase):
    kind: Literal["undone"] = "undone"
    target: int  # seq of the resolution or adjudication undone
    undid: UndoKind
    ref: str  # the card resolved, or the meter adjudicated


class NoteAdded(EventBase):
    kind: Literal["note"] = "note"
    turn: int
    text: str


class TimerChanged(EventBase):
    kind: Literal["timer"] = "timer"
    turn: int
    action: Literal["start", "pause", "resume", "extend"]
    seconds: int = 0  # start: the turn's length; extend: the time added


class HotwashAdded(EventBase):
    kind: Literal["hotwash"] = "hotwash"
    entry: HotwashKind
    text: str
    seat: str | None = None
    card: str | None = None
    objective: str | None = None


class GameEnded(EventBase):
    kind: Literal["ended"] = "ended"
    turn: int
    reason: EndReason
    ending: str | None = None
    title: str
    text: str = ""


# --- schema-2 events: phases, flags, resources, red cell, checkpoints (save format 2) ---

PhaseReason = Literal["turns", "condition", "facilitator"]
FlagSource = Literal["option", "extra", "joint", "red-cell"]


class PhaseAdvanced(EventBase):
    kind: Literal["phase"] = "phase"
    turn: int
    previous: str
    phase: str
    reason: PhaseReason


class FlagChanged(EventBase):
    kind: Literal["flag"] = "flag"
    turn: int
    flag: str
    value: bool  # set (true) or cleared (false)
    source: FlagSource
    explain: str
    seat: str | None = None
    rule: str | None = None  # the red-cell rule


class ResourceSpent(EventBase):
    kind: Literal["spent"] = "spent"
    turn: int
    resource: str
    seat: str
    option: str
    amount: int
    before: int
    after: int


class RedCellMoved(EventBase):
    kind: Literal["redcell"] = "redcell"
    turn: int
    rule: str
    actor: str
    explain: str
    changes: list[Change] = []
    moves: list[MeterMove] = []
    card: str | None = None  # queued (or, forced, put at the head of the queue)
    force: bool = False


class CheckpointReached(EventBase):
    kind: Literal["checkpoint"] = "checkpoint"
    turn: int
    ending: str
    title: str
    text: str = ""


class CheckpointContinued(EventBase):
    kind: Literal["continued"] = "continued"
    turn: int
    ending: str
    reason: str = ""


Event = Annotated[
    GameStarted
    | CardDrawn
    | CardSkipped
    | DecisionMade
    | TurnResolved
    | Adjudicated
    | Undone
    | NoteAdded
    | TimerChanged
    | HotwashAdded
    | GameEnded
    | PhaseAdvanced
    | FlagChanged
    | ResourceSpent
    | RedCellMoved
    | CheckpointReached
    | CheckpointContinued,
    Field(discriminator="kind"),
]
# Every kind of event. Code that handles events does so with `match` and `assert_never`
# (or, on the hot path, a table a test checks against this), so a new kind is an error in
# every place that must learn it.
EVENT_TYPES: tuple[type[EventBase], ...] = get_args(get_args(Event)[0])


# --- state ------------------------------------------------------------------------------


class Outcome(Frozen):
    """How a game ended."""

    reason: EndReason
    turn: int
    ending: str | None
    title: str
    text: str


class GameState(Frozen):
    """Everything the rules need, and nothing the log alone can answer."""

    deck_id: str
    deck_hash: str
    seed: int
    turns: int
    mode: Mode
    team_names: dict[str, str]
    seq: int = 0  # seq of the last event applied
    turn: int = 1
    phase: Phase = "draw"
    card: str | None = None
    draws: int = 0  # random draws made so far: the RNG is seeded from (seed, draws)
    decisions: dict[str, str] = {}  # seat -> option, on the current card
    meters: dict[str, int]
    used: tuple[str, ...] = ()  # cards drawn or skipped: never drawn again
    played: tuple[str, ...] = ()  # cards resolved, in order
    chosen: tuple[tuple[str, str], ...] = ()  # (seat, option) of every resolved decision
    queue: tuple[str, ...] = ()  # follow-up cards waiting to be drawn
    timer_paused: bool = False
    timer_extra: int = 0  # seconds added to this turn's clock
    outcome: Outcome | None = None
    undo_stack: tuple[UndoPoint, ...] = ()  # the state before each undoable event
    # Schema 2: the scenario's phase and the turn it began, flags set, resources left, the
    # turn each red-cell rule last fired, a checkpoint waiting for the facilitator, and the
    # checkpoints continued past.
    scenario_phase: str | None = None
    phase_turn: int = 1
    flags: tuple[str, ...] = ()
    resources: dict[str, int] = {}
    fired: dict[str, int] = {}
    checkpoint: str | None = None
    passed: tuple[str, ...] = ()

    @property
    def ended(self) -> bool:
        return self.phase == "ended"


class UndoPoint(Frozen):
    """The state just before a resolution or adjudication, for undo."""

    seq: int
    kind: UndoKind
    ref: str  # the card resolved, or the meter adjudicated
    state: GameState


def undo_words(kind: UndoKind, ref: str) -> str:
    """What an undo takes back, in the words (and ids) save format 1 stored."""
    return f"{kind} of {ref}"
