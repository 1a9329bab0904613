"""The lint's reachability: the worklist finds the same least fixed point as re-scanning
every card until nothing changes, and long chains of follow-ups cost no more than a pass."""

from __future__ import annotations

import random

import pytest

from wargame.author.lint import lint_text
from wargame.author.reach import Analysis
from wargame.store.decks import parse_deck

from .conftest import DATA

HEAD = """schema = 1
[deck]
id = "chain"
title = "Chain"
turns = 8
[[seats]]
id = "US"
name = "US"
[[meters]]
id = "m"
label = "M"
start = 50
"""


def card(i: int, *, when: str = "", followups: list[str] = (), followup_only=False) -> str:
    lines = ["[[cards]]", f'id = "c{i}"', f'title = "C{i}"', 'category = "x"']
    lines += [f'briefing = "B{i}"', f"followup_only = {str(followup_only).lower()}"]
    if when:
        lines.append(f'when = "{when}"')
    lines += ["[[cards.options]]", 'seat = "US"', f'id = "o{i}"', 'label = "O"']
    lines.append("effects = { m = 1 }")
    if followups:
        lines.append("followups = [" + ", ".join(f'"{f}"' for f in followups) + "]")
    return "\n".join(lines)


def reference(deck) -> tuple[set, set, set]:
    """The fixed point as the lint first computed it: every card again, round after round."""
    a = Analysis(deck)
    a.reachable, a.queueable, a.choosable = set(), set(), set()
    while True:
        a.choosable = {(o.seat, o.id) for c in deck.cards if c.id in a.reachable for o in c.options}
        a.queueable = {
            t for c in deck.cards if c.id in a.reachable for t in a.queued_by(c) if t != c.id
        }
        new = {
            c.id
            for c in deck.cards
            if c.id not in a.reachable
            and (a._randomly_drawn(c) or c.id in a.queueable)
            and True in a.truth(c.when, None, [])
        }
        if not new:
            return a.reachable, a.queueable, a.choosable
        a.reachable |= new


def random_deck(seed: int, n: int = 14) -> str:
    rng = random.Random(seed)
    ids = [f"c{i}" for i in range(n)]
    cards = []
    for i in range(n):
        tests = [
            f"played('{rng.choice(ids)}')",
            f"queued('{rng.choice(ids)}')",
            f"chose('US', 'o{rng.randrange(n)}')",
            f"turn >= {rng.randint(1, 10)}",
            "false",
        ]
        when = rng.choice(["", *tests, f"{rng.choice(tests)} and {rng.choice(tests)}"])
        when = f"not {when}" if when and rng.random() < 0.2 else when
        followups = rng.sample(ids, rng.randint(0, 2))
        cards.append(card(i, when=when, followups=followups, followup_only=rng.random() < 0.5))
        if rng.random() < 0.4:
            cards.append(
                "[[cards.options.extra]]\n"
                f'when = "{rng.choice(tests)}"\n'
                f'followups = ["{rng.choice(ids)}"]\n'
                'explain = "E"'
            )
    return HEAD + "\n".join(cards)


@pytest.mark.parametrize("seed", range(40))
def test_the_worklist_finds_the_same_fixed_point_as_rescanning(seed):
    deck = parse_deck(random_deck(seed), "random.toml")
    a = Analysis(deck)
    assert (a.reachable, a.queueable, a.choosable) == reference(deck)


@pytest.mark.parametrize("name", ["mini.toml", "defects.toml"])
def test_same_fixed_point_on_the_test_decks(name):
    deck = parse_deck((DATA / name).read_text(), name)
    a = Analysis(deck)
    assert (a.reachable, a.queueable, a.choosable) == reference(deck)


def test_a_long_chain_of_follow_ups_is_all_reachable():
    n = 3000
    cards = [card(0, followups=["c1"])]
    cards += [card(i, followups=[f"c{i + 1}"], followup_only=True) for i in range(1, n - 1)]
    cards.append(card(n - 1, followup_only=True))
    deck, warnings = lint_text(HEAD + "\n".join(reversed(cards)), "chain.toml")
    assert len(Analysis(deck).reachable) == n
    assert not [w for w in warnings if w.code in ("orphan-card", "never-drawn")]


def test_a_long_chain_of_played_tests_is_all_reachable():
    n = 3000
    cards = [card(0)] + [card(i, when=f"played('c{i - 1}')") for i in range(1, n)]
    deck = parse_deck(HEAD + "\n".join(reversed(cards)), "chain.toml")
    assert len(Analysis(deck).reachable) == n
