"""Breakdowns of the standing decisions by seat and by interoperability dimension, and the
improvement plan from the hot wash."""

from __future__ import annotations

from collections.abc import Sequence

from wargame.aar.model import (
    DIMENSIONS,
    Decision,
    DimensionBreakdown,
    HotwashItem,
    ImprovementRow,
    SeatBreakdown,
)
from wargame.aar.review import Review


class Breakdowns(Review):
    def by_seat(self, decisions: list[Decision]) -> list[SeatBreakdown]:
        out = []
        for seat in self.deck.seat_ids():
            mine = [d for d in decisions if d.seat == seat]
            secs = [d.seconds for d in mine if d.seconds is not None]
            effects = {m: 0 for m in self.meter_ids}
            for d in mine:
                for ch in d.own_changes:
                    effects[ch.meter] += ch.delta
            out.append(
                SeatBreakdown(
                    seat=seat,
                    name=self.seat_name(seat) or seat,
                    decisions=len(mine),
                    dimensions={dim: sum(d.dimension == dim for d in mine) for dim in DIMENSIONS},
                    rationales=sum(bool(d.rationale.strip()) for d in mine),
                    seconds_total=sum(secs) if secs else None,
                    seconds_mean=sum(secs) / len(secs) if secs else None,
                    meter_effects={m: v for m, v in effects.items() if v},
                    choices=[f"{d.card_title}: {d.option_label}" for d in mine],
                )
            )
        return out

    def by_dimension(self, decisions: list[Decision]) -> list[DimensionBreakdown]:
        out = []
        for dim in DIMENSIONS:
            mine = [d for d in decisions if d.dimension == dim]
            effects = {m: 0 for m in self.meter_ids}
            for d in mine:
                for ch in d.own_changes:
                    if ch.option == d.option:
                        effects[ch.meter] += ch.delta
            cards: list[str] = []
            for d in mine:
                if d.card not in cards:
                    cards.append(d.card)
            out.append(
                DimensionBreakdown(
                    dimension=dim,
                    exercised=bool(mine),
                    decisions=len(mine),
                    by_seat={s: sum(d.seat == s for d in mine) for s in self.deck.seat_ids()},
                    meter_effects={m: v for m, v in effects.items() if v},
                    cards=cards,
                )
            )
        return out


def improvement_plan(items: Sequence[HotwashItem]) -> list[ImprovementRow]:
    """Pair each recommended action with the area for improvement entered just before it
    (the order a facilitator works in); areas with no action still get a row."""
    rows: list[ImprovementRow] = []
    issue: HotwashItem | None = None
    answered = False
    for item in items:
        if item.entry == "improvement":
            if issue is not None and not answered:
                rows.append(_row(issue, None))
            issue, answered = item, False
        elif item.entry == "action":
            rows.append(_row(issue, item))
            answered = True
    if issue is not None and not answered:
        rows.append(_row(issue, None))
    return rows


def _row(issue: HotwashItem | None, action: HotwashItem | None) -> ImprovementRow:
    return ImprovementRow(
        issue=issue.text if issue else "",
        action=action.text if action else "",
        seat=(action.seat if action and action.seat else None) or (issue.seat if issue else None),
        issue_seq=issue.seq if issue else None,
        action_seq=action.seq if action else None,
    )
