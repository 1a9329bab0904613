"""`wargame lint`: exactly the expected warnings on a deck with one of each defect, none on
the default deck, conservative reasoning about conditions, and validate's errors first."""

from __future__ import annotations

import subprocess
import sys

import pytest

from wargame.author.lint import CODES, lint_deck, lint_file, lint_text
from wargame.cli import main
from wargame.store.decks import DeckError, bundled_deck_paths, parse_deck

from .conftest import DATA

DEFECTS = DATA / "defects.toml"
DEFECTS_TEXT = DEFECTS.read_text()
MINI = (DATA / "mini.toml").read_text()


def line_of(needle: str, after: str = "") -> int:
    lines = DEFECTS_TEXT.splitlines()
    start = next(i for i, ln in enumerate(lines) if after in ln) if after else 0
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


# (a line of the file the warning's table or key starts at, lines after it, the warning)
EXPECTED = [
    ('id = "escalation"', -1, "meter escalation: no card moves this meter "
     "(no option, extra or joint rule changes it)"),
    ('id = "radar"', -1, "card radar: no facilitator notes"),
    ("when = \"ROK == 'deny'", 0, "card radar: joint rule #1 can never apply: when "
     "ROK == 'deny' and ROK == 'investigate' (no value of ROK passes every test on it "
     "joined by 'and')"),
    ('id = "observe"', -2, "card fact-finding: option ROK/observe changes nothing "
     "(no effects, extra rules or follow-ups)"),
    ('id = "launch"', -1, "card launch: no discussion questions"),
    ('id = "track-late"', -2, "card launch: option JPN/track-late is dominated by "
     "track-early: no better on any meter, worse on readiness.JPN"),
    ('id = "ruling"', -1, "card ruling: no sources"),
    ('when = "turn > 6"', 0, "card late: can never be drawn: when turn > 6 "
     "(turn runs 1..6 in this deck)"),
    ('id = "cell"', -1, "card cell: can never be drawn: it is follow-up only, but no option, "
     "extra or joint rule queues it"),
    ('when = "opinion.ROK > 100"', 0, "ending euphoria: can never fire: when "
     "opinion.ROK > 100 (opinion.ROK stays within 0..100)"),
    ('when = "readiness.JPN >= 0"', 0, "ending always: always fires, ending every game on "
     "turn 1: when readiness.JPN >= 0"),
]  # fmt: skip


def test_defects_deck_gets_exactly_one_warning_of_each_kind():
    _, warnings = lint_file(DEFECTS)
    expected = {f"{DEFECTS}:{line_of(needle) + off}: {text}" for needle, off, text in EXPECTED}
    assert {str(w) for w in warnings} == expected
    assert len(warnings) == len(expected)
    assert sorted(w.code for w in warnings) == sorted(CODES)
    assert [w.line for w in warnings] == sorted(w.line for w in warnings)  # file order


# Fixing one defect in the file removes exactly its warning and nothing else.
FIXES = {
    "unmoved-meter": (
        '"opinion.ROK" = 5, "trust.ROK-JPN" = -4',
        '"opinion.ROK" = 5, "trust.ROK-JPN" = -4, escalation = 1',
    ),
    "no-notes": (
        "# DEFECT no-notes: facilitator_notes missing.",
        'facilitator_notes = "What the radar card tests."',
    ),
    "dead-rule": ("ROK == 'deny' and ROK == 'investigate'", "ROK == 'deny' and JPN == 'quiet'"),
    "no-op-option": ('label = "Observe"\n', 'label = "Observe"\neffects = { "opinion.ROK" = 1 }\n'),
    "no-questions": ("# DEFECT no-questions: questions missing.", 'questions = ["Who tracks?"]'),
    "dominated-option": (
        'effects = { "readiness.JPN" = 1, "trust.ROK-JPN" = 2 }',
        'effects = { "readiness.JPN" = 1, "trust.ROK-JPN" = 3 }',
    ),
    "no-sources": ("# DEFECT no-sources: sources missing.", 'sources = ["Court rulings, 2018"]'),
    "never-drawn": ('when = "turn > 6"', 'when = "turn > 5"'),
    "orphan-card": ('followups = ["fact-finding"]', 'followups = ["fact-finding", "cell"]'),
    "dead-ending": ('when = "opinion.ROK > 100"', 'when = "opinion.ROK > 99"'),
    "instant-ending": ('when = "readiness.JPN >= 0"', 'when = "readiness.JPN >= 1"'),
}


def test_every_code_has_a_fix():
    assert set(FIXES) == set(CODES)


@pytest.mark.parametrize("code", sorted(FIXES))
def test_fixing_a_defect_removes_only_its_warning(code):
    old, new = FIXES[code]
    assert DEFECTS_TEXT.count(old) == 1
    _, warnings = lint_text(DEFECTS_TEXT.replace(old, new), "d.toml")
    assert sorted(w.code for w in warnings) == sorted(c for c in CODES if c != code)


def card_when(when: str) -> str:
    """Mini deck text with card radar's `when` replaced."""
    assert MINI.count('when = "turn >= 2"') == 1
    return MINI.replace('when = "turn >= 2"', f'when = "{when}"')


def codes_for_card(text: str, card: str) -> set[str]:
    """Codes of the warnings about one card."""
    return {w.code for w in lint_deck(parse_deck(text)) if w.where == f"card {card}"}


@pytest.mark.parametrize(
    "when",
    [
        "turn > 4",
        "turn < 1",
        "turn >= 3 and turn <= 2",
        "trust.ROK-JPN > 100",
        "trust.ROK-JPN < 0 or opinion.ROK > 100",
        "false",
        "not true",
        "not (turn >= 1)",
        "trust.ROK-JPN >= 50 and trust.ROK-JPN < 40",
        "band('trust.ROK-JPN') == 'strong' and trust.ROK-JPN < 60",
        "turn == 2.5",
        "played('radar')",  # a card is drawn once, so never after itself
        "5 < 3",
    ],
)
def test_conditions_that_never_hold_make_a_card_undrawable(when):
    assert "never-drawn" in codes_for_card(card_when(when), "radar")


@pytest.mark.parametrize(
    "when",
    [
        "turn >= 4",
        "turn <= 1",
        "trust.ROK-JPN > 99",
        "trust.ROK-JPN < 30 or turn > 99",
        "not (turn > 99)",
        "band('trust.ROK-JPN') == 'strong'",
        "played('cell')",
        "queued('cell')",
        "chose('ROK', 'joint-cell') and turn == 3",
        "trust.ROK-JPN < opinion.ROK",
        "turn != 2",
    ],
)
def test_conditions_that_can_hold_raise_no_warning(when):
    assert "never-drawn" not in codes_for_card(card_when(when), "radar")


def test_cards_only_reachable_through_undrawable_cards_are_undrawable_too():
    # history needs missile played; missile can never come up; so neither can history.
    text = MINI.replace("weight = 2\n", 'weight = 2\nwhen = "turn > 4"\n').replace(
        "when = \"played('missile') or turn >= 3\"", "when = \"played('missile')\""
    )
    deck = parse_deck(text)
    found = {(w.where, w.code) for w in lint_deck(deck) if w.code == "never-drawn"}
    assert found == {("card missile", "never-drawn"), ("card history", "never-drawn")}
    history = next(
        w for w in lint_deck(deck) if w.where == "card history" and w.code == "never-drawn"
    )
    assert "card 'missile' is never drawn" in history.message


def test_follow_up_queued_only_by_a_dead_rule_is_an_orphan():
    text = MINI.replace(
        "when = \"JPN == 'sdf-airlift' and ROK == 'joint-cell'\"",
        "when = \"JPN == 'sdf-airlift' and JPN == 'charter'\"",
    )
    warnings = lint_deck(parse_deck(text))
    assert {(w.where, w.code) for w in warnings if w.code in ("orphan-card", "dead-rule")} == {
        ("card neo", "dead-rule"),
        ("card cell", "orphan-card"),
    }
    orphan = next(w for w in warnings if w.code == "orphan-card")
    assert "only rules that can never apply queue it" in orphan.message


def test_extra_rule_testing_its_own_seat_for_another_option_is_dead():
    text = MINI.replace('when = "trust.ROK-JPN < 30"', "when = \"JPN == 'charter'\"")
    warnings = [w for w in lint_deck(parse_deck(text)) if w.code == "dead-rule"]
    assert [w.message.split(":")[0] for w in warnings] == ["option JPN/sdf-airlift"]


def test_options_named_in_conditions_are_neither_no_ops_nor_dominated():
    # ROK/staff on cell changes nothing by itself, but an ending cares whether it was chosen.
    text = MINI.replace(
        'id = "staff"\nlabel = "Staff it"\neffects = { "trust.ROK-JPN" = 4 }\n\n[[cards]]',
        'id = "staff"\nlabel = "Staff it"\n\n[[cards]]',
    )
    codes = {(w.where, w.code) for w in lint_deck(parse_deck(text))}
    assert ("card cell", "no-op-option") in codes
    mentioned = text + '\n[[endings]]\nid = "x"\ntitle = "X"\nwhen = "chose(\'ROK\', \'staff\')"\n'
    codes = {(w.where, w.code) for w in lint_deck(parse_deck(mentioned))}
    assert ("card cell", "no-op-option") not in codes


def test_the_default_deck_has_no_warnings():
    (path,) = [p for p in bundled_deck_paths() if p.stem == "fault-lines"]
    _, warnings = lint_file(path)
    assert [str(w) for w in warnings] == []


# --- the command ------------------------------------------------------------------------


def test_lint_exits_0_with_warnings_and_1_when_strict(capsys):
    assert main(["lint", str(DEFECTS)]) == 0
    out = capsys.readouterr()
    assert len(out.out.splitlines()) == len(CODES)
    assert "11 warnings" in out.err
    assert main(["lint", "--strict", str(DEFECTS)]) == 1


def test_lint_strict_passes_a_clean_deck(capsys):
    assert main(["lint", "--strict", "fault-lines"]) == 0
    assert capsys.readouterr().out == ""


def test_lint_prints_validate_errors_first_and_fails(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(DEFECTS_TEXT.replace('followups = ["fact-finding"]', 'followups = ["nope"]'))
    assert main(["validate", str(bad)]) == 1
    validate_out = capsys.readouterr().out
    assert main(["lint", str(bad), str(DEFECTS)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(validate_out)
    assert "unknown card 'nope'" in validate_out
    assert len(out.splitlines()) == len(validate_out.splitlines()) + len(CODES)
    with pytest.raises(DeckError):
        lint_file(bad)


def test_lint_of_a_missing_file_is_one_line(capsys):
    assert main(["lint", "no-such-deck.toml"]) == 1
    assert capsys.readouterr().out.strip() == "no-such-deck.toml: no such file"


def test_author_tools_work_without_rich_or_textual():
    """lint, playtest and simulate are plain Python; only their CLI module uses rich."""
    code = (
        "import sys, wargame.author.lint, wargame.author.playtest, wargame.author.simulate; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'textual')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
