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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Annotated, Any, ClassVar, Literal, Protocol, Self, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)

from wargame.i18n import _
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


# A BCP 47 language tag, as decks and translation files name their language ("en", "ko").
Language = Annotated[str, Field(pattern=r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$", max_length=35)]


class DeckInfo(Model):
    id: Id
    title: Title
    language: Language = "en"
    summary: Text = ""
    turns: Annotated[int, Field(ge=1, le=200)] = 8
    turn_minutes: Annotated[int, Field(ge=1, le=600)] | None = Field(
        default=None, description="the turn clock's length (default 10 minutes)"
    )
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


Better = Literal["higher", "lower", "neither"]
Severity = Literal["danger", "warning", "neutral", "good"]
# Each kind's direction when a meter does not say (`better`).
KIND_BETTER: dict[str, Better] = {
    "trust": "higher",
    "readiness": "higher",
    "opinion": "higher",
    "escalation": "lower",
    "other": "neither",
}
# The default bands' names say how they read, whatever the meter's direction.
NAMED_SEVERITY: dict[str, Severity] = {
    "critical": "danger",
    "strained": "warning",
    "steady": "neutral",
    "strong": "good",
}
# How a meter is shown and judged, not how it plays: left out of the content hash, so
# declaring them keeps a deck's saves resumable.
PRESENTATION_FIELDS = ("better", "seat", "group", "band_severity")

_BAND_VALUE_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "integer"},
        {
            "type": "object",
            "properties": {
                "from": {"type": "integer", "description": "the band's lowest value"},
                "severity": {"enum": list(NAMED_SEVERITY.values())},
            },
            "required": ["from"],
            "additionalProperties": False,
        },
    ]
}


class Meter(Model):
    id: Id
    label: Name
    kind: MeterKind = "other"
    min: Value = 0
    max: Value = 100
    start: Value
    bands: Annotated[
        dict[Id, Value],
        WithJsonSchema(
            {"type": "object", "additionalProperties": _BAND_VALUE_SCHEMA},
        ),
    ] = Field(
        default_factory=dict,
        description="Band name -> lowest value in that band, or a table "
        '{ from = 80, severity = "danger" }. A value is in the band with the highest lower '
        "bound not above it. Default: critical/strained/steady/strong at 0%, 20%, 40% and "
        "70% of the range.",
    )
    better: Better | None = Field(
        default=None,
        description="Which way is better: higher, lower or neither. Default by kind: "
        "escalation lower; trust, readiness and opinion higher; other neither.",
    )
    seat: Id | None = Field(default=None, description="The seat this meter belongs to")
    group: Name | None = Field(
        default=None, description="The heading it is shown under (default: by kind)"
    )
    band_severity: dict[Id, Severity] = Field(
        default_factory=dict,
        description="Band name -> how it reads (danger, warning, neutral, good); also "
        "given inline in `bands`",
    )

    @model_validator(mode="before")
    @classmethod
    def _band_tables(cls, data: Any) -> Any:
        """`bands = { brink = { from = 80, severity = "danger" } }`: split into `bands`
        and `band_severity`, so a plain number stays a plain number (and hashes as one)."""
        if not isinstance(data, dict):
            return data
        bands = data.get("bands")
        if not isinstance(bands, dict) or not any(isinstance(v, dict) for v in bands.values()):
            return data
        severity = data.get("band_severity", {})
        severity = dict(severity) if isinstance(severity, dict) else severity
        plain: dict[Any, Any] = {}
        for name, value in bands.items():
            if not isinstance(value, dict):
                plain[name] = value
                continue
            unknown = sorted(set(value) - {"from", "severity"})
            if unknown:
                raise ValueError(
                    f"band {name!r}: unknown key {unknown[0]!r} (a band table takes "
                    "'from' and 'severity')"
                )
            if "from" not in value:
                raise ValueError(f"band {name!r}: a band table needs 'from', its lowest value")
            plain[name] = value["from"]
            if "severity" in value and isinstance(severity, dict):
                severity[name] = value["severity"]
        return {**data, "bands": plain, "band_severity": severity}

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
        names = [n for n, _ in self.band_bounds()]
        for name in self.band_severity:
            if name not in names:
                raise ValueError(
                    f"band_severity names {name!r}, which is not a band of this meter "
                    f"(bands: {', '.join(names)})"
                )
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

    @property
    def direction(self) -> Better:
        """Which way is better: declared, else by kind."""
        return self.better or KIND_BETTER[self.kind]

    @property
    def sign(self) -> int:
        """+1 if higher is better, -1 if lower is, 0 if neither."""
        return {"higher": 1, "lower": -1, "neither": 0}[self.direction]

    def severity(self, band: str) -> Severity:
        """How a band reads: declared; else the default bands' meaning by name
        (critical danger, strained warning, steady neutral, strong good); else by its place
        from the worst end (worst danger, next warning, best good, the rest neutral) when
        the meter has a direction; else neutral."""
        declared = self.band_severity.get(band) or NAMED_SEVERITY.get(band)
        if declared is not None:
            return declared
        names = [n for n, _ in self.band_bounds()]
        if self.sign == 0 or band not in names:
            return "neutral"
        worst_first = names if self.sign > 0 else names[::-1]
        place = worst_first.index(band)
        if place == 0:
            return "danger"
        if place == len(names) - 1:
            return "good"
        return "warning" if place == 1 else "neutral"

    def owner(self, seat_ids: tuple[str, ...] | list[str]) -> str | None:
        """The seat this meter belongs to: its `seat`; else, for an opinion or readiness
        meter, the seat its id ends in (`opinion.ROK` → ROK); else none."""
        if self.seat is not None:
            return self.seat
        if self.kind in ("opinion", "readiness"):
            tail = self.id.rpartition(".")[2]
            if tail in seat_ids:
                return tail
        return None


class _Grouped(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def group(self) -> str | None: ...


def kind_title(kind: str) -> str:
    """The heading of a kind of meter, in the game's language."""
    titles = {
        "trust": _("Trust"),
        "readiness": _("Readiness"),
        "opinion": _("Public opinion"),
        "escalation": _("Escalation"),
        "other": _("Other"),
    }
    return titles.get(kind, kind)


G = TypeVar("G", bound=_Grouped)


def meter_groups(meters: Iterable[G]) -> list[tuple[str, list[G]]]:
    """Meters under their headings — each one's `group`, else its kind's title — in the
    order the deck first lists each heading (the board and the AAR charts share it)."""
    groups: dict[str, list[G]] = {}
    for m in meters:
        groups.setdefault(m.group or kind_title(m.kind), []).append(m)
    return list(groups.items())


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


class Labels(Model):
    """Display names for ids that people otherwise see as they are: band and category ids.

    A translation file fills these in; an English deck may give them too ("neo" ->
    "Evacuation")."""

    bands: dict[Id, Name] = Field(default_factory=dict)
    categories: dict[Category, Name] = Field(default_factory=dict)


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
    labels: Labels = Field(default_factory=Labels)

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

    def band_ids(self) -> list[str]:
        """Every band id the deck's meters use, each once, in deck order."""
        return list(dict.fromkeys(n for m in self.meters for n, _ in m.band_bounds()))

    def band_label(self, band: str) -> str:
        """A band's display name: the deck's label for it, else the catalog's (the default
        bands' names are in it), else its id."""
        return self.labels.bands.get(band) or _(band)

    def category_label(self, category: str) -> str:
        return self.labels.categories.get(category) or _(category)

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


_LATER_FIELDS: tuple[tuple[tuple[str, ...], Any], ...] = (
    (("deck", "language"), "en"),
    (("deck", "turn_minutes"), None),
    (("labels",), {"bands": {}, "categories": {}}),
)


def deck_hash(deck: Deck) -> str:
    """A content hash of the deck's meaning (not its formatting): sha256 of canonical JSON."""
    # A schema-1 deck hashes as it did before schema 2 added fields (all at their defaults
    # there), so the saves of its games still match it.
    exclude = _V1_EXCLUDE if deck.schema_version == 1 else None
    data = deck.model_dump(mode="json", by_alias=True, exclude=exclude)
    # Fields added later than the deck's schema hash only when set, so a deck that does not
    # use them keeps the hash its saves were written with.
    for path, default in _LATER_FIELDS:
        *parents, key = path
        table = data
        for part in parents:
            table = table.get(part, {})
        if table.get(key, default) == default:
            table.pop(key, None)
    for meter in data["meters"]:
        for name in PRESENTATION_FIELDS:
            meter.pop(name, None)
    blob = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()
