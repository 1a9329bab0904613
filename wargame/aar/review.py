"""The game under review: its deck, its log, the state the log folds to, what undo took
back, and the small lookups (names, labels, bands) every part of the analysis shares."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from pydantic import BaseModel

from wargame.aar.model import (
    MeterChange,
    MeterMove,
)
from wargame.engine import fold, seat_name
from wargame.engine.standing import undone_seqs
from wargame.i18n import _
from wargame.model.deck import Deck
from wargame.model.game import (
    Change,
    DecisionMade,
    Event,
    GameState,
    M,
    UndoKind,
    trusted,
    trusted_full,
    undo_words,
)
from wargame.model.game import MeterMove as EngineMove


@cache
def _fields(cls: type[BaseModel]) -> set[str]:
    return set(cls.model_fields)


def made(cls: type[M], **values: Any) -> M:
    """`cls(**values)` unvalidated, for the engine's and the deck's checked values, given
    as every field of `cls` in its order: the review makes thousands of these."""
    fields = _fields(cls)
    if len(values) != len(fields):
        return trusted(cls, **values)
    return trusted_full(cls, values, fields)


class Review:
    def __init__(self, deck: Deck, events: Sequence[Event]) -> None:
        self.deck = deck
        self.events = list(events)
        self.state: GameState = fold(deck, self.events)
        self.undone = undone_seqs(self.events)
        self.meter_ids = [m.id for m in deck.meters]
        self.meter_index = {m: i for i, m in enumerate(self.meter_ids)}
        self.seat_of = {e.seq: e.seat for e in self.events if isinstance(e, DecisionMade)}
        self._bands: dict[tuple[str, int], str] = {}
        self._changes: dict[int, MeterChange] = {}  # by id() of the engine's (in `events`)

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

    def undid(self, kind: UndoKind, ref: str) -> str:
        """What an undo took back, by the card's title or the meter's label (the log keeps
        their ids; people read the deck's words)."""
        if kind == "resolution" and self.deck.has_card(ref):
            return _("Undid the resolution of {card}").format(card=self.deck.card(ref).title)
        if kind == "adjudication" and ref in self.meter_index:
            return _("Undid the adjudication of {meter}").format(meter=self.label(ref))
        return _("Undid the {what}").format(what=undo_words(kind, ref))

    def band(self, meter: str, value: int) -> str:
        key = (meter, value)
        band = self._bands.get(key)
        if band is None:
            band = self._bands[key] = self.deck.meter(meter).band(value)
        return band

    def change(self, ch: Change) -> MeterChange:
        # Once per change (a decision's own changes are its resolution's), from the engine's
        # checked values as they are: the review makes thousands of these.
        made = self._changes.get(id(ch))
        if made is None:
            made = self._changes[id(ch)] = self._change(ch)
        return made

    def _change(self, ch: Change) -> MeterChange:
        return made(
            MeterChange,
            meter=ch.meter,
            meter_label=self.label(ch.meter),
            delta=ch.delta,
            explain=ch.explain,
            seat=ch.seat,
            option=ch.option,
            rule=ch.rule,
        )

    def move(self, meter: str, before: int, after: int, clamped: bool = False) -> MeterMove:
        return made(
            MeterMove,
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

    def _turn_at(self, seq: int) -> int:
        """The turn in progress at an event that does not record one."""
        turn = 0
        for ev in self.events:
            if ev.seq >= seq:
                break
            turn = getattr(ev, "turn", turn)
        return turn
