"""`wargame saves`, `replay`, `resume` and `restore`: output and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import play_random
from wargame.cli import main
from wargame.engine import Game
from wargame.store.saves import load_save, write_save


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "220")  # rich tables: one row per save, nothing folded


@pytest.fixture
def folder(tmp_path: Path, mini_deck) -> Path:
    d = tmp_path / "saves"
    d.mkdir()
    ended = play_random(mini_deck, 5, team_names={"ROK": "Blue Team"})
    write_save(d / "ended.toml", mini_deck, ended.events)
    mid = Game.start(mini_deck, seed=3, mode="open")
    mid.draw("neo")
    mid.decide("ROK", "joint-cell", "Build habits of cooperation")
    write_save(d / "mid.toml", mini_deck, mid.events)
    (d / "broken.toml").write_text("format = 1\nthis is not toml\n", "utf-8")
    return d


def test_saves_lists_every_save_with_its_state(folder, capsys):
    assert main(["saves", "--saves", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"Saves in {folder}" in out
    # One block per save, a blank line between blocks, each starting with the file's name.
    blocks = [b.strip() for b in out.split("\n\n")[1:]]
    rows = {b.split(" — ")[0]: b for b in blocks}
    assert set(rows) == {"ended.toml", "mid.toml", "broken.toml"}
    assert "Mini crisis" in rows["mid.toml"] and "1/4" in rows["mid.toml"]
    assert "in play" in rows["mid.toml"] and "open" in rows["mid.toml"]
    assert "ended: " in rows["ended.toml"] and "ROK: Blue Team" in rows["ended.toml"]
    assert "damaged: invalid TOML" in rows["broken.toml"]


def test_top_level_saves_option_reaches_the_command(folder, capsys):
    assert main(["--saves", str(folder), "saves"]) == 0
    assert "mid.toml" in capsys.readouterr().out


def test_saves_in_an_empty_folder(tmp_path, capsys):
    assert main(["saves", "--saves", str(tmp_path / "new")]) == 0
    assert capsys.readouterr().out.startswith(f"No saves in {tmp_path / 'new'}")


def test_damaged_save_offers_its_backup(folder, mini_deck, capsys):
    path = folder / "mid.toml"
    write_save(path, mini_deck, load_save(path).events)
    path.write_text("garbage", "utf-8")
    assert main(["saves", "--saves", str(folder)]) == 0
    assert f"a good backup exists: wargame restore {path}" in capsys.readouterr().out
    assert main(["restore", "mid", "--saves", str(folder)]) == 0
    assert "restored from its .bak" in capsys.readouterr().out
    assert load_save(path).game.pending == ["JPN"]


def test_replay_prints_a_summary(folder, capsys):
    assert main(["replay", str(folder / "ended.toml")]) == 0
    out = capsys.readouterr().out
    assert "verified" in out and "deck: Mini crisis (mini)" in out
    assert "turns played: " in out and "decisions: " in out
    assert "ending: " in out and "final meters:" in out and "ROK–Japan trust" in out


def test_replay_by_name_and_mid_game(folder, capsys):
    assert main(["replay", "mid", "--saves", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "turns played: 0 of 4" in out
    assert "ending: none yet — in play, turn 1 (deciding; decided: ROK)" in out


def test_replay_refuses_a_save_that_does_not_verify(folder, capsys):
    text = (folder / "ended.toml").read_text("utf-8")
    (folder / "ended.toml").write_text(text.replace('seat = "ROK"', 'seat = "JPN"', 1), "utf-8")
    assert main(["replay", str(folder / "ended.toml")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"wargame: {folder / 'ended.toml'}: ")
    assert "Traceback" not in err
    assert main(["replay", str(folder / "broken.toml")]) == 1
    assert "invalid TOML" in capsys.readouterr().err
    assert main(["replay", str(folder / "nothing.toml")]) == 1
    assert "no such save file" in capsys.readouterr().err


def test_resume_opens_the_latest_save(folder, fake_tui):
    import os

    os.utime(folder / "broken.toml", (1, 1))  # the most recent is mid.toml
    os.utime(folder / "ended.toml", (2, 2))
    assert main(["resume", "--saves", str(folder)]) == 0
    assert fake_tui == [{"resume": folder / "mid.toml", "saves": folder}]


def test_resume_a_named_save(folder, fake_tui):
    assert main(["--saves", str(folder), "resume", "ended"]) == 0
    assert fake_tui == [{"resume": folder / "ended.toml", "saves": folder}]


def test_resume_refuses_a_bad_save_before_opening_the_tui(folder, fake_tui, capsys):
    assert main(["resume", str(folder / "broken.toml"), "--saves", str(folder)]) == 1
    assert "invalid TOML" in capsys.readouterr().err
    assert main(["resume", "--saves", str(folder / "empty")]) == 1
    assert "no saves in" in capsys.readouterr().err
    assert fake_tui == []


def test_saves_folder_option_works_before_and_after_the_command(tmp_path, capsys):
    import shutil

    from wargame.cli import build_parser

    example = Path(__file__).parent.parent / "saves" / "example-fault-lines.toml"
    shutil.copy(example, tmp_path / example.name)
    for argv in (["--saves", str(tmp_path), "saves"], ["saves", "--saves", str(tmp_path)]):
        assert build_parser().parse_args(argv).saves == tmp_path
    assert build_parser().parse_args(["play"]).saves is None
