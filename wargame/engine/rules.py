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
from collections.abc import Generator, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from wargame.engine import errors
from wargame.engine.conditions import Env, holds, holds_in
from wargame.model.deck import Card, Deck
from wargame.model.game import (
    Adjudicated,
    CardDrawn,
    CardSkipped,
    Change,
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
    return [s for s in deck.seat_ids() if s not in state.decisions]


def drawable(deck: Deck, state: GameState) -> list[Card]:
    """Cards a random draw may reveal now (the facilitator may pick any unused card)."""
    env = Env(deck, state)
    used = state.used
    return [
        c for c in deck.random_pool() if c.id not in used and (c.when is None or c.when.fn(env))
    ]


def next_followup(deck: Deck, state: GameState) -> Card | None:
    for card_id in state.queue:
        card = deck.card(card_id)
        if card_id not in state.used and holds(card.when, deck, state):
            return card
    return None


def can_draw(deck: Deck, state: GameState) -> bool:
    if next_followup(deck, state) is not None:
        return True
    env = Env(deck, state)
    used = state.used
    return any(c.id not in used and (c.when is None or c.when.fn(env)) for c in deck.random_pool())


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
    return GameState(
        deck_id=started.deck_id,
        deck_hash=started.deck_hash,
        seed=started.seed,
        turns=started.turns,
        mode=started.mode,
        team_names=dict(started.team_names),
        seq=started.seq,
        meters={m.id: m.start for m in deck.meters},
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
    handler = _HANDLERS.get(type(command))
    if handler is None:
        raise errors.IllegalCommand(f"unknown command {type(command).__name__}")
    if state.ended and not isinstance(command, Note | Hotwash | Undo):
        raise errors.GameOver("the game has ended")
    # Handlers are generators that number and stamp their events. Each event is folded as
    # it is made and the new state is sent back, so later events of the same command (an
    # ending after a resolution) see the state it left.
    events: list[Event] = []
    steps = handler(deck, state, command)
    try:
        ev = next(steps)
        while True:
            state = reduce(deck, state, ev)
            events.append(ev)
            ev = steps.send(state)
    except StopIteration:
        pass
    return state, events


Steps = Generator[Event, GameState, None]


def _draw(deck: Deck, state: GameState, cmd: Draw) -> Steps:
    if state.phase != "draw":
        raise errors.WrongPhase(
            f"card {state.card!r} is already on the table; resolve or skip it first"
        )
    turn = len(state.played) + 1
    if cmd.card is not None:
        if not deck.has_card(cmd.card):
            raise errors.UnknownId(f"unknown card {cmd.card!r}")
        if cmd.card in state.used:
            raise errors.IllegalCommand(f"card {cmd.card!r} has already been used this game")
        card_id, source = cmd.card, "facilitator"
    else:
        followup = next_followup(deck, state)
        if followup is not None:
            card_id, source = followup.id, "followup"
        else:
            pool = drawable(deck, state)
            if not pool:
                raise errors.DeckExhausted("no card in the deck can be drawn now")
            rng = random.Random(state.seed * 1_000_003 + state.draws)
            (card,) = rng.choices(pool, weights=[c.weight for c in pool])
            card_id, source = card.id, "deck"
    yield trusted(CardDrawn, seq=state.seq + 1, at=cmd.at, turn=turn, card=card_id, source=source)


def _skip(deck: Deck, state: GameState, cmd: Skip) -> Steps:
    if state.phase != "deciding" or state.card is None:
        raise errors.WrongPhase("there is no card on the table to skip")
    yield trusted(
        CardSkipped,
        seq=state.seq + 1,
        at=cmd.at,
        turn=state.turn,
        card=state.card,
        reason=cmd.reason.strip()[:MAX_TEXT],
    )


def _decide(deck: Deck, state: GameState, cmd: Decide) -> Steps:
    card_id = state.card
    if state.phase != "deciding" or card_id is None:
        raise errors.WrongPhase("no card is on the table; draw one first")
    if cmd.seat not in deck.seat_ids():
        raise errors.UnknownId(f"unknown seat {cmd.seat!r}")
    if cmd.seat in state.decisions:
        raise errors.AlreadyDecided(f"{cmd.seat} has already decided on {card_id!r}")
    if deck.option(card_id, cmd.seat, cmd.option) is None:
        ids = ", ".join(o.id for o in deck.card(card_id).options_for(cmd.seat))
        raise errors.UnknownId(
            f"{cmd.seat} has no option {cmd.option!r} on {card_id!r}; options: {ids}"
        )
    yield trusted(
        DecisionMade,
        seq=state.seq + 1,
        at=cmd.at,
        turn=state.turn,
        card=card_id,
        seat=cmd.seat,
        option=cmd.option,
        rationale=cmd.rationale[:MAX_TEXT],
        seconds=cmd.seconds,
        entered_by=cmd.entered_by or cmd.seat,
    )


def resolution(deck: Deck, state: GameState) -> TurnResolved:
    """What resolving the current card would do: every change, explained."""
    return _resolution(deck, state, 0, None)


def _changes(
    deck: Deck, key: tuple[str, ...], effects: dict[str, int], **why: str | None
) -> tuple[Change, ...]:
    """The changes of one set of effects, built once per deck: a deck never changes."""
    made = deck.memo.get(key)
    if made is None:
        made = deck.memo[key] = tuple(
            trusted(Change, meter=meter, delta=delta, **why) for meter, delta in effects.items()
        )
    return made


def _resolution(deck: Deck, state: GameState, seq: int, at: str | None) -> TurnResolved:
    card = current_card(deck, state)
    if state.phase != "deciding" or card is None:
        raise errors.WrongPhase("no card is on the table to resolve")
    missing = pending_seats(deck, state)
    if missing:
        raise errors.NotAllDecided(f"still waiting for {', '.join(missing)} to decide")
    seats = deck.seat_ids()
    choices = {s: state.decisions[s] for s in seats}
    options = [(s, deck.option(card.id, s, choices[s])) for s in seats]
    env = Env(deck, state, choices)
    changes: list[Change] = []
    followups: list[str] = []
    names = state.team_names
    for seat, opt in options:
        assert opt is not None
        # The explanation names the team, so a game with its own team names has its own.
        key = ("option", card.id, seat, opt.id, names.get(seat))
        made = deck.memo.get(key)
        if made is None:
            why = opt.explain or f"{seat_name(deck, state, seat)}: {opt.label}"
            made = _changes(deck, key, opt.effects, explain=why, seat=seat, option=opt.id)
        changes.extend(made)
        followups.extend(opt.followups)
    for seat, opt in options:
        assert opt is not None
        for i, extra in enumerate(opt.extra):
            if holds_in(extra.when, env):
                key = ("extra", card.id, seat, opt.id, str(i))
                changes.extend(
                    _changes(
                        deck,
                        key,
                        extra.effects,
                        explain=extra.explain,
                        seat=seat,
                        option=opt.id,
                        rule="extra",
                    )
                )
                followups.extend(extra.followups)
    for i, joint in enumerate(card.joint):
        if holds_in(joint.when, env):
            key = ("joint", card.id, str(i))
            changes.extend(_changes(deck, key, joint.effects, explain=joint.explain, rule="joint"))
            followups.extend(joint.followups)
    totals: dict[str, int] = {}
    for ch in changes:
        totals[ch.meter] = totals.get(ch.meter, 0) + ch.delta
    moves = []
    for meter in deck.meters:
        total = totals.get(meter.id)
        if total is None:
            continue
        before = state.meters[meter.id]
        raw = before + total
        after = min(meter.max, max(meter.min, raw))
        moves.append(
            trusted_full(
                MeterMove,
                {"meter": meter.id, "before": before, "after": after, "clamped": after != raw},
            )
        )
    queued: list[str] = []
    for f in followups:
        if f not in state.used and f not in state.queue and f not in queued and f != card.id:
            queued.append(f)
    return trusted_full(
        TurnResolved,
        {
            "seq": seq,
            "at": at,
            "kind": "resolved",
            "turn": state.turn,
            "card": card.id,
            "choices": choices,
            "changes": changes,
            "moves": moves,
            "followups": queued,
        },
    )


def _resolve(deck: Deck, state: GameState, cmd: Resolve) -> Steps:
    resolved = _resolution(deck, state, state.seq + 1, cmd.at)
    after = yield resolved  # `apply` folds the resolution in and sends the state back
    yield from _ending_after(deck, after, resolved.turn, cmd.at)


def _ending_after(deck: Deck, after: GameState, turn: int, at: str | None) -> Steps:
    """The ending, if any, after the resolution of `turn` left the state `after`."""
    env = Env(deck, after)
    env.turn = turn  # endings see the turn just resolved, not the next one
    stamp = {"seq": after.seq + 1, "at": at, "turn": turn}
    for ending in deck.endings:
        if holds_in(ending.when, env):
            yield trusted(
                GameEnded,
                **stamp,
                reason="ending",
                ending=ending.id,
                title=ending.title,
                text=ending.text,
            )
            return
    if turn >= after.turns:
        yield trusted(
            GameEnded,
            **stamp,
            reason="turns",
            title="The last turn is played",
            text=f"The game ran its full {after.turns} turns.",
        )
    elif not can_draw(deck, after):
        yield trusted(
            GameEnded,
            **stamp,
            reason="deck",
            title="The deck is exhausted",
            text="No card is left that can be drawn.",
        )


def _adjudicate(deck: Deck, state: GameState, cmd: Adjudicate) -> Steps:
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
    yield trusted(
        Adjudicated,
        seq=state.seq + 1,
        at=cmd.at,
        turn=state.turn,
        meter=meter.id,
        before=before,
        after=after,
        reason=reason[:MAX_TEXT],
    )


def _undo(deck: Deck, state: GameState, cmd: Undo) -> Steps:
    if "undo" not in legal(deck, state):
        raise errors.NothingToUndo("there is no resolution or adjudication to undo")
    point = state.undo_stack[-1]
    yield trusted(Undone, seq=state.seq + 1, at=cmd.at, target=point.seq, what=point.what)


def _note(deck: Deck, state: GameState, cmd: Note) -> Steps:
    text = cmd.text.strip()
    if not text:
        raise errors.MissingReason("a note needs some text")
    yield trusted(NoteAdded, seq=state.seq + 1, at=cmd.at, turn=state.turn, text=text[:MAX_TEXT])


def _timer(deck: Deck, state: GameState, cmd: Timer) -> Steps:
    if cmd.action == "pause" and state.timer_paused:
        raise errors.IllegalCommand("the timer is already paused")
    if cmd.action == "resume" and not state.timer_paused:
        raise errors.IllegalCommand("the timer is not paused")
    if cmd.action == "extend" and not 0 < cmd.seconds <= 3600:
        raise errors.IllegalCommand("extend the timer by 1 to 3600 seconds")
    yield trusted(
        TimerChanged,
        seq=state.seq + 1,
        at=cmd.at,
        turn=state.turn,
        action=cmd.action,
        seconds=cmd.seconds if cmd.action == "extend" else 0,
    )


def _hotwash(deck: Deck, state: GameState, cmd: Hotwash) -> Steps:
    text = cmd.text.strip()
    if not text:
        raise errors.MissingReason("a hot-wash entry needs some text")
    if cmd.seat is not None and cmd.seat not in deck.seat_ids():
        raise errors.UnknownId(f"unknown seat {cmd.seat!r}")
    if cmd.card is not None and not deck.has_card(cmd.card):
        raise errors.UnknownId(f"unknown card {cmd.card!r}")
    if cmd.objective is not None and cmd.objective not in {o.id for o in deck.deck.objectives}:
        raise errors.UnknownId(f"unknown objective {cmd.objective!r}")
    yield trusted(
        HotwashAdded,
        seq=state.seq + 1,
        at=cmd.at,
        entry=cmd.entry,
        text=text[:MAX_TEXT],
        seat=cmd.seat,
        card=cmd.card,
        objective=cmd.objective,
    )


def _end(deck: Deck, state: GameState, cmd: End) -> Steps:
    yield trusted(
        GameEnded,
        seq=state.seq + 1,
        at=cmd.at,
        turn=state.turn,
        reason="facilitator",
        title="Ended by the facilitator",
        text=cmd.reason.strip()[:MAX_TEXT],
    )


_HANDLERS = {
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
}


# --- reducer ----------------------------------------------------------------------------


def reduce(deck: Deck, state: GameState, ev: Event) -> GameState:
    """Fold one event into the state. Trusts the event: `apply` and `replay` check it."""
    if type(ev) is DecisionMade:  # the most frequent event first
        return evolve(state, {"seq": ev.seq, "decisions": {**state.decisions, ev.seat: ev.option}})
    up: dict[str, object] = {"seq": ev.seq}
    if isinstance(ev, CardDrawn):
        up |= {
            "turn": ev.turn,
            "card": ev.card,
            "phase": "deciding",
            "decisions": {},
            "used": (*state.used, ev.card),
            "queue": tuple(c for c in state.queue if c != ev.card),
            "draws": state.draws + (ev.source == "deck"),
            "timer_paused": False,
            "timer_extra": 0,
        }
    elif isinstance(ev, CardSkipped):
        up |= {"card": None, "phase": "draw", "decisions": {}}
    elif isinstance(ev, DecisionMade):
        up["decisions"] = {**state.decisions, ev.seat: ev.option}
    elif isinstance(ev, TurnResolved):
        meters = dict(state.meters)
        for move in ev.moves:
            meters[move.meter] = move.after
        up |= {
            "meters": meters,
            "played": (*state.played, ev.card),
            "chosen": (*state.chosen, *ev.choices.items()),
            "queue": (*state.queue, *ev.followups),
            "card": None,
            "phase": "draw",
            "decisions": {},
            "turn": ev.turn + 1,
            "undo_stack": (
                *state.undo_stack,
                trusted(UndoPoint, seq=ev.seq, what=f"resolution of {ev.card}", state=state),
            ),
        }
    elif isinstance(ev, Adjudicated):
        up |= {
            "meters": {**state.meters, ev.meter: ev.after},
            "undo_stack": (
                *state.undo_stack,
                trusted(UndoPoint, seq=ev.seq, what=f"adjudication of {ev.meter}", state=state),
            ),
        }
    elif isinstance(ev, Undone):
        point = state.undo_stack[-1]
        restored = point.state
        if point.what.startswith("resolution"):
            # The card goes back on the table and every seat decides again.
            restored = evolve(restored, {"decisions": {}})
        return evolve(restored, {"seq": ev.seq})
    elif isinstance(ev, TimerChanged):
        if ev.action == "extend":
            up["timer_extra"] = state.timer_extra + ev.seconds
        else:
            up["timer_paused"] = ev.action == "pause"
    elif isinstance(ev, GameEnded):
        up |= {
            "phase": "ended",
            "turn": ev.turn,
            "outcome": trusted(
                Outcome,
                reason=ev.reason,
                turn=ev.turn,
                ending=ev.ending,
                title=ev.title,
                text=ev.text,
            ),
        }
    return evolve(state, up)


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
