"""Replay with verification: re-run every recorded event as a command and check that the
rules produce exactly the recorded events again. This is what loading a save does, so an
edited or damaged log is caught at the event where it goes wrong."""

from __future__ import annotations

from collections.abc import Sequence
from typing import assert_never

from wargame.engine import errors
from wargame.engine import rules as r
from wargame.model.deck import Deck
from wargame.model.game import (
    Adjudicated,
    CardDrawn,
    CardSkipped,
    CheckpointContinued,
    CheckpointReached,
    DecisionMade,
    Event,
    FlagChanged,
    GameEnded,
    GameStarted,
    GameState,
    HotwashAdded,
    NoteAdded,
    PhaseAdvanced,
    RedCellMoved,
    ResourceSpent,
    TimerChanged,
    TurnResolved,
    Undone,
)


def command_of(ev: Event) -> r.Command:
    """The command that produced an event (the first event of its batch)."""
    at = ev.at
    match ev:
        case CardDrawn():
            return r.Draw(card=ev.card if ev.source == "facilitator" else None, at=at)
        case CardSkipped():
            return r.Skip(reason=ev.reason, at=at)
        case DecisionMade():
            return r.Decide(
                seat=ev.seat,
                option=ev.option,
                rationale=ev.rationale,
                seconds=ev.seconds,
                entered_by=ev.entered_by,
                at=at,
            )
        case TurnResolved():
            return r.Resolve(at=at)
        case Adjudicated():
            return r.Adjudicate(meter=ev.meter, value=ev.after, reason=ev.reason, at=at)
        case Undone():
            return r.Undo(at=at)
        case NoteAdded():
            return r.Note(text=ev.text, at=at)
        case TimerChanged():
            return r.Timer(action=ev.action, seconds=ev.seconds, at=at)
        case HotwashAdded():
            return r.Hotwash(
                entry=ev.entry,
                text=ev.text,
                seat=ev.seat,
                card=ev.card,
                objective=ev.objective,
                at=at,
            )
        case GameEnded(reason="facilitator"):
            return r.End(reason=ev.text, at=at)
        case GameEnded(reason="deck"):
            # A random draw with nothing to draw (in a resolution's batch it never comes first).
            return r.Draw(at=at)
        case PhaseAdvanced(reason="facilitator"):
            return r.AdvancePhase(at=at)
        case CheckpointContinued():
            return r.Continue(reason=ev.reason, at=at)
        case (
            GameEnded()
            | GameStarted()
            | PhaseAdvanced()
            | FlagChanged()
            | ResourceSpent()
            | RedCellMoved()
            | CheckpointReached()
        ):
            # A start begins the log; the rest come in the batch of a resolution (an
            # ending also in that of a continue past a checkpoint).
            raise errors.ReplayMismatch(f"event {ev.seq} ({ev.kind}) does not start a command")
        case _:
            assert_never(ev)


def _worded_then(want: Event, got: Event, turns: int) -> bool:
    """An ending the rules wrote themselves whose recorded words are those an earlier
    version of the rules wrote (format 1: "ran its full 1 turns"). An old game keeps the
    words it was played with, in its state and its exports, as it keeps its time stamps."""
    return (
        isinstance(want, GameEnded)
        and isinstance(got, GameEnded)
        and (want.title, want.text) in r.former_words(got, turns)
        and want == got.model_copy(update={"at": want.at, "title": want.title, "text": want.text})
    )


def replay(deck: Deck, events: Sequence[Event]) -> GameState:
    """Rebuild and verify: the state after the log, or `ReplayMismatch` naming the event."""
    if not events or not isinstance(events[0], GameStarted):
        raise errors.ReplayMismatch("the log does not begin with a game start")
    first = events[0]
    if first.deck_hash != deck.content_hash:
        raise errors.ReplayMismatch("the log was played on a different version of this deck")
    try:
        state, made = r.start(
            deck, first.seed, first.turns, first.mode, first.team_names, at=first.at
        )
    except errors.IllegalCommand as exc:
        raise errors.ReplayMismatch(f"event 1 (started): {exc}") from None
    if made[0] != first:
        raise errors.ReplayMismatch("event 1 (started) does not match a fresh start")
    i = 1
    while i < len(events):
        ev = events[i]
        before = state
        try:
            state, batch = r.apply(deck, state, command_of(ev))
        except errors.IllegalCommand as exc:
            raise errors.ReplayMismatch(f"event {ev.seq} ({ev.kind}): {exc}") from None
        recorded = list(events[i : i + len(batch)])
        worded = False
        for want, got in zip(recorded, batch, strict=False):
            if want != got.model_copy(update={"at": want.at}):
                if not _worded_then(want, got, before.turns):
                    raise errors.ReplayMismatch(
                        f"event {want.seq} ({want.kind}) differs from what the rules produce"
                    )
                worded = True
        if len(recorded) < len(batch):
            raise errors.ReplayMismatch(f"the log ends inside the batch of event {ev.seq}")
        if worded:  # the state holds the words the log recorded
            state = before
            for want in recorded:
                state = r.reduce(deck, state, want)
        # Keep the recorded time stamps so the rebuilt log equals the saved one.
        i += len(batch)
    return state
