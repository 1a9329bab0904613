"""The commands a shell sends the rules: frozen, validated at the edge."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from wargame.model.game import (
    HotwashKind,
)

MAX_TEXT = 20_000  # longest text (rationale, reason, note) an event keeps


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    at: str | None = None  # time stamp from the shell, copied onto the events


class Draw(Command):
    """Reveal the next card: the facilitator's pick, else a queued follow-up, else a
    weighted random draw among cards whose `when` holds."""

    card: str | None = None


class Skip(Command):
    reason: str = ""


class Decide(Command):
    seat: str
    option: str
    rationale: str = ""
    seconds: float | None = None
    entered_by: str = ""


class Resolve(Command):
    pass


class Adjudicate(Command):
    meter: str
    delta: int | None = None
    value: int | None = None
    reason: str


class Undo(Command):
    pass


class Note(Command):
    text: str


class Timer(Command):
    """The turn clock: `start` (when the facilitator hands over, with the turn's length in
    seconds), `pause`, `resume`, `extend` (by `seconds`)."""

    action: Literal["start", "pause", "resume", "extend"]
    seconds: int = 0


class Hotwash(Command):
    entry: HotwashKind
    text: str
    seat: str | None = None
    card: str | None = None
    objective: str | None = None


class End(Command):
    reason: str = ""


class AdvancePhase(Command):
    """The facilitator moves the scenario on to its next phase (between cards)."""


class Continue(Command):
    """The facilitator continues past the checkpoint the game is paused at."""

    reason: str = ""
