"""The balance simulator: many whole games, headless, with scripted seat policies.

Each game is played through the engine's commands (draw, decide, resolve), so its state is
the fold of its events like any game's; a turn's decisions go in at once through the engine's fast
path (`rules.apply_decisions`, checked against the validated commands in
tests/test_engine_fastpath.py).

Policies (random, four scripted ones, and ``mixed``) are in `wargame.author.policies`.

Game *i* of a run with seed *S* takes all its randomness from a generator seeded with
("wargame-sim", S, i), so the report depends only on (deck, games, policy, seed): split the
games over any number of processes (`jobs`) and the merged report is identical. Every tally
is an integer until the report is built, so the merge order cannot change a float either.
"""

from __future__ import annotations

import multiprocessing
import random
import sys
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from wargame.author.policies import POLICIES, SCRIPTED, scripted_choice
from wargame.engine import crisis, rules
from wargame.model.deck import Deck
from wargame.model.game import (
    CheckpointReached,
    Event,
    FlagChanged,
    GameState,
    PhaseAdvanced,
    RedCellMoved,
    TurnResolved,
)

RUN_POLICIES = (*POLICIES, "mixed")
PINNED_SHARE = 0.5  # a meter ending at a bound in more games than this is a suspect
DIGITS = 4  # floats in the report are rounded to this many decimals

_DRAW = rules.Draw()
_RESOLVE = rules.Resolve()
_CONTINUE = rules.Continue(reason="simulated: continue past the checkpoint")
_SKIP = rules.Skip(reason="simulated: a seat has no option open")


@dataclass(frozen=True)
class _Plan:
    """Everything a worker needs, precomputed once: per policy, per card, per seat."""

    seats: tuple[str, ...]
    options: dict[str, dict[str, tuple[str, ...]]]  # card -> seat -> option ids
    picks: dict[str, dict[str, dict[str, str]]]  # scripted policy -> card -> seat -> option
    restricted: frozenset[tuple[str, str]]  # (card, seat) with options that may be unavailable

    @classmethod
    def of(cls, deck: Deck) -> _Plan:
        seats = deck.seat_ids()
        options = {
            c.id: {s: tuple(o.id for o in c.options_for(s)) for s in seats} for c in deck.cards
        }
        picks = {
            p: {c.id: {s: scripted_choice(deck, p, c.id, s) for s in seats} for c in deck.cards}
            for p in SCRIPTED
        }
        restricted = frozenset((c, s) for c, s, _ in crisis.restrictions(deck))
        return cls(seats, options, picks, restricted)


# --- playing ------------------------------------------------------------------------------


@dataclass
class Tally:
    """Integer tallies over a block of consecutive games; `merge` adds a later block."""

    outcomes: list[tuple[str, str | None, int]] = field(default_factory=list)  # per game
    finals: list[tuple[int, ...]] = field(default_factory=list)  # per game, deck meter order
    drawn: Counter[str] = field(default_factory=Counter)
    picks: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    effects: dict[tuple[str, str, str], Counter[str]] = field(default_factory=dict)
    # Schema 2, per game: phases reached, red-cell rules fired, flags set, checkpoints
    # reached and objectives exercised (each counted once a game); red-cell moves made.
    reached: Counter[str] = field(default_factory=Counter)
    fired: Counter[str] = field(default_factory=Counter)
    flagged: Counter[str] = field(default_factory=Counter)
    checkpoints: Counter[str] = field(default_factory=Counter)
    exercised: Counter[str] = field(default_factory=Counter)
    exercised_full: Counter[str] = field(default_factory=Counter)
    moves: list[int] = field(default_factory=list)
    actors: Counter[str] = field(default_factory=Counter)
    actor_sets: Counter[str] = field(default_factory=Counter)  # "China + North Korea"

    def merge(self, other: Tally) -> None:
        self.outcomes += other.outcomes
        self.finals += other.finals
        self.drawn.update(other.drawn)
        self.picks.update(other.picks)
        for key, sums in other.effects.items():
            self.effects.setdefault(key, Counter()).update(sums)
        for name in (
            "reached",
            "fired",
            "flagged",
            "checkpoints",
            "exercised",
            "exercised_full",
            "actors",
            "actor_sets",
        ):
            getattr(self, name).update(getattr(other, name))
        self.moves += other.moves


def game_rng(seed: int, index: int) -> random.Random:
    return random.Random(f"wargame-sim:{seed}:{index}")


def play_game(
    deck: Deck, plan: _Plan, seat_policy: dict[str, str], rng: random.Random, game_seed: int
) -> tuple[GameState, list[Event]]:
    """One whole game through the engine's commands: its final state and its log."""
    state, log = rules.start(deck, seed=game_seed)
    while state.phase != "ended":
        if state.checkpoint is not None:
            state, events = rules.apply(deck, state, _CONTINUE)  # to see what lies beyond
            log += events
            continue
        state, events = rules.apply(deck, state, _DRAW)
        log += events
        if state.phase == "ended":  # nothing left to draw
            break
        card = state.card
        assert card is not None
        choices = _choices(deck, plan, state, card, seat_policy, rng)
        if choices is None:  # a seat with no option open: the facilitator skips
            state, events = rules.apply(deck, state, _SKIP)
            log += events
            continue
        state, events = rules.apply_decisions(deck, state, choices)
        log += events
        state, events = rules.apply(deck, state, _RESOLVE)
        log += events
    return state, log


def play_games(deck: Deck, plan: _Plan, policy: str, seed: int, start: int, stop: int) -> Tally:
    """Play games `start..stop-1` of a run and tally them."""
    tally = Tally()
    meter_ids = [m.id for m in deck.meters]
    for index in range(start, stop):
        rng = game_rng(seed, index)
        game_seed = rng.getrandbits(32)
        if policy == "mixed":
            seat_policy = {s: rng.choice(POLICIES) for s in plan.seats}
        else:
            seat_policy = dict.fromkeys(plan.seats, policy)
        state, log = play_game(deck, plan, seat_policy, rng, game_seed)
        seen: set[tuple[str, str]] = set()
        if deck.phases:
            seen.add(("phase", deck.phases[0].id))
        moves = 0
        for ev in log:
            if type(ev) is TurnResolved:
                card = ev.card
                tally.drawn[card] += 1
                for seat, option in ev.choices.items():
                    tally.picks[(card, seat, option)] += 1
                for ch in ev.changes:
                    if ch.seat is not None and ch.option is not None:
                        key = (card, ch.seat, ch.option)
                        sums = tally.effects.get(key)
                        if sums is None:
                            sums = tally.effects[key] = Counter()
                        sums[ch.meter] += ch.delta
            elif type(ev) is RedCellMoved:
                moves += 1
                seen.add(("fired", ev.rule))
                seen.add(("actor", ev.actor))
            elif type(ev) is FlagChanged and ev.value:
                seen.add(("flag", ev.flag))
            elif type(ev) is PhaseAdvanced:
                seen.add(("phase", ev.phase))
            elif type(ev) is CheckpointReached:
                seen.add(("checkpoint", ev.ending))
        out = state.outcome
        assert out is not None
        tally.outcomes.append((out.reason, out.ending, out.turn))
        tally.moves.append(moves)
        counters = {
            "phase": tally.reached,
            "fired": tally.fired,
            "flag": tally.flagged,
            "checkpoint": tally.checkpoints,
            "actor": tally.actors,
        }
        for what, name in seen:
            counters[what][name] += 1
        if moves:
            tally.actor_sets[" + ".join(sorted(n for w, n in seen if w == "actor"))] += 1
        done = crisis.exercised(deck, state)
        tally.exercised.update(done)
        if out.reason == "turns":
            tally.exercised_full.update(done)
        tally.finals.append(tuple(state.meters[m] for m in meter_ids))
    return tally


def _choices(
    deck: Deck,
    plan: _Plan,
    state: GameState,
    card: str,
    seat_policy: dict[str, str],
    rng: random.Random,
) -> dict[str, str] | None:
    """Each seat's pick under its policy, among the options open to it now (None when a
    seat has none open)."""
    choices = {}
    for seat in plan.seats:
        p = seat_policy[seat]
        blocked: dict[str, str] = {}
        if (card, seat) in plan.restricted:
            blocked = crisis.unavailable(deck, state, deck.card(card), seat)
        if blocked:
            open_ = [o for o in plan.options[card][seat] if o not in blocked]
            if not open_:
                return None
            if p == "random":
                choices[seat] = rng.choice(open_)
            else:
                choices[seat] = scripted_choice(deck, p, card, seat, blocked)
        elif p == "random":
            choices[seat] = rng.choice(plan.options[card][seat])
        else:
            choices[seat] = plan.picks[p][card][seat]
    return choices


# Worker processes keep the deck and plan they were started with.
_worker: dict[str, Any] = {}


def _init_worker(deck: Deck, policy: str, seed: int) -> None:
    _worker.update(deck=deck, plan=_Plan.of(deck), policy=policy, seed=seed)


def _work(block: tuple[int, int]) -> Tally:
    w = _worker
    return play_games(w["deck"], w["plan"], w["policy"], w["seed"], *block)


def _blocks(games: int, jobs: int) -> list[tuple[int, int]]:
    size = max(1, min(250, games // (jobs * 8) or 1))
    return [(i, min(games, i + size)) for i in range(0, games, size)]


def run(
    deck: Deck,
    games: int,
    policy: str = "random",
    seed: int = 1,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Tally:
    """Play `games` games and return the merged tallies, in game order."""
    if policy not in RUN_POLICIES:
        raise ValueError(f"unknown policy {policy!r}; choose from {', '.join(RUN_POLICIES)}")
    if games < 1 or jobs < 1:
        raise ValueError("games and jobs must be at least 1")
    blocks = _blocks(games, jobs)
    total = Tally()
    if jobs == 1 or len(blocks) == 1:
        plan = _Plan.of(deck)
        for block in blocks:
            total.merge(play_games(deck, plan, policy, seed, *block))
            if progress:
                progress(block[1] - block[0])
        return total
    # Fork where it is the platform's own way (Linux): workers start at once and scripts
    # need no `if __name__ == "__main__"` guard. Callers must not run threads meanwhile
    # (the CLI's progress bar refreshes by hand). Elsewhere the platform default (spawn);
    # the deck pickles cheaply, its conditions rebuilt from their text.
    ctx = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=ctx, initializer=_init_worker, initargs=(deck, policy, seed)
    ) as pool:
        # map() yields in submission order, so the merge is in game order whatever finishes
        # first.
        for block, tally in zip(blocks, pool.map(_work, blocks), strict=True):
            total.merge(tally)
            if progress:
                progress(block[1] - block[0])
    return total


# --- the report ---------------------------------------------------------------------------


def _r(x: float) -> float:
    return round(float(x), DIGITS)


def quantile(sorted_values: list[int], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default, 'inclusive')."""
    if len(sorted_values) == 1:
        return float(sorted_values[0])
    pos = (len(sorted_values) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def summary(values: list[int]) -> dict[str, float]:
    s = sorted(values)
    return {
        "min": s[0],
        "q1": _r(quantile(s, 0.25)),
        "median": _r(quantile(s, 0.5)),
        "q3": _r(quantile(s, 0.75)),
        "max": s[-1],
        "mean": _r(sum(s) / len(s)),
    }


OUTCOME_LABELS = {"turns": "(last turn played)", "deck": "(deck exhausted)"}


def report(deck: Deck, tally: Tally, policy: str, seed: int) -> dict[str, Any]:
    """The report as plain data (JSON-ready, floats rounded): see `simulate`."""
    games = len(tally.outcomes)
    by_outcome: dict[tuple[str, str | None], list[int]] = {}
    for reason, ending, turn in tally.outcomes:
        by_outcome.setdefault((reason, ending), []).append(turn)
    outcomes = []
    for (reason, ending), turns in sorted(
        by_outcome.items(), key=lambda kv: (-len(kv[1]), kv[0][0], kv[0][1] or "")
    ):
        outcomes.append(
            {
                "outcome": ending if ending else OUTCOME_LABELS.get(reason, reason),
                "reason": reason,
                "ending": ending,
                "games": len(turns),
                "share": _r(len(turns) / games),
                "turn": summary(turns),
                "by_turn": {str(t): n for t, n in sorted(Counter(turns).items())},
            }
        )

    meters: dict[str, Any] = {}
    pinned = []
    for i, m in enumerate(deck.meters):
        values = [f[i] for f in tally.finals]
        at_min = sum(v == m.min for v in values) / games
        at_max = sum(v == m.max for v in values) / games
        meters[m.id] = {**summary(values), "at_min": _r(at_min), "at_max": _r(at_max)}
        for bound, share in (("min", at_min), ("max", at_max)):
            if share > PINNED_SHARE:
                pinned.append({"meter": m.id, "bound": bound, "share": _r(share)})

    cards = {
        c.id: {"drawn": tally.drawn[c.id], "share": _r(tally.drawn[c.id] / games)}
        for c in deck.cards
    }

    options = []
    never = []
    for c in deck.cards:
        faced = tally.drawn[c.id]
        for o in c.options:
            key = (c.id, o.seat, o.id)
            picks = tally.picks[key]
            sums = tally.effects.get(key, Counter())
            options.append(
                {
                    "card": c.id,
                    "seat": o.seat,
                    "option": o.id,
                    "faced": faced,
                    "picks": picks,
                    "rate": _r(picks / faced) if faced else 0.0,
                    "effect": {m: _r(v / picks) for m, v in sorted(sums.items())} if picks else {},
                }
            )
            if faced and not picks:
                never.append(f"{c.id}/{o.seat}/{o.id}")

    always = []
    plan = _Plan.of(deck)
    for c in deck.cards:
        for seat in deck.seat_ids():
            if len(c.options_for(seat)) < 2:
                continue
            chosen = {plan.picks[p][c.id][seat] for p in SCRIPTED}
            if len(chosen) == 1:
                always.append(f"{c.id}/{seat}/{chosen.pop()}")

    return {
        **_crisis_report(deck, tally),
        "run": {
            "deck": deck.id,
            "deck_hash": deck.content_hash,
            "games": games,
            "policy": policy,
            "seed": seed,
        },
        "outcomes": outcomes,
        "meters": meters,
        "cards": cards,
        "options": options,
        "suspects": {
            "cards_never_drawn": [c for c, v in cards.items() if v["drawn"] == 0],
            "options_always_chosen": always,
            # Under one scripted policy "never chosen" would only restate the policy.
            "options_never_chosen": never if policy in ("random", "mixed") else [],
            "meters_pinned": pinned,
        },
    }


def _crisis_report(deck: Deck, tally: Tally) -> dict[str, Any]:
    """The schema-2 parts of a report: shares of games (of full games, for objectives)."""
    games = len(tally.outcomes)
    full = sum(1 for reason, _, _ in tally.outcomes if reason == "turns")
    if not (deck.phases or deck.red_cell or deck.flags or deck.deck.objectives):
        return {}
    actors = dict.fromkeys(r.actor for r in deck.red_cell)
    return {
        "phases": {p.id: _r(tally.reached[p.id] / games) for p in deck.phases},
        "red_cell": {
            "moves_per_game": summary(tally.moves),
            "games_with_a_move": _r(sum(1 for n in tally.moves if n) / games),
            "rules": {r.id: _r(tally.fired[r.id] / games) for r in deck.red_cell},
            "actors": {a: _r(tally.actors[a] / games) for a in actors},
            "actor_sets": {k: _r(n / games) for k, n in sorted(tally.actor_sets.items())},
        },
        "flags": {f.id: _r(tally.flagged[f.id] / games) for f in deck.flags},
        "checkpoints": {
            e.id: _r(tally.checkpoints[e.id] / games) for e in deck.endings if e.checkpoint
        },
        "objectives": {
            o.id: {
                "games": _r(tally.exercised[o.id] / games),
                "full_games": _r(tally.exercised_full[o.id] / full) if full else 0.0,
            }
            for o in deck.deck.objectives
        },
        "full_games": full,
    }


def simulate(
    deck: Deck,
    games: int,
    policy: str = "random",
    seed: int = 1,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Play `games` games with `policy` and report, as JSON-ready data:

    - ``run``: deck id and hash, games, policy, seed;
    - ``outcomes``: each ending (or "turns"/"deck" for games that ran out), how many games
      and what share, and the turn it came on (min, quartiles, max, mean, and per turn);
    - ``meters``: each meter's final value over the games (min, quartiles, max, mean) and
      the share of games it ended at its min and at its max;
    - ``cards``: how many games drew each card;
    - ``options``: for each option, how often its card came up (``faced``), how often it
      was picked and at what rate, and its average change to each meter when picked (own
      and extra effects, before clamping; joint rules belong to no option);
    - schema 2 (when the deck has the parts): ``phases`` (share of games reaching each),
      ``red_cell`` (moves per game, share of games with a move, share firing each rule),
      ``flags`` (share of games setting each), ``checkpoints`` (share reaching each),
      ``objectives`` (share of games, and of full games, exercising each), ``full_games``;
    - ``suspects``: cards never drawn; options every scripted policy picks (the best by
      every yardstick); options never picked though their card came up (random and mixed
      runs only); meters ending at a bound in most games.
    """
    tally = run(deck, games, policy, seed, jobs, progress)
    return report(deck, tally, policy, seed)
