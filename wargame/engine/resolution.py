"""Resolution: what the seats' choices on a card do, and whether the game ends after it.

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

from wargame.engine import crisis, errors
from wargame.engine.conditions import Env
from wargame.engine.queries import can_draw, seat_name
from wargame.model.condition import Fn
from wargame.model.deck import Card, Deck
from wargame.model.game import (
    Change,
    CheckpointReached,
    GameEnded,
    GameState,
    MeterMove,
    TurnResolved,
    trusted,
    trusted_full,
)

# The fields a validated event of each kind counts as given: shared by the hot events the
# engine builds itself (frozen models never change their set).
_RESOLVED_SET = {"seq", "at", "kind", "turn", "card", "choices", "changes", "moves", "followups"}
_MOVE_SET = {"meter", "before", "after", "clamped"}


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
    for fn, ending in endings:
        if fn(env):
            if ending.checkpoint:
                if ending.id in after.passed:
                    continue
                return crisis.checkpoint_reached(after, at, turn, ending)
            return trusted(
                GameEnded,
                seq=after.seq + 1,
                at=at,
                turn=turn,
                reason="ending",
                ending=ending.id,
                title=ending.title,
                text=ending.text,
            )
    if turn >= after.turns:
        return trusted(
            GameEnded,
            seq=after.seq + 1,
            at=at,
            turn=turn,
            reason="turns",
            title="The last turn is played",
            text=f"The game ran its full {after.turns} turn{'' if after.turns == 1 else 's'}.",
        )
    if not can_draw(deck, after):
        return deck_ran_out(after.seq + 1, at, turn)
    return None


def deck_ran_out(seq: int, at: str | None, turn: int) -> GameEnded:
    """The end of a game with no card left that a draw can reveal."""
    return trusted(
        GameEnded,
        seq=seq,
        at=at,
        turn=turn,
        reason="deck",
        title="The deck is exhausted",
        text="No card is left that can be drawn.",
    )


def former_words(ended: GameEnded, turns: int) -> set[tuple[str, str]]:
    """The (title, text) earlier versions of the rules wrote for an ending they made
    themselves, in a game of `turns` turns: save format 1 wrote "ran its full 1 turns"."""
    if ended.reason == "turns":
        return {(ended.title, f"The game ran its full {turns} turns.")}
    return set()
