"""The event log on the board, written so that nothing leaks before resolution: a decision
shows only that a seat has decided, never its option or rationale."""

from __future__ import annotations

from rich.text import Text

from wargame.engine import seat_name
from wargame.model.deck import Deck
from wargame.model.game import (
    Adjudicated,
    CardDrawn,
    CardSkipped,
    DecisionMade,
    Event,
    GameEnded,
    GameState,
    HotwashAdded,
    NoteAdded,
    TimerChanged,
    TurnResolved,
    UndoKind,
    Undone,
    undo_words,
)


def describe(deck: Deck, state: GameState, ev: Event) -> Text | None:
    """One public line for an event, or None for events the board need not show."""
    t = f"T{getattr(ev, 'turn', state.turn)} "
    if isinstance(ev, CardDrawn):
        how = {"deck": "drawn", "followup": "follow-up", "facilitator": "chosen"}[ev.source]
        return Text(t) + Text(f"Inject revealed ({how}): {deck.card(ev.card).title}", "bold")
    if isinstance(ev, CardSkipped):
        return Text(
            t + f"Skipped: {deck.card(ev.card).title}" + (f" — {ev.reason}" if ev.reason else "")
        )
    if isinstance(ev, DecisionMade):
        return Text(t + f"{seat_name(deck, state, ev.seat)} has decided")
    if isinstance(ev, TurnResolved):
        card = deck.card(ev.card)
        picks = "; ".join(
            f"{seat}: {card.option(seat, opt).label}" for seat, opt in ev.choices.items()
        )
        return Text(t) + Text("Resolved: ", "bold") + Text(picks)
    if isinstance(ev, Adjudicated):
        label = deck.meter(ev.meter).label
        return Text(t + f"White Cell set {label} {ev.before} → {ev.after}: {ev.reason}")
    if isinstance(ev, Undone):
        return Text(f"Undone: {undone_what(deck, ev.undid, ev.ref)}", "italic")
    if isinstance(ev, NoteAdded):
        return Text(t + f"Note: {ev.text}", "italic")
    if isinstance(ev, TimerChanged):
        what = {"pause": "paused", "resume": "resumed", "extend": f"extended by {ev.seconds}s"}
        return Text(t + f"Timer {what[ev.action]}", "dim")
    if isinstance(ev, HotwashAdded):
        return Text(f"Hot wash ({ev.entry}): {ev.text}", "italic")
    if isinstance(ev, GameEnded):
        return Text(t) + Text(f"Game over: {ev.title}", "bold")
    return None


def undone_what(deck: Deck, kind: UndoKind, ref: str) -> str:
    """What an undo takes back, by the card's title or the meter's label."""
    if kind == "resolution" and deck.has_card(ref):
        return f"resolution of {deck.card(ref).title}"
    if kind == "adjudication" and ref in {m.id for m in deck.meters}:
        return f"adjustment of {deck.meter(ref).label}"
    return undo_words(kind, ref)
