"""The pure rules engine: no I/O, no clock, no UI. Randomness comes from the seed in the state."""

from wargame.engine.errors import (
    AlreadyDecided,
    DeckExhausted,
    GameOver,
    IllegalCommand,
    MissingReason,
    NotAllDecided,
    NothingToUndo,
    ReplayMismatch,
    UnknownId,
    WrongPhase,
)
from wargame.engine.game import Game
from wargame.engine.replay import command_of, replay
from wargame.engine.rules import (
    Adjudicate,
    Command,
    Decide,
    Draw,
    End,
    Hotwash,
    Note,
    Resolve,
    Skip,
    Timer,
    Undo,
    apply,
    can_draw,
    current_card,
    drawable,
    fold,
    legal,
    outcome,
    pending_seats,
    resolution,
    seat_name,
    start,
)

__all__ = [
    "Adjudicate", "AlreadyDecided", "Command", "Decide", "DeckExhausted", "Draw", "End",
    "Game", "GameOver", "Hotwash", "IllegalCommand", "MissingReason", "Note", "NotAllDecided",
    "NothingToUndo", "ReplayMismatch", "Resolve", "Skip", "Timer", "Undo", "UnknownId",
    "WrongPhase", "apply", "can_draw", "command_of", "current_card", "drawable", "fold",
    "legal", "outcome", "pending_seats", "replay", "resolution", "seat_name", "start",
]
