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

from wargame.aar.breakdowns import Breakdowns, improvement_plan
from wargame.aar.crisis import crisis_parts
from wargame.aar.model import (
    AAR,
    Band,
    Decision,
    EndingInfo,
    HotwashItem,
    MeterInfo,
    ObjectiveInfo,
    Overview,
    Question,
    SeatInfo,
    SkippedCard,
    Status,
)
from wargame.aar.review import made
from wargame.aar.text import ending_words
from wargame.aar.timeline import Timeline
from wargame.aar.trajectory import Trajectory
from wargame.engine.standing import standing_decisions, standing_resolutions
from wargame.model.deck import Deck
from wargame.model.game import (
    Adjudicated,
    CardSkipped,
    DecisionMade,
    Event,
    GameStarted,
    HotwashAdded,
    NoteAdded,
    TurnResolved,
    Undone,
)


def _parse_time(stamp: str | None) -> datetime | None:
    if not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp)
    except ValueError:
        return None


class _Builder(Timeline, Trajectory, Breakdowns):
    """Everything the review holds, built from the parts above."""

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
        # Unvalidated: every value is the engine's (checked when the log was) or the deck's.
        return made(
            Decision,
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
            seconds=None if d.seconds is None else float(d.seconds),
            entered_by=d.entered_by,
            resolution_seq=res.seq,
            meter_deltas=net,
            own_changes=[self.change(c) for c in res.changes if c.seat == d.seat],
        )

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
        # The rules' own endings in the language of the review; a deck's in its words.
        ending = ending_words(out.reason, out.turn, out.title, out.text) if out else ("", "")
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
                    group=m.group,
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
                reason=out.reason,
                turn=out.turn,
                ending=out.ending,
                title=ending[0],
                text=ending[1],
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
            **crisis_parts(self, self.live_resolutions()),
        )


def build_aar(deck: Deck, events: Sequence[Event]) -> AAR:
    """The after-action review of a game, from its deck and event log alone."""
    return _Builder(deck, events).build()
