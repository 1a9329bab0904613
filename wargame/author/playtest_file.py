"""The playtest file: its pydantic model, and loading and checking it against a deck.

The format is described in `wargame.author.playtest`, which runs a loaded playtest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from wargame.model.deck import Deck
from wargame.model.fields import MAX_TITLE, ONE_LINE_PATTERN, Id, Name, Text
from wargame.model.game import Mode
from wargame.store.decks import (
    DeckError,
    DeckProblem,
    error_message,
    find_line,
    parse_toml,
    read_text,
)
from wargame.store.locations import loc_text

DRAW = "draw"
NONE = "none"


class _Model(BaseModel):
    # Strict, as decks are: "1" is not a number, true is not 1, and no NaN.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


def _to_range(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("expected a number or [low, high]")
    if isinstance(value, int):
        return (value, value)
    if isinstance(value, list | tuple):
        if len(value) != 2 or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            raise ValueError("a range is [low, high]: two whole numbers")
        if value[0] > value[1]:
            raise ValueError(f"the range [{value[0]}, {value[1]}] is empty (low above high)")
        return tuple(value)
    raise ValueError("expected a number or [low, high]")


Range = Annotated[tuple[int, int], BeforeValidator(_to_range)]


class Choice(_Model):
    """A seat's decision: an option id, with an optional rationale."""

    option: Id
    rationale: Text = ""

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"option": data}
        if not isinstance(data, dict):
            raise ValueError('expected an option id, or { option = "...", rationale = "..." }')
        return data


class Adjudication(_Model):
    meter: Id
    delta: int | None = None
    value: int | None = None
    reason: Annotated[Text, Field(min_length=1)]

    @model_validator(mode="after")
    def _one_of(self) -> Adjudication:
        if (self.delta is None) == (self.value is None):
            raise ValueError("give either delta (a change) or value (a new value)")
        return self


EXPECT_KEYS = (
    "card",
    "band",
    "queued",
    "played",
    "ending",
    "reason",
    # schema 2
    "phase",
    "flags",
    "fired",
    "resources",
    "checkpoint",
)


class Expect(_Model):
    """Assertions checked after a turn. Keys other than these name meters."""

    card: Id | None = None
    band: dict[Id, Id] = {}
    queued: list[Id] | None = None
    played: list[Id] | None = None
    ending: Id | None = None
    reason: Literal["none", "ending", "turns", "deck", "facilitator"] | None = None
    meters: dict[Id, Range] = {}
    phase: Id | None = None
    flags: list[Id] | None = None
    fired: list[Id] | None = None
    resources: dict[Id, Range] = {}
    checkpoint: Id | None = None

    @model_validator(mode="before")
    @classmethod
    def _collect_meters(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        out: dict[str, Any] = {k: v for k, v in data.items() if k in EXPECT_KEYS}
        out["meters"] = {k: v for k, v in data.items() if k not in EXPECT_KEYS}
        return out

    def count(self) -> int:
        return (
            len(self.meters)
            + len(self.band)
            + len(self.resources)
            + sum(
                x is not None
                for x in (
                    self.card,
                    self.queued,
                    self.played,
                    self.ending,
                    self.reason,
                    self.phase,
                    self.flags,
                    self.fired,
                    self.checkpoint,
                )
            )
        )


class Turn(_Model):
    card: Id
    choices: dict[Id, Choice]
    notes: list[Annotated[Text, Field(min_length=1)]] = []
    adjudicate: list[Adjudication] = []
    expect: Expect | None = None
    continue_: bool = Field(default=False, alias="continue")  # past a checkpoint reached


class Playtest(_Model):
    title: Annotated[str, Field(max_length=MAX_TITLE, pattern=ONE_LINE_PATTERN)] = ""
    deck: Id | None = None
    seed: int
    turns: Annotated[int, Field(ge=1, le=200)] | None = None
    mode: Mode = "hotseat"
    teams: dict[Id, Name] = {}
    turn: Annotated[list[Turn], Field(min_length=1)]


@dataclass(frozen=True, slots=True)
class LoadedPlaytest:
    """A playtest with the file it came from, so failures can name their line."""

    name: str
    text: str
    playtest: Playtest


# --- loading ------------------------------------------------------------------------------


def _toml_loc(loc: tuple) -> tuple:
    """A pydantic location as a path in the file: meter keys sit directly in `expect`."""
    out = []
    for i, part in enumerate(loc):
        if part == "meters" and i > 0 and loc[i - 1] == "expect":
            continue
        out.append(part)
    return tuple(out)


def line_of(text: str, loc: tuple) -> int | None:
    """`find_line`, also finding dotted keys (`band."trust.US-ROK" = ...`) in a table."""
    line = find_line(text, loc)
    if line is None or not loc or not isinstance(loc[-1], str):
        return line
    lines = text.splitlines()
    if not lines[line - 1].lstrip().startswith("["):
        return line
    key = re.compile(rf"^\s*([\"']?){re.escape(loc[-1])}\1\s*[.=]")
    for i in range(line, len(lines)):
        if lines[i].lstrip().startswith("["):
            break
        if key.match(lines[i]):
            return i + 1
    return line


def _problem(name: str, text: str, loc: tuple, message: str) -> DeckProblem:
    loc = _toml_loc(loc)
    where = ""
    if len(loc) >= 2 and loc[0] == "turn" and isinstance(loc[1], int):
        where, rest = f"turn {loc[1] + 1}", loc[2:]
    else:
        rest = loc
    return DeckProblem(name, message, line=line_of(text, loc), where=where, field=loc_text(rest))


def parse_playtest(text: str, name: str = "<playtest>", deck: Deck | None = None) -> LoadedPlaytest:
    """Validate playtest text (and its ids against `deck`); DeckError lists every problem."""
    data = parse_toml(text, name)
    try:
        playtest = Playtest.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(name, text, tuple(e["loc"]), error_message(e)) for e in exc.errors()]
        problems = sorted(dict.fromkeys(problems), key=lambda p: p.line or 0)
        raise DeckError(problems) from None
    if deck is not None:
        problems = [_problem(name, text, loc, msg) for loc, msg in check_playtest(playtest, deck)]
        problems.sort(key=lambda p: p.line or 0)
        if problems:
            raise DeckError(problems)
    return LoadedPlaytest(name, text, playtest)


def load_playtest(path: str | Path, deck: Deck | None = None) -> LoadedPlaytest:
    path = Path(path)
    return parse_playtest(read_text(path), str(path), deck)


def check_playtest(pt: Playtest, deck: Deck) -> list[tuple[tuple, str]]:
    """Ids in the playtest that the deck does not have, as (location, message)."""
    out: list[tuple[tuple, str]] = []
    seats = deck.seat_ids()
    meters = {m.id: m for m in deck.meters}
    endings = {e.id for e in deck.endings}
    if pt.deck is not None and pt.deck != deck.id:
        out.append((("deck",), f"this playtest is for deck {pt.deck!r}, not {deck.id!r}"))
    for seat in pt.teams:
        if seat not in seats:
            out.append((("teams", seat), f"unknown seat {seat!r}"))

    def card(loc: tuple, card_id: str) -> None:
        if not deck.has_card(card_id):
            out.append((loc, f"unknown card {card_id!r}"))

    for i, turn in enumerate(pt.turn):
        loc: tuple = ("turn", i)
        if turn.card != DRAW:
            card((*loc, "card"), turn.card)
        for seat, choice in turn.choices.items():
            if seat not in seats:
                out.append(((*loc, "choices", seat), f"unknown seat {seat!r}"))
            elif turn.card != DRAW and deck.has_card(turn.card):
                c = deck.card(turn.card)
                if c.option(seat, choice.option) is None:
                    ids = ", ".join(o.id for o in c.options_for(seat))
                    out.append(
                        (
                            (*loc, "choices", seat),
                            f"{seat} has no option {choice.option!r} on {turn.card!r}; "
                            f"options: {ids}",
                        )
                    )
        missing = [s for s in seats if s not in turn.choices]
        if missing:
            out.append(((*loc, "choices"), f"no choice for {', '.join(missing)}"))
        for k, adj in enumerate(turn.adjudicate):
            if adj.meter not in meters:
                out.append(((*loc, "adjudicate", k, "meter"), f"unknown meter {adj.meter!r}"))
        ex = turn.expect
        if ex is None:
            continue
        eloc = (*loc, "expect")
        for meter_id in ex.meters:
            if meter_id not in meters:
                out.append(((*eloc, "meters", meter_id), f"unknown meter {meter_id!r}"))
        for meter_id, band in ex.band.items():
            if meter_id not in meters:
                out.append(((*eloc, "band", meter_id), f"unknown meter {meter_id!r}"))
                continue
            names = [n for n, _ in meters[meter_id].band_bounds()]
            if band not in names:
                out.append(
                    (
                        (*eloc, "band", meter_id),
                        f"meter {meter_id} has no band {band!r} (bands: {', '.join(names)})",
                    )
                )
        if ex.card is not None:
            card((*eloc, "card"), ex.card)
        for key in ("queued", "played"):
            for k, card_id in enumerate(getattr(ex, key) or []):
                card((*eloc, key, k), card_id)
        for key, known_ids, what in (
            ("phase", {p.id for p in deck.phases}, "phase"),
            ("checkpoint", {e.id for e in deck.endings if e.checkpoint}, "checkpoint ending"),
        ):
            value = getattr(ex, key)
            if value is not None and value != NONE and value not in known_ids:
                out.append(((*eloc, key), f"unknown {what} {value!r}"))
        for key, known_ids, what in (
            ("flags", {f.id for f in deck.flags}, "flag"),
            ("fired", {r.id for r in deck.red_cell}, "red-cell rule"),
        ):
            for k, value in enumerate(getattr(ex, key) or []):
                if value not in known_ids:
                    out.append(((*eloc, key, k), f"unknown {what} {value!r}"))
        for res_id in ex.resources:
            if res_id not in {r.id for r in deck.resources}:
                out.append(((*eloc, "resources", res_id), f"unknown resource {res_id!r}"))
        if ex.ending is not None and ex.ending != NONE and ex.ending not in endings:
            known = ", ".join(sorted(endings)) or "none"
            out.append(((*eloc, "ending"), f"unknown ending {ex.ending!r} (endings: {known})"))
    return out
