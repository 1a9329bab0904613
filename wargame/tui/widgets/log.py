"""The event log on the board, written so that nothing leaks before resolution: a decision
shows only that a seat has decided, never its option or rationale."""

from __future__ import annotations

from typing import assert_never

from rich.text import Text

from wargame.engine import seat_name
from wargame.engine.crisis import label_of
from wargame.engine.turn_clock import timer_text
from wargame.i18n import _
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
            how = {"deck": _("drawn"), "followup": _("follow-up"), "facilitator": _("chosen")}[
                ev.source
            ]
            return Text(t) + Text(
                _("Inject revealed ({how}): {title}").format(
                    how=how, title=deck.card(ev.card).title
                ),
                "bold",
            )
        case CardSkipped():
            why = f" — {ev.reason}" if ev.reason else ""
            return Text(t + _("Skipped: {title}").format(title=deck.card(ev.card).title) + why)
        case DecisionMade():
            return Text(
                t + _("{seat_name} has decided").format(seat_name=seat_name(deck, state, ev.seat))
            )
        case TurnResolved():
            card = deck.card(ev.card)
            picks = "; ".join(
                f"{seat_name(deck, state, seat)}: {card.option(seat, opt).label}"
                for seat, opt in ev.choices.items()
            )
            return Text(t) + Text(_("Resolved: "), "bold") + Text(picks)
        case Adjudicated():
            label = deck.meter(ev.meter).label
            return Text(
                t
                + _("White Cell set {label} {before} → {after}: {reason}").format(
                    label=label, before=ev.before, after=ev.after, reason=ev.reason
                )
            )
        case Undone():
            return Text(
                _("Undone: {undone_what}").format(undone_what=undone_what(deck, ev.undid, ev.ref)),
                "italic",
            )
        case NoteAdded():
            return Text(t + _("Note: {text}").format(text=ev.text), "italic")
        case TimerChanged():
            return Text(t + timer_text(ev), "dim")
        case HotwashAdded():
            return Text(
                _("Hot wash ({entry}): {text}").format(entry=ev.entry, text=ev.text), "italic"
            )
        case GameEnded():
            from wargame.aar.text import ending_words  # loaded when a game ends

            title = ending_words(ev.reason, ev.turn, ev.title, ev.text)[0]
            return Text(t) + Text(_("Game over: {title}").format(title=title), "bold")
        case PhaseAdvanced():
            title = label_of(deck.phases, ev.phase)
            by = _(" (White Cell)") if ev.reason == "facilitator" else ""
            return Text(t) + Text(_("Phase: {title}{by}").format(title=title, by=by), "bold")
        case FlagChanged():
            label = label_of(deck.flags, ev.flag)
            now = _("Now: {label} — {explain}") if ev.value else _("No longer: {label} — {explain}")
            return Text(t + now.format(label=label, explain=ev.explain))
        case ResourceSpent():
            label = label_of(deck.resources, ev.resource)
            return Text(
                t
                + _("{seat_name} spent {amount} {label} ({after} left)").format(
                    seat_name=seat_name(deck, state, ev.seat),
                    amount=ev.amount,
                    label=label,
                    after=ev.after,
                )
            )
        case RedCellMoved():
            return (
                Text(t)
                + Text(_("Red cell — {actor}: ").format(actor=ev.actor), "bold red")
                + Text(ev.explain)
            )
        case CheckpointReached():
            return Text(t) + Text(_("Checkpoint: {title}").format(title=ev.title), "bold")
        case CheckpointContinued():
            return Text(t + _("White Cell continues past the checkpoint"), "italic")
        case _:
            assert_never(ev)


def undone_what(deck: Deck, kind: UndoKind, ref: str) -> str:
    """What an undo takes back, by the card's title or the meter's label."""
    if kind == "resolution" and deck.has_card(ref):
        return _("resolution of {title}").format(title=deck.card(ref).title)
    if kind == "adjudication" and ref in {m.id for m in deck.meters}:
        return _("adjustment of {label}").format(label=deck.meter(ref).label)
    return undo_words(kind, ref)
