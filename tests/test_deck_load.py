"""Loading decks: every kind of load error names file, card, field and line; `validate`
never prints a traceback, whatever it is given."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

from wargame.cli import main
from wargame.model.deck import deck_json_schema
from wargame.store.decks import DeckError, bundled_deck_paths, find_deck, load_deck, parse_deck

from .conftest import DATA

MINI = (DATA / "mini.toml").read_text()


def problems_of(text: str) -> list[str]:
    with pytest.raises(DeckError) as err:
        parse_deck(text, "deck.toml")
    return [str(p) for p in err.value.problems]


def line_of(text: str, needle: str, after: str = "") -> int:
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if after in ln) if after else 0
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def test_the_test_deck_loads(mini_deck):
    assert mini_deck.id == "mini"
    assert [c.id for c in mini_deck.cards] == ["neo", "cell", "missile", "radar", "history"]


def test_unknown_field_is_named_with_card_and_line():
    text = MINI.replace("weight = 2\n", "weight = 2\nwieght = 3\n")
    assert problems_of(text) == [
        f"deck.toml:{line_of(text, 'wieght')}: card missile: wieght: "
        "unknown field (check the spelling; see decks/README.md)"
    ]


def test_missing_required_field():
    text = MINI.replace('briefing = "A missile flies over Hokkaido."\n', "")
    line = line_of(text, 'id = "missile"') - 1
    assert problems_of(text) == [
        f"deck.toml:{line}: card missile: briefing: required field is missing"
    ]


def test_wrong_type_in_an_option():
    text = MINI.replace('label = "Track only"', "label = 5")
    assert problems_of(text) == [
        f"deck.toml:{line_of(text, 'label = 5')}: card missile: options[1].label: "
        "Input should be a valid string"
    ]


def test_unknown_meter_in_effects():
    text = MINI.replace('effects = { "readiness.JPN" = 5 }', 'effects = { "readiness.JP" = 5 }')
    line = line_of(text, '"readiness.JP" = 5')
    assert problems_of(text) == [
        f"deck.toml:{line}: card missile: "
        "options[1].effects.readiness.JP: unknown meter 'readiness.JP'"
    ]


def test_unknown_followup_and_seat():
    text = MINI.replace('followups = ["cell"]', 'followups = ["celll"]').replace(
        'seat = "ROK"\nid = "share"', 'seat = "KOR"\nid = "share"'
    )
    assert problems_of(text) == [
        f"deck.toml:{line_of(text, 'celll')}: card neo: joint[0].followups[0]: "
        "unknown card 'celll'",
        f"deck.toml:{line_of(text, 'KOR')}: card missile: options[2].seat: unknown seat 'KOR'",
    ]


def test_bad_condition_names_card_field_and_line():
    text = MINI.replace(
        "when = \"played('missile') or turn >= 3\"", "when = \"played('missle') or turn >= 3\""
    )
    assert problems_of(text) == [
        f"deck.toml:{line_of(text, 'missle')}: card history: when: "
        "unknown card 'missle' in \"played('missle') or turn >= 3\""
    ]


def test_duplicate_ids_and_bad_meter_bounds():
    text = MINI.replace('id = "cell"\ntitle', 'id = "neo"\ntitle').replace(
        "start = 95", "start = 105"
    )
    found = problems_of(text)
    # A rule over several fields points at the meter's table.
    header = line_of(text, 'id = "readiness.JPN"') - 1
    assert found == [
        f"deck.toml:{header}: meter readiness.JPN: start (105) must lie between 0 and 100",
    ]
    text = MINI.replace('id = "cell"\ntitle', 'id = "neo"\ntitle')
    line = line_of(text, 'id = "neo"', after='title = "Evacuation"')
    assert problems_of(text)[0] == f"deck.toml:{line}: card neo: id: duplicate id 'neo'"


def test_many_problems_are_all_reported():
    text = (
        MINI.replace('label = "Track only"', "label = 5")
        .replace("weight = 2\n", "weight = -2\n")
        .replace('category = "radar"', 'category = "Radar Lock"')
    )
    assert len(problems_of(text)) == 3


def test_schema_version_is_checked():
    assert problems_of(MINI.replace("schema = 1", "schema = 3")) == [
        "deck.toml:2: schema: schema 3 is not supported; this wargame reads schema 1 and 2"
    ]
    assert problems_of(MINI.replace("schema = 1", "")) == [
        "deck.toml: schema: missing 'schema = 2' at the top of the file"
    ]


def test_schema_1_decks_still_load():
    for path in [*bundled_deck_paths(), *sorted((DATA).glob("*.toml"))]:
        if path.name == "defects.toml":
            continue
        deck = load_deck(path)
        assert deck.schema_version in (1, 2)
    assert load_deck(DATA / "mini.toml").schema_version == 1


def test_schema_2_parts_are_refused_in_a_schema_1_deck():
    text = MINI.replace('id = "neo"\n', 'id = "neo"\nobjectives = ["talk"]\n', 1)
    assert problems_of(text) == [
        "deck.toml:40: card neo: objectives: needs 'schema = 2' at the top of the file"
    ]


def test_schema_2_names_are_checked():
    text = (DATA / "crisis.toml").read_text()
    bad = (
        text.replace('set_flags = ["seam-probed"]', 'set_flags = ["seam-probd"]')
        .replace("phase('provocation')", "phase('provo')")
        .replace("cost = { interceptors = 1 }", "cost = { ships = 1 }")
        .replace('tags = ["north"]\nadvance', 'tags = ["nort"]\nadvance')
    )
    got = problems_of(bad)
    assert any("phase provocation: tags[0]: no card has tag 'nort'" in p for p in got)
    assert any("set_flags[0]: unknown flag 'seam-probd'" in p for p in got)
    assert any("unknown phase 'provo'" in p for p in got)
    assert any("card launch: options[2].cost.ships: unknown resource 'ships'" in p for p in got)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "deck.toml: is empty; a deck needs schema, [deck], seats, meters and cards"),
        (
            b"schema = 1\n[deck\n",
            "deck.toml:2: invalid TOML: Expected ']' at the end of a table declaration",
        ),
        (b"\x00\x01\x02\xff\xfe garbage", "deck.toml: is a binary file, not TOML text"),
        ("schema = 1\n".encode("utf-16"), "deck.toml: is UTF-16 text; save it as UTF-8"),
        (b'schema = 1\nx = "\xff"\n', "deck.toml:2: is not valid UTF-8 text (save it as UTF-8)"),
        (b"x = " + b"[" * 5000 + b"]" * 5000, "deck.toml: invalid TOML: nested too deeply"),
    ],
)
def test_unreadable_files_are_refused_plainly(tmp_path, monkeypatch, content, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deck.toml").write_bytes(content)
    with pytest.raises(DeckError) as err:
        load_deck("deck.toml")
    assert str(err.value) == message


def test_directories_and_missing_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "adir").mkdir()
    with pytest.raises(DeckError, match="adir: is a directory, not a deck file"):
        load_deck("adir")
    with pytest.raises(DeckError, match="nope.toml: no such file"):
        load_deck("nope.toml")


VALIDATE_CASES = {
    "empty.toml": b"",
    "invalid.toml": b"schema = = 1",
    "binary.toml": bytes(range(256)) * 4,
    "utf16.toml": "schema = 1\n".encode("utf-16"),
    "deep.toml": b"x = " + b"[" * 100_000 + b"]" * 100_000,
    "deep-tables.toml": b"x = " + b"{a = " * 5000 + b"1" + b"}" * 5000,
}


def test_validate_cli_never_prints_a_traceback(tmp_path):
    for name, content in VALIDATE_CASES.items():
        (tmp_path / name).write_bytes(content)
    (tmp_path / "folder.toml").mkdir()
    paths = [*VALIDATE_CASES, "folder.toml", "missing.toml", str(DATA / "mini.toml")]
    proc = subprocess.run(
        [sys.executable, "-m", "wargame", "validate", *paths],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == len(paths)
    for name in paths[:-1]:
        assert any(line.startswith(name + ":") for line in lines), name
    assert lines[-1].endswith("ok — 'Mini crisis', 5 cards, 2 endings")


def test_validate_exit_codes(capsys):
    assert main(["validate", str(DATA / "mini.toml")]) == 0
    for path in bundled_deck_paths():
        assert main(["validate", str(path)]) == 0, capsys.readouterr().out


def test_schema_command_validates_every_bundled_deck(capsys):
    import tomllib

    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == deck_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    paths = [*bundled_deck_paths(), DATA / "mini.toml"]
    assert len(paths) >= 2
    for path in paths:
        data = tomllib.loads(path.read_text())
        errors = list(validator.iter_errors(data))
        assert errors == [], (path, errors[:3])
    bad = tomllib.loads(MINI.replace("weight = 2\n", "weight = 2\nwieght = 3\n"))
    assert list(validator.iter_errors(bad))


def test_default_deck_is_found_by_id_and_by_path():
    deck, path = find_deck(None)
    assert deck.id == "fault-lines"
    assert find_deck("fault-lines")[0] == deck
    assert find_deck(str(path))[0] == deck
    with pytest.raises(DeckError, match="no deck with this id or path"):
        find_deck("no-such-deck")
