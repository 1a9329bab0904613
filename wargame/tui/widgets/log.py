"""The event log on the board, written so that nothing leaks before resolution: a decision
shows only that a seat has decided, never its option or rationale."""

from __future__ import annotations

from typing import assert_never

from rich.text import Text

from wargame.aar.timeline import timer_text
from wargame.engine import seat_name
from wargame.engine.crisis import label_of
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
    UndoKind,
    Undone,
    undo_words,
)


def describe(deck: Deck, state: GameState, ev: Event) -> Text | None:
    """One public line for an event, or None for events the board need not show."""
    t = f"T{getattr(ev, 'turn', state.turn)} "
    match ev:
        case GameStarted():
            return None
        case CardDrawn():
            how = {"deck": "drawn", "followup": "follow-up", "facilitator": "chosen"}[ev.source]
            return Text(t) + Text(f"Inject revealed ({how}): {deck.card(ev.card).title}", "bold")
        case CardSkipped():
            why = f" — {ev.reason}" if ev.reason else ""
            return Text(t + f"Skipped: {deck.card(ev.card).title}" + why)
        case DecisionMade():
            return Text(t + f"{seat_name(deck, state, ev.seat)} has decided")
        case TurnResolved():
            card = deck.card(ev.card)
            picks = "; ".join(
                f"{seat}: {card.option(seat, opt).label}" for seat, opt in ev.choices.items()
            )
            return Text(t) + Text("Resolved: ", "bold") + Text(picks)
        case Adjudicated():
            label = deck.meter(ev.meter).label
            return Text(t + f"White Cell set {label} {ev.before} → {ev.after}: {ev.reason}")
        case Undone():
            return Text(f"Undone: {undone_what(deck, ev.undid, ev.ref)}", "italic")
        case NoteAdded():
            return Text(t + f"Note: {ev.text}", "italic")
        case TimerChanged():
            return Text(t + timer_text(ev), "dim")
        case HotwashAdded():
            return Text(f"Hot wash ({ev.entry}): {ev.text}", "italic")
        case GameEnded():
            return Text(t) + Text(f"Game over: {ev.title}", "bold")
        case PhaseAdvanced():
            title = label_of(deck.phases, ev.phase)
            by = " (White Cell)" if ev.reason == "facilitator" else ""
            return Text(t) + Text(f"Phase: {title}{by}", "bold")
        case FlagChanged():
            label = label_of(deck.flags, ev.flag)
            return Text(t + f"{'Now' if ev.value else 'No longer'}: {label} — {ev.explain}")
        case ResourceSpent():
            label = label_of(deck.resources, ev.resource)
            return Text(
                t + f"{seat_name(deck, state, ev.seat)} spent {ev.amount} {label} ({ev.after} left)"
            )
        case RedCellMoved():
            return Text(t) + Text(f"Red cell — {ev.actor}: ", "bold red") + Text(ev.explain)
        case CheckpointReached():
            return Text(t) + Text(f"Checkpoint: {ev.title}", "bold")
        case CheckpointContinued():
            return Text(t + "White Cell continues past the checkpoint", "italic")
        case _:
            assert_never(ev)


def undone_what(deck: Deck, kind: UndoKind, ref: str) -> str:
    """What an undo takes back, by the card's title or the meter's label."""
    if kind == "resolution" and deck.has_card(ref):
        return f"resolution of {deck.card(ref).title}"
    if kind == "adjudication" and ref in {m.id for m in deck.meters}:
        return f"adjustment of {deck.meter(ref).label}"
    return undo_words(kind, ref)
