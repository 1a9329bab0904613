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

from collections.abc import Callable
from dataclasses import dataclass, field

from wargame.author.playtest_file import (
    DRAW,
    NONE,
    Expect,
    LoadedPlaytest,
    Playtest,
    line_of,
)
from wargame.author.playtest_file import load_playtest as load_playtest  # re-exported
from wargame.author.playtest_file import parse_playtest as parse_playtest  # re-exported
from wargame.engine import Continue, Game, IllegalCommand
from wargame.model.deck import Deck
from wargame.model.game import GameState

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
