"""The meters over the game (a point per standing resolution) and its turning points:
the largest swings and the band crossings, each with its causes."""

from __future__ import annotations

from wargame.aar.model import (
    Cause,
    TrajectoryPoint,
    TurningPoint,
)
from wargame.aar.review import Review
from wargame.i18n import _
from wargame.model.game import (
    Adjudicated,
    Event,
    RedCellMoved,
    TurnResolved,
)

LARGEST_SWINGS = 5  # the largest meter swings always listed as turning points
MAX_TURNING_POINTS = 12


class Trajectory(Review):
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
                        turn=ev.turn,
                        label=_("turn {turn}").format(turn=ev.turn),
                        seq=ev.seq,
                        values=dict(values),
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
