"""The after-action review as data: pydantic models every exporter and the AAR screen read.

The AAR is derived from (deck, events) alone by `wargame.aar.analysis.build_aar`; its JSON
form is the JSON export, and `aar_json_schema()` publishes that shape (`wargame schema --aar`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

AAR_FORMAT = "wargame-aar"
AAR_VERSION = 1

Dimension = Literal["human", "procedural", "technical"]
DIMENSIONS: tuple[Dimension, ...] = ("human", "procedural", "technical")
EntryKind = Literal[
    "started",
    "drawn",
    "skipped",
    "decided",
    "resolved",
    "adjudicated",
    "undone",
    "note",
    "timer",
    "hotwash",
    "ended",
    # Schema 2:
    "phase",
    "flag",
    "spent",
    "redcell",
    "checkpoint",
    "continued",
]
# live: stands in the final game; undone: rolled back by an undo (or superseded by the
# re-decisions an undone resolution calls for); skipped: a decision on a card that was
# skipped; unresolved: a decision on the card still on the table when the game ended.
Status = Literal["live", "undone", "skipped", "unresolved"]
CauseKind = Literal["decision", "extra", "joint", "adjudication"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SeatInfo(_Model):
    id: str
    name: str  # the team name used in this game (the deck's seat name unless renamed)
    deck_name: str


class Band(_Model):
    name: str
    low: int


class MeterInfo(_Model):
    id: str
    label: str
    kind: str
    min: int
    max: int
    start: int
    final: int
    start_band: str
    final_band: str
    bands: list[Band]
    # The deck's declared heading; left out when none (the AAR then heads by kind, as ever).
    group: str | None = Field(default=None, exclude_if=lambda v: v is None)


class EndingInfo(_Model):
    reason: str  # ending | turns | deck | facilitator
    turn: int
    ending: str | None
    title: str
    text: str


class Overview(_Model):
    deck_id: str
    deck_title: str
    deck_summary: str
    deck_hash: str
    date: str | None  # the calendar date of the first time-stamped event
    started_at: str | None
    ended_at: str | None  # the last time-stamped event
    duration_seconds: float | None
    seed: int
    mode: str
    turns_planned: int
    turns_played: int
    seats: list[SeatInfo]
    meters: list[MeterInfo]
    ending: EndingInfo | None
    events: int
    decisions: int
    adjudications: int
    notes: int
    undos: int
    skipped_cards: int


class ObjectiveInfo(_Model):
    id: str
    text: str
    hotwash: list[int]  # seq of the hot-wash entries tied to this objective


class MeterChange(_Model):
    """One contribution to a meter in a resolution, with its explanation."""

    meter: str
    meter_label: str
    delta: int
    explain: str
    seat: str | None
    option: str | None
    rule: str  # option | extra | joint


class MeterMove(_Model):
    """A meter's net movement in a resolution or adjudication, after clamping."""

    meter: str
    meter_label: str
    before: int
    after: int
    delta: int
    clamped: bool
    band_before: str
    band_after: str


class TimelineEntry(_Model):
    """One event of the log, made readable. Fields that do not apply are null."""

    seq: int
    at: str | None
    turn: int
    kind: EntryKind
    status: Status
    summary: str  # one line, plain text, for lists and filters
    card: str | None = None
    card_title: str | None = None
    category: str | None = None
    seat: str | None = None
    seat_name: str | None = None
    option: str | None = None
    option_label: str | None = None
    dimension: Dimension | None = None
    rationale: str | None = None
    seconds: float | None = None
    entered_by: str | None = None
    text: str | None = None  # a note, a reason, an ending's text, a hot-wash entry
    # A fresh list per entry, without pydantic deep-copying a default `[]` for each (which
    # cost the review a tenth of its time); the schema still says the default is [].
    changes: list[MeterChange] = Field(default_factory=list, json_schema_extra={"default": []})
    moves: list[MeterMove] = Field(default_factory=list, json_schema_extra={"default": []})
    # Schema 2, left out of the JSON when empty (a schema-1 game exports as it always did).
    actor: str | None = Field(default=None, exclude_if=lambda v: v is None)  # red-cell mover
    phase: str | None = Field(default=None, exclude_if=lambda v: v is None)  # phase entered
    flag: str | None = Field(default=None, exclude_if=lambda v: v is None)  # flag set/cleared


class Decision(_Model):
    """A decision that stands in the final game, with the resolution it was part of."""

    seq: int
    at: str | None
    turn: int
    card: str
    card_title: str
    category: str
    seat: str
    seat_name: str
    option: str
    option_label: str
    dimension: Dimension
    rationale: str
    seconds: float | None
    entered_by: str
    resolution_seq: int
    meter_deltas: dict[str, int]  # every meter: its net change in that resolution
    own_changes: list[MeterChange]  # the changes this seat's option (and its extras) made


class TrajectoryPoint(_Model):
    """Every meter's value at the start (turn 0), after each turn's resolution and, if the
    game ended with adjudications after the last resolution, at the end."""

    turn: int
    label: str
    seq: int | None
    values: dict[str, int]


class Cause(_Model):
    kind: CauseKind
    seat: str | None
    option: str | None
    option_label: str | None
    delta: int
    explain: str
    seq: int  # the decision's (or adjudication's) event


class TurningPoint(_Model):
    turn: int
    label: str
    card: str | None
    card_title: str | None
    meter: str
    meter_label: str
    before: int
    after: int
    delta: int
    band_before: str
    band_after: str
    crossed_band: bool
    largest_swing: bool  # among the game's largest swings
    causes: list[Cause]


class SeatBreakdown(_Model):
    seat: str
    name: str
    decisions: int
    dimensions: dict[str, int]
    rationales: int  # decisions with a written rationale
    seconds_total: float | None
    seconds_mean: float | None
    meter_effects: dict[str, int]  # net of this seat's own and extra effects, per meter
    choices: list[str]  # "card-title: option label", in play order


class DimensionBreakdown(_Model):
    dimension: Dimension
    exercised: bool
    decisions: int
    by_seat: dict[str, int]
    meter_effects: dict[str, int]
    cards: list[str]


class Question(_Model):
    turn: int
    card: str
    card_title: str
    text: str


class SkippedCard(_Model):
    seq: int
    turn: int
    card: str
    card_title: str
    reason: str


class HotwashItem(_Model):
    seq: int
    at: str | None
    entry: Literal["strength", "improvement", "action"]
    text: str
    seat: str | None
    card: str | None
    card_title: str | None
    objective: str | None


class ImprovementRow(_Model):
    """One line of the improvement plan: an area for improvement and the action for it."""

    issue: str
    action: str
    seat: str | None
    issue_seq: int | None
    action_seq: int | None


class PrivateBriefing(_Model):
    """What one seat was told privately on a card, beside what it then chose."""

    seat: str
    seat_name: str
    text: str
    option: str | None
    option_label: str | None


class PrivateCard(_Model):
    """A card with private briefings, reconciled: each seat's briefing and choice."""

    turn: int
    card: str
    card_title: str
    briefings: list[PrivateBriefing]


class PrivateObjectiveResult(_Model):
    """A seat's private objective, revealed at the end, and whether the game met it."""

    seat: str
    seat_name: str
    text: str
    met: bool


class CrisisSummary(_Model):
    """Where the scenario stood at the end: its phase, the flags in force, the resources
    left, the red cell's standing moves, the checkpoints continued past."""

    phase: str | None
    phase_title: str | None
    flags: list[str]  # labels of the flags in force
    resources: dict[str, int]
    red_cell_moves: int
    checkpoints_passed: list[str]


def _empty(value: Any) -> bool:
    return not value


class AAR(_Model):
    format: Literal["wargame-aar"] = AAR_FORMAT
    version: Literal[1] = AAR_VERSION
    overview: Overview
    objectives: list[ObjectiveInfo]
    timeline: list[TimelineEntry]
    decisions: list[Decision]
    trajectory: list[TrajectoryPoint]
    turning_points: list[TurningPoint]
    by_seat: list[SeatBreakdown]
    by_dimension: list[DimensionBreakdown]
    questions: list[Question]
    skipped: list[SkippedCard]
    hotwash: list[HotwashItem]
    improvement_plan: list[ImprovementRow]
    # Schema 2, left out of the JSON when empty (a schema-1 game exports as it always did).
    crisis: CrisisSummary | None = Field(default=None, exclude_if=_empty)
    private_briefings: list[PrivateCard] = Field(default_factory=list, exclude_if=_empty)
    private_objectives: list[PrivateObjectiveResult] = Field(
        default_factory=list, exclude_if=_empty
    )

    def series(self, meter: str) -> list[int]:
        """One meter's values over the trajectory points."""
        return [p.values[meter] for p in self.trajectory]

    def meter_info(self, meter: str) -> MeterInfo:
        for m in self.overview.meters:
            if m.id == meter:
                return m
        raise KeyError(meter)


def aar_json_schema() -> dict[str, Any]:
    """The JSON Schema of the JSON export (`wargame schema --aar`)."""
    schema = AAR.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"wargame after-action review (version {AAR_VERSION})"
    return schema
