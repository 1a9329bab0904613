"""`Game`: a convenient mutable handle on (deck, state, log) for shells and scripts.

The rules stay pure; `Game` only remembers the latest state and appends each command's
events to its log, so a few lines of Python can play a whole game.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from wargame.engine import rules as r
from wargame.engine.replay import replay
from wargame.model.deck import Card, Deck
from wargame.model.game import Event, GameState, Mode

# Commands the shorthands send most, made (and validated) once: commands are frozen.
_DRAW = r.Draw()
_RESOLVE = r.Resolve()


class Game:
    def __init__(self, deck: Deck, state: GameState, events: Sequence[Event]) -> None:
        self.deck = deck
        self.state = state
        self.events: list[Event] = list(events)
        # Called with each command's new events, e.g. by the autosaver.
        self.listeners: list[Callable[[Game, list[Event]], None]] = []

    @classmethod
    def start(
        cls,
        deck: Deck,
        seed: int = 0,
        turns: int | None = None,
        mode: Mode = "hotseat",
        team_names: dict[str, str] | None = None,
        at: str | None = None,
    ) -> Game:
        state, events = r.start(deck, seed, turns, mode, team_names, at=at)
        return cls(deck, state, events)

    @classmethod
    def load(cls, deck: Deck, events: Sequence[Event]) -> Game:
        """Rebuild a game from its log, verifying every event."""
        return cls(deck, replay(deck, events), events)

    def apply(self, command: r.Command) -> list[Event]:
        self.state, events = r.apply(self.deck, self.state, command)
        return self._record(events)

    def _record(self, events: list[Event]) -> list[Event]:
        self.events.extend(events)
        for listener in self.listeners:
            listener(self, events)
        return events

    # Shorthands, one per command.
    def draw(self, card: str | None = None, at: str | None = None) -> list[Event]:
        return self.apply(_DRAW if card is None and at is None else r.Draw(card=card, at=at))

    def skip(self, reason: str = "", at: str | None = None) -> list[Event]:
        return self.apply(r.Skip(reason=reason, at=at))

    def decide(
        self,
        seat: str,
        option: str,
        rationale: str = "",
        seconds: float | None = None,
        entered_by: str = "",
        at: str | None = None,
    ) -> list[Event]:
        if (
            type(seat) is type(option) is type(rationale) is type(entered_by) is str
            and (seconds is None or type(seconds) is float)
            and (at is None or type(at) is str)
        ):
            # Validation would hand back these very values (no field of Decide has a
            # constraint), so skip making the command; the rules check seat and option.
            self.state, events = r.apply_decide(
                self.deck, self.state, seat, option, rationale, seconds, entered_by, at
            )
            return self._record(events)
        return self.apply(
            r.Decide(
                seat=seat,
                option=option,
                rationale=rationale,
                seconds=seconds,
                entered_by=entered_by,
                at=at,
            )
        )

    def resolve(self, at: str | None = None) -> list[Event]:
        return self.apply(_RESOLVE if at is None else r.Resolve(at=at))

    def adjudicate(
        self,
        meter: str,
        reason: str,
        delta: int | None = None,
        value: int | None = None,
        at: str | None = None,
    ) -> list[Event]:
        return self.apply(r.Adjudicate(meter=meter, delta=delta, value=value, reason=reason, at=at))

    def undo(self, at: str | None = None) -> list[Event]:
        return self.apply(r.Undo(at=at))

    def note(self, text: str, at: str | None = None) -> list[Event]:
        return self.apply(r.Note(text=text, at=at))

    def end(self, reason: str = "", at: str | None = None) -> list[Event]:
        return self.apply(r.End(reason=reason, at=at))

    @property
    def card(self) -> Card | None:
        return r.current_card(self.deck, self.state)

    @property
    def pending(self) -> list[str]:
        return r.pending_seats(self.deck, self.state)

    @property
    def legal(self) -> set[str]:
        return r.legal(self.deck, self.state)
