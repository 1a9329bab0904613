"""The scripted seat policies of the balance simulator (`simulate`).

Policies judge an option on its own effects (not extra or joint rules, which depend on the
state and the other seats); ties go to the option listed first in the deck:

- ``random``: a seeded uniform choice;
- ``cautious``: the smallest total absolute change;
- ``bold``: the largest total absolute change;
- ``cooperative``: the largest sum of changes to trust meters (kind ``trust``);
- ``nationalist``: the largest sum of changes to the seat's own opinion and readiness
  meters (kind ``opinion``/``readiness`` whose id ends in ``.<seat>``);
- ``mixed``: each seat plays one of the five above, drawn at random for each game.
"""

from __future__ import annotations

from typing import Any

from wargame.model.deck import Deck, Option

POLICIES = ("random", "cautious", "bold", "cooperative", "nationalist")
SCRIPTED = ("cautious", "bold", "cooperative", "nationalist")


def seats_of_meter(deck: Deck, meter_id: str) -> set[str]:
    """The seats a meter belongs to, from its id: `opinion.ROK` → ROK, `trust.US-ROK` → both."""
    tail = meter_id.rpartition(".")[2]
    return set(tail.split("-")) & set(deck.seat_ids())


def score(deck: Deck, policy: str, option: Option) -> float:
    """How much a scripted policy likes an option (higher is preferred)."""
    effects = option.effects
    if policy == "cautious":
        return -sum(abs(v) for v in effects.values())
    if policy == "bold":
        return sum(abs(v) for v in effects.values())
    if policy == "cooperative":
        return sum(v for m, v in effects.items() if deck.meter(m).kind == "trust")
    if policy == "nationalist":
        return sum(
            v
            for m, v in effects.items()
            if deck.meter(m).kind in ("opinion", "readiness")
            and option.seat in seats_of_meter(deck, m)
        )
    raise ValueError(f"{policy!r} is not a scripted policy; choose from {', '.join(SCRIPTED)}")


def scripted_choice(deck: Deck, policy: str, card_id: str, seat: str, blocked: Any = ()) -> str:
    """The option a scripted policy picks for a seat on a card (first listed on ties),
    among those not `blocked` (unavailable now)."""
    options = [o for o in deck.card(card_id).options_for(seat) if o.id not in blocked]
    best = max(options, key=lambda o: score(deck, policy, o))  # max keeps the first of ties
    return best.id
