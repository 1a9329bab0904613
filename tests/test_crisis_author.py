"""Schema 2 in the author tools: lint's new warnings, simulate's new report parts and its
policies' respect for option availability, validate and the JSON Schema."""

from __future__ import annotations

import json

import jsonschema
import pytest

from wargame.author.lint import lint_text
from wargame.author.lint_crisis import CODES
from wargame.author.simulate import POLICIES, simulate
from wargame.cli import main
from wargame.model.deck import deck_json_schema
from wargame.store.decks import parse_deck

from .conftest import DATA

TEXT = (DATA / "crisis.toml").read_text()


def codes(text: str) -> dict[str, list[str]]:
    _, warnings = lint_text(text, "crisis.toml")
    out: dict[str, list[str]] = {}
    for w in warnings:
        out.setdefault(w.code, []).append(str(w))
    return out


def test_lint_knows_every_new_code():
    for code in (
        "unreachable-phase",
        "unread-flag",
        "unset-flag",
        "silent-red-cell",
        "unexercised-objective",
    ):
        assert code in CODES


def test_lint_the_test_deck():
    found = codes(TEXT)
    assert found["unread-flag"] == [
        "crisis.toml:67: flag seam-probed: no condition reads it (option availability, when, "
        "briefing_if, ...)"
    ]
    for code in ("unreachable-phase", "unset-flag", "silent-red-cell", "unexercised-objective"):
        assert code not in found
    # Escalation counts lower-is-better: intercepting (−10) is not dominated by tracking (+5).
    assert not any("intercept" in w for w in found.get("dominated-option", []))


def test_lint_warns_about_unreachable_phases_flags_silent_rules_and_objectives():
    text = (
        TEXT.replace('turns = 2\ncategories = ["history"]', 'turns = 5\ncategories = ["history"]')
        .replace('when = "trust.ROK-JPN < 30"', 'when = "trust.ROK-JPN < 0"')
        .replace(
            '  { id = "defense",',
            '  { id = "unused", text = "Nothing asks this." },\n  { id = "defense",',
        )
        .replace(
            '[[flags]]\nid = "seam-probed"',
            '[[flags]]\nid = "never-set"\nlabel = "Never set"\n\n[[flags]]\nid = "seam-probed"',
        )
        .replace(
            "when = \"flag('gsomia-lapsed')\"",
            "when = \"flag('gsomia-lapsed') or flag('never-set')\"",
        )
    )
    found = codes(text)
    assert any(
        "phase provocation: the earlier phases take all 5 turns" in w
        for w in found["unreachable-phase"]
    )
    assert found["unset-flag"] == [
        "crisis.toml:68: flag never-set: nothing sets it (no option, extra, joint or red-cell rule)"
    ]
    # The North escalates only in the phase now out of reach; China's test cannot hold.
    silent = found["silent-red-cell"]
    assert len(silent) == 2
    assert "red-cell rule china-probe: never fired in 360 simulated games" in silent[0]
    assert "red-cell rule north-escalates: never fired" in silent[1]
    assert any(
        "objective unused: no card exercises it" in w for w in found["unexercised-objective"]
    )


def test_a_phase_only_the_facilitator_can_end():
    text = TEXT.replace('turns = 2\ncategories = ["history"]', 'categories = ["history"]')
    found = codes(text)
    assert any(
        "phase provocation: only the facilitator can reach it: phase friction has no turns" in w
        for w in found["unreachable-phase"]
    )


@pytest.mark.parametrize("policy", [*POLICIES, "mixed"])
def test_every_policy_respects_option_availability(policy):
    # Sharing directly is the best option by every yardstick, but never open.
    text = TEXT.replace(
        "unavailable_when = \"flag('gsomia-lapsed')\"", 'unavailable_when = "turn >= 1"'
    ).replace(
        'effects = { "trust.ROK-JPN" = 6, "opinion.ROK" = -3 }',
        'effects = { "trust.ROK-JPN" = 20, "opinion.ROK" = 20 }',
    )
    deck = parse_deck(text, "crisis.toml")
    report = simulate(deck, 60, policy, seed=2)
    share = next(o for o in report["options"] if (o["card"], o["option"]) == ("launch", "share"))
    assert share["faced"] > 0 and share["picks"] == 0
    intercept = next(
        o for o in report["options"] if (o["card"], o["option"]) == ("launch", "intercept")
    )
    assert intercept["picks"] <= intercept["faced"]


def test_simulate_reports_the_crisis():
    deck = parse_deck(TEXT, "crisis.toml")
    report = simulate(deck, 200, "random", seed=1)
    assert report["phases"] == {"friction": 1.0, "provocation": 1.0, "aftermath": 1.0}
    assert report["red_cell"]["rules"]["north-escalates"] == 1.0
    assert 0 < report["red_cell"]["rules"]["china-probe"] < 1
    assert report["red_cell"]["actors"]["North Korea"] == 1.0
    assert report["objectives"]["direct"]["full_games"] == 1.0
    assert report["objectives"]["defense"]["full_games"] == 1.0
    assert set(report["flags"]) == {"gsomia-lapsed", "seam-probed"}
    assert report["checkpoints"] == {"brink": 0.0}
    assert simulate(deck, 200, "random", seed=1, jobs=2) == report


def test_simulate_of_a_schema_1_deck_has_no_crisis_parts():
    deck = parse_deck((DATA / "mini.toml").read_text(), "mini.toml")
    report = simulate(deck, 20, "random", seed=1)
    assert {"phases", "red_cell", "flags"}.isdisjoint(report) or report["phases"] == {}


def test_the_json_schema_takes_the_schema_2_deck():
    import tomllib

    jsonschema.validate(tomllib.loads(TEXT), deck_json_schema())
    assert deck_json_schema()["title"] == "wargame deck (schema 2)"


def test_validate_names_the_field_of_a_schema_2_problem(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(TEXT.replace("cost = { interceptors = 1 }", "cost = { ships = 1 }"))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:193: card launch: options[2].cost.ships: unknown resource 'ships'" in out


def test_simulate_cli_prints_the_crisis(capsys):
    assert main(["simulate", str(DATA / "crisis.toml"), "--games", "20"]) == 0
    out = capsys.readouterr().out
    assert "phase reached" in out and "red cell fired" in out and "north-escalates" in out
    assert main(["simulate", str(DATA / "crisis.toml"), "--games", "20", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["red_cell"]["moves_per_game"]["min"] >= 1


def test_the_crisis_playtest_passes():
    from wargame.author.playtest import load_playtest, run_playtest

    deck = parse_deck(TEXT, "crisis.toml")
    result = run_playtest(deck, load_playtest(DATA / "playtests" / "crisis-mini.toml", deck))
    assert result.ok, [str(f) for f in result.failures]
    assert result.turns == 5 and result.checks == 20
    assert result.game.state.passed == ("brink",)


def test_a_failed_schema_2_assertion_is_reported(tmp_path):
    from wargame.author.playtest import load_playtest, run_playtest

    deck = parse_deck(TEXT, "crisis.toml")
    text = (DATA / "playtests" / "crisis-mini.toml").read_text()
    path = tmp_path / "bad.toml"
    path.write_text(text.replace('phase = "friction"', 'phase = "aftermath"'))
    result = run_playtest(deck, load_playtest(path, deck))
    (failure,) = result.failures
    assert "phase: expected aftermath, got friction" in str(failure)


def test_headless_play_of_a_schema_2_deck(capsys, tmp_path):
    args = ["play", "--headless", "--deck", str(DATA / "crisis.toml"), "--seed", "3"]
    assert main([*args, "--saves", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "red cell — North Korea: Pyongyang raises the stakes" in out
    assert "Ended on turn 5" in out
