"""The scripted seat policies of the balance simulator (`simulate`).

Policies judge an option on its own effects (not extra or joint rules, which depend on the
state and the other seats); ties go to the option listed first in the deck:

- ``random``: a seeded uniform choice;
- ``cautious``: the smallest total absolute change;
- ``bold``: the largest total absolute change;
- ``cooperative``: the largest gain in trust meters (kind ``trust``);
- ``nationalist``: the largest gain in the seat's own meters (`Meter.owner`: a meter's
  ``seat``, else an opinion or readiness meter whose id ends in ``.<seat>``);

A gain follows each meter's direction (`Meter.sign`): a rise where higher is better, a fall
where lower is better; a meter where neither is better counts for nothing.
- ``mixed``: each seat plays one of the five above, drawn at random for each game.
"""

from __future__ import annotations

from typing import Any

from wargame.model.deck import Deck, Option

POLICIES = ("random", "cautious", "bold", "cooperative", "nationalist")
SCRIPTED = ("cautious", "bold", "cooperative", "nationalist")


def score(deck: Deck, policy: str, option: Option) -> float:
    """How much a scripted policy likes an option (higher is preferred)."""
    effects = option.effects
    if policy == "cautious":
        return -sum(abs(v) for v in effects.values())
    if policy == "bold":
        return sum(abs(v) for v in effects.values())
    if policy == "cooperative":
        return sum(
            v * deck.meter(m).sign for m, v in effects.items() if deck.meter(m).kind == "trust"
        )
    if policy == "nationalist":
        seats = deck.seat_ids()
        return sum(
            v * deck.meter(m).sign
            for m, v in effects.items()
            if deck.meter(m).owner(seats) == option.seat
        )
    raise ValueError(f"{policy!r} is not a scripted policy; choose from {', '.join(SCRIPTED)}")


def scripted_choice(deck: Deck, policy: str, card_id: str, seat: str, blocked: Any = ()) -> str:
    """The option a scripted policy picks for a seat on a card (first listed on ties),
    among those not `blocked` (unavailable now)."""
    options = [o for o in deck.card(card_id).options_for(seat) if o.id not in blocked]
    best = max(options, key=lambda o: score(deck, policy, o))  # max keeps the first of ties
    return best.id
