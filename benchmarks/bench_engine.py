"""Engine: whole games of the default deck per second with random choices, one process,
against a hand-written loop playing the same games by the same rules on plain dicts (no
events, no checks, no undo) in the same run."""

from __future__ import annotations

import random
import sys
import time
from _random import Random as _Random
from bisect import bisect
from itertools import accumulate
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from common import print_table, row  # noqa: E402

from wargame.engine import Continue, Game, crisis  # noqa: E402
from wargame.model.deck import Deck  # noqa: E402
from wargame.store.decks import find_deck  # noqa: E402


def engine_game(deck: Deck, seed: int) -> Game:
    """One full game through the real engine (events, checks and all): random choices
    among the options open now, playing on past checkpoints."""
    rng = random.Random(seed)
    game = Game.start(deck, seed=seed)
    while not game.state.ended:
        if game.state.checkpoint is not None:
            game.apply(Continue())
            continue
        game.draw()
        card = game.card
        for seat in game.pending:
            game.decide(seat, rng.choice(crisis.open_options(deck, game.state, card, seat)).id)
        game.resolve()
    return game


def engine_games(deck: Deck, games: int) -> float:
    """Seconds for `games` full games through the real engine."""
    start = time.perf_counter()
    for seed in range(games):
        engine_game(deck, seed)
    return time.perf_counter() - start


class _Env:
    """What the deck's compiled conditions read (`wargame.engine.conditions.Env`), over the
    loop's own mutable dicts and sets."""

    __slots__ = (
        "turn",
        "meters",
        "choices",
        "played",
        "queue",
        "chosen",
        "flags",
        "phase",
        "resources",
        "fired",
        "bounds",
    )

    def band(self, meter: str) -> str:
        value, current = self.meters[meter], ""
        for name, low in self.bounds[meter]:
            if value >= low:
                current = name
        return current


def _ops(rule: Any) -> tuple[tuple[str, bool], ...]:
    return (*((f, True) for f in rule.set_flags), *((f, False) for f in rule.clear_flags))


class _Tables:
    """The deck as plain tuples and dicts, built once (as the engine builds its per-deck
    tables once)."""

    def __init__(self, deck: Deck) -> None:
        self.seats = deck.seat_ids()
        self.turns = deck.deck.turns
        self.starts = {m.id: m.start for m in deck.meters}
        self.bounds = {m.id: (m.min, m.max) for m in deck.meters}
        self.bands = {m.id: tuple(m.band_bounds()) for m in deck.meters}
        self.resources = {r.id: r.start for r in deck.resources}
        self.cards = {c.id: c for c in deck.cards}
        # Each card with its `when` as a function (None: always), as a loop would keep it.
        self.pool = tuple((c, c.when.fn if c.when else None) for c in deck.random_pool())
        self.options = {(c.id, s): tuple(c.options_for(s)) for c in deck.cards for s in self.seats}
        self.phases = [
            (p, frozenset(c.id for c in deck.cards if self._in_phase(p, c))) for p in deck.phases
        ]
        self.card_objectives = {c.id: frozenset(c.objectives) for c in deck.cards}
        self.aimed = frozenset(o for c in deck.random_pool() for o in c.objectives)
        self.red_cell = [(r, _ops(r)) for r in deck.red_cell]
        rules = [r for c in deck.cards for r in (*c.options, *c.joint)]
        rules += [x for c in deck.cards for o in c.options for x in o.extra]
        self.ops = {id(r): _ops(r) for r in rules}  # flags each set and clear
        self.endings = deck.endings

    @staticmethod
    def _in_phase(phase: Any, card: Any) -> bool:
        if not (phase.categories or phase.tags or phase.cards):
            return True
        return (
            card.category in phase.categories
            or card.id in phase.cards
            or bool(set(phase.tags) & set(card.tags))
        )


def _baseline_game(t: _Tables, seed: int) -> tuple[dict[str, int], list[str]]:
    """One game by the deck's rules (decks/README.md) on plain dicts, with the choices the
    engine loop makes: the final meters and the cards played."""
    rng = random.Random(seed)
    meters = dict(t.starts)
    resources = dict(t.resources)
    flags: set[str] = set()
    fired: dict[str, int] = {}
    played: list[str] = []
    used: set[str] = set()
    queue: list[str] = []
    chosen: set[tuple[str, str]] = set()
    passed: set[str] = set()
    phase_i, phase_turn, draws, turn = (0 if t.phases else -1), 1, 0, 1
    env = _Env()
    env.meters, env.played, env.queue, env.chosen = meters, played, queue, chosen
    env.flags, env.resources, env.fired, env.bounds = flags, resources, fired, t.bands
    env.choices = {}
    env.phase = t.phases[0][0].id if t.phases else None

    def holds(when: Any) -> bool:
        return when is None or bool(when.fn(env))

    def can_draw() -> bool:
        if any(c not in used and holds(t.cards[c].when) for c in queue):
            return True
        return any(c.id not in used and (fn is None or fn(env)) for c, fn in t.pool)

    def ending() -> Any:
        """After a resolution: an ending, a checkpoint (its id), else None."""
        for e in t.endings:
            if e.when.fn(env):
                if e.checkpoint:
                    if e.id in passed:
                        continue
                    return e.id
                return True
        if turn >= t.turns:
            return True
        env.turn = turn + 1
        drawable = can_draw()
        env.turn = turn
        return None if drawable else True

    while True:
        # The draw: a follow-up whose `when` holds, else a weighted random draw among the
        # cards whose `when` holds, narrowed to the phase's pool and to urgent objectives.
        env.turn = turn
        card = next((t.cards[c] for c in queue if c not in used and holds(t.cards[c].when)), None)
        if card is None:
            cards = [c for c, fn in t.pool if c.id not in used and (fn is None or fn(env))]
            if not cards:
                break
            narrowed = cards
            if phase_i >= 0:
                inside = [c for c in cards if c.id in t.phases[phase_i][1]]
                if inside and len(inside) < len(cards):
                    narrowed = inside
            if t.aimed:
                done = {o for c in played for o in t.card_objectives[c]}
                missing = t.aimed - done
                if missing and len(missing) >= t.turns - turn + 1:
                    for among in (narrowed, cards):
                        hits = [c for c in among if t.card_objectives[c.id] & missing]
                        if hits:
                            narrowed = hits
                            break
            # `random.Random(...).choices(narrowed, weights)[0]`, with the generator seeded
            # once, as the engine draws.
            cum = list(accumulate(c.weight for c in narrowed))
            x = _Random(seed * 1_000_003 + draws).random() * cum[-1]
            card = narrowed[bisect(cum, x, 0, len(narrowed) - 1)]
            draws += 1
        if card.id in queue:
            queue.remove(card.id)
        used.add(card.id)
        # Each seat chooses among its options open now.
        options = []
        for seat in t.seats:
            open_now = [
                o
                for o in t.options[card.id, seat]
                if holds(o.requires)
                and not (o.unavailable_when is not None and o.unavailable_when.fn(env))
                and all(resources.get(r, 0) >= n for r, n in o.cost.items())
            ]
            options.append(rng.choice(open_now))
        # The resolution: own effects, extras, joint rules, tested on the state before it;
        # summed, clamped once; follow-ups queued; then flags and costs.
        env.choices = {o.seat: o.id for o in options}
        totals: dict[str, int] = {}
        followups: list[str] = []
        flag_ops: list[tuple[str, bool]] = []
        rules = [(o, o) for o in options]
        rules += [(x, None) for o in options for x in o.extra if x.when.fn(env)]
        rules += [(j, None) for j in card.joint if j.when.fn(env)]
        for rule, _ in rules:
            for m, d in rule.effects.items():
                totals[m] = totals.get(m, 0) + d
            followups += rule.followups
            flag_ops += t.ops[id(rule)]
        for m, d in totals.items():
            low, high = t.bounds[m]
            meters[m] = min(high, max(low, meters[m] + d))
        played.append(card.id)
        chosen.update(env.choices.items())
        for f in followups:
            if f not in used and f not in queue and f != card.id:
                queue.append(f)
        env.choices = {}
        for flag, value in flag_ops:
            flags.add(flag) if value else flags.discard(flag)
        for o in options:
            for r, n in o.cost.items():
                resources[r] = resources.get(r, 0) - min(resources.get(r, 0), n)
        # The red cell, each rule on the state the earlier ones left.
        for rule, ops in t.red_cell:
            last = fired.get(rule.id)
            if last is not None and (rule.once or turn - last < rule.cooldown):
                continue
            if not rule.when.fn(env):
                continue
            fired[rule.id] = turn
            for m, d in rule.effects.items():
                low, high = t.bounds[m]
                meters[m] = min(high, max(low, meters[m] + d))
            c = rule.card
            if c is not None and c not in used and (c not in queue or rule.force):
                if c in queue:
                    queue.remove(c)
                queue.insert(0, c) if rule.force else queue.append(c)
            for flag, value in ops:
                flags.add(flag) if value else flags.discard(flag)
        # The ending or checkpoint, the phase's advance, and continuing past checkpoints.
        end = ending()
        if end is True:
            break
        if phase_i >= 0 and phase_i + 1 < len(t.phases):
            phase = t.phases[phase_i][0]
            if (phase.turns is not None and turn - phase_turn + 1 >= phase.turns) or (
                phase.advance_when is not None and phase.advance_when.fn(env)
            ):
                phase_i, phase_turn = phase_i + 1, turn + 1
                env.phase = t.phases[phase_i][0].id
        while end is not None and end is not True:
            passed.add(end)
            end = ending()
        if end is True:
            break
        turn += 1
    return meters, played


def baseline_games(deck: Deck, games: int) -> float:
    """Seconds for the same games played by `_baseline_game`: the same turns, draws,
    choices, conditions, effects, flags, costs, red-cell moves, endings and phases."""
    tables = _Tables(deck)
    start = time.perf_counter()
    for seed in range(games):
        _baseline_game(tables, seed)
    return time.perf_counter() - start


def check_same_games(deck: Deck, games: int) -> None:
    """The baseline plays exactly the engine's games (same cards, same final meters), so
    the ratio compares the same work; `AssertionError` naming the first seed if not."""
    tables = _Tables(deck)
    for seed in range(games):
        game = engine_game(deck, seed)
        meters, played = _baseline_game(tables, seed)
        assert (meters, played) == (game.state.meters, list(game.state.played)), seed


def _measure(deck: Deck, games: int, name: str) -> list[str]:
    check_same_games(deck, 20)
    engine_games(deck, 50)  # warm up
    ours = min(engine_games(deck, games) for _ in range(3))
    base = min(baseline_games(deck, games) for _ in range(3))
    return row(
        name,
        f"{games / ours:,.0f} games/s",
        f"{games / base:,.0f} games/s",
        ours / base,
        "≥ 2,000 games/s, ≤ 3×",
        games / ours >= 2000 and ours / base <= 3,
    )


def measure(games: int = 2000) -> list[str]:
    """The default deck: schema 2, with phases, flags, red cell, resources, checkpoints."""
    deck, _ = find_deck(None)
    return _measure(deck, games, "engine (games/s, 1 process)")


def measure_crisis(games: int = 2000) -> list[str]:
    """The same on tests/data/crisis.toml: phases, flags, a resource, red-cell rules."""
    from wargame.store.decks import load_deck

    deck = load_deck(Path(__file__).parent.parent / "tests" / "data" / "crisis.toml")
    return _measure(deck, games, "engine, schema-2 test deck (games/s)")


if __name__ == "__main__":
    print_table([measure(), measure_crisis()])
