"""The turn clock, read from the event log: when this turn's clock started, for how long,
and how much of it pauses took. Derived from the events' time stamps (the shell's clock),
so it survives leaving and resuming the game and an undo, and replays as it was played."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from wargame.i18n import _
from wargame.model.deck import Deck
from wargame.model.game import Event, TimerChanged

DEFAULT_TURN_MINUTES = 10


@dataclass(frozen=True, slots=True)
class TurnClock:
    started: bool  # has the facilitator handed over this turn yet?
    used: int  # seconds of the turn gone, pauses left out
    limit: int  # seconds the turn has, extensions included
    paused: bool

    @property
    def over(self) -> bool:
        return self.started and self.used > self.limit


def turn_seconds(deck: Deck, events: Sequence[Event], minutes: int | None = None) -> int:
    """How long a new turn's clock runs: `minutes` if given (`--turn-minutes`), else what
    the last turn's clock was started with, else the deck's `turn_minutes`, else 10."""
    if minutes is not None:
        return minutes * 60
    for ev in reversed(events):
        if ev.kind == "timer" and ev.action == "start":
            return ev.seconds
    return (deck.deck.turn_minutes or DEFAULT_TURN_MINUTES) * 60


def _time(stamp: str | None) -> datetime | None:
    if stamp is None:
        return None
    try:
        return datetime.fromisoformat(stamp)
    except ValueError:
        return None


def turn_clock(events: Sequence[Event], now: datetime) -> TurnClock:
    """This turn's clock at `now`, from the events since the card was drawn."""
    start: datetime | None = None
    limit = extra = 0
    paused_total = 0.0
    paused_at: datetime | None = None
    drawn = next((i for i in range(len(events) - 1, -1, -1) if events[i].kind == "drawn"), None)
    if drawn is None:
        return TurnClock(False, 0, 0, False)
    for ev in events[drawn + 1 :]:  # only this turn's events matter
        if ev.kind != "timer":
            continue
        at = _time(ev.at)
        if ev.action == "start" and start is None and at is not None:
            start, limit = at, ev.seconds
        elif ev.action == "extend":
            extra += ev.seconds
        elif ev.action == "pause" and at is not None:
            paused_at = at
        elif ev.action == "resume" and paused_at is not None and at is not None:
            if start is not None:
                paused_total += max(0.0, (at - max(paused_at, start)).total_seconds())
            paused_at = None
    if start is None:
        return TurnClock(False, 0, limit + extra, paused_at is not None)
    until = max(paused_at, start) if paused_at is not None else now
    used = max(0, int((until - start).total_seconds() - paused_total))
    return TurnClock(True, used, limit + extra, paused_at is not None)


def timer_text(ev: TimerChanged) -> str:
    """What a turn-clock event did, in a sentence (the board's log says the same)."""
    if ev.action == "start":
        return _("Timer started: {minutes} min for the turn").format(minutes=f"{ev.seconds / 60:g}")
    if ev.action == "extend":
        return _("Timer extended by {seconds} s").format(seconds=ev.seconds)
    return _("Timer paused") if ev.action == "pause" else _("Timer resumed")
