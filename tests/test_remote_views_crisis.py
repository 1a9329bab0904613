"""A schema-2 card as each connection sees it: a seat's private briefing only on its own
view while the seats decide, every private briefing together once the card is decided, and
the options not open to a seat with the reason, all decided on the host."""

from __future__ import annotations

import pytest

from tests.conftest import DATA
from wargame.engine import Game
from wargame.remote import views
from wargame.store.decks import load_deck


@pytest.fixture(scope="module")
def crisis_deck():
    return load_deck(DATA / "crisis.toml")


def test_private_briefing_goes_only_to_its_own_seat_until_the_card_is_decided(crisis_deck):
    game = Game.start(crisis_deck, seed=1, mode="hotseat")
    game.draw(card="court")
    private = crisis_deck.card("court").private
    rok = views.public_card(crisis_deck, game.state, "court", "ROK")
    jpn = views.public_card(crisis_deck, game.state, "court", "JPN")
    room = views.public_card(crisis_deck, game.state, "court", None)
    assert rok["private"] == {"ROK": private["ROK"]}
    assert jpn["private"] == {"JPN": private["JPN"]}
    assert room["private"] == {}
    for view, other in ((rok, "JPN"), (jpn, "ROK"), (room, "ROK"), (room, "JPN")):
        assert private[other] not in repr(view)
    # The seat's screen is built from its view with its own text.
    card, _ = views.build_card(rok)
    assert card.private == {"ROK": private["ROK"]}

    for seat in game.pending:
        game.decide(seat, game.card.options_for(seat)[0].id)
    game.resolve()
    for role in ("ROK", "JPN", None):
        assert views.public_card(crisis_deck, game.state, "court", role)["private"] == private


def test_an_option_closed_by_a_flag_is_sent_with_its_reason(crisis_deck):
    game = Game.start(crisis_deck, seed=1, mode="hotseat")
    game.draw(card="court")
    game.decide("ROK", "enforce")
    game.decide("JPN", "retaliate")  # sets the flag that closes direct sharing
    game.resolve()
    assert "gsomia-lapsed" in game.state.flags
    game.draw(card="launch")
    rok = views.public_card(crisis_deck, game.state, "launch", "ROK")
    card, unavailable = views.build_card(rok)
    assert unavailable == {"share": "GSOMIA has lapsed: there is no channel to share through"}
    assert "GSOMIA lapsed" in card.briefing  # the paragraph its flag adds
    # Another seat is not told which of ROK's options are closed, nor the room.
    assert views.public_card(crisis_deck, game.state, "launch", "JPN")["unavailable"] == {}
    assert views.public_card(crisis_deck, game.state, "launch", None)["unavailable"] == {}
