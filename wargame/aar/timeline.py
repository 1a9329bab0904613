"""The AAR's timeline: one entry per event of every kind, undone ones marked."""

from __future__ import annotations

from typing import Any, assert_never

from wargame.aar.crisis import crisis_entry
from wargame.aar.model import (
    Status,
    TimelineEntry,
)
from wargame.aar.review import Review
from wargame.engine.turn_clock import timer_text
from wargame.i18n import N_, _
from wargame.model.game import (
    MODE_LABELS,
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
    HotwashAdded,
    NoteAdded,
    PhaseAdvanced,
    RedCellMoved,
    ResourceSpent,
    TimerChanged,
    TurnResolved,
    Undone,
    undo_words,
)

ENTRY_NAMES = {
    "strength": "strength",
    "improvement": N_("area for improvement"),
    "action": N_("recommended action"),
}


class Timeline(Review):
    def entry(self, ev: Event, status: Status) -> TimelineEntry:
        base: dict[str, Any] = {"seq": ev.seq, "at": ev.at, "status": status}
        match ev:
            case GameStarted():
                names = ", ".join(f"{s.id}: {self.seat_name(s.id)}" for s in self.deck.seats)
                mode = _(MODE_LABELS.get(ev.mode, ev.mode))
                return TimelineEntry(
                    **base,
                    turn=0,
                    kind="started",
                    summary=_(
                        "Game started on {title} (seed {seed}, {turns} turns, {mode}; {names})"
                    ).format(
                        title=self.deck.deck.title,
                        seed=ev.seed,
                        turns=ev.turns,
                        mode=mode,
                        names=names,
                    ),
                )
            case CardDrawn():
                card = self.deck.card(ev.card)
                how = {"deck": _("drawn"), "followup": _("follow-up"), "facilitator": _("picked")}[
                    ev.source
                ]
                return TimelineEntry(
                    **base,
                    turn=ev.turn,
                    kind="drawn",
                    summary=_("Card {how}: {title}").format(how=how, title=card.title),
                    card=ev.card,
                    card_title=card.title,
                    category=card.category,
                    text=ev.source,
                )
            case CardSkipped():
                card = self.deck.card(ev.card)
                why = f" ({ev.reason})" if ev.reason else ""
                return TimelineEntry(
                    **base,
                    turn=ev.turn,
                    kind="skipped",
                    summary=_("Card skipped: {title}{why}").format(title=card.title, why=why),
                    card=ev.card,
                    card_title=card.title,
                    category=card.category,
                    text=ev.reason,
                )
            case DecisionMade():
                card = self.deck.card(ev.card)
                label = self.option_label(ev.card, ev.seat, ev.option) or ev.option
                return TimelineEntry(
                    **base,
                    turn=ev.turn,
                    kind="decided",
                    summary=_("{seat_name} chose: {label}").format(
                        seat_name=self.seat_name(ev.seat), label=label
                    ),
                    card=ev.card,
                    card_title=card.title,
                    category=card.category,
                    seat=ev.seat,
                    seat_name=self.seat_name(ev.seat),
                    option=ev.option,
                    option_label=label,
                    dimension=self.dimension(ev.card, ev.seat, ev.option),
                    rationale=ev.rationale,
                    seconds=ev.seconds,
                    entered_by=ev.entered_by,
                )
            case TurnResolved():
                card = self.deck.card(ev.card)
                moved = ", ".join(
                    f"{self.label(m.meter)} {m.after - m.before:+d}" for m in ev.moves
                )
                return TimelineEntry(
                    **base,
                    turn=ev.turn,
                    kind="resolved",
                    summary=_("Resolved {title}: {value}").format(
                        title=card.title, value=moved or _("no meter moved")
                    ),
                    card=ev.card,
                    card_title=card.title,
                    category=card.category,
                    changes=[self.change(c) for c in ev.changes],
                    moves=self.moves(ev.moves),
                )
            case Adjudicated():
                return TimelineEntry(
                    **base,
                    turn=ev.turn,
                    kind="adjudicated",
                    summary=_("Adjudicated {label} {before} → {after}: {reason}").format(
                        label=self.label(ev.meter),
                        before=ev.before,
                        after=ev.after,
                        reason=ev.reason,
                    ),
                    text=ev.reason,
                    moves=[self.move(ev.meter, ev.before, ev.after)],
                )
            case Undone():
                return TimelineEntry(
                    **base,
                    turn=self._turn_at(ev.seq),
                    kind="undone",
                    summary=self.undid(ev.undid, ev.ref),
                    text=undo_words(ev.undid, ev.ref),
                )
            case NoteAdded():
                return TimelineEntry(
                    **base,
                    turn=ev.turn,
                    kind="note",
                    summary=_("Note: {text}").format(text=ev.text),
                    text=ev.text,
                )
            case TimerChanged():
                return TimelineEntry(
                    **base, turn=ev.turn, kind="timer", summary=timer_text(ev), text=ev.action
                )
            case HotwashAdded():
                return TimelineEntry(
                    **base,
                    turn=self._turn_at(ev.seq),
                    kind="hotwash",
                    summary=_("Hot wash, {ENTRY_NAMES}: {text}").format(
                        ENTRY_NAMES=_(ENTRY_NAMES[ev.entry]), text=ev.text
                    ),
                    card=ev.card,
                    card_title=self.card_title(ev.card),
                    category=self.deck.card(ev.card).category if ev.card else None,
                    seat=ev.seat,
                    seat_name=self.seat_name(ev.seat),
                    text=ev.text,
                )
            case GameEnded():
                return TimelineEntry(
                    **base,
                    turn=ev.turn,
                    kind="ended",
                    summary=_("Game ended: {title}").format(title=ev.title),
                    text=ev.text,
                )
            case (
                PhaseAdvanced()
                | FlagChanged()
                | ResourceSpent()
                | RedCellMoved()
                | CheckpointReached()
                | CheckpointContinued()
            ):
                return crisis_entry(self, ev, base)
            case _:
                assert_never(ev)
