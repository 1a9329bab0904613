"""Turn a game's (deck, events) into an `AAR`. Pure: no I/O, no clock, no UI.

Undo: an `Undone` event rolls the rules state back to just before its target (a
resolution or an adjudication), so every event from the target up to the undo is
superseded, and the decisions that led to an undone resolution are superseded by the
re-decisions that follow. The timeline still shows all of them, marked `undone`; the
decisions, trajectories and breakdowns count only what stands in the final state (the
engine's `fold`). Notes and hot-wash entries are commentary, not rules state: an undo
never retracts them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, assert_never

from wargame.aar.crisis import crisis_entry, crisis_parts
from wargame.aar.model import (
    AAR,
    DIMENSIONS,
    Band,
    Cause,
    Decision,
    DimensionBreakdown,
    EndingInfo,
    HotwashItem,
    ImprovementRow,
    MeterChange,
    MeterInfo,
    MeterMove,
    ObjectiveInfo,
    Overview,
    Question,
    SeatBreakdown,
    SeatInfo,
    SkippedCard,
    Status,
    TimelineEntry,
    TrajectoryPoint,
    TurningPoint,
)
from wargame.engine import fold, seat_name
from wargame.engine.standing import standing_decisions, standing_resolutions, undone_seqs
from wargame.model.deck import Deck
from wargame.model.game import (
    MODE_LABELS,
    Adjudicated,
    CardDrawn,
    CardSkipped,
    Change,
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
    undo_words,
)
from wargame.model.game import MeterMove as EngineMove

ENTRY_NAMES = {
    "strength": "strength",
    "improvement": "area for improvement",
    "action": "recommended action",
}
LARGEST_SWINGS = 5  # the largest meter swings always listed as turning points
MAX_TURNING_POINTS = 12


def _parse_time(stamp: str | None) -> datetime | None:
    if not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp)
    except ValueError:
        return None


class _Builder:
    def __init__(self, deck: Deck, events: Sequence[Event]) -> None:
        self.deck = deck
        self.events = list(events)
        self.state: GameState = fold(deck, self.events)
        self.undone = undone_seqs(self.events)
        self.meter_ids = [m.id for m in deck.meters]
        self.meter_index = {m: i for i, m in enumerate(self.meter_ids)}
        self.seat_of = {e.seq: e.seat for e in self.events if isinstance(e, DecisionMade)}

    # --- small lookups ------------------------------------------------------------------

    def seat_name(self, seat: str | None) -> str | None:
        return None if seat is None else seat_name(self.deck, self.state, seat)

    def card_title(self, card: str | None) -> str | None:
        if card is None or not self.deck.has_card(card):
            return None
        return self.deck.card(card).title

    def option_label(self, card: str | None, seat: str | None, option: str | None) -> str | None:
        if card is None or seat is None or option is None or not self.deck.has_card(card):
            return None
        opt = self.deck.card(card).option(seat, option)
        return opt.label if opt else None

    def dimension(self, card: str, seat: str, option: str):
        c = self.deck.card(card)
        opt = c.option(seat, option)
        return c.dimension_of(opt) if opt else c.dimension

    def label(self, meter: str) -> str:
        return self.deck.meter(meter).label

    def band(self, meter: str, value: int) -> str:
        return self.deck.meter(meter).band(value)

    def change(self, ch: Change) -> MeterChange:
        return MeterChange(
            meter=ch.meter,
            meter_label=self.label(ch.meter),
            delta=ch.delta,
            explain=ch.explain,
            seat=ch.seat,
            option=ch.option,
            rule=ch.rule,
        )

    def move(self, meter: str, before: int, after: int, clamped: bool = False) -> MeterMove:
        return MeterMove(
            meter=meter,
            meter_label=self.label(meter),
            before=before,
            after=after,
            delta=after - before,
            clamped=clamped,
            band_before=self.band(meter, before),
            band_after=self.band(meter, after),
        )

    def moves(self, moves: Sequence[EngineMove]) -> list[MeterMove]:
        return [self.move(m.meter, m.before, m.after, m.clamped) for m in moves]

    # --- decisions ----------------------------------------------------------------------

    def live_resolutions(self) -> list[TurnResolved]:
        return standing_resolutions(self.events, self.undone)

    def decision_statuses(self) -> tuple[dict[int, Status], dict[int, TurnResolved]]:
        """Each decision's status, and the resolution each standing decision was part of."""
        decisions = [e for e in self.events if isinstance(e, DecisionMade)]
        part_of = {d.seq: res for d, res in standing_decisions(self.events, self.undone)}
        skips = [e for e in self.events if isinstance(e, CardSkipped) and e.seq not in self.undone]
        statuses: dict[int, Status] = {}
        st = self.state
        for d in decisions:
            if d.seq in part_of:
                statuses[d.seq] = "live"
            elif d.seq in self.undone:
                statuses[d.seq] = "undone"
            elif any(s.card == d.card and s.seq > d.seq for s in skips):
                statuses[d.seq] = "skipped"
            elif (
                st.card == d.card
                and st.decisions.get(d.seat) == d.option
                and not any(
                    o.card == d.card and o.seat == d.seat and o.seq > d.seq
                    for o in decisions
                    if o.seq not in self.undone
                )
            ):
                statuses[d.seq] = "unresolved"
            else:
                statuses[d.seq] = "undone"
        return statuses, part_of

    def decision(self, d: DecisionMade, res: TurnResolved) -> Decision:
        net = {m: 0 for m in self.meter_ids}
        for mv in res.moves:
            net[mv.meter] = mv.after - mv.before
        return Decision(
            seq=d.seq,
            at=d.at,
            turn=d.turn,
            card=d.card,
            card_title=self.card_title(d.card) or d.card,
            category=self.deck.card(d.card).category,
            seat=d.seat,
            seat_name=self.seat_name(d.seat) or d.seat,
            option=d.option,
            option_label=self.option_label(d.card, d.seat, d.option) or d.option,
            dimension=self.dimension(d.card, d.seat, d.option),
            rationale=d.rationale,
            seconds=d.seconds,
            entered_by=d.entered_by,
            resolution_seq=res.seq,
            meter_deltas=net,
            own_changes=[self.change(c) for c in res.changes if c.seat == d.seat],
        )

    # --- timeline -----------------------------------------------------------------------

    def entry(self, ev: Event, status: Status) -> TimelineEntry:
        base: dict[str, Any] = {"seq": ev.seq, "at": ev.at, "status": status}
        match ev:
            case GameStarted():
                names = ", ".join(f"{s.id}: {self.seat_name(s.id)}" for s in self.deck.seats)
                mode = MODE_LABELS.get(ev.mode, ev.mode)
                return TimelineEntry(
                    **base,
                    turn=0,
                    kind="started",
                    summary=f"Game started on {self.deck.deck.title} "
                    f"(seed {ev.seed}, {ev.turns} turns, {mode}; {names})",
                )
            case CardDrawn():
                card = self.deck.card(ev.card)
                how = {"deck": "drawn", "followup": "follow-up", "facilitator": "picked"}[ev.source]
                return TimelineEntry(
                    **base,
                    turn=ev.turn,
                    kind="drawn",
                    summary=f"Card {how}: {card.title}",
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
                    summary=f"Card skipped: {card.title}{why}",
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
                    summary=f"{self.seat_name(ev.seat)} chose: {label}",
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
                    summary=f"Resolved {card.title}: {moved or 'no meter moved'}",
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
                    summary=f"Adjudicated {self.label(ev.meter)} {ev.before} → {ev.after}: "
                    f"{ev.reason}",
                    text=ev.reason,
                    moves=[self.move(ev.meter, ev.before, ev.after)],
                )
            case Undone():
                return TimelineEntry(
                    **base,
                    turn=self._turn_at(ev.seq),
                    kind="undone",
                    summary=f"Undid the {undo_words(ev.undid, ev.ref)} (event {ev.target})",
                    text=undo_words(ev.undid, ev.ref),
                )
            case NoteAdded():
                return TimelineEntry(
                    **base, turn=ev.turn, kind="note", summary=f"Note: {ev.text}", text=ev.text
                )
            case TimerChanged():
                what = f"extended by {ev.seconds} s" if ev.action == "extend" else f"{ev.action}d"
                return TimelineEntry(
                    **base, turn=ev.turn, kind="timer", summary=f"Timer {what}", text=ev.action
                )
            case HotwashAdded():
                return TimelineEntry(
                    **base,
                    turn=self._turn_at(ev.seq),
                    kind="hotwash",
                    summary=f"Hot wash, {ENTRY_NAMES[ev.entry]}: {ev.text}",
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
                    summary=f"Game ended: {ev.title}",
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

    def _turn_at(self, seq: int) -> int:
        """The turn in progress at an event that does not record one."""
        turn = 0
        for ev in self.events:
            if ev.seq >= seq:
                break
            turn = getattr(ev, "turn", turn)
        return turn

    # --- trajectory and turning points --------------------------------------------------

    def trajectory(self) -> tuple[list[TrajectoryPoint], list[list[Event]]]:
        """The points, and for each step after the first the live events that moved meters."""
        values = {m.id: m.start for m in self.deck.meters}
        points = [TrajectoryPoint(turn=0, label="start", seq=None, values=dict(values))]
        steps: list[list[Event]] = []
        pending: list[Event] = []
        for ev in self.events:
            if ev.seq in self.undone:
                continue
            if isinstance(ev, Adjudicated):
                values[ev.meter] = ev.after
                pending.append(ev)
            elif isinstance(ev, TurnResolved):
                for mv in ev.moves:
                    values[mv.meter] = mv.after
                pending.append(ev)
                points.append(
                    TrajectoryPoint(
                        turn=ev.turn, label=f"turn {ev.turn}", seq=ev.seq, values=dict(values)
                    )
                )
                steps.append(pending)
                pending = []
            elif isinstance(ev, RedCellMoved) and ev.moves and steps:
                # A red-cell move follows its turn's resolution: it belongs to that turn's point.
                for mv in ev.moves:
                    values[mv.meter] = mv.after
                points[-1] = points[-1].model_copy(update={"values": dict(values), "seq": ev.seq})
                steps[-1].append(ev)
        if pending:
            last = pending[-1]
            points.append(
                TrajectoryPoint(
                    turn=points[-1].turn + 1, label="end", seq=last.seq, values=dict(values)
                )
            )
            steps.append(pending)
        return points, steps

    def causes(
        self, meter: str, step: list[Event], part_of: dict[int, TurnResolved]
    ) -> list[Cause]:
        out: list[Cause] = []
        for ev in step:
            if isinstance(ev, Adjudicated) and ev.meter == meter:
                out.append(
                    Cause(
                        kind="adjudication",
                        seat=None,
                        option=None,
                        option_label=None,
                        delta=ev.after - ev.before,
                        explain=ev.reason,
                        seq=ev.seq,
                    )
                )
            elif isinstance(ev, TurnResolved):
                by_seat = {
                    self.seat_of[seq]: seq for seq, res in part_of.items() if res.seq == ev.seq
                }
                for ch in ev.changes:
                    if ch.meter != meter:
                        continue
                    kind = {"option": "decision", "extra": "extra"}.get(ch.rule, "joint")
                    out.append(
                        Cause(
                            kind=kind,  # type: ignore[arg-type]
                            seat=ch.seat,
                            option=ch.option,
                            option_label=self.option_label(ev.card, ch.seat, ch.option),
                            delta=ch.delta,
                            explain=ch.explain,
                            seq=by_seat.get(ch.seat, ev.seq) if ch.seat else ev.seq,
                        )
                    )
        return out

    def turning_points(
        self,
        points: list[TrajectoryPoint],
        steps: list[list[Event]],
        part_of: dict[int, TurnResolved],
    ) -> list[TurningPoint]:
        candidates = []
        for i, step in enumerate(steps):
            a, b = points[i], points[i + 1]
            res = next((e for e in step if isinstance(e, TurnResolved)), None)
            for meter in self.meter_ids:
                before, after = a.values[meter], b.values[meter]
                if before == after:
                    continue
                candidates.append((i, meter, before, after, res, step))
        by_size = sorted(
            candidates, key=lambda c: (-abs(c[3] - c[2]), c[0], self.meter_index[c[1]])
        )
        largest = {(c[0], c[1]) for c in by_size[:LARGEST_SWINGS]}
        crossings = [c for c in by_size if self.band(c[1], c[2]) != self.band(c[1], c[3])]
        chosen = [c for c in by_size if (c[0], c[1]) in largest]
        for c in crossings:
            if len(chosen) >= MAX_TURNING_POINTS:
                break
            if (c[0], c[1]) not in largest:
                chosen.append(c)
        chosen.sort(key=lambda c: (c[0], self.meter_index[c[1]]))
        out = []
        for i, meter, before, after, res, step in chosen:
            point = points[i + 1]
            band_before, band_after = self.band(meter, before), self.band(meter, after)
            out.append(
                TurningPoint(
                    turn=point.turn,
                    label=point.label,
                    card=res.card if res else None,
                    card_title=self.card_title(res.card) if res else None,
                    meter=meter,
                    meter_label=self.label(meter),
                    before=before,
                    after=after,
                    delta=after - before,
                    band_before=band_before,
                    band_after=band_after,
                    crossed_band=band_before != band_after,
                    largest_swing=(i, meter) in largest,
                    causes=self.causes(meter, step, part_of),
                )
            )
        return out

    # --- breakdowns ---------------------------------------------------------------------

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

    # --- the whole review ---------------------------------------------------------------

    def overview(self, decisions: list[Decision]) -> Overview:
        started = self.events[0]
        assert isinstance(started, GameStarted)
        stamps = [e.at for e in self.events if e.at]
        first, last = (stamps[0], stamps[-1]) if stamps else (None, None)
        t0, t1 = _parse_time(first), _parse_time(last)
        duration = None
        if t0 is not None and t1 is not None:
            try:
                duration = (t1 - t0).total_seconds()
            except TypeError:  # one stamp with a time zone, one without
                duration = None
        out = self.state.outcome
        live = [e for e in self.events if e.seq not in self.undone]
        meters = []
        for m in self.deck.meters:
            final = self.state.meters[m.id]
            meters.append(
                MeterInfo(
                    id=m.id,
                    label=m.label,
                    kind=m.kind,
                    min=m.min,
                    max=m.max,
                    start=m.start,
                    final=final,
                    start_band=m.band(m.start),
                    final_band=m.band(final),
                    bands=[Band(name=n, low=low) for n, low in m.band_bounds()],
                )
            )
        return Overview(
            deck_id=self.deck.id,
            deck_title=self.deck.deck.title,
            deck_summary=self.deck.deck.summary,
            deck_hash=started.deck_hash,
            date=t0.date().isoformat() if t0 else None,
            started_at=first,
            ended_at=last,
            duration_seconds=duration,
            seed=started.seed,
            mode=started.mode,
            turns_planned=started.turns,
            turns_played=len(self.state.played),
            seats=[
                SeatInfo(id=s.id, name=self.seat_name(s.id) or s.name, deck_name=s.name)
                for s in self.deck.seats
            ],
            meters=meters,
            ending=EndingInfo(
                reason=out.reason, turn=out.turn, ending=out.ending, title=out.title, text=out.text
            )
            if out
            else None,
            events=len(self.events),
            decisions=len(decisions),
            adjudications=sum(isinstance(e, Adjudicated) for e in live),
            notes=sum(isinstance(e, NoteAdded) for e in self.events),
            undos=sum(isinstance(e, Undone) for e in self.events),
            skipped_cards=sum(isinstance(e, CardSkipped) for e in live),
        )

    def hotwash(self) -> list[HotwashItem]:
        return [
            HotwashItem(
                seq=e.seq,
                at=e.at,
                entry=e.entry,
                text=e.text,
                seat=e.seat,
                card=e.card,
                card_title=self.card_title(e.card),
                objective=e.objective,
            )
            for e in self.events
            if isinstance(e, HotwashAdded)
        ]

    def build(self) -> AAR:
        statuses, part_of = self.decision_statuses()
        decisions = [
            self.decision(e, part_of[e.seq])
            for e in self.events
            if isinstance(e, DecisionMade) and e.seq in part_of
        ]
        timeline = []
        for ev in self.events:
            if isinstance(ev, DecisionMade):
                status = statuses[ev.seq]
            elif isinstance(ev, NoteAdded | HotwashAdded | Undone):
                status = "live"
            else:
                status = "undone" if ev.seq in self.undone else "live"
            timeline.append(self.entry(ev, status))
        points, steps = self.trajectory()
        hotwash = self.hotwash()
        questions = [
            Question(
                turn=res.turn, card=res.card, card_title=self.deck.card(res.card).title, text=q
            )
            for res in self.live_resolutions()
            for q in self.deck.card(res.card).questions
        ]
        skipped = [
            SkippedCard(
                seq=e.seq,
                turn=e.turn,
                card=e.card,
                card_title=self.deck.card(e.card).title,
                reason=e.reason,
            )
            for e in self.events
            if isinstance(e, CardSkipped) and e.seq not in self.undone
        ]
        return AAR(
            overview=self.overview(decisions),
            objectives=[
                ObjectiveInfo(
                    id=o.id, text=o.text, hotwash=[h.seq for h in hotwash if h.objective == o.id]
                )
                for o in self.deck.deck.objectives
            ],
            timeline=timeline,
            decisions=decisions,
            trajectory=points,
            turning_points=self.turning_points(points, steps, part_of),
            by_seat=self.by_seat(decisions),
            by_dimension=self.by_dimension(decisions),
            questions=questions,
            skipped=skipped,
            hotwash=hotwash,
            improvement_plan=improvement_plan(hotwash),
            **crisis_parts(self),
        )


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


def build_aar(deck: Deck, events: Sequence[Event]) -> AAR:
    """The after-action review of a game, from its deck and event log alone."""
    return _Builder(deck, events).build()
