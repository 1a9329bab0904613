"""The after-action review's schema-2 parts: timeline entries for phases, flags, resources,
red-cell moves and checkpoints."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, assert_never

from wargame.aar.model import (
    CrisisSummary,
    PrivateBriefing,
    PrivateCard,
    PrivateObjectiveResult,
    TimelineEntry,
)
from wargame.engine import crisis
from wargame.engine.crisis import label_of
from wargame.engine.crisis_reducer import CrisisEvent
from wargame.i18n import N_, _
from wargame.model.game import (
    CheckpointContinued,
    CheckpointReached,
    FlagChanged,
    PhaseAdvanced,
    RedCellMoved,
    ResourceSpent,
)

if TYPE_CHECKING:  # the timeline and the builder import this module
    from wargame.aar.review import Review
    from wargame.model.game import TurnResolved

PHASE_WHY = {
    "turns": N_("its turns are played"),
    "condition": N_("its condition holds"),
    "facilitator": N_("the White Cell moved it on"),
}


def crisis_entry(b: Review, ev: CrisisEvent, base: dict[str, Any]) -> TimelineEntry:
    deck = b.deck
    match ev:
        case PhaseAdvanced():
            title = label_of(deck.phases, ev.phase)
            return TimelineEntry(
                **base,
                turn=ev.turn,
                kind="phase",
                summary=_("Phase: {title} (after {label_of}: {PHASE_WHY})").format(
                    title=title,
                    label_of=label_of(deck.phases, ev.previous),
                    PHASE_WHY=_(PHASE_WHY[ev.reason]),
                ),
                phase=ev.phase,
                text=ev.reason,
            )
        case FlagChanged():
            label = label_of(deck.flags, ev.flag)
            who = _("red cell ({rule})").format(rule=ev.rule) if ev.rule else ev.source
            return TimelineEntry(
                **base,
                turn=ev.turn,
                kind="flag",
                summary=f"{'Set' if ev.value else 'Cleared'}: {label} — {ev.explain}",
                flag=ev.flag,
                seat=ev.seat,
                seat_name=b.seat_name(ev.seat),
                text=who,
            )
        case ResourceSpent():
            label = label_of(deck.resources, ev.resource)
            return TimelineEntry(
                **base,
                turn=ev.turn,
                kind="spent",
                summary=_("{seat_name} spent {amount} {label} ({before} → {after})").format(
                    seat_name=b.seat_name(ev.seat),
                    amount=ev.amount,
                    label=label,
                    before=ev.before,
                    after=ev.after,
                ),
                seat=ev.seat,
                seat_name=b.seat_name(ev.seat),
                option=ev.option,
                text=ev.resource,
            )
        case RedCellMoved():
            moved = ", ".join(f"{b.label(m.meter)} {m.after - m.before:+d}" for m in ev.moves)
            queued = (
                _("; queues {card_title}").format(card_title=b.card_title(ev.card))
                if ev.card
                else ""
            )
            return TimelineEntry(
                **base,
                turn=ev.turn,
                kind="redcell",
                summary=_("Red cell — {actor}: {explain}{value}{queued}").format(
                    actor=ev.actor,
                    explain=ev.explain,
                    value=" (" + moved + ")" if moved else "",
                    queued=queued,
                ),
                actor=ev.actor,
                card=ev.card,
                card_title=b.card_title(ev.card),
                changes=[b.change(c) for c in ev.changes],
                moves=b.moves(ev.moves),
                text=ev.rule,
            )
        case CheckpointReached():
            return TimelineEntry(
                **base,
                turn=ev.turn,
                kind="checkpoint",
                summary=_("Checkpoint reached: {title}").format(title=ev.title),
                text=ev.text,
            )
        case CheckpointContinued():
            why = f": {ev.reason}" if ev.reason else ""
            return TimelineEntry(
                **base,
                turn=ev.turn,
                kind="continued",
                summary=_("The White Cell continued past {label_of}{why}").format(
                    label_of=label_of(deck.endings, ev.ending), why=why
                ),
                text=ev.reason,
            )
        case _:
            assert_never(ev)


def crisis_parts(b: Review, resolutions: list[TurnResolved]) -> dict[str, Any]:
    """The AAR's schema-2 sections (none for a deck without the parts): the scenario's end
    state, the private briefings reconciled with the choices, the private objectives."""
    deck, state = b.deck, b.state
    if deck.schema_version < 2:
        return {}
    out: dict[str, Any] = {}
    if deck.phases or deck.flags or deck.resources or deck.red_cell:
        moves = sum(1 for e in b.events if isinstance(e, RedCellMoved) and e.seq not in b.undone)
        out["crisis"] = CrisisSummary(
            phase=state.scenario_phase,
            phase_title=crisis.phase_title(deck, state),
            flags=[label_of(deck.flags, f) for f in state.flags],
            resources=dict(state.resources),
            red_cell_moves=moves,
            checkpoints_passed=[label_of(deck.endings, e) for e in state.passed],
        )
    cards = []
    for res in resolutions:
        card = deck.card(res.card)
        if not card.private:
            continue
        briefings = []
        for seat in deck.seat_ids():
            if seat in card.private:
                option = res.choices.get(seat)
                briefings.append(
                    PrivateBriefing(
                        seat=seat,
                        seat_name=b.seat_name(seat) or seat,
                        text=card.private[seat],
                        option=option,
                        option_label=b.option_label(card.id, seat, option) if option else None,
                    )
                )
        cards.append(
            PrivateCard(turn=res.turn, card=card.id, card_title=card.title, briefings=briefings)
        )
    out["private_briefings"] = cards
    out["private_objectives"] = [
        PrivateObjectiveResult(seat=seat, seat_name=b.seat_name(seat) or seat, text=text, met=met)
        for seat, text, met in crisis.private_objectives(deck, state)
    ]
    return out
