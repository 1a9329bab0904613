"""The schema-2 rules: phases, objectives in the draw, option availability and costs, flags,
red-cell moves and checkpoints. Pure, like `rules`, which calls in here at its few hooks.

Everything a deck declares is turned into plain tuples once per deck (in `deck.memo`), so
a turn only tests the conditions it must; a schema-1 deck, which declares none of it, pays
a dictionary lookup or two per command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wargame.engine import errors
from wargame.engine.conditions import Env
from wargame.engine.crisis_reducer import _reduce_flag, _reduce_red_cell, _reduce_spent
from wargame.model.condition import Fn
from wargame.model.deck import Card, Deck, Option
from wargame.model.game import (
    Change,
    CheckpointReached,
    Event,
    FlagChanged,
    GameState,
    MeterMove,
    RedCellMoved,
    ResourceSpent,
    TurnResolved,
    trusted,
    trusted_full,
)


def _memo(deck: Deck, key: str, make: Callable[[Deck], Any]) -> Any:
    value = deck.memo.get(key)
    if value is None:
        value = deck.memo[key] = make(deck)
    return value


def initial_fields(deck: Deck) -> dict[str, Any]:
    """The schema-2 fields of a new game's state."""
    return {
        "scenario_phase": deck.phases[0].id if deck.phases else None,
        "phase_turn": 1,
        "flags": (),
        "resources": {r.id: r.start for r in deck.resources},
        "fired": {},
        "checkpoint": None,
        "passed": (),
    }


# --- the draw ------------------------------------------------------------------------------


def _phase_pools(deck: Deck) -> dict[str, frozenset[str]]:
    pools = {}
    for phase in deck.phases:
        if not (phase.categories or phase.tags or phase.cards):
            pools[phase.id] = frozenset(c.id for c in deck.cards)
            continue
        cats, tags, ids = set(phase.categories), set(phase.tags), set(phase.cards)
        pools[phase.id] = frozenset(
            c.id for c in deck.cards if c.category in cats or c.id in ids or tags & set(c.tags)
        )
    return pools


def phase_pool(deck: Deck, phase_id: str) -> frozenset[str]:
    """The ids of the cards in a phase's pool."""
    return _memo(deck, "crisis.pools", _phase_pools)[phase_id]


def _card_objectives(deck: Deck) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """Each card's objectives, and the objectives some randomly drawable card exercises."""
    of = {c.id: frozenset(c.objectives) for c in deck.cards if c.objectives}
    drawable = frozenset(o for c in deck.random_pool() for o in c.objectives)
    return of, drawable


def exercised(deck: Deck, state: GameState) -> frozenset[str]:
    """The objectives the cards resolved so far have exercised."""
    of, _ = _memo(deck, "crisis.objectives", _card_objectives)
    return frozenset(o for card in state.played for o in of.get(card, ()))


def _missing(deck: Deck, state: GameState) -> frozenset[str]:
    """The objectives not yet exercised, when they are as many as the turns left (this one
    included): then the draw must favour them. Empty otherwise."""
    _, drawable = _memo(deck, "crisis.objectives", _card_objectives)
    left = state.turns - state.turn + 1
    if len(drawable) < left:  # the missing are some of these: too few, whatever was played
        return frozenset()
    missing = drawable - exercised(deck, state)
    return missing if len(missing) >= left else frozenset()


def draw_candidates(
    deck: Deck, state: GameState, cards: list[Card], weights: list[float]
) -> tuple[list[Card], list[float]]:
    """The random draw's candidates among the drawable `cards`: the phase's pool (all of
    them when none of the pool can be drawn); and when the objectives are urgent, only the
    cards that exercise a missing one — from the pool if it has one, else from all."""
    if state.scenario_phase is None and not _memo(deck, "crisis.objectives", _card_objectives)[1]:
        return cards, weights
    narrowed, nweights = cards, weights
    if state.scenario_phase is not None:
        pool = phase_pool(deck, state.scenario_phase)
        inside = [i for i, c in enumerate(cards) if c.id in pool]
        if inside and len(inside) < len(cards):
            narrowed, nweights = [cards[i] for i in inside], [weights[i] for i in inside]
    missing = _missing(deck, state)
    if not missing:
        return narrowed, nweights
    of, _ = _memo(deck, "crisis.objectives", _card_objectives)
    for among, ws in ((narrowed, nweights), (cards, weights)):
        hits = [i for i, c in enumerate(among) if of.get(c.id, frozenset()) & missing]
        if hits:
            return [among[i] for i in hits], [ws[i] for i in hits]
    return narrowed, nweights


# --- option availability ---------------------------------------------------------------------

_Restriction = tuple[Fn | None, Fn | None, str, tuple[tuple[str, int], ...]]


def restrictions(deck: Deck) -> dict[tuple[str, str, str], _Restriction]:
    """(card, seat, option) -> its availability rules, for the options that have any."""
    return _memo(deck, "crisis.restrictions", _restrictions)


def _restrictions(deck: Deck) -> dict[tuple[str, str, str], _Restriction]:
    out = {}
    for card in deck.cards:
        for o in card.options:
            if o.requires is not None or o.unavailable_when is not None or o.cost:
                out[card.id, o.seat, o.id] = (
                    o.requires.fn if o.requires is not None else None,
                    o.unavailable_when.fn if o.unavailable_when is not None else None,
                    o.unavailable_reason,
                    tuple(o.cost.items()),
                )
    return out


def why_unavailable(deck: Deck, state: GameState, card_id: str, seat: str, option: str) -> str:
    """Why an option cannot be chosen now ("" when it can)."""
    rule = restrictions(deck).get((card_id, seat, option))
    return "" if rule is None else _why(deck, state, Env(deck, state), rule)


def _why(deck: Deck, state: GameState, env: Env, rule: _Restriction) -> str:
    requires, blocked, reason, cost = rule
    if (requires is not None and not requires(env)) or (blocked is not None and blocked(env)):
        return reason or "not available now"
    for res_id, amount in cost:
        left = state.resources.get(res_id, 0)
        if left < amount:
            label = next(r.label for r in deck.resources if r.id == res_id)
            return reason or f"needs {amount} {label}; {left} left"
    return ""


def _seat_options(
    deck: Deck, card: Card, seat: str
) -> tuple[tuple[Option, ...], tuple[tuple[str, _Restriction], ...]]:
    """A seat's options on a card, and (option, its rules) for those with any: per deck."""
    key = ("crisis.seat_options", card.id, seat)
    entry = deck.memo.get(key)
    if entry is None or entry[0] is not card:
        rules = restrictions(deck)
        options = tuple(card.options_for(seat))
        restricted = tuple(
            (o.id, rules[card.id, seat, o.id]) for o in options if (card.id, seat, o.id) in rules
        )
        entry = (card, options, restricted)
        if deck.has_card(card.id) and deck.card(card.id) is card:  # not a changed copy
            deck.memo[key] = entry
    return entry[1], entry[2]


def unavailable(deck: Deck, state: GameState, card: Card, seat: str) -> dict[str, str]:
    """The options of a seat on a card that cannot be chosen now, each with why."""
    _, restricted = _seat_options(deck, card, seat)
    out = {}
    if restricted:
        env = Env(deck, state)
        for option, rule in restricted:
            why = _why(deck, state, env, rule)
            if why:
                out[option] = why
    return out


def open_options(deck: Deck, state: GameState, card: Card, seat: str) -> list[Option]:
    """The options of a seat on a card that can be chosen now, in the card's order."""
    options, restricted = _seat_options(deck, card, seat)
    if not restricted:
        return list(options)
    closed = unavailable(deck, state, card, seat)
    return [o for o in options if o.id not in closed]


def check_available(deck: Deck, state: GameState, card_id: str, seat: str, option: str) -> None:
    rules = deck.memo.get("crisis.restrictions")
    if rules is None:
        rules = restrictions(deck)
    if not rules or (card_id, seat, option) not in rules:
        return
    why = why_unavailable(deck, state, card_id, seat, option)
    if why:
        raise errors.OptionUnavailable(f"{seat} cannot choose {option!r} now: {why}")


# --- after a resolution: flags, costs, red cell -----------------------------------------------

_FlagRule = tuple[Fn | None, tuple[tuple[str, bool], ...], str, str | None, str]


def _ops(rule: Any) -> tuple[tuple[str, bool], ...]:
    return (*((f, True) for f in rule.set_flags), *((f, False) for f in rule.clear_flags))


def _flag_rules(deck: Deck, card: Card, choices: dict[str, str]) -> tuple[_FlagRule, ...]:
    """The rules of one resolution that set or clear flags, in resolution order."""
    own: list[_FlagRule] = []
    extras: list[_FlagRule] = []
    for seat, option in choices.items():
        opt = deck.option(card.id, seat, option)
        assert opt is not None
        if opt.set_flags or opt.clear_flags:
            own.append((None, _ops(opt), "option", seat, opt.explain or opt.label))
        for x in opt.extra:
            if x.set_flags or x.clear_flags:
                extras.append((x.when.fn, _ops(x), "extra", seat, x.explain))
    joint = [
        (j.when.fn, _ops(j), "joint", None, j.explain)
        for j in card.joint
        if j.set_flags or j.clear_flags
    ]
    return (*own, *extras, *joint)


def _resolution_plan(
    deck: Deck, card: Card, choices: dict[str, str]
) -> tuple[tuple[_FlagRule, ...], tuple[tuple[Option, str, int], ...]]:
    """Per card and choices, built once: the rules with flags, and the costs to spend."""
    costs = []
    for seat, option in choices.items():
        opt = deck.option(card.id, seat, option)
        if opt is not None:
            costs += [(opt, res_id, amount) for res_id, amount in opt.cost.items()]
    return _flag_rules(deck, card, choices), tuple(costs)


def _has_crisis(deck: Deck) -> bool:
    return bool(deck.flags or deck.resources or deck.red_cell)


class _RedCellRule:
    """A red-cell rule as the loop after every resolution reads it, built once per deck: its
    changes (frozen, so shared by every move it makes) and its meters in deck order."""

    __slots__ = ("id", "once", "cooldown", "fn", "rule", "ops", "changes", "meters")

    def __init__(self, deck: Deck, rule: Any) -> None:
        self.id, self.once, self.cooldown, self.fn, self.rule = (
            rule.id,
            rule.once,
            rule.cooldown,
            rule.when.fn,
            rule,
        )
        self.ops = _ops(rule)
        why = f"{rule.actor}: {rule.explain}"
        self.changes = tuple(
            trusted(Change, meter=m, delta=d, explain=why, rule="red-cell")
            for m, d in rule.effects.items()
        )
        self.meters = tuple(
            (m.id, rule.effects[m.id], m.min, m.max) for m in deck.meters if m.id in rule.effects
        )


def _red_cell_rules(deck: Deck) -> tuple[_RedCellRule, ...]:
    return tuple(_RedCellRule(deck, rule) for rule in deck.red_cell)


def after_resolution(
    deck: Deck, before: GameState, resolved: TurnResolved, state: GameState, at: str | None
) -> tuple[GameState, list[Event]]:
    """The flags a resolution sets and clears, what its options spend, and the red cell's
    moves on the state it left: each event folded as it is made."""
    memo = deck.memo
    red_cell = memo.get("crisis.red_cell")
    if red_cell is None:
        if not _memo(deck, "crisis.any", _has_crisis):
            return state, []
        red_cell = memo["crisis.red_cell"] = _red_cell_rules(deck)
    events: list[Event] = []
    turn = resolved.turn
    key = ("crisis.flags", resolved.card, *resolved.choices.values())
    plan = memo.get(key)
    if plan is None:
        plan = memo[key] = _resolution_plan(deck, deck.card(resolved.card), resolved.choices)
    rules, costs = plan
    if rules:
        env = Env(deck, before, resolved.choices)
        for fn, ops, source, seat, explain in rules:
            if fn is None or fn(env):
                for flag, value in ops:
                    if (flag in state.flags) != value:
                        ev = _flag(state, at, turn, flag, value, source, explain, seat, None)
                        events.append(ev)
                        state = _reduce_flag(state, ev)
    for opt, res_id, amount in costs:
        left = state.resources.get(res_id, 0)
        spent = min(left, amount)
        if spent:
            paid = _spent(state, at, turn, res_id, opt, spent, left)
            events.append(paid)
            state = _reduce_spent(state, paid)
    seen: Env | None = None  # one environment while no move changes the state
    for red in red_cell:
        last = state.fired.get(red.id)
        if last is not None and (red.once or turn - last < red.cooldown):
            continue
        if seen is None:
            seen = Env(deck, state)
            seen.turn = turn  # as endings do: the turn just resolved
        if not red.fn(seen):
            continue
        moved = _red_cell_move(state, at, turn, red)
        events.append(moved)
        state = _reduce_red_cell(state, moved)
        for flag, value in red.ops:
            if (flag in state.flags) != value:
                by = _flag(state, at, turn, flag, value, "red-cell", red.rule.explain, None, red.id)
                events.append(by)
                state = _reduce_flag(state, by)
        seen = None
    return state, events


def _flag(
    state: GameState,
    at: str | None,
    turn: int,
    flag: str,
    value: bool,
    source: str,
    explain: str,
    seat: str | None,
    rule: str | None,
) -> FlagChanged:
    return trusted(
        FlagChanged,
        seq=state.seq + 1,
        at=at,
        turn=turn,
        flag=flag,
        value=value,
        source=source,
        explain=explain,
        seat=seat,
        rule=rule,
    )


def _spent(
    state: GameState, at: str | None, turn: int, res_id: str, opt: Option, spent: int, left: int
) -> ResourceSpent:
    return trusted(
        ResourceSpent,
        seq=state.seq + 1,
        at=at,
        turn=turn,
        resource=res_id,
        seat=opt.seat,
        option=opt.id,
        amount=spent,
        before=left,
        after=left - spent,
    )


def _red_cell_move(state: GameState, at: str | None, turn: int, red: _RedCellRule) -> RedCellMoved:
    rule = red.rule
    meters = state.meters
    moves = []
    for meter, delta, low, high in red.meters:
        before = meters[meter]
        raw = before + delta
        after = high if raw > high else low if raw < low else raw
        moves.append(
            trusted_full(
                MeterMove,
                {"meter": meter, "before": before, "after": after, "clamped": after != raw},
            )
        )
    card = rule.card
    if card is not None and (card in state.used or (card in state.queue and not rule.force)):
        card = None
    if card is not None and card == state.card:
        card = None
    return trusted(
        RedCellMoved,
        seq=state.seq + 1,
        at=at,
        turn=turn,
        rule=rule.id,
        actor=rule.actor,
        explain=rule.explain,
        changes=list(red.changes),
        moves=moves,
        card=card,
        force=rule.force and card is not None,
    )


def checkpoint_reached(
    state: GameState, at: str | None, turn: int, ending: Any
) -> CheckpointReached:
    """The game pauses at a checkpoint ending (see `scenario`)."""
    return trusted(
        CheckpointReached,
        seq=state.seq + 1,
        at=at,
        turn=turn,
        ending=ending.id,
        title=ending.title,
        text=ending.text,
    )


# --- queries for the shells -------------------------------------------------------------------


def briefing(deck: Deck, state: GameState, card: Card) -> str:
    """The card's briefing with the paragraphs of its `briefing_if` that hold now."""
    if not card.briefing_if:
        return card.briefing
    env = Env(deck, state)
    extra = [b.text for b in card.briefing_if if b.when.fn(env)]
    return "\n\n".join([card.briefing, *extra])


def private_objectives(deck: Deck, state: GameState) -> list[tuple[str, str, bool]]:
    """Each seat's private objective as (seat, text, met now), in seat order."""
    env = Env(deck, state)
    return [
        (s.id, s.private_objective.text, bool(s.private_objective.when.fn(env)))
        for s in deck.seats
        if s.private_objective is not None
    ]


def label_of(items: Any, ident: str) -> str:
    """The label (or title) of the deck item (flag, resource, phase, ending) with this id,
    else the id."""
    for item in items:
        if item.id == ident:
            return str(getattr(item, "label", None) or getattr(item, "title", ident))
    return ident


def phase_title(deck: Deck, state: GameState) -> str | None:
    i = deck.phase_index(state.scenario_phase)
    return deck.phases[i].title if i >= 0 else None
