"""The engine's fast paths give exactly what the plain, checked way gives.

`Game`'s shorthands skip building (and validating) commands whose values validation would
hand back unchanged; random draws, the drawable pool and resolutions use tables cached on
the deck. Over random games, each is compared with a straightforward reference built from
validated models: the same events, the same states, the same cards drawn.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from wargame import engine
from wargame.engine import Game, crisis
from wargame.engine import rules as r
from wargame.engine.conditions import holds
from wargame.model.deck import Deck, _parse_condition
from wargame.model.game import Change, GameState, MeterMove, TurnResolved

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


# --- references: the rules written plainly, with validated models -----------------------


def reference_drawable(deck: Deck, state: GameState) -> list:
    cards = [
        c
        for c in deck.cards
        if not c.followup_only
        and c.weight > 0
        and c.id not in state.used
        and holds(c.when, deck, state)
    ]
    return cards


def reference_schema2_candidates(deck: Deck, state: GameState, cards: list) -> list:
    """decks/README.md's schema-2 draw: the phase's pool (the whole deck when none of it can
    be drawn); then, when as many objectives are unexercised as turns are left, only cards
    that exercise one (from the pool, else from all)."""
    phase = next((p for p in deck.phases if p.id == state.scenario_phase), None)
    pool = cards
    if phase is not None and (phase.categories or phase.tags or phase.cards):
        inside = [
            c
            for c in cards
            if c.category in phase.categories
            or c.id in phase.cards
            or set(c.tags) & set(phase.tags)
        ]
        pool = inside or cards
    aimed = {o for c in deck.cards if not c.followup_only and c.weight > 0 for o in c.objectives}
    done = {o for cid in state.played for o in deck.card(cid).objectives}
    missing = aimed - done
    if missing and len(missing) >= state.turns - state.turn + 1:
        for among in (pool, cards):
            hits = [c for c in among if set(c.objectives) & missing]
            if hits:
                return hits
    return pool


def reference_pick(seed: int, pool: list):
    return random.Random(seed).choices(pool, weights=[c.weight for c in pool])[0]


def reference_resolution(deck: Deck, state: GameState) -> TurnResolved:
    """decks/README.md's resolution order: own effects, extras, joint rules; sum, clamp once."""
    card = deck.card(state.card)
    choices = {s: state.decisions[s] for s in deck.seat_ids()}
    options = [(s, card.option(s, choices[s])) for s in deck.seat_ids()]
    changes, followups = [], []
    for seat, opt in options:
        why = opt.explain or f"{r.seat_name(deck, state, seat)}: {opt.label}"
        for meter, delta in opt.effects.items():
            changes.append(Change(meter=meter, delta=delta, explain=why, seat=seat, option=opt.id))
        followups += opt.followups
    for seat, opt in options:
        for x in opt.extra:
            if holds(x.when, deck, state, choices):
                for meter, delta in x.effects.items():
                    changes.append(
                        Change(
                            meter=meter,
                            delta=delta,
                            explain=x.explain,
                            seat=seat,
                            option=opt.id,
                            rule="extra",
                        )
                    )
                followups += x.followups
    for j in card.joint:
        if holds(j.when, deck, state, choices):
            for meter, delta in j.effects.items():
                changes.append(Change(meter=meter, delta=delta, explain=j.explain, rule="joint"))
            followups += j.followups
    moves = []
    for m in deck.meters:
        deltas = [c.delta for c in changes if c.meter == m.id]
        if deltas:
            before = state.meters[m.id]
            raw = before + sum(deltas)
            after = min(m.max, max(m.min, raw))
            moves.append(MeterMove(meter=m.id, before=before, after=after, clamped=after != raw))
    queued: list[str] = []
    for f in followups:
        if f not in (*state.used, *state.queue, *queued, card.id):
            queued.append(f)
    return TurnResolved(
        turn=state.turn,
        card=card.id,
        choices=choices,
        changes=changes,
        moves=moves,
        followups=queued,
    )


# --- a deck whose draw conditions read more than the turn ---------------------------------


def condition_deck(mini_deck: Deck) -> Deck:
    """The mini deck with `when`s on meters, bands, choices, queue and history."""
    whens = {
        "missile": "trust.ROK-JPN < 40 or played('neo')",
        "radar": "band('trust.ROK-JPN') != 'critical' and not queued('cell')",
        "neo": "turn <= 3 or chose('JPN', 'protest')",
    }
    cards = [
        c.model_copy(update={"when": _parse_condition(whens[c.id])}) if c.id in whens else c
        for c in mini_deck.cards
    ]
    return mini_deck.model_copy(update={"cards": cards})


# --- the property ----------------------------------------------------------------------


def same_state(a: GameState, b: GameState, seen: set[tuple[int, int]] | None = None) -> bool:
    """`a == b`, remembering pairs already compared: `==` would compare the states in the
    undo stack again at every level, in time exponential in the number of undo points."""
    seen = set() if seen is None else seen
    if a is b or (id(a), id(b)) in seen:
        return True
    seen.add((id(a), id(b)))
    da, db = dict(a.__dict__), dict(b.__dict__)
    ua, ub = da.pop("undo_stack"), db.pop("undo_stack")
    return (
        da == db
        and len(ua) == len(ub)
        and all(
            (p.seq, p.kind, p.ref) == (q.seq, q.kind, q.ref) and same_state(p.state, q.state, seen)
            for p, q in zip(ua, ub, strict=True)
        )
    )


def play_both_ways(deck: Deck, data: st.DataObject, seed: int) -> None:
    """Random play through `Game`'s shorthands, and the same commands, validated, through
    `engine.apply`; at every step the two agree, and agree with the references."""
    names = data.draw(st.sampled_from([{}, {deck.seat_ids()[0]: "Blue Team"}]), label="names")
    game = Game.start(deck, seed=seed, turns=data.draw(st.integers(1, 8)), team_names=names)
    state, events = engine.start(deck, seed, game.state.turns, team_names=names)
    for _ in range(80):
        if game.state.ended:
            break
        # Mostly play on (draw, decide, resolve); now and then the facilitator steps in.
        legal = game.legal
        onward = sorted(legal & {"draw", "decide", "resolve"})
        other = sorted(legal - {"draw", "decide", "resolve", "timer", "end"})
        if onward and data.draw(st.integers(0, 9), label="onward?") < 8:
            action = onward[0]
        elif data.draw(st.integers(0, 19), label="end?") == 0:
            action = "end"
        else:
            action = data.draw(st.sampled_from(other), label="action")
        if action == "draw":
            pool = reference_drawable(deck, state)
            assert engine.drawable(deck, state) == pool
            assert engine.can_draw(deck, state) == bool(pool or r.next_followup(deck, state))
            if not engine.can_draw(deck, state):
                unused = [c.id for c in deck.cards if c.id not in state.used]
                game.draw(unused[0])
                command = engine.Draw(card=unused[0])
            else:
                game.draw()
                command = engine.Draw()
        elif action == "decide":
            seat = data.draw(st.sampled_from(game.pending), label="seat")
            card = game.card
            why = {
                o.id: crisis.why_unavailable(deck, state, card.id, seat, o.id)
                for o in card.options_for(seat)
            }
            assert crisis.unavailable(deck, state, card, seat) == {
                k: v for k, v in why.items() if v
            }
            assert crisis.open_options(deck, state, card, seat) == [
                o for o in card.options_for(seat) if not why[o.id]
            ]
            # Only options open now: an unavailable one is refused (tests/test_crisis.py).
            open_now = crisis.open_options(deck, state, card, seat)
            option = data.draw(st.sampled_from(open_now), label="option").id
            rationale = data.draw(st.text(max_size=8), label="rationale")
            seconds = data.draw(st.one_of(st.none(), st.floats(0, 1e4), st.integers(0, 99)))
            game.decide(seat, option, rationale, seconds=seconds)
            command = engine.Decide(seat=seat, option=option, rationale=rationale, seconds=seconds)
        elif action == "resolve":
            made = engine.resolution(deck, state)
            assert made == reference_resolution(deck, state)
            game.resolve()
            command = engine.Resolve()
        elif action == "adjudicate":
            meter = data.draw(st.sampled_from(deck.meters), label="meter")
            value = meter.max if state.meters[meter.id] != meter.max else meter.min
            game.adjudicate(meter.id, "White Cell", value=value)
            command = engine.Adjudicate(meter=meter.id, value=value, reason="White Cell")
        elif action == "undo":
            game.undo()
            command = engine.Undo()
        elif action == "skip":
            game.skip("not now")
            command = engine.Skip(reason="not now")
        elif action == "note":
            game.note("a note")
            command = engine.Note(text="a note")
        else:
            game.end("time")
            command = engine.End(reason="time")
        before = state
        state, made = engine.apply(deck, state, command)
        events += made
        if made[0].kind == "drawn" and made[0].source == "deck":
            pool = reference_schema2_candidates(deck, before, reference_drawable(deck, before))
            assert made[0].card == reference_pick(before.seed * 1_000_003 + before.draws, pool).id
        assert game.events == events
        assert same_state(game.state, state)
    assert same_state(engine.replay(deck, game.events), game.state)
    assert same_state(engine.fold(deck, game.events), game.state)


@SETTINGS
@given(data=st.data(), seed=st.integers(-(2**40), 2**40))
def test_fast_paths_match_the_checked_path_on_the_mini_deck(mini_deck, data, seed):
    play_both_ways(mini_deck, data, seed)


@SETTINGS
@given(data=st.data(), seed=st.integers(0, 2**31))
def test_fast_paths_match_the_checked_path_on_the_default_deck(default_deck, data, seed):
    play_both_ways(default_deck, data, seed)


@SETTINGS
@given(data=st.data(), seed=st.integers(0, 2**31))
def test_fast_paths_match_with_draw_conditions_on_meters_and_history(mini_deck, data, seed):
    play_both_ways(condition_deck(mini_deck), data, seed)


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(-(2**70), 2**70),
    weights=st.lists(st.floats(0.001, 1000) | st.sampled_from([1.0, 2.0]), min_size=1),
)
def test_the_draw_is_random_choices_with_weights(seed, weights):
    class Card:  # what `_pick` reads of a card
        def __init__(self, weight: float) -> None:
            self.weight = weight

    pool = [Card(w) for w in weights]
    assert r._pick(seed, pool, weights) is reference_pick(seed, pool)


# --- the command fast path -------------------------------------------------------------


@SETTINGS
@given(data=st.data(), seed=st.integers(0, 2**31))
def test_apply_decisions_is_one_validated_decide_after_another(default_deck, data, seed):
    """The simulator's fast path: every seat's decision at once gives the events, the state
    and the error that `apply(Decide(...))` one seat at a time gives."""
    deck = default_deck
    state, _ = engine.start(deck, seed)
    state, _ = engine.apply(deck, state, engine.Draw())
    if data.draw(st.booleans(), label="one decided first?"):
        seat = deck.seat_ids()[0]
        option = deck.card(state.card).options_for(seat)[0].id
        state, _ = engine.apply(deck, state, engine.Decide(seat=seat, option=option))
    card = deck.card(state.card)
    seats = data.draw(st.permutations(deck.seat_ids()), label="order")
    choices = {}
    for seat in seats[: data.draw(st.integers(0, len(seats)), label="how many")]:
        ids = [o.id for o in card.options_for(seat)] + ["no-such-option"]
        choices[seat] = data.draw(st.sampled_from(ids), label=seat)
    if data.draw(st.booleans(), label="unknown seat?"):
        choices["NOPE"] = "x"
    want_state, want_events, want_error = state, [], None
    try:
        for seat, option in choices.items():
            want_state, made = engine.apply(
                deck, want_state, engine.Decide(seat=seat, option=option)
            )
            want_events += made
    except engine.IllegalCommand as exc:
        want_error = (type(exc), str(exc))
    try:
        got_state, got_events = r.apply_decisions(deck, state, choices)
    except engine.IllegalCommand as exc:
        assert (type(exc), str(exc)) == want_error
    else:
        assert want_error is None
        assert got_events == want_events
        assert same_state(got_state, want_state)
        assert got_state.__pydantic_fields_set__ == want_state.__pydantic_fields_set__


def test_apply_decisions_refuses_an_ended_game(mini_deck):
    game = Game.start(mini_deck, seed=1)
    game.end("time")
    with pytest.raises(engine.GameOver):
        r.apply_decisions(mini_deck, game.state, {"JPN": "charter"})


def test_decide_has_no_field_validation_could_change():
    """`Game.decide` skips validating values of exactly their field's type; that is only
    sound while no field of Decide has a constraint or a type pydantic would convert."""
    plain = {str, float, type(None)}
    for name, field in engine.Decide.model_fields.items():
        assert not field.metadata, name
        args = getattr(field.annotation, "__args__", (field.annotation,))
        assert set(args) <= plain, name


def test_decide_with_other_types_is_validated_as_before(mini_deck):
    game = Game.start(mini_deck, seed=1)
    game.draw("neo")
    (ev,) = game.decide("JPN", "charter", seconds=12)  # an int, validated into a float
    assert ev.seconds == 12.0 and type(ev.seconds) is float
    before = game.state
    with pytest.raises(ValidationError, match="option"):
        game.decide("ROK", 7)  # type: ignore[arg-type]
    assert game.state is before


def test_decide_errors_are_the_rules_errors(mini_deck):
    game = Game.start(mini_deck, seed=1, turns=1)
    with pytest.raises(engine.WrongPhase):
        game.decide("JPN", "charter")
    game.draw("neo")
    with pytest.raises(engine.UnknownId):
        game.decide("USA", "charter")
    with pytest.raises(engine.UnknownId):
        game.decide("JPN", "nope")
    game.decide("JPN", "charter")
    with pytest.raises(engine.AlreadyDecided):
        game.decide("JPN", "charter")
    game.decide("ROK", "go-alone")
    game.resolve()
    assert game.state.ended
    with pytest.raises(engine.GameOver):
        game.decide("JPN", "charter")


def test_card_indexes_follow_copies(mini_deck):
    card = mini_deck.card("neo")
    assert [o.id for o in card.options_for("JPN")] == ["sdf-airlift", "charter"]
    fewer = card.model_copy(update={"options": card.options[1:]})
    assert [o.id for o in fewer.options_for("JPN")] == ["charter"]
    assert fewer.option("JPN", "sdf-airlift") is None
    assert card.options_for("JPN") is not card.options_for("JPN")  # callers get their own list


def test_open_options_of_a_changed_copy_of_a_card(default_deck):
    """The per-deck table of a seat's options is the deck's card's: a changed copy with the
    same id gets its own options."""
    deck = default_deck
    card = next(c for c in deck.cards if len(c.options_for(deck.seat_ids()[0])) > 1)
    seat = deck.seat_ids()[0]
    state, _ = engine.start(deck, 1)
    assert crisis.open_options(deck, state, card, seat) == card.options_for(seat)
    fewer = card.model_copy(update={"options": card.options[1:]})
    assert crisis.open_options(deck, state, fewer, seat) == fewer.options_for(seat)
    assert crisis.open_options(deck, state, card, seat) == card.options_for(seat)
