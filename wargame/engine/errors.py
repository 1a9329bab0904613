"""Typed errors for commands the rules refuse."""


class IllegalCommand(ValueError):
    """A command the rules do not allow in this state."""


class GameOver(IllegalCommand):
    """The game has ended; only notes and hot-wash entries are still taken."""


class WrongPhase(IllegalCommand):
    """The command does not fit the current phase (e.g. deciding with no card revealed)."""


class UnknownId(IllegalCommand):
    """A seat, option, card or meter that the deck does not have."""


class AlreadyDecided(IllegalCommand):
    """A seat that has already decided on this card."""


class NotAllDecided(IllegalCommand):
    """Resolving before every seat has decided."""


class NothingToUndo(IllegalCommand):
    """Undo with no resolution or adjudication left to undo."""


class OptionUnavailable(IllegalCommand):
    """An option its deck takes off the table now (a flag, a meter, a cost not payable)."""


class DeckExhausted(IllegalCommand):
    """No card can be drawn. No longer raised by the rules: a draw with nothing to draw
    ends the game ("The deck is exhausted"); kept for code that catches it."""


class MissingReason(IllegalCommand):
    """An adjudication (or note) without its required text."""


class ReplayMismatch(ValueError):
    """An event log that does not replay: the event and why."""
