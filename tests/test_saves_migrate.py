"""Saves of format 1 (checked in under tests/data/saves/, made by the code that wrote that
format) open, replay and export byte-identically after migration; a current save round-trips;
a newer one is refused."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
import tomli_w

from tests.data.saves.make_v1_saves import FORMATS, play_one_turn, play_undo
from wargame.aar.export import export
from wargame.cli import main
from wargame.engine import fold
from wargame.model.game import GameEnded, Undone
from wargame.store.migrate import FORMAT_VERSION, migrate
from wargame.store.saves import SaveError, content_checksum, load_save, write_save

DATA = Path(__file__).parent / "data" / "saves"
V1 = sorted(DATA.glob("v1-*.toml"))


def test_the_test_data_is_format_1_and_has_every_undo_kind():
    assert [p.name for p in V1] == [
        "v1-example-fault-lines.toml",
        "v1-one-turn.toml",
        "v1-undo.toml",
    ]
    kinds = set()
    for path in V1:
        data = tomllib.loads(path.read_text("utf-8"))
        assert data["format"] == 1
        kinds |= {e["what"].partition(" of ")[0] for e in data["events"] if e["kind"] == "undone"}
    assert kinds == {"resolution", "adjudication"}


@pytest.mark.parametrize("path", V1, ids=lambda p: p.stem)
def test_a_format_1_save_opens_replays_and_exports_byte_identically(path, tmp_path):
    copy = tmp_path / path.name  # the export's default folder is beside the save
    shutil.copyfile(path, copy)
    loaded = load_save(copy)
    assert fold(loaded.deck, loaded.events) == loaded.game.state
    for fmt in FORMATS:
        want = path.with_name(f"{path.stem}.aar.{fmt}").read_bytes()
        out = tmp_path / f"out.{fmt}"
        assert main(["export", str(copy), "-f", fmt, "-o", str(out)]) == 0
        assert out.read_bytes() == want, fmt


def test_migrated_undo_events_are_typed():
    undone = [e for e in load_save(DATA / "v1-undo.toml").events if isinstance(e, Undone)]
    assert [(e.undid, e.ref) for e in undone] == [
        ("adjudication", "trust.ROK-JPN"),
        ("resolution", "neo-artillery-alert"),
        ("resolution", "force-flow-okinawa"),
    ]


def test_a_format_1_one_turn_game_keeps_its_recorded_words():
    loaded = load_save(DATA / "v1-one-turn.toml")
    ends = [e for e in loaded.events if isinstance(e, GameEnded)]
    assert [e.text for e in ends] == ["The game ran its full 1 turns."] * 2
    assert loaded.game.state.outcome.text == "The game ran its full 1 turns."


def test_the_rules_now_say_one_turn():
    game = play_one_turn()
    assert game.state.outcome.text == "The game ran its full 1 turn."


def test_a_resumed_format_1_game_is_saved_in_the_current_format(tmp_path):
    copy = tmp_path / "old.toml"
    shutil.copyfile(DATA / "v1-undo.toml", copy)
    loaded = load_save(copy)
    write_save(copy, loaded.deck, loaded.events)
    data = tomllib.loads(copy.read_text("utf-8"))
    assert data["format"] == FORMAT_VERSION == 2
    assert all("what" not in e for e in data["events"])
    again = load_save(copy)
    assert again.events == loaded.events and again.game.state == loaded.game.state


@pytest.mark.parametrize("play", [play_undo, play_one_turn], ids=lambda f: f.__name__)
def test_a_current_save_round_trips(play, tmp_path):
    game = play()
    path = tmp_path / "game.toml"
    write_save(path, game.deck, game.events)
    loaded = load_save(path)
    assert tomllib.loads(path.read_text("utf-8"))["format"] == FORMAT_VERSION
    assert loaded.events == game.events and loaded.game.state == game.state
    for fmt in FORMATS:
        assert export(loaded.deck, loaded.events, fmt) == export(game.deck, game.events, fmt)


def test_the_undo_game_exports_as_it_did_in_format_1():
    # Nothing in it is worded differently now, so a fresh game is the recorded one.
    game = play_undo()
    for fmt in FORMATS:
        want = (DATA / f"v1-undo.aar.{fmt}").read_bytes().decode("utf-8")
        assert export(game.deck, game.events, fmt) == want, fmt


def test_a_format_1_checksum_is_checked_as_format_1(tmp_path):
    copy = tmp_path / "old.toml"
    data = tomllib.loads((DATA / "v1-undo.toml").read_text("utf-8"))
    assert data["checksum"] == content_checksum(data)
    assert data["checksum"] != content_checksum(migrate(data))
    text = (DATA / "v1-undo.toml").read_text("utf-8")
    copy.write_text(text.replace('what = "adjudication of', 'what = "resolution of', 1), "utf-8")
    with pytest.raises(SaveError, match="checksum"):
        load_save(copy)


def test_migrate_leaves_its_input_alone_and_the_current_format_as_it_is():
    data = tomllib.loads((DATA / "v1-undo.toml").read_text("utf-8"))
    before = repr(data)
    out = migrate(data)
    assert repr(data) == before and out["format"] == FORMAT_VERSION
    assert migrate(out) == out


def resealed(data: dict, path: Path) -> Path:
    """`data` written to `path` with its checksum made again, as a tool would."""
    data["checksum"] = content_checksum(data)
    path.write_text(tomli_w.dumps(data), "utf-8")
    return path


def test_an_undo_of_no_known_kind_is_named_not_crashed(tmp_path):
    data = tomllib.loads((DATA / "v1-undo.toml").read_text("utf-8"))
    undo = next(i for i, e in enumerate(data["events"]) if e["kind"] == "undone")
    data["events"][undo]["what"] = "something else"
    with pytest.raises(SaveError, match=rf"event #{undo + 1}"):
        load_save(resealed(data, tmp_path / "odd.toml"))


def test_a_newer_format_is_refused(tmp_path):
    data = tomllib.loads((DATA / "v1-undo.toml").read_text("utf-8"))
    data["format"] = FORMAT_VERSION + 1
    with pytest.raises(SaveError, match="saved by a newer wargame"):
        load_save(resealed(data, tmp_path / "new.toml"))
