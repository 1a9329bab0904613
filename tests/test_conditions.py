"""The condition language: every operator, evaluation, and refusal of anything that smells
of code."""

from __future__ import annotations

import pytest

from wargame.engine import Game
from wargame.engine.conditions import holds
from wargame.model import condition as cond
from wargame.model.deck import Condition
from wargame.model.deck_check import check_deck
from wargame.store.decks import DeckError, parse_deck

from .conftest import DATA

DATA_MINI = DATA / "mini.toml"


def c(text: str) -> Condition:
    return Condition(text, cond.parse(text))


@pytest.fixture
def game(mini_deck):
    """Turn 2, after the NEO card resolved with ROK joint-cell and JPN sdf-airlift."""
    g = Game.start(mini_deck, seed=1)
    g.draw("neo")
    g.decide("ROK", "joint-cell")
    g.decide("JPN", "sdf-airlift")
    g.resolve()
    return g  # trust.ROK-JPN 35+5-10+12 = 42, opinion.ROK 46, readiness.JPN 100


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("trust.ROK-JPN < 43", True),
        ("trust.ROK-JPN < 42", False),
        ("trust.ROK-JPN <= 42", True),
        ("trust.ROK-JPN > 41", True),
        ("trust.ROK-JPN > 42", False),
        ("trust.ROK-JPN >= 42", True),
        ("trust.ROK-JPN == 42", True),
        ("trust.ROK-JPN != 42", False),
        ("turn == 2", True),
        ("42 == trust.ROK-JPN", True),
        ("readiness.JPN >= 99.5", True),
        ("opinion.ROK > -1", True),
        ("turn >= 2 and trust.ROK-JPN < 30", False),
        ("turn >= 2 or trust.ROK-JPN < 30", True),
        ("not turn >= 3", True),
        ("not (turn >= 2 and opinion.ROK == 46)", False),
        ("(turn == 1 or turn == 2) and not played('missile')", True),
        ("played('neo')", True),
        ("played('radar')", False),
        ("queued('cell')", True),
        ("queued('radar')", False),
        ("chose('JPN', 'sdf-airlift')", True),
        ("chose('JPN', 'charter')", False),
        ('chose("ROK", "joint-cell")', True),
        ("band('trust.ROK-JPN') == 'steady'", True),
        ("band('trust.ROK-JPN') != 'strong'", True),
        ("true", True),
        ("false or true", True),
        ("not true", False),
        ("true == true", True),
    ],
)
def test_every_operator_evaluates(mini_deck, game, text, expected):
    check = [p.message for p in check_deck(_with_ending(mini_deck, text))]
    assert check == []
    assert holds(c(text), mini_deck, game.state) is expected


def test_seat_choices_in_card_rules(mini_deck, game):
    choices = {"ROK": "joint-cell", "JPN": "charter"}
    assert holds(c("ROK == 'joint-cell' and JPN != 'sdf-airlift'"), mini_deck, game.state, choices)
    assert not holds(c("JPN == 'sdf-airlift'"), mini_deck, game.state, choices)


def test_precedence_not_binds_tighter_than_and_than_or():
    tree = cond.parse("not true and false or true")
    assert isinstance(tree, cond.Or)
    assert isinstance(tree.items[0], cond.And)
    assert isinstance(tree.items[0].items[0], cond.Not)


def _with_ending(deck, text):
    ending = deck.endings[0].model_copy(update={"when": c(text)})
    return deck.model_copy(update={"endings": [ending]})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os')", "'__import__' is not allowed"),
        ("__import__('os').system('rm -rf /')", "'__import__' is not allowed"),
        ("open('/etc/passwd')", "calling 'open' is not allowed; the only functions are"),
        ("eval('1')", "calling 'eval' is not allowed"),
        ("exec('import os')", "calling 'exec' is not allowed"),
        ("getattr(turn, 'real')", "calling 'getattr' is not allowed"),
        ("'x'.upper() == 'X'", "attribute access is not allowed"),
        ("(turn).real > 1", "attribute access is not allowed"),
        ("turn.__class__ == 1", "names with '__' are refused"),
        ("[x for x in 'ab']", "lists, subscripts and comprehensions are not allowed"),
        ("{x for x in 'ab'}", "dicts, sets and comprehensions are not allowed"),
        ("(x for x in y)", "comprehensions and loops are not allowed"),
        ("lambda: 1", "lambdas are not allowed"),
        ("(lambda x: x)(1) == 1", "lambdas are not allowed"),
        ("import os", "imports are not allowed"),
        ("turn = 3", "assignment is not allowed"),
        ("turn + 1 > 2", "arithmetic is not allowed"),
        ("played('a')[0]", "lists, subscripts and comprehensions are not allowed"),
        ("turn if true else 1", "'if' expressions are not allowed"),
        ("'a' in 'abc'", "the 'in' operator is not allowed"),
        ("turn is 1", "'is' is not allowed"),
        ("played(turn)", "played() takes quoted ids as arguments"),
        ("played('a', 'b')", "played() takes 1 argument(s), not 2"),
        ("1 < turn < 3", "chained comparisons are not allowed"),
        ("", "the condition is empty"),
        ("turn >=", "the condition ends too early"),
        ("(turn > 1", "expected ')' but found the end"),
        ("'unterminated", "unterminated or escaped string"),
        ("turn > 1; import os", "statements are not allowed"),
    ],
)
def test_code_and_garbage_are_refused(text, message):
    with pytest.raises(cond.ConditionError) as err:
        cond.parse(text)
    assert message in str(err.value)


def test_refusal_reaches_the_deck_error_with_card_and_field(mini_deck):
    text = (DATA_MINI.read_text()).replace(
        'when = "turn >= 2"', "when = \"__import__('os').system('true')\""
    )
    with pytest.raises(DeckError) as err:
        parse_deck(text, "evil.toml")
    (problem,) = err.value.problems
    line = text.splitlines().index("when = \"__import__('os').system('true')\"") + 1
    assert str(problem) == (
        f"evil.toml:{line}: card radar: when: '__import__' is not allowed: "
        "names with '__' are refused at column 1"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("os.system == 1", "unknown name 'os.system' (not a meter, a seat or 'turn')"),
        ("trust.US-ROK > 3", "unknown name 'trust.US-ROK'"),
        ("JPN == 'charter'", "seat 'JPN' can only be tested inside a card's extra or joint rules"),
        ("played('nope')", "unknown card 'nope'"),
        ("queued('nope')", "unknown card 'nope'"),
        ("band('nope') == 'x'", "unknown meter 'nope'"),
        ("band('trust.ROK-JPN') == 'calm'", "meter trust.ROK-JPN has no band 'calm'"),
        ("chose('USA', 'x')", "unknown seat 'USA'"),
        ("chose('JPN', 'nope')", "seat JPN has no option 'nope' on any card"),
        ("turn == 'two'", "cannot compare turn with 'two'"),
        ("band('opinion.ROK') > 'a'", "'>' needs numbers"),
        ("turn", "'turn' is not a test"),
        ("turn and true", "turn is not a test"),
    ],
)
def test_names_are_checked_against_the_deck(mini_deck, text, message):
    problems = check_deck(_with_ending(mini_deck, text))
    assert problems, text
    assert problems[0].loc == ("endings", 0, "when")
    assert message in problems[0].message


def test_seat_option_must_exist_on_the_card(mini_deck):
    card = mini_deck.cards[0]
    joint = card.joint[0].model_copy(update={"when": c("JPN == 'intercept'")})
    bad = mini_deck.model_copy(
        update={"cards": [card.model_copy(update={"joint": [joint]}), *mini_deck.cards[1:]]}
    )
    (problem,) = check_deck(bad)
    assert problem.loc == ("cards", 0, "joint", 0, "when")
    assert "seat JPN has no option 'intercept' on this card" in problem.message
