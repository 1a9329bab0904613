"""The pure rules: commands in, events out, and the reducer that folds events into state.

`apply(deck, state, command)` checks a command against the rules, produces its events,
and folds them into the new state with `reduce` — the same reducer `fold` uses to rebuild
a state from a log, so a state is by construction the fold of its events.

Resolution order (documented for deck authors; see decks/README.md):

1. every seat's chosen option, in the deck's seat order: its own effects;
2. then, in the same order, each option's `extra` effects whose condition holds;
3. then each of the card's `joint` rules whose condition holds, in listing order.

All conditions are tested against the state *before* resolution, so choices are truly
simultaneous. The changes to each meter are summed and the total is clamped once to the
meter's bounds. Follow-ups are queued in the same order. Endings are tested after the
resolution, in deck order; the first that holds ends the game.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable, Sequence
from itertools import accumulate
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from wargame.engine import crisis, errors
from wargame.engine.conditions import Env, holds
from wargame.model.condition import Fn, reads
from wargame.model.deck import Card, Deck
from wargame.model.game import (
    Adjudicated,
    CardDrawn,
    CardSkipped,
    Change,
    CheckpointReached,
    DecisionMade,
    Event,
    GameEnded,
    GameStarted,
    GameState,
    HotwashAdded,
    HotwashKind,
    MeterMove,
    Mode,
    NoteAdded,
    Outcome,
    TimerChanged,
    TurnResolved,
    Undone,
    UndoPoint,
    evolve,
    trusted,
    trusted_full,
)

MAX_TEXT = 20_000


# --- commands ---------------------------------------------------------------------------


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    at: str | None = None  # time stamp from the shell, copied onto the events


class Draw(Command):
    """Reveal the next card: the facilitator's pick, else a queued follow-up, else a
    weighted random draw among cards whose `when` holds."""

    card: str | None = None


class Skip(Command):
    reason: str = ""


class Decide(Command):
    seat: str
    option: str
    rationale: str = ""
    seconds: float | None = None
    entered_by: str = ""


class Resolve(Command):
    pass


class Adjudicate(Command):
    meter: str
    delta: int | None = None
    value: int | None = None
    reason: str


class Undo(Command):
    pass


class Note(Command):
    text: str


class Timer(Command):
    action: Literal["pause", "resume", "extend"]
    seconds: int = 0


class Hotwash(Command):
    entry: HotwashKind
    text: str
    seat: str | None = None
    card: str | None = None
    objective: str | None = None


class End(Command):
    reason: str = ""


class AdvancePhase(Command):
    """The facilitator moves the scenario on to its next phase (between cards)."""


class Continue(Command):
    """The facilitator continues past the checkpoint the game is paused at."""

    reason: str = ""


# --- queries ----------------------------------------------------------------------------


def seat_name(deck: Deck, state: GameState, seat: str) -> str:
    if seat in state.team_names:
        return state.team_names[seat]
    for s in deck.seats:
        if s.id == seat:
            return s.name
    return seat


def current_card(deck: Deck, state: GameState) -> Card | None:
    return deck.card(state.card) if state.card else None


def pending_seats(deck: Deck, state: GameState) -> list[str]:
    """Seats that still have to decide on the current card, in seat order."""
    if state.phase != "deciding":
        return []
    decisions = state.decisions
    if not decisions:
        return list(deck.seat_ids())
    return [s for s in deck.seat_ids() if s not in decisions]


class _Pool:
    """The random pool on one turn, built once per deck and turn: cards and weights in deck
    order, each card's position, and (position, condition) of the cards whose `when` is left
    to test. A `when` that reads nothing but the turn is tested here, once."""

    __slots__ = ("cards", "weights", "index", "conditional", "entries")

    def __init__(self, deck: Deck, turn: int) -> None:
        entries = []
        for card in deck.random_pool():
            when = card.when
            fn = None if when is None else when.fn
            if when is not None and fn is not None and reads(when.tree) <= {"turn"}:
                if not fn(_TurnOnly(turn)):
                    continue
                fn = None
            entries.append((card.id, card, fn))
        self.entries: tuple[tuple[str, Card, Fn | None], ...] = tuple(entries)
        self.cards = tuple(card for _, card, _ in entries)
        self.weights = tuple(card.weight for card in self.cards)
        self.index = {card_id: i for i, (card_id, _, _) in enumerate(entries)}
        self.conditional = tuple((i, fn) for i, (_, _, fn) in enumerate(entries) if fn)


class _TurnOnly:
    """The environment of a condition that reads nothing but the turn."""

    __slots__ = ("turn",)

    def __init__(self, turn: int) -> None:
        self.turn = turn


def _pool_at(deck: Deck, turn: int) -> _Pool:
    pool = deck.memo.get(("engine.pool", turn))
    if pool is None:
        pool = deck.memo["engine.pool", turn] = _Pool(deck, turn)
    return pool


def _drawable(deck: Deck, state: GameState) -> tuple[list[Card], list[float]]:
    """The cards a random draw may reveal now, and their weights."""
    pool = _pool_at(deck, state.turn)
    index = pool.index
    drop = [i for card_id in state.used if (i := index.get(card_id)) is not None]
    env = None
    for i, fn in pool.conditional:
        if i not in drop:
            if env is None:
                env = Env(deck, state)
            if not fn(env):
                drop.append(i)
    cards, weights = list(pool.cards), list(pool.weights)
    for i in sorted(drop, reverse=True):
        del cards[i], weights[i]
    return cards, weights


def drawable(deck: Deck, state: GameState) -> list[Card]:
    """Cards a random draw may reveal now (the facilitator may pick any unused card)."""
    return _drawable(deck, state)[0]


def next_followup(deck: Deck, state: GameState) -> Card | None:
    for card_id in state.queue:
        card = deck.card(card_id)
        if card_id not in state.used and holds(card.when, deck, state):
            return card
    return None


def can_draw(deck: Deck, state: GameState) -> bool:
    if state.queue and next_followup(deck, state) is not None:
        return True
    used = state.used
    env = None
    for card_id, _, fn in _pool_at(deck, state.turn).entries:
        if card_id in used:
            continue
        if fn is None:
            return True
        if env is None:
            env = Env(deck, state)
        if fn(env):
            return True
    return False


def legal(deck: Deck, state: GameState) -> set[str]:
    """Names of the commands the rules accept now; the UI offers only these."""
    if state.phase == "ended":
        allowed = {"note", "hotwash"}
        if state.undo_stack and state.outcome and state.outcome.reason != "facilitator":
            allowed.add("undo")
        return allowed
    allowed = {"note", "timer", "end", "adjudicate"}
    if state.undo_stack:
        allowed.add("undo")
    if state.checkpoint is not None:
        return allowed | {"continue"}
    if state.phase == "draw" and 0 <= deck.phase_index(state.scenario_phase) < len(deck.phases) - 1:
        allowed.add("advance")
    if state.phase == "draw":
        if any(c.id not in state.used for c in deck.cards):
            allowed.add("draw")
    else:
        allowed |= {"skip"}
        if pending_seats(deck, state):
            allowed.add("decide")
        else:
            allowed.add("resolve")
    return allowed


# --- start ------------------------------------------------------------------------------


def initial_state(deck: Deck, started: GameStarted) -> GameState:
    # Built from a validated start event and a checked deck: nothing left to validate. Every
    # field is given, so `evolve` never has to add to the set of fields given.
    return trusted(
        GameState,
        deck_id=started.deck_id,
        deck_hash=started.deck_hash,
        seed=started.seed,
        turns=started.turns,
        mode=started.mode,
        team_names=dict(started.team_names),
        seq=started.seq,
        turn=1,
        phase="draw",
        card=None,
        draws=0,
        decisions={},
        meters={m.id: m.start for m in deck.meters},
        used=(),
        played=(),
        chosen=(),
        queue=(),
        timer_paused=False,
        timer_extra=0,
        outcome=None,
        undo_stack=(),
        **crisis.initial_fields(deck),
    )


def start(
    deck: Deck,
    seed: int = 0,
    turns: int | None = None,
    mode: Mode = "hotseat",
    team_names: dict[str, str] | None = None,
    at: str | None = None,
) -> tuple[GameState, list[Event]]:
    """A new game on `deck`: the starting state and its first event."""
    names = {k: v.strip() for k, v in (team_names or {}).items() if v and v.strip()}
    for seat in names:
        if seat not in deck.seat_ids():
            raise errors.UnknownId(f"unknown seat {seat!r}; seats are {', '.join(deck.seat_ids())}")
    n = deck.deck.turns if turns is None else turns
    if not 1 <= n <= 200:
        raise errors.IllegalCommand(f"turns must be between 1 and 200, not {n}")
    started = GameStarted(
        seq=1,
        at=at,
        deck_id=deck.id,
        deck_hash=deck.content_hash,
        seed=seed,
        turns=n,
        mode=mode,
        team_names=names,
    )
    return initial_state(deck, started), [started]


# --- apply ------------------------------------------------------------------------------


def apply(deck: Deck, state: GameState, command: Command) -> tuple[GameState, list[Event]]:
    """Run one command: the new state and the events it produced, or a typed error."""
    make = _HANDLERS.get(type(command))
    if make is None:
        raise errors.IllegalCommand(f"unknown command {type(command).__name__}")
    if state.phase == "ended" and not isinstance(command, Note | Hotwash | Undo):
        raise errors.GameOver("the game has ended")
    if type(command) is Resolve:
        return _resolve(deck, state, command)
    if type(command) is Continue:
        return _continue(deck, state, command)
    # Every other command makes one event, numbered and stamped by its handler.
    ev: Event = make(deck, state, command)
    return reduce(deck, state, ev), [ev]


# The fields a validated event of each kind counts as given: shared by the hot events the
# engine builds itself (frozen models never change their set).
_DRAWN_SET = {"seq", "at", "turn", "card", "source"}
_DECIDED_SET = {"seq", "at", "turn", "card", "seat", "option", "rationale", "seconds", "entered_by"}
_RESOLVED_SET = {"seq", "at", "kind", "turn", "card", "choices", "changes", "moves", "followups"}
_MOVE_SET = {"meter", "before", "after", "clamped"}


def _draw(deck: Deck, state: GameState, cmd: Draw) -> Event:
    if state.phase != "draw":
        raise errors.WrongPhase(
            f"card {state.card!r} is already on the table; resolve or skip it first"
        )
    if state.checkpoint is not None:
        raise errors.WrongPhase(
            f"the game is paused at checkpoint {state.checkpoint!r}; continue or end it"
        )
    turn = len(state.played) + 1
    if cmd.card is not None:
        if not deck.has_card(cmd.card):
            raise errors.UnknownId(f"unknown card {cmd.card!r}")
        if cmd.card in state.used:
            raise errors.IllegalCommand(f"card {cmd.card!r} has already been used this game")
        card_id, source = cmd.card, "facilitator"
    else:
        followup = next_followup(deck, state) if state.queue else None
        if followup is not None:
            card_id, source = followup.id, "followup"
        else:
            pool, weights = _drawable(deck, state)
            if not pool:
                raise errors.DeckExhausted("no card in the deck can be drawn now")
            pool, weights = crisis.draw_candidates(deck, state, pool, weights)
            card = _pick(state.seed * 1_000_003 + state.draws, pool, weights)
            card_id, source = card.id, "deck"
    return trusted_full(
        CardDrawn,
        {
            "seq": state.seq + 1,
            "at": cmd.at,
            "kind": "drawn",
            "turn": turn,
            "card": card_id,
            "source": source,
        },
        _DRAWN_SET,
    )


def _pick(seed: int, pool: list[Card], weights: list[float]) -> Card:
    """`random.Random(seed).choices(pool, weights)[0]`: the same single draw from the same
    generator (so saves replay), without `choices`' general case around it."""
    cum = list(accumulate(weights))
    return pool[bisect(cum, _Random(seed).random() * (cum[-1] + 0.0), 0, len(pool) - 1)]


_Random = random.Random


def _skip(deck: Deck, state: GameState, cmd: Skip) -> Event:
    if state.phase != "deciding" or state.card is None:
        raise errors.WrongPhase("there is no card on the table to skip")
    return trusted(
        CardSkipped,
        seq=state.seq + 1,
        at=cmd.at,
        turn=state.turn,
        card=state.card,
        reason=cmd.reason.strip()[:MAX_TEXT],
    )


def _decide(deck: Deck, state: GameState, cmd: Decide) -> Event:
    return _decided(
        deck, state, cmd.seat, cmd.option, cmd.rationale, cmd.seconds, cmd.entered_by, cmd.at
    )


def _decided(
    deck: Deck,
    state: GameState,
    seat: str,
    option: str,
    rationale: str,
    seconds: float | None,
    entered_by: str,
    at: str | None,
) -> DecisionMade:
    card_id = _check_decision(deck, state.phase, state.card, state.decisions, seat, option)
    crisis.check_available(deck, state, card_id, seat, option)
    return _decision(
        state.seq + 1, at, state.turn, card_id, seat, option, rationale, seconds, entered_by
    )


def _check_decision(
    deck: Deck,
    phase: str,
    card_id: str | None,
    decisions: dict[str, str],
    seat: str,
    option: str,
) -> str:
    """The card on the table, if `seat` may choose `option` on it now; else the error."""
    if phase != "deciding" or card_id is None:
        raise errors.WrongPhase("no card is on the table; draw one first")
    if seat not in deck.seat_ids():
        raise errors.UnknownId(f"unknown seat {seat!r}")
    if seat in decisions:
        raise errors.AlreadyDecided(f"{seat} has already decided on {card_id!r}")
    if deck.option(card_id, seat, option) is None:
        ids = ", ".join(o.id for o in deck.card(card_id).options_for(seat))
        raise errors.UnknownId(f"{seat} has no option {option!r} on {card_id!r}; options: {ids}")
    return card_id


def _decision(
    seq: int,
    at: str | None,
    turn: int,
    card_id: str,
    seat: str,
    option: str,
    rationale: str,
    seconds: float | None,
    entered_by: str,
) -> DecisionMade:
    return trusted_full(
        DecisionMade,
        {
            "seq": seq,
            "at": at,
            "kind": "decided",
            "turn": turn,
            "card": card_id,
            "seat": seat,
            "option": option,
            "rationale": rationale[:MAX_TEXT],
            "seconds": seconds,
            "entered_by": entered_by or seat,
        },
        _DECIDED_SET,
    )


def apply_decide(
    deck: Deck,
    state: GameState,
    seat: str,
    option: str,
    rationale: str,
    seconds: float | None,
    entered_by: str,
    at: str | None,
) -> tuple[GameState, list[Event]]:
    """`apply(deck, state, Decide(...))` without making the command, for values that are
    already exactly of the types of Decide's fields (so validation would not change them)."""
    if state.phase == "ended":
        raise errors.GameOver("the game has ended")
    ev = _decided(deck, state, seat, option, rationale, seconds, entered_by, at)
    return _reduce_decided(state, ev), [ev]


def apply_decisions(
    deck: Deck, state: GameState, choices: dict[str, str]
) -> tuple[GameState, list[Event]]:
    """`apply(..., Decide(seat=s, option=o))` for each (s, o) of `choices` in turn (no
    rationale, time or stamp), folded into the state once: the simulator's fast path. The
    same checks, errors, events and state (tests/test_engine_fastpath.py)."""
    if state.phase == "ended":
        raise errors.GameOver("the game has ended")
    card_id = state.card
    decisions = dict(state.decisions)
    seq, turn = state.seq, state.turn
    events: list[Event] = []
    for seat, option in choices.items():
        seq += 1
        checked = _check_decision(deck, state.phase, card_id, decisions, seat, option)
        crisis.check_available(deck, state, checked, seat, option)
        events.append(_decision(seq, None, turn, checked, seat, option, "", None, ""))
        decisions[seat] = option
    return evolve(state, {"seq": seq, "decisions": decisions}), events


def resolution(deck: Deck, state: GameState) -> TurnResolved:
    """What resolving the current card would do: every change, explained."""
    return _resolution(deck, state, 0, None)


def _changes(effects: dict[str, int], **why: str | None) -> tuple[Change, ...]:
    return tuple(trusted(Change, meter=m, delta=d, **why) for m, d in effects.items())


# A rule of a plan: condition, changes, follow-ups. An outcome: the changes, the net change
# of each meter moved as (meter, change, min, max) in deck order, and the follow-ups.
_Rule = tuple[Fn, tuple[Change, ...], tuple[str, ...]]
_Outcome = tuple[tuple[Change, ...], tuple[tuple[str, int, int, int], ...], tuple[str, ...]]


class _Plan:
    """What resolving one card with one combination of choices does, built once per deck (a
    deck never changes): the rules to test (extras, then joint rules), and for each set of
    rules that hold, the changes, the net change per meter and the follow-ups."""

    __slots__ = ("own", "own_followups", "rules", "outcomes")

    def __init__(self, deck: Deck, state: GameState, card: Card, choices: dict[str, str]):
        own: list[Change] = []
        followups: list[str] = []
        rules: list[_Rule] = []
        for seat, option in choices.items():
            opt = deck.option(card.id, seat, option)
            assert opt is not None  # `_decide` lets only the card's options through
            # The explanation names the team, so a game with its own team names has its own.
            why = opt.explain or f"{seat_name(deck, state, seat)}: {opt.label}"
            own += _changes(opt.effects, explain=why, seat=seat, option=opt.id)
            followups += opt.followups
            for x in opt.extra:
                made = _changes(
                    x.effects, explain=x.explain, seat=seat, option=opt.id, rule="extra"
                )
                rules.append((x.when.fn, made, tuple(x.followups)))
        for j in card.joint:
            rules.append(
                (
                    j.when.fn,
                    _changes(j.effects, explain=j.explain, rule="joint"),
                    tuple(j.followups),
                )
            )
        self.own = tuple(own)
        self.own_followups = tuple(followups)
        self.rules = tuple(rules)
        self.outcomes: dict[int, _Outcome] = {}

    def outcome(self, deck: Deck, held: int) -> _Outcome:
        """The outcome when the rules whose bits are set in `held` hold."""
        made = self.outcomes.get(held)
        if made is None:
            changes = list(self.own)
            followups = list(self.own_followups)
            for i, (_, more, fups) in enumerate(self.rules):
                if held >> i & 1:
                    changes += more
                    followups += fups
            totals: dict[str, int] = {}
            for ch in changes:
                totals[ch.meter] = totals.get(ch.meter, 0) + ch.delta
            net = tuple((m.id, totals[m.id], m.min, m.max) for m in deck.meters if m.id in totals)
            made = self.outcomes[held] = (tuple(changes), net, tuple(followups))
        return made


def _resolution(deck: Deck, state: GameState, seq: int, at: str | None) -> TurnResolved:
    card_id = state.card
    if state.phase != "deciding" or card_id is None:
        raise errors.WrongPhase("no card is on the table to resolve")
    decisions = state.decisions
    seats = deck.seat_ids()
    try:
        choices = dict(zip(seats, map(decisions.__getitem__, seats), strict=True))
    except KeyError:
        missing = [s for s in seats if s not in decisions]
        raise errors.NotAllDecided(f"still waiting for {', '.join(missing)} to decide") from None
    memo = deck.memo
    names = state.team_names
    key = (
        "engine.plan",
        card_id,
        *choices.values(),
        tuple(names.get(s) for s in seats) if names else None,
    )
    plan = memo.get(key)
    if plan is None:
        plan = memo[key] = _Plan(deck, state, deck.card(card_id), choices)
    held = 0
    if plan.rules:
        # Every rule is tested on the state before the resolution: choices are simultaneous.
        env = Env(deck, state, choices)
        bit = 1
        for fn, _, _ in plan.rules:
            if fn(env):
                held |= bit
            bit <<= 1
    changes, net, followups = plan.outcome(deck, held)
    meters = state.meters
    moves_made = memo.get("engine.moves")
    if moves_made is None:
        moves_made = memo["engine.moves"] = {}
    moves = []
    for meter, total, low, high in net:
        before = meters[meter]
        raw = before + total
        # Equal moves are one shared (frozen) model.
        move = moves_made.get((meter, before, raw))
        if move is None:
            after = high if raw > high else low if raw < low else raw
            move = moves_made[meter, before, raw] = trusted_full(
                MeterMove,
                {"meter": meter, "before": before, "after": after, "clamped": after != raw},
                _MOVE_SET,
            )
        moves.append(move)
    queued: list[str] = []
    if followups:
        used, queue = state.used, state.queue
        for f in followups:
            if f not in used and f not in queue and f not in queued and f != card_id:
                queued.append(f)
    return trusted_full(
        TurnResolved,
        {
            "seq": seq,
            "at": at,
            "kind": "resolved",
            "turn": state.turn,
            "card": card_id,
            "choices": choices,
            "changes": list(changes),
            "moves": moves,
            "followups": queued,
        },
        _RESOLVED_SET,
    )


def _resolve(deck: Deck, state: GameState, cmd: Resolve) -> tuple[GameState, list[Event]]:
    # Each event is folded as it is made, so the ending sees the state the resolution left.
    resolved = _resolution(deck, state, state.seq + 1, cmd.at)
    after = _reduce_resolved(state, resolved)
    after, events = crisis.after_resolution(deck, state, resolved, after, cmd.at)
    events.insert(0, resolved)
    ended = _ending_after(deck, after, resolved.turn, cmd.at)
    if ended is not None:
        after = reduce(deck, after, ended)
        events.append(ended)
    if not isinstance(ended, GameEnded) and deck.phases:
        advanced = crisis.phase_after(deck, after, resolved.turn, cmd.at)
        if advanced is not None:
            after = crisis.reduce_crisis(after, advanced)
            events.append(advanced)
    return after, events


def _ending_after(
    deck: Deck, after: GameState, turn: int, at: str | None
) -> GameEnded | CheckpointReached | None:
    """The ending (or checkpoint), if any, after the resolution of `turn` left the state
    `after`. A checkpoint continued past does not fire again."""
    endings = deck.memo.get("engine.endings")
    if endings is None:
        endings = deck.memo["engine.endings"] = tuple((e.when.fn, e) for e in deck.endings)
    env = Env(deck, after)
    env.turn = turn  # endings see the turn just resolved, not the next one
    stamp = {"seq": after.seq + 1, "at": at, "turn": turn}
    for fn, ending in endings:
        if fn(env):
            if ending.checkpoint:
                if ending.id in after.passed:
                    continue
                return crisis.checkpoint_reached(after, at, turn, ending)
            return trusted(
                GameEnded,
                **stamp,
                reason="ending",
                ending=ending.id,
                title=ending.title,
                text=ending.text,
            )
    if turn >= after.turns:
        return trusted(
            GameEnded,
            **stamp,
            reason="turns",
            title="The last turn is played",
            text=f"The game ran its full {after.turns} turn{'' if after.turns == 1 else 's'}.",
        )
    if not can_draw(deck, after):
        return trusted(
            GameEnded,
            **stamp,
            reason="deck",
            title="The deck is exhausted",
            text="No card is left that can be drawn.",
        )
    return None


def former_words(ended: GameEnded, turns: int) -> set[tuple[str, str]]:
    """The (title, text) earlier versions of the rules wrote for an ending they made
    themselves, in a game of `turns` turns: save format 1 wrote "ran its full 1 turns"."""
    if ended.reason == "turns":
        return {(ended.title, f"The game ran its full {turns} turns.")}
    return set()


def _adjudicate(deck: Deck, state: GameState, cmd: Adjudicate) -> Event:
    reason = cmd.reason.strip()
    if not reason:
        raise errors.MissingReason("an adjudication needs a reason")
    try:
        meter = deck.meter(cmd.meter)
    except KeyError:
        raise errors.UnknownId(f"unknown meter {cmd.meter!r}") from None
    if (cmd.delta is None) == (cmd.value is None):
        raise errors.IllegalCommand("give either a change (delta) or a new value, not both")
    before = state.meters[meter.id]
    target = cmd.value if cmd.value is not None else before + (cmd.delta or 0)
    after = min(meter.max, max(meter.min, target))
    if after == before:
        raise errors.IllegalCommand(f"{meter.label} is already {before}; nothing to change")
    return trusted(
        Adjudicated,
        seq=state.seq + 1,
        at=cmd.at,
        turn=state.turn,
        meter=meter.id,
        before=before,
        after=after,
        reason=reason[:MAX_TEXT],
    )


def _undo(deck: Deck, state: GameState, cmd: Undo) -> Event:
    if "undo" not in legal(deck, state):
        raise errors.NothingToUndo("there is no resolution or adjudication to undo")
    point = state.undo_stack[-1]
    return trusted(
        Undone, seq=state.seq + 1, at=cmd.at, target=point.seq, undid=point.kind, ref=point.ref
    )


def _note(deck: Deck, state: GameState, cmd: Note) -> Event:
    text = cmd.text.strip()
    if not text:
        raise errors.MissingReason("a note needs some text")
    return trusted(NoteAdded, seq=state.seq + 1, at=cmd.at, turn=state.turn, text=text[:MAX_TEXT])


def _timer(deck: Deck, state: GameState, cmd: Timer) -> Event:
    if cmd.action == "pause" and state.timer_paused:
        raise errors.IllegalCommand("the timer is already paused")
    if cmd.action == "resume" and not state.timer_paused:
        raise errors.IllegalCommand("the timer is not paused")
    if cmd.action == "extend" and not 0 < cmd.seconds <= 3600:
        raise errors.IllegalCommand("extend the timer by 1 to 3600 seconds")
    return trusted(
        TimerChanged,
        seq=state.seq + 1,
        at=cmd.at,
        turn=state.turn,
        action=cmd.action,
        seconds=cmd.seconds if cmd.action == "extend" else 0,
    )


def _hotwash(deck: Deck, state: GameState, cmd: Hotwash) -> Event:
    text = cmd.text.strip()
    if not text:
        raise errors.MissingReason("a hot-wash entry needs some text")
    if cmd.seat is not None and cmd.seat not in deck.seat_ids():
        raise errors.UnknownId(f"unknown seat {cmd.seat!r}")
    if cmd.card is not None and not deck.has_card(cmd.card):
        raise errors.UnknownId(f"unknown card {cmd.card!r}")
    if cmd.objective is not None and cmd.objective not in {o.id for o in deck.deck.objectives}:
        raise errors.UnknownId(f"unknown objective {cmd.objective!r}")
    return trusted(
        HotwashAdded,
        seq=state.seq + 1,
        at=cmd.at,
        entry=cmd.entry,
        text=text[:MAX_TEXT],
        seat=cmd.seat,
        card=cmd.card,
        objective=cmd.objective,
    )


def _end(deck: Deck, state: GameState, cmd: End) -> Event:
    if state.checkpoint is not None:
        # Ended at the checkpoint: the facilitator's end, with the checkpoint's ending.
        ending = next(e for e in deck.endings if e.id == state.checkpoint)
        return trusted(
            GameEnded,
            seq=state.seq + 1,
            at=cmd.at,
            turn=state.turn - 1,
            reason="facilitator",
            ending=ending.id,
            title=ending.title,
            text=(cmd.reason.strip() or ending.text.strip())[:MAX_TEXT],
        )
    return trusted(
        GameEnded,
        seq=state.seq + 1,
        at=cmd.at,
        turn=state.turn,
        reason="facilitator",
        title="Ended by the facilitator",
        text=cmd.reason.strip()[:MAX_TEXT],
    )


def _advance(deck: Deck, state: GameState, cmd: AdvancePhase) -> Event:
    return crisis.advance_by_hand(deck, state, cmd.at)


def _continue(deck: Deck, state: GameState, cmd: Continue) -> tuple[GameState, list[Event]]:
    # Past the checkpoint, the rest of the end-of-turn tests still apply (last turn, deck).
    ev = crisis.continued(state, cmd.at, cmd.reason.strip()[:MAX_TEXT])
    after = crisis.reduce_crisis(state, ev)
    ended = _ending_after(deck, after, state.turn - 1, cmd.at)
    if ended is None:
        return after, [ev]
    return reduce(deck, after, ended), [ev, ended]


# Each command's handler; `_resolve` and `_continue` make (and fold) their events themselves.
_HANDLERS: dict[type[Command], Callable[[Deck, GameState, Any], Any]] = {
    Draw: _draw,
    Skip: _skip,
    Decide: _decide,
    Resolve: _resolve,
    Adjudicate: _adjudicate,
    Undo: _undo,
    Note: _note,
    Timer: _timer,
    Hotwash: _hotwash,
    End: _end,
    AdvancePhase: _advance,
    Continue: _continue,
}


# --- reducer ----------------------------------------------------------------------------


def reduce(deck: Deck, state: GameState, ev: Event) -> GameState:
    """Fold one event into the state. Trusts the event: `apply` and `replay` check it."""
    return _REDUCERS[type(ev)](state, ev)


# One reducer per kind of event, looked up by type (the engine folds an event per command;
# a table is faster than `match` here): tests/test_event_kinds.py checks it has every kind.


def _reduce_started(state: GameState, ev: GameStarted) -> GameState:
    raise errors.ReplayMismatch(f"event {ev.seq} starts a game that has already started")


def _reduce_seq(state: GameState, ev: Event) -> GameState:
    return evolve(state, {"seq": ev.seq})


def _reduce_decided(state: GameState, ev: DecisionMade) -> GameState:
    return evolve(state, {"seq": ev.seq, "decisions": {**state.decisions, ev.seat: ev.option}})


def _reduce_drawn(state: GameState, ev: CardDrawn) -> GameState:
    up = {
        "seq": ev.seq,
        "turn": ev.turn,
        "card": ev.card,
        "phase": "deciding",
        "used": (*state.used, ev.card),
        "draws": state.draws + (ev.source == "deck"),
    }
    # Only what changes: the draw phase mostly has these already.
    if state.decisions:
        up["decisions"] = {}
    if state.queue:
        up["queue"] = tuple(c for c in state.queue if c != ev.card)
    if state.timer_paused:
        up["timer_paused"] = False
    if state.timer_extra:
        up["timer_extra"] = 0
    return evolve(state, up)


def _reduce_skipped(state: GameState, ev: CardSkipped) -> GameState:
    return evolve(state, {"seq": ev.seq, "card": None, "phase": "draw", "decisions": {}})


def _reduce_resolved(state: GameState, ev: TurnResolved) -> GameState:
    meters = state.meters.copy()
    for move in ev.moves:
        meters[move.meter] = move.after
    point = trusted_full(
        UndoPoint, {"seq": ev.seq, "kind": "resolution", "ref": ev.card, "state": state}
    )
    return evolve(
        state,
        {
            "seq": ev.seq,
            "meters": meters,
            "played": (*state.played, ev.card),
            "chosen": (*state.chosen, *ev.choices.items()),
            "queue": (*state.queue, *ev.followups) if ev.followups else state.queue,
            "card": None,
            "phase": "draw",
            "decisions": {},
            "turn": ev.turn + 1,
            "undo_stack": (*state.undo_stack, point),
        },
    )


def _reduce_adjudicated(state: GameState, ev: Adjudicated) -> GameState:
    point = trusted_full(
        UndoPoint, {"seq": ev.seq, "kind": "adjudication", "ref": ev.meter, "state": state}
    )
    return evolve(
        state,
        {
            "seq": ev.seq,
            "meters": {**state.meters, ev.meter: ev.after},
            "undo_stack": (*state.undo_stack, point),
        },
    )


def _reduce_undone(state: GameState, ev: Undone) -> GameState:
    point = state.undo_stack[-1]
    restored = point.state
    if point.kind == "resolution":
        # The card goes back on the table and every seat decides again.
        return evolve(restored, {"decisions": {}, "seq": ev.seq})
    return evolve(restored, {"seq": ev.seq})


def _reduce_timer(state: GameState, ev: TimerChanged) -> GameState:
    if ev.action == "extend":
        return evolve(state, {"seq": ev.seq, "timer_extra": state.timer_extra + ev.seconds})
    return evolve(state, {"seq": ev.seq, "timer_paused": ev.action == "pause"})


def _reduce_ended(state: GameState, ev: GameEnded) -> GameState:
    outcome = trusted(
        Outcome, reason=ev.reason, turn=ev.turn, ending=ev.ending, title=ev.title, text=ev.text
    )
    return evolve(state, {"seq": ev.seq, "phase": "ended", "turn": ev.turn, "outcome": outcome})


_REDUCERS: dict[type, Callable[[GameState, Any], GameState]] = {
    GameStarted: _reduce_started,
    DecisionMade: _reduce_decided,
    CardDrawn: _reduce_drawn,
    CardSkipped: _reduce_skipped,
    TurnResolved: _reduce_resolved,
    Adjudicated: _reduce_adjudicated,
    Undone: _reduce_undone,
    TimerChanged: _reduce_timer,
    GameEnded: _reduce_ended,
    NoteAdded: _reduce_seq,  # commentary: it changes nothing the rules read
    HotwashAdded: _reduce_seq,
    **crisis.REDUCERS,
}


def fold(deck: Deck, events: Sequence[Event]) -> GameState:
    """Rebuild a state from its log, trusting each event (see `replay` to verify)."""
    if not events or not isinstance(events[0], GameStarted):
        raise errors.ReplayMismatch("the log does not begin with a game start")
    state = initial_state(deck, events[0])
    for ev in events[1:]:
        state = reduce(deck, state, ev)
    return state


def outcome(state: GameState) -> Outcome | None:
    """How the game ended, or None while it goes on."""
    return state.outcome
