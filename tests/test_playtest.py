"""Scripted playtests: the default deck's pass, every kind of assertion fails with a message
naming turn, assertion, expected and actual, and malformed files read like deck errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from wargame.author.playtest import load_playtest, parse_playtest, run_playtest
from wargame.cli import main
from wargame.model.game import Adjudicated, DecisionMade, NoteAdded
from wargame.store.decks import DeckError

from .conftest import DATA

ROOT = Path(__file__).parent.parent
DEFAULT_PLAYTESTS = sorted((ROOT / "decks" / "playtests").glob("*.toml"))
MINI_PLAYTEST = DATA / "playtests" / "mini-joint-cell.toml"
MINI_TEXT = MINI_PLAYTEST.read_text()


def test_the_default_deck_ships_playtests():
    assert len(DEFAULT_PLAYTESTS) >= 3


@pytest.mark.parametrize("path", DEFAULT_PLAYTESTS, ids=lambda p: p.stem)
def test_default_deck_playtest_passes(default_deck, path):
    result = run_playtest(default_deck, load_playtest(path, default_deck))
    assert [str(f) for f in result.failures] == []
    assert result.checks >= 10
    assert result.turns >= 2


def test_mini_playtest_passes_and_records_the_game(mini_deck):
    result = run_playtest(mini_deck, load_playtest(MINI_PLAYTEST, mini_deck))
    assert result.ok, [str(f) for f in result.failures]
    assert (result.turns, result.checks) == (4, 17)
    events = result.game.events
    rationale = [e.rationale for e in events if isinstance(e, DecisionMade) and e.seat == "ROK"]
    assert rationale[0] == "Keep control"
    assert [e.text for e in events if isinstance(e, NoteAdded)] == [
        "Seoul accepts the aircraft, inside a combined cell"
    ]
    (adj,) = [e for e in events if isinstance(e, Adjudicated)]
    assert (adj.meter, adj.after - adj.before, adj.reason) == (
        "opinion.ROK",
        -1,
        "A critical editorial",
    )


def line_of(text: str, needle: str) -> int:
    first = needle.splitlines()[0]
    return next(i for i, ln in enumerate(text.splitlines()) if first in ln) + 1


def failures(deck, text: str) -> list[str]:
    result = run_playtest(deck, parse_playtest(text, "pt.toml", deck))
    return [str(f) for f in result.failures]


def test_a_wrong_meter_assertion_fails_with_turn_expected_and_actual(default_deck):
    path = ROOT / "decks" / "playtests" / "neo-joint-cell.toml"
    text = path.read_text()
    needle = '"trust.ROK-JPN" = 58'
    wrong = text.replace(needle, '"trust.ROK-JPN" = 59')
    assert failures(default_deck, wrong) == [
        f"pt.toml:{line_of(text, needle)}: turn 1 (neo-seoul-nationals): trust.ROK-JPN: "
        "expected 59, got 58"
    ]


def test_the_command_reports_a_failed_playtest_and_exits_1(tmp_path, capsys):
    bad = tmp_path / "wrong.toml"
    bad.write_text(MINI_TEXT.replace('"trust.ROK-JPN" = 50', '"trust.ROK-JPN" = [20, 30]'))
    assert main(["playtest", str(DATA / "mini.toml"), str(MINI_PLAYTEST), str(bad)]) == 1
    out = capsys.readouterr().out.splitlines()
    line = line_of(MINI_TEXT, '"trust.ROK-JPN" = 50')
    assert out == [
        f"{MINI_PLAYTEST}: ok — 4 turns, 17 checks passed",
        f"{bad}:{line}: turn 2 (cell): trust.ROK-JPN: expected 20..30, got 50",
        f"{bad}: FAILED — 1 of 17 checks",
    ]


def test_the_command_passes_the_default_deck_playtests(capsys):
    assert main(["playtest", "fault-lines", *map(str, DEFAULT_PLAYTESTS)]) == 0
    assert capsys.readouterr().out.count(": ok — ") == len(DEFAULT_PLAYTESTS)


# Each kind of assertion, made wrong, fails with its own message (turn 1 unless stated).
WRONG = [
    (
        '"readiness.JPN" = [99, 100]',
        '"readiness.JPN" = [90, 95]',
        "readiness.JPN: expected 90..95, got 100",
    ),
    (
        'band."trust.ROK-JPN" = "steady"',
        'band."trust.ROK-JPN" = "strong"',
        "band of trust.ROK-JPN: expected strong, got steady (42)",
    ),
    ('queued = ["cell"]', "queued = []", "queued: expected [], got [cell]"),
    ('played = ["neo"]', 'played = ["missile"]', "played: expected [missile], got [neo]"),
    (
        'ending = "none"\nreason = "none"',
        'ending = "rupture"\nreason = "none"',
        "ending: expected rupture, got none",
    ),
    ('reason = "none"', 'reason = "turns"', "reason: expected turns, got none"),
    ('card = "cell"', 'card = "radar"', "card: expected radar, got cell"),
]


@pytest.mark.parametrize(("old", "new", "message"), WRONG, ids=[w[2].split(":")[0] for w in WRONG])
def test_each_assertion_kind_reports_expected_and_actual(mini_deck, old, new, message):
    assert MINI_TEXT.count(old) == 1
    (failure,) = failures(mini_deck, MINI_TEXT.replace(old, new))
    card = "cell" if old.startswith("card =") else "neo"
    turn = 2 if card == "cell" else 1
    assert failure == f"pt.toml:{line_of(MINI_TEXT, old)}: turn {turn} ({card}): {message}"


def test_an_illegal_move_on_a_drawn_card_stops_the_playtest(mini_deck):
    old = 'choices = { JPN = "track", ROK = "share" }'
    text = MINI_TEXT.replace(old, 'choices = { JPN = "track", ROK = "fund" }')
    (failure,) = failures(mini_deck, text)
    turn_line = line_of(MINI_TEXT, old) - 2  # the [[turn]] header
    assert failure == (
        f"pt.toml:{turn_line}: turn 4 (missile): play: expected a legal move, got ROK has no "
        "option 'fund' on 'missile'; options: share, withhold"
    )


def test_turns_after_the_end_fail(mini_deck):
    text = "turns = 2\n" + MINI_TEXT.replace('"trust.ROK-JPN" = 57', "")
    result = run_playtest(mini_deck, parse_playtest(text, "pt.toml", mini_deck))
    (failure,) = [str(f) for f in result.failures]
    assert "turn 3 (radar): play: expected the game to go on, got it ended on turn 2" in failure
    assert result.turns == 2


def test_a_card_used_twice_is_an_illegal_move(mini_deck):
    text = MINI_TEXT.replace('card = "radar"', 'card = "neo"').replace(
        'choices = { JPN = "quiet", ROK = "investigate" }',
        'choices = { JPN = "charter", ROK = "go-alone" }',
    )
    (failure,) = failures(mini_deck, text)
    assert "turn 3 (neo): play: expected a legal move, got card 'neo' has already been used" in (
        failure
    )


# --- malformed files --------------------------------------------------------------------


def problems(text: str, deck=None) -> list[str]:
    with pytest.raises(DeckError) as err:
        parse_playtest(text, "pt.toml", deck)
    return [str(p) for p in err.value.problems]


def test_structural_errors_name_file_line_and_field():
    text = MINI_TEXT.replace("seed = 3", 'seed = "three"\nturnz = 2').replace(
        '"readiness.JPN" = [99, 100]', '"readiness.JPN" = [100, 99]'
    )
    text = text.replace('ROK = "staff" }', "ROK = 5 }")
    assert problems(text) == [
        f"pt.toml:{line_of(text, 'seed =')}: seed: Input should be a valid integer, not the "
        "text 'three' (write numbers without quotes)",
        f"pt.toml:{line_of(text, 'turnz')}: turnz: unknown field (check the spelling; see "
        "decks/README.md)",
        f"pt.toml:{line_of(text, 'readiness.JPN')}: turn 1: expect.readiness.JPN: the range "
        "[100, 99] is empty (low above high)",
        f"pt.toml:{line_of(text, 'ROK = 5')}: turn 2: choices.ROK: expected an option id, or "
        '{ option = "...", rationale = "..." }',
    ]


def test_ids_are_checked_against_the_deck(mini_deck):
    text = (
        'deck = "other"\nseed = 1\n\n[[turn]]\ncard = "nope"\n'
        'choices = { JPN = "x", US = "y" }\n\n[[turn]]\ncard = "neo"\n'
        'choices = { JPN = "charter", ROK = "fly" }\n'
        'adjudicate = [{ meter = "opinion.XX", delta = 1, reason = "r" }]\n\n'
        '[turn.expect]\n"trust.XX" = 3\nband."opinion.ROK" = "great"\n'
        'queued = ["gone"]\nending = "boom"\n'
    )
    assert problems(text, mini_deck) == [
        "pt.toml:1: deck: this playtest is for deck 'other', not 'mini'",
        "pt.toml:5: turn 1: card: unknown card 'nope'",
        "pt.toml:6: turn 1: choices.US: unknown seat 'US'",
        "pt.toml:6: turn 1: choices: no choice for ROK",
        "pt.toml:10: turn 2: choices.ROK: ROK has no option 'fly' on 'neo'; options: "
        "joint-cell, go-alone",
        "pt.toml:11: turn 2: adjudicate[0].meter: unknown meter 'opinion.XX'",
        "pt.toml:13: turn 2: expect.band.opinion.ROK: meter opinion.ROK has no band 'great' "
        "(bands: critical, strained, steady, strong)",
        "pt.toml:14: turn 2: expect.trust.XX: unknown meter 'trust.XX'",
        "pt.toml:16: turn 2: expect.queued[0]: unknown card 'gone'",
        "pt.toml:17: turn 2: expect.ending: unknown ending 'boom' (endings: partners, rupture)",
    ]


def test_adjudication_needs_delta_or_value():
    text = MINI_TEXT.replace("delta = -1, ", "")
    (problem,) = problems(text)
    assert problem.startswith(f"pt.toml:{line_of(text, 'adjudicate =')}: turn 3: adjudicate[0]")
    assert problem.endswith("give either delta (a change) or value (a new value)")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"seed = [", "invalid TOML"),
        (b"", "is empty"),
        (b"\xff\xfe", "UTF-16"),
        (b"seed = 1\n", "turn: required field is missing"),
    ],
)
def test_unreadable_playtests_are_one_line_each(tmp_path, capsys, content, message):
    bad = tmp_path / "bad.toml"
    bad.write_bytes(content)
    assert main(["playtest", str(DATA / "mini.toml"), str(bad)]) == 1
    out = capsys.readouterr()
    assert out.err == ""
    (line,) = out.out.splitlines()
    assert line.startswith(str(bad)) and message in line


def test_a_missing_playtest_or_deck_is_reported(capsys):
    assert main(["playtest", str(DATA / "mini.toml"), "no-such.toml"]) == 1
    assert capsys.readouterr().out.strip() == "no-such.toml: no such file"
    assert main(["playtest", "no-such-deck.toml", str(MINI_PLAYTEST)]) == 1
    assert "no-such-deck.toml: no such file" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("seed = 3", 'seed = "3"', "seed: Input should be a valid integer, not the text '3'"),
        ("seed = 3", "seed = true", "seed: Input should be a valid integer, not true"),
        ("seed = 3", "seed = 3.0", "seed: Input should be a valid integer"),
        ("seed = 3", f"seed = {'9' * 5000}", "seed: a number has more than 4,300 digits"),
        ('title = "Joint', 'title = "\\u001b[2JJoint', "title: control character '\\x1b'"),
    ],
    ids=["quoted", "bool", "float", "huge", "escape"],
)
def test_playtests_are_read_as_strictly_as_decks(old, new, expected):
    text = MINI_TEXT.replace(old, new, 1)
    (problem,) = problems(text)
    assert expected in problem
