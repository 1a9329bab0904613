"""The deck schema (versions 1 and 2): pydantic models for one scenario.

Schema 2 adds phases, flags, resources, red-cell rules, option availability and costs,
per-seat private briefings and objectives, objective tags on cards and checkpoint endings;
a schema-1 deck may not use them (`deck_check` says which field needs `schema = 2`).

Structure is checked by pydantic (`extra="forbid"`, so a typo is an error; `strict`, so
`schema = true` or `start = "50"` is refused, not converted; no NaN or infinity); meaning —
ids that must exist, conditions that must make sense — by `deck_check.check_deck`, which
returns every problem rather than stopping at the first.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)

from wargame.model import condition as cond
from wargame.model.fields import (
    Explain,
    Id,
    Name,
    OptionalExplain,
    Text,
    Title,
    Value,
)

SCHEMA_VERSION = 2  # the newest; every version in SCHEMA_VERSIONS loads
SCHEMA_VERSIONS = (1, 2)

# The fields schema 2 added, per model: a schema-1 deck that sets one is told to say 2.
V2_FIELDS: dict[str, frozenset[str]] = {
    "Deck": frozenset({"phases", "flags", "resources", "red_cell"}),
    "Seat": frozenset({"private_objective"}),
    "Card": frozenset({"tags", "objectives", "private", "briefing_if"}),
    "Option": frozenset(
        {"set_flags", "clear_flags", "requires", "unavailable_when", "unavailable_reason", "cost"}
    ),
    "Extra": frozenset({"set_flags", "clear_flags"}),
    "Joint": frozenset({"set_flags", "clear_flags"}),
    "Ending": frozenset({"checkpoint"}),
}

Dimension = Literal["human", "procedural", "technical"]
MeterKind = Literal["trust", "readiness", "opinion", "escalation", "other"]


@dataclass(frozen=True, slots=True)
class Condition:
    """A parsed condition: the source text, its tree, and the tree compiled to a function."""

    text: str
    tree: cond.Node
    fn: cond.Fn = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fn", cond.compile_node(self.tree))

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # Closures do not pickle; rebuild from the text (e.g. in simulator worker processes).
        return _parse_condition, (self.text,)

    def __str__(self) -> str:
        return self.text


def _parse_condition(value: Any) -> Condition:
    if isinstance(value, Condition):
        return value
    if not isinstance(value, str):
        raise ValueError('a condition must be a string, such as "turn >= 2"')
    return _condition(value)


@lru_cache(maxsize=4096)
def _condition(text: str) -> Condition:
    # Decks repeat conditions ("turn >= 3"), and a Condition is immutable: parse each once.
    return Condition(text, cond.parse(text))


When = Annotated[
    Condition,
    BeforeValidator(_parse_condition),
    PlainSerializer(lambda c: c.text, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "description": 'A condition, e.g. "trust.ROK-JPN < 30 and turn >= 3"',
        }
    ),
]
Effects = dict[Id, Value]
Loc = tuple[str | int, ...]


class Model(BaseModel):
    # Validators are built at the first validation, not at import: a deck loaded from the
    # deck cache (store/deck_cache.py) is never validated, so playing needs none of them.
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        strict=True,
        allow_inf_nan=False,
        defer_build=True,
    )


class Objective(Model):
    id: Id
    text: Text


class DeckInfo(Model):
    id: Id
    title: Title
    summary: Text = ""
    turns: Annotated[int, Field(ge=1, le=200)] = 8
    objectives: list[Objective] = Field(default_factory=list)
    sources: list[Text] = Field(default_factory=list)


class PrivateObjective(Model):
    """A seat's own aim, told only to that seat, scored at the hot wash and ending."""

    text: Annotated[Text, Field(min_length=1)]
    when: When


class Seat(Model):
    id: Id
    name: Name
    brief: Text = ""
    private_objective: PrivateObjective | None = None


Category = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=40)]


class Phase(Model):
    """One move of the scenario: its turns, its card pool, and when it gives way early.

    A card is in the pool if its category is in `categories`, or one of its tags is in
    `tags`, or its id is in `cards`; with all three empty, every card is."""

    id: Id
    title: Title
    text: Text = ""
    turns: Annotated[int, Field(ge=1, le=200)] | None = None
    advance_when: When | None = None
    categories: list[Category] = Field(default_factory=list)
    tags: list[Id] = Field(default_factory=list)
    cards: list[Id] = Field(default_factory=list)


class Flag(Model):
    """A named lasting fact ("GSOMIA lapsed") that options and rules set and clear."""

    id: Id
    label: Name
    text: Text = ""


class Resource(Model):
    """A stock spent by options' `cost` (interceptors, ships); never below 0."""

    id: Id
    label: Name
    seat: Id | None = None
    start: Annotated[int, Field(ge=0, le=1_000_000)]


class RedCell(Model):
    """An adversary or third-party move the rules make when the state calls for it."""

    id: Id
    actor: Name
    when: When
    explain: Explain
    effects: Effects = Field(default_factory=dict)
    card: Id | None = None
    force: bool = Field(
        default=False, description="put the card at the head of the queue (drawn next)"
    )
    set_flags: list[Id] = Field(default_factory=list)
    clear_flags: list[Id] = Field(default_factory=list)
    once: bool = True
    cooldown: Annotated[int, Field(ge=1, le=200)] = 1


class BriefingIf(Model):
    """A paragraph added to a card's briefing while its condition holds."""

    when: When
    text: Annotated[Text, Field(min_length=1)]


class Meter(Model):
    id: Id
    label: Name
    kind: MeterKind = "other"
    min: Value = 0
    max: Value = 100
    start: Value
    bands: dict[Id, Value] = Field(
        default_factory=dict,
        description="Band name -> lowest value in that band. A value is in the band with "
        "the highest lower bound not above it. Default: critical/strained/steady/strong "
        "at 0%, 20%, 40% and 70% of the range.",
    )

    @model_validator(mode="after")
    def _bounds(self) -> Meter:
        if self.min >= self.max:
            raise ValueError(f"min ({self.min}) must be below max ({self.max})")
        if not self.min <= self.start <= self.max:
            raise ValueError(f"start ({self.start}) must lie between {self.min} and {self.max}")
        starts: dict[int, str] = {}
        for name, low in self.bands.items():
            if not self.min <= low <= self.max:
                raise ValueError(f"band {name!r} starts at {low}, outside {self.min}..{self.max}")
            if low in starts:
                raise ValueError(f"bands {starts[low]!r} and {name!r} both start at {low}")
            starts[low] = name
        return self

    def band_bounds(self) -> list[tuple[str, int]]:
        """The bands as (name, lower bound), lowest first; the first covers `min`."""
        if self.bands:
            items = sorted(self.bands.items(), key=lambda kv: kv[1])
        else:
            span = self.max - self.min
            items = [
                ("critical", self.min),
                ("strained", self.min + span * 20 // 100),
                ("steady", self.min + span * 40 // 100),
                ("strong", self.min + span * 70 // 100),
            ]
        name0, _ = items[0]
        return [(name0, self.min), *items[1:]]

    def band(self, value: int) -> str:
        current = ""
        for name, low in self.band_bounds():
            if value >= low:
                current = name
        return current


class Extra(Model):
    """Effects that apply on top of an option's own when a condition holds."""

    when: When
    effects: Effects = Field(default_factory=dict)
    explain: Explain
    followups: list[Id] = Field(default_factory=list)
    set_flags: list[Id] = Field(default_factory=list)
    clear_flags: list[Id] = Field(default_factory=list)


class Option(Model):
    seat: Id
    id: Id
    label: Title
    dimension: Dimension | None = None
    effects: Effects = Field(default_factory=dict)
    explain: OptionalExplain = ""
    extra: list[Extra] = Field(default_factory=list)
    followups: list[Id] = Field(default_factory=list)
    set_flags: list[Id] = Field(default_factory=list)
    clear_flags: list[Id] = Field(default_factory=list)
    requires: When | None = None
    unavailable_when: When | None = None
    unavailable_reason: OptionalExplain = ""
    cost: dict[Id, Annotated[int, Field(ge=1, le=1_000_000)]] = Field(default_factory=dict)


class Joint(Model):
    """A rule over a combination of the seats' choices on one card."""

    when: When
    effects: Effects = Field(default_factory=dict)
    explain: Explain
    followups: list[Id] = Field(default_factory=list)
    set_flags: list[Id] = Field(default_factory=list)
    clear_flags: list[Id] = Field(default_factory=list)


class _Indexed(Model):
    """A model with indexes in cached properties (listed in `_INDEXES`), which a copy made
    with changes must not inherit."""

    _INDEXES: ClassVar[tuple[str, ...]] = ()

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        copy = super().model_copy(update=update, deep=deep)
        for name in self._INDEXES:
            copy.__dict__.pop(name, None)
        return copy


class Card(_Indexed):
    id: Id
    title: Title
    category: Category
    when: When | None = None
    weight: Annotated[float, Field(ge=0, le=1000)] = 1.0
    followup_only: bool = False
    dimension: Dimension = "procedural"
    briefing: Annotated[Text, Field(min_length=1)]
    facilitator_notes: Text = ""
    questions: list[Text] = Field(default_factory=list)
    prompts: dict[Id, Text] = Field(default_factory=dict)
    options: Annotated[list[Option], Field(min_length=1)]
    joint: list[Joint] = Field(default_factory=list)
    sources: list[Text] = Field(default_factory=list)
    tags: list[Id] = Field(default_factory=list)
    objectives: list[Id] = Field(default_factory=list)
    private: dict[Id, Annotated[Text, Field(min_length=1)]] = Field(
        default_factory=dict, description="Seat id -> that seat's own briefing"
    )
    briefing_if: list[BriefingIf] = Field(default_factory=list)

    _INDEXES = ("_by_seat",)

    @cached_property
    def _by_seat(self) -> dict[str, tuple[Option, ...]]:
        index: dict[str, list[Option]] = {}
        for o in self.options:
            index.setdefault(o.seat, []).append(o)
        return {seat: tuple(options) for seat, options in index.items()}

    def options_for(self, seat: str) -> list[Option]:
        return list(self._by_seat.get(seat, ()))

    def option(self, seat: str, option_id: str) -> Option | None:
        for o in self._by_seat.get(seat, ()):
            if o.id == option_id:
                return o
        return None

    def dimension_of(self, option: Option) -> Dimension:
        return option.dimension or self.dimension


class Ending(Model):
    id: Id
    title: Title
    when: When
    text: Text = ""
    checkpoint: bool = Field(
        default=False, description="the facilitator may continue past it (recorded)"
    )


class Deck(_Indexed):
    schema_version: Literal[1, 2] = Field(alias="schema")
    deck: DeckInfo
    seats: Annotated[list[Seat], Field(min_length=1, max_length=9)]
    meters: Annotated[list[Meter], Field(min_length=1)]
    cards: Annotated[list[Card], Field(min_length=1)]
    endings: list[Ending] = Field(default_factory=list)
    phases: list[Phase] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    resources: list[Resource] = Field(default_factory=list)
    red_cell: list[RedCell] = Field(default_factory=list)

    # A copy with changes must not inherit the original's indexes, memo and hash.
    _INDEXES = (
        "_seat_ids",
        "_meters",
        "_cards",
        "_options",
        "_random_pool",
        "_phase_index",
        "memo",
        "content_hash",
    )

    @property
    def id(self) -> str:
        return self.deck.id

    # Indexes built once per deck: the engine looks cards and meters up on every command.
    @cached_property
    def _seat_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.seats)

    @cached_property
    def _meters(self) -> dict[str, Meter]:
        return {m.id: m for m in self.meters}

    @cached_property
    def _cards(self) -> dict[str, Card]:
        return {c.id: c for c in self.cards}

    @cached_property
    def _options(self) -> dict[tuple[str, str, str], Option]:
        index: dict[tuple[str, str, str], Option] = {}
        for c in self.cards:
            for o in c.options:
                index.setdefault((c.id, o.seat, o.id), o)  # the first, as Card.option finds
        return index

    @cached_property
    def _random_pool(self) -> tuple[Card, ...]:
        return tuple(c for c in self.cards if not c.followup_only and c.weight > 0)

    @cached_property
    def _phase_index(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.phases)}

    def phase_index(self, phase_id: str | None) -> int:
        """The position of a phase in the deck's order (-1 for none or unknown)."""
        return self._phase_index.get(phase_id, -1) if phase_id else -1

    @cached_property
    def memo(self) -> dict[Any, Any]:
        """A cache of values derived from this (immutable) deck by other layers, such as
        the engine's prebuilt changes; a copy of the deck starts with an empty one."""
        return {}

    @cached_property
    def content_hash(self) -> str:
        return deck_hash(self)

    def seat_ids(self) -> tuple[str, ...]:
        return self._seat_ids

    def meter(self, meter_id: str) -> Meter:
        return self._meters[meter_id]

    def card(self, card_id: str) -> Card:
        return self._cards[card_id]

    def has_card(self, card_id: str) -> bool:
        return card_id in self._cards

    def option(self, card_id: str, seat: str, option_id: str) -> Option | None:
        """`card(card_id).option(seat, option_id)` from an index built once."""
        return self._options.get((card_id, seat, option_id))

    def random_pool(self) -> tuple[Card, ...]:
        """Cards a random draw may ever reveal (not follow-up only, weight above 0)."""
        return self._random_pool


def deck_json_schema() -> dict[str, Any]:
    """The JSON Schema of a deck file, for TOML editors (taplo, Even Better TOML)."""
    schema = Deck.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"wargame deck (schema {SCHEMA_VERSION})"
    return schema


_V1_EXCLUDE: dict[str, Any] = {
    **dict.fromkeys(V2_FIELDS["Deck"], True),
    "seats": {"__all__": V2_FIELDS["Seat"]},
    "endings": {"__all__": V2_FIELDS["Ending"]},
    "cards": {
        "__all__": {
            **dict.fromkeys(V2_FIELDS["Card"], True),
            "joint": {"__all__": V2_FIELDS["Joint"]},
            "options": {
                "__all__": {
                    **dict.fromkeys(V2_FIELDS["Option"], True),
                    "extra": {"__all__": V2_FIELDS["Extra"]},
                }
            },
        }
    },
}


def deck_hash(deck: Deck) -> str:
    """A content hash of the deck's meaning (not its formatting): sha256 of canonical JSON."""
    # A schema-1 deck hashes as it did before schema 2 added fields (all at their defaults
    # there), so the saves of its games still match it.
    exclude = _V1_EXCLUDE if deck.schema_version == 1 else None
    data = deck.model_dump(mode="json", by_alias=True, exclude=exclude)
    blob = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()
