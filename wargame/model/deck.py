"""The deck schema (version 1): pydantic models for one scenario, plus its semantic checks.

Structure is checked by pydantic (`extra="forbid"`, so a typo is an error); meaning —
ids that must exist, conditions that must make sense — by `check_deck`, which returns
every problem rather than stopping at the first.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
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

SCHEMA_VERSION = 1

Dimension = Literal["human", "procedural", "technical"]
MeterKind = Literal["trust", "readiness", "opinion", "other"]

Id = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_]*(?:[.\-][A-Za-z0-9_]+)*$",
        max_length=64,
        description="Letters, digits, '_', and single '.' or '-' between them",
    ),
]
Text = Annotated[str, Field(max_length=20_000)]


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
    return Condition(value, cond.parse(value))


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
Effects = dict[Id, int]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Objective(Model):
    id: Id
    text: Text


class DeckInfo(Model):
    id: Id
    title: Annotated[str, Field(min_length=1, max_length=200)]
    summary: Text = ""
    turns: Annotated[int, Field(ge=1, le=200)] = 8
    objectives: list[Objective] = []
    sources: list[Text] = []


class Seat(Model):
    id: Id
    name: Annotated[str, Field(min_length=1, max_length=80)]
    brief: Text = ""


class Meter(Model):
    id: Id
    label: Annotated[str, Field(min_length=1, max_length=80)]
    kind: MeterKind = "other"
    min: int = 0
    max: int = 100
    start: int
    bands: dict[Id, int] = Field(
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
        for name, low in self.bands.items():
            if not self.min <= low <= self.max:
                raise ValueError(f"band {name!r} starts at {low}, outside {self.min}..{self.max}")
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
    effects: Effects = {}
    explain: Annotated[str, Field(min_length=1, max_length=300)]
    followups: list[Id] = []


class Option(Model):
    seat: Id
    id: Id
    label: Annotated[str, Field(min_length=1, max_length=200)]
    dimension: Dimension | None = None
    effects: Effects = {}
    explain: Annotated[str, Field(max_length=300)] = ""
    extra: list[Extra] = []
    followups: list[Id] = []


class Joint(Model):
    """A rule over a combination of the seats' choices on one card."""

    when: When
    effects: Effects = {}
    explain: Annotated[str, Field(min_length=1, max_length=300)]
    followups: list[Id] = []


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
    title: Annotated[str, Field(min_length=1, max_length=200)]
    category: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=40)]
    when: When | None = None
    weight: Annotated[float, Field(ge=0, le=1000)] = 1.0
    followup_only: bool = False
    dimension: Dimension = "procedural"
    briefing: Annotated[str, Field(min_length=1, max_length=20_000)]
    facilitator_notes: Text = ""
    questions: list[Text] = []
    prompts: dict[Id, Text] = {}
    options: Annotated[list[Option], Field(min_length=1)]
    joint: list[Joint] = []
    sources: list[Text] = []

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
    title: Annotated[str, Field(min_length=1, max_length=200)]
    when: When
    text: Text = ""


class Deck(_Indexed):
    schema_version: Literal[1] = Field(alias="schema")
    deck: DeckInfo
    seats: Annotated[list[Seat], Field(min_length=1, max_length=9)]
    meters: Annotated[list[Meter], Field(min_length=1)]
    cards: Annotated[list[Card], Field(min_length=1)]
    endings: list[Ending] = []

    # A copy with changes must not inherit the original's indexes, memo and hash.
    _INDEXES = (
        "_seat_ids",
        "_meters",
        "_cards",
        "_options",
        "_random_pool",
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
    schema["title"] = "wargame deck (schema 1)"
    return schema


# --- semantic checks --------------------------------------------------------------------

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a deck, at a pydantic-style location path."""

    loc: Loc
    message: str


def _duplicates(ids: list[str]) -> list[int]:
    seen: set[str] = set()
    dups = []
    for i, x in enumerate(ids):
        if x in seen:
            dups.append(i)
        seen.add(x)
    return dups


class _Checker:
    def __init__(self, deck: Deck) -> None:
        self.deck = deck
        self.problems: list[Problem] = []
        self.seats = set(deck.seat_ids())
        self.meters = {m.id: m for m in deck.meters}
        self.cards = {c.id for c in deck.cards}
        self.options_by_seat: dict[str, set[str]] = {s: set() for s in self.seats}
        for card in deck.cards:
            for o in card.options:
                self.options_by_seat.setdefault(o.seat, set()).add(o.id)

    def add(self, loc: Loc, message: str) -> None:
        self.problems.append(Problem(loc, message))

    def run(self) -> list[Problem]:
        d = self.deck
        for name, items in (
            ("seats", d.seats),
            ("meters", d.meters),
            ("cards", d.cards),
            ("endings", d.endings),
            ("objectives", d.deck.objectives),
        ):
            ids = [x.id for x in items]
            base: Loc = ("deck", "objectives") if name == "objectives" else (name,)
            for i in _duplicates(ids):
                self.add((*base, i, "id"), f"duplicate id {ids[i]!r}")
        for i, card in enumerate(d.cards):
            self.card(("cards", i), card)
        for i, ending in enumerate(d.endings):
            self.condition(("endings", i, "when"), ending.when, None)
        return self.problems

    def card(self, loc: Loc, card: Card) -> None:
        if card.when is not None:
            self.condition((*loc, "when"), card.when, None)
        for seat in card.prompts:
            if seat not in self.seats:
                self.add((*loc, "prompts", seat), f"unknown seat {seat!r}")
        seen: set[tuple[str, str]] = set()
        for j, opt in enumerate(card.options):
            oloc = (*loc, "options", j)
            if opt.seat not in self.seats:
                self.add((*oloc, "seat"), f"unknown seat {opt.seat!r}")
            if (opt.seat, opt.id) in seen:
                self.add((*oloc, "id"), f"duplicate option {opt.id!r} for seat {opt.seat}")
            seen.add((opt.seat, opt.id))
            self.effects((*oloc, "effects"), opt.effects)
            self.followups((*oloc, "followups"), opt.followups)
            for k, extra in enumerate(opt.extra):
                xloc = (*oloc, "extra", k)
                self.condition((*xloc, "when"), extra.when, card)
                self.effects((*xloc, "effects"), extra.effects)
                self.followups((*xloc, "followups"), extra.followups)
        for seat in sorted(self.seats):
            n = len(card.options_for(seat))
            if n == 0:
                self.add((*loc, "options"), f"seat {seat} has no option")
            elif n > 9:
                self.add((*loc, "options"), f"seat {seat} has {n} options; at most 9")
        for k, joint in enumerate(card.joint):
            jloc = (*loc, "joint", k)
            self.condition((*jloc, "when"), joint.when, card)
            self.effects((*jloc, "effects"), joint.effects)
            self.followups((*jloc, "followups"), joint.followups)

    def effects(self, loc: Loc, effects: Effects) -> None:
        for meter_id in effects:
            if meter_id not in self.meters:
                self.add((*loc, meter_id), f"unknown meter {meter_id!r}")

    def followups(self, loc: Loc, followups: list[str]) -> None:
        for i, card_id in enumerate(followups):
            if card_id not in self.cards:
                self.add((*loc, i), f"unknown card {card_id!r}")

    def condition(self, loc: Loc, c: Condition, card: Card | None) -> None:
        for node in cond.walk(c.tree):
            msg = None
            if isinstance(node, cond.Name):
                msg = self.name(node.name, card)
            elif isinstance(node, cond.Call):
                msg = self.call(node)
            elif isinstance(node, cond.Compare):
                msg = self.compare(node, card)
            elif isinstance(node, cond.And | cond.Or | cond.Not):
                items = node.items if not isinstance(node, cond.Not) else (node.item,)
                for item in items:
                    if self.kind(item) != "bool":
                        msg = f"{cond.show(item)} is not a test; compare it with something"
                        break
            if msg:
                self.add(loc, f"{msg} in {c.text!r}")
        if self.kind(c.tree) != "bool" and not any(p.loc == loc for p in self.problems):
            self.add(loc, f"{c.text!r} is not a test; compare it with something")

    def name(self, name: str, card: Card | None) -> str | None:
        if name == "turn" or name in self.meters:
            return None
        if name in self.seats:
            if card is None:
                return (
                    f"seat {name!r} can only be tested inside a card's extra or joint rules; "
                    f"use chose('{name}', 'option-id') here"
                )
            return None
        return f"unknown name {name!r} (not a meter, a seat or 'turn')"

    def call(self, node: cond.Call) -> str | None:
        if node.func in ("played", "queued"):
            if node.args[0] not in self.cards:
                return f"unknown card {node.args[0]!r}"
        elif node.func == "band":
            if node.args[0] not in self.meters:
                return f"unknown meter {node.args[0]!r}"
        elif node.func == "chose":
            seat, option = node.args
            if seat not in self.seats:
                return f"unknown seat {seat!r}"
            if option not in self.options_by_seat.get(seat, set()):
                return f"seat {seat} has no option {option!r} on any card"
        return None

    def kind(self, node: cond.Node) -> str:
        if isinstance(node, cond.Num) or (
            isinstance(node, cond.Name) and node.name not in self.seats
        ):
            return "number"
        if isinstance(node, cond.Str | cond.Name) or (
            isinstance(node, cond.Call) and node.func == "band"
        ):
            return "string"
        return "bool"

    def compare(self, node: cond.Compare, card: Card | None) -> str | None:
        lk, rk = self.kind(node.left), self.kind(node.right)
        if lk != rk:
            return f"cannot compare {cond.show(node.left)} with {cond.show(node.right)}"
        if lk == "bool" and node.op not in ("==", "!="):
            return f"{node.op!r} needs numbers on both sides"
        if lk == "string":
            if node.op not in ("==", "!="):
                return f"{node.op!r} needs numbers; text can only be compared with == or !="
            return self.string_pair(node.left, node.right, card) or self.string_pair(
                node.right, node.left, card
            )
        return None

    def string_pair(self, subject: cond.Node, value: cond.Node, card: Card | None) -> str | None:
        if not isinstance(value, cond.Str):
            return None
        if isinstance(subject, cond.Name) and subject.name in self.seats and card is not None:
            ids = [o.id for o in card.options_for(subject.name)]
            if value.value not in ids:
                return f"seat {subject.name} has no option {value.value!r} on this card"
        if isinstance(subject, cond.Call) and subject.func == "band":
            meter = self.meters.get(subject.args[0])
            if meter is not None:
                names = [n for n, _ in meter.band_bounds()]
                if value.value not in names:
                    return (
                        f"meter {meter.id} has no band {value.value!r} (bands: {', '.join(names)})"
                    )
        return None


def check_deck(deck: Deck) -> list[Problem]:
    """Every semantic problem in a structurally valid deck."""
    return _Checker(deck).run()


def deck_hash(deck: Deck) -> str:
    """A content hash of the deck's meaning (not its formatting): sha256 of canonical JSON."""
    data = deck.model_dump(mode="json", by_alias=True)
    blob = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()
