"""What still stands in a game's log after its undos: one answer for every report.

An `Undone` event rolls the rules state back to just before its target (a resolution or an
adjudication), so every event from the target up to the undo is taken back; the decisions
that led to an undone resolution are replaced by the re-decisions that follow it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from wargame.model.game import DecisionMade, Event, TurnResolved, Undone


def undone_seqs(events: Sequence[Event]) -> set[int]:
    """The seqs of the events some undo took back (the undos themselves stand)."""
    seqs = [e.seq for e in events]  # increasing in any log the rules wrote
    out: set[int] = set()
    for ev in events:
        if isinstance(ev, Undone):
            out.update(seqs[bisect_left(seqs, ev.target) : bisect_left(seqs, ev.seq)])
    return out


def standing_resolutions(
    events: Sequence[Event], undone: set[int] | None = None
) -> list[TurnResolved]:
    """The resolutions no undo took back, in log order."""
    gone = undone_seqs(events) if undone is None else undone
    return [e for e in events if isinstance(e, TurnResolved) and e.seq not in gone]


def standing_decisions(
    events: Sequence[Event], undone: set[int] | None = None
) -> list[tuple[DecisionMade, TurnResolved]]:
    """Every decision that stands, with the standing resolution it was part of, in log
    order: for each seat on each resolved card, its last decision not taken back before
    that resolution (a re-decision after an undo comes later than the one it replaces)."""
    gone = undone_seqs(events) if undone is None else undone
    latest: dict[tuple[str, str], DecisionMade] = {}
    part_of: dict[int, TurnResolved] = {}
    for ev in events:
        if ev.seq in gone:
            continue
        if isinstance(ev, DecisionMade):
            latest[(ev.card, ev.seat)] = ev
        elif isinstance(ev, TurnResolved):
            for seat in ev.choices:
                d = latest.pop((ev.card, seat), None)
                if d is not None:
                    part_of[d.seq] = ev
    out: list[tuple[DecisionMade, TurnResolved]] = []
    for ev in events:
        if isinstance(ev, DecisionMade) and ev.seq in part_of:
            out.append((ev, part_of[ev.seq]))
    return out
