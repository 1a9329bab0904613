"""Scripted playtests: a TOML file plays a game turn by turn and asserts what should follow.

A playtest pins a deck's behaviour the way a golden game does, but written by the author:
"if ROK offers a joint cell and Japan sends aircraft, ROK–Japan trust ends up 40–50 and the
cell is queued". Run them with `wargame playtest DECK FILE...`; the suite runs the default
deck's (`decks/playtests/*.toml`).

Format (every table refuses unknown keys)::

    title = "Joint evacuation builds trust"   # optional, shown in reports
    deck = "fault-lines"                      # optional: the deck id it is written for
    seed = 7                                  # required: seeds the random draws
    turns = 8                                 # optional: default the deck's
    mode = "open"                             # optional: "hotseat" (default) or "open"
    teams = { ROK = "Blue" }                  # optional team names

    [[turn]]                                  # one per turn, in order
    card = "neo-seoul"                        # a card id (facilitator pick) or "draw":
                                              #   the rules' next card (a queued follow-up,
                                              #   else the seeded random draw)
    notes = ["Seoul hesitates"]               # optional facilitator notes, after resolution
    adjudicate = [                            # optional, after resolution, in order
      { meter = "opinion.ROK", delta = -5, reason = "Protests in Gwanghwamun" },
    ]                                         #   (delta = change, or value = new value)

    [turn.choices]                            # every seat, by seat id
    US = "back-joint-cell"                    # an option id, or with a rationale:
    ROK = { option = "joint-cell", rationale = "Keep control of the airspace" }
    JPN = "sdf-airlift"

    [turn.expect]                             # optional; checked after this turn
    "trust.ROK-JPN" = [30, 50]                # a meter within low..high (inclusive),
    "opinion.ROK" = 44                        #   or exactly a value
    band."trust.US-ROK" = "steady"            # a meter's band
    card = "neo-seoul"                        # the card this turn revealed (for "draw")
    queued = ["neo-coordination-cell"]        # the follow-up queue, exactly, in order
    played = ["neo-seoul"]                    # every card resolved so far, exactly, in order
    ending = "none"                           # the deck ending that fired, or "none"
    reason = "none"                           # how the game ended: ending | turns | deck |
                                              #   facilitator, or "none" while it goes on
    phase = "crisis"                          # schema 2: the scenario's phase
    flags = ["gsomia-lapsed"]                 # the flags in force, exactly, in order set
    fired = ["china-probe"]                   # the red-cell rules fired so far, any order
    resources = { interceptors = [0, 1] }     # what is left of a resource
    checkpoint = "none"                       # the checkpoint the game waits at, or "none"

A turn with `continue = true` continues past the checkpoint its resolution reached (after
its checks), as the White Cell would.

A malformed file is reported like a deck error, `file:line: field: message`; a failed
assertion as `file:line: turn N (card): what: expected X, got Y`. Playing on after a
failure, the runner reports every failed assertion; an illegal move stops the playtest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
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

from wargame.engine import Continue, Game, IllegalCommand
from wargame.model.deck import Deck
from wargame.model.fields import MAX_TITLE, ONE_LINE_PATTERN, Id, Name, Text
from wargame.model.game import GameState, Mode
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


# --- running ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Failure:
    """One failed assertion (or an illegal move) at one turn of a playtest."""

    file: str
    line: int | None
    turn: int
    card: str | None
    what: str
    expected: str
    actual: str

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        on = f" ({self.card})" if self.card else ""
        return (
            f"{place}: turn {self.turn}{on}: {self.what}: "
            f"expected {self.expected}, got {self.actual}"
        )


@dataclass
class PlaytestResult:
    name: str
    game: Game
    turns: int = 0  # turns played
    checks: int = 0  # assertions checked
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _show_range(r: tuple[int, int]) -> str:
    return str(r[0]) if r[0] == r[1] else f"{r[0]}..{r[1]}"


def _show_list(items: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(items) + "]"


@dataclass
class _Reporter:
    """Records failures for the turn being played (its number, card and place in the file)."""

    result: PlaytestResult
    text: str
    turn: int = 0
    card: str | None = None
    loc: tuple = ()

    def fail(self, what: str, expected: str, actual: str, at: tuple = ()) -> None:
        line = line_of(self.text, at or self.loc)
        self.result.failures.append(
            Failure(self.result.name, line, self.turn, self.card, what, expected, actual)
        )


def run_playtest(deck: Deck, loaded: LoadedPlaytest | Playtest) -> PlaytestResult:
    """Play the script through the engine and check every assertion."""
    if isinstance(loaded, Playtest):
        loaded = LoadedPlaytest("<playtest>", "", loaded)
    pt = loaded.playtest
    game = Game.start(deck, seed=pt.seed, turns=pt.turns, mode=pt.mode, team_names=pt.teams)
    result = PlaytestResult(loaded.name, game)
    report = _Reporter(result, loaded.text)

    for i, turn in enumerate(pt.turn):
        report.loc = ("turn", i)
        report.turn = i + 1
        report.card = None if turn.card == DRAW else turn.card
        if game.state.ended:
            out = game.state.outcome
            assert out is not None
            report.fail("play", "the game to go on", f"it ended on turn {out.turn}: {out.title}")
            return result
        try:
            game.draw(report.card)
            report.card = game.state.card
            for seat in deck.seat_ids():
                choice = turn.choices[seat]
                game.decide(seat, choice.option, choice.rationale, entered_by="playtest")
            game.resolve()
            result.turns += 1
            for note in turn.notes:
                game.note(note)
            for adj in turn.adjudicate:
                game.adjudicate(adj.meter, adj.reason, delta=adj.delta, value=adj.value)
        except (IllegalCommand, KeyError) as exc:
            report.fail("play", "a legal move", str(exc).strip("'\""))
            return result
        if turn.expect is not None:
            result.checks += turn.expect.count()
            _check(deck, game, turn.expect, (*report.loc, "expect"), report.fail)
        if turn.continue_ and game.state.checkpoint is not None:
            game.apply(Continue(reason="playtest: continue"))
    return result


def _check(deck: Deck, game: Game, ex: Expect, loc: tuple, fail: Callable[..., None]) -> None:
    state = game.state
    if ex.card is not None and state.played[-1:] != (ex.card,):
        fail("card", ex.card, state.played[-1] if state.played else "no card", (*loc, "card"))
    for meter_id, r in ex.meters.items():
        value = state.meters[meter_id]
        if not r[0] <= value <= r[1]:
            fail(meter_id, _show_range(r), str(value), (*loc, meter_id))
    for meter_id, band in ex.band.items():
        value = state.meters[meter_id]
        actual = deck.meter(meter_id).band(value)
        if actual != band:
            fail(f"band of {meter_id}", band, f"{actual} ({value})", (*loc, "band"))
    if ex.queued is not None and list(state.queue) != ex.queued:
        fail("queued", _show_list(ex.queued), _show_list(state.queue), (*loc, "queued"))
    if ex.played is not None and list(state.played) != ex.played:
        fail("played", _show_list(ex.played), _show_list(state.played), (*loc, "played"))
    out = state.outcome
    if ex.ending is not None:
        actual = out.ending if out is not None and out.ending else NONE
        if actual != ex.ending:
            fail("ending", ex.ending, actual, (*loc, "ending"))
    if ex.reason is not None:
        actual = out.reason if out is not None else NONE
        if actual != ex.reason:
            fail("reason", ex.reason, actual, (*loc, "reason"))
    _check_crisis(state, ex, loc, fail)


def _check_crisis(state: GameState, ex: Expect, loc: tuple, fail: Callable[..., None]) -> None:
    """The schema-2 assertions: phase, flags, red-cell rules fired, resources, checkpoint."""
    if ex.phase is not None and state.scenario_phase != ex.phase:
        fail("phase", ex.phase, state.scenario_phase or NONE, (*loc, "phase"))
    if ex.flags is not None and list(state.flags) != ex.flags:
        fail("flags", _show_list(ex.flags), _show_list(state.flags), (*loc, "flags"))
    if ex.fired is not None and sorted(state.fired) != sorted(ex.fired):
        fail("fired", _show_list(ex.fired), _show_list(list(state.fired)), (*loc, "fired"))
    for res_id, r in ex.resources.items():
        left = state.resources.get(res_id, 0)
        if not r[0] <= left <= r[1]:
            fail(f"resource {res_id}", _show_range(r), str(left), (*loc, "resources"))
    if ex.checkpoint is not None and (state.checkpoint or NONE) != ex.checkpoint:
        fail("checkpoint", ex.checkpoint, state.checkpoint or NONE, (*loc, "checkpoint"))
