"""Hostile file-system cases (issue 13): non-regular files, reads capped by bytes read, names
the file system refuses, unreadable folders, non-finite numbers in saves, export targets
that are not regular files, and deck text that would drive the terminal."""

from __future__ import annotations

import math
import os
import stat
import tomllib
from pathlib import Path

import pytest
import tomli_w

from tests.conftest import DATA, play_random
from wargame.cli import main
from wargame.engine import Game
from wargame.store import files
from wargame.store.decks import DeckError, load_deck
from wargame.store.saves import SaveError, content_checksum, list_saves, load_save, write_save

LONG = "a" * 300 + ".toml"


@pytest.fixture
def save(tmp_path, mini_deck) -> Path:
    folder = tmp_path / "saves"
    folder.mkdir()
    path = folder / "game.toml"
    game = Game.start(mini_deck, seed=3)
    game.draw("neo")
    game.decide("ROK", "joint-cell", "why", seconds=12.5)
    write_save(path, mini_deck, game.events)
    return path


def one_line(text: str) -> str:
    assert "Traceback" not in text and "Error:" not in text.split(": ", 1)[0]
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


# --- non-regular files ------------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "pipe.toml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "/dev/urandom", "dir"])
def test_decks_and_saves_refuse_non_regular_files(kind, fifo, tmp_path):
    path = {"fifo": fifo, "dir": tmp_path}.get(kind, Path(kind))
    what = {"fifo": "a FIFO (named pipe)", "dir": "a directory"}.get(kind, "a device")
    with pytest.raises(DeckError) as deck_err:
        load_deck(path)
    assert str(deck_err.value) == f"{path}: is {what}, not a deck file"
    with pytest.raises(SaveError) as save_err:
        load_save(path)
    assert str(save_err.value) == f"{path}: is {what}, not a save file"


def test_reads_stop_at_the_cap_whatever_the_size_says(tmp_path, monkeypatch):
    path = tmp_path / "big.toml"
    path.write_bytes(b"x" * 10_000)
    read = []
    real = os.read
    monkeypatch.setattr(files.os, "read", lambda fd, n: read.append(n) or real(fd, n))
    with pytest.raises(files.FileRefused, match="is larger than 1 KiB; not a deck"):
        files.read_capped(path, 1024, "deck file")
    assert sum(read) == 1025  # never more than cap + 1 bytes asked for
    assert files.read_capped(path, 10_000, "deck file") == b"x" * 10_000


def test_every_command_refuses_a_fifo_without_hanging(fifo, capsys):
    for argv in (
        ["validate", str(fifo)],
        ["lint", str(fifo)],
        ["play", "--headless", "--deck", str(fifo)],
        ["simulate", str(fifo), "--games", "1"],
    ):
        assert main(argv) == 1
        out = capsys.readouterr()
        assert one_line(out.out + out.err) == f"{fifo}: is a FIFO (named pipe), not a deck file"
    for argv in (["replay", str(fifo)], ["export", str(fifo)], ["resume", str(fifo)]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert one_line(err) == f"wargame: {fifo}: is a FIFO (named pipe), not a save file"


# --- names the file system refuses, folders it will not read ----------------------------


def test_a_300_character_name_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for argv in (
        ["validate", LONG],
        ["lint", LONG],
        ["play", "--headless", "--deck", LONG],
        ["simulate", LONG, "--games", "1"],
    ):
        assert main(argv) == 1, argv
        out = capsys.readouterr()
        assert one_line(out.out + out.err) == f"{LONG}: cannot be read (file name too long)"
    for argv in (["replay", LONG], ["export", LONG], ["resume", LONG]):
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert one_line(err) == f"wargame: {LONG}: cannot be read (file name too long)"
    assert main(["saves", "--saves", LONG]) == 1
    assert "file name too long" in one_line(capsys.readouterr().err)


@pytest.fixture
def unreadable(tmp_path, monkeypatch) -> Path:
    """A folder this process may not search, as for a user without x permission on it
    (the tests may run as root, who can read anything: the refusal is simulated)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "deck.toml").write_bytes((DATA / "mini.toml").read_bytes())
    (folder / "game.toml").write_text("format = 1\n")
    inside = str(folder) + os.sep

    def guard(real):
        def call(path, *args, **kwargs):
            if isinstance(path, (str, os.PathLike)) and os.fspath(path).startswith(inside):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real(path, *args, **kwargs)

        return call

    for name in ("open", "stat", "lstat", "scandir", "listdir"):
        monkeypatch.setattr(os, name, guard(getattr(os, name)))
    return folder


def test_a_file_in_an_unreadable_folder_is_a_one_line_error(unreadable, capsys, monkeypatch):
    deck, game = unreadable / "deck.toml", unreadable / "game.toml"
    for argv in (
        ["validate", str(deck)],
        ["lint", str(deck)],
        ["play", "--headless", "--deck", str(deck)],
        ["simulate", str(deck), "--games", "1"],
    ):
        assert main(argv) == 1, argv
        out = capsys.readouterr()
        assert one_line(out.out + out.err) == f"{deck}: cannot be read (permission denied)"
    for argv in (["replay", str(game)], ["export", str(game)]):
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert one_line(err) == f"wargame: {game}: cannot be read (permission denied)"


def test_decks_and_saves_listings_survive_unreadable_entries(tmp_path, fifo, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "decks").mkdir()
    os.mkfifo(tmp_path / "decks" / "pipe.toml")
    assert main(["decks"]) == 0
    out = capsys.readouterr().out
    assert "pipe.toml: damaged (1 problems" in out and "Traceback" not in out
    saves = tmp_path / "saves"
    saves.mkdir()
    os.mkfifo(saves / "pipe.toml")
    [entry] = list_saves(saves)
    assert entry.error == "is a FIFO (named pipe), not a save file"
    assert main(["saves", "--saves", str(saves)]) == 0
    assert "damaged: is a FIFO" in capsys.readouterr().out


# --- numbers that are not finite ---------------------------------------------------------


def reseal(path: Path, change) -> None:
    data = tomllib.loads(path.read_text("utf-8"))
    change(data)
    data["checksum"] = content_checksum(data)
    path.write_text(tomli_w.dumps(data), "utf-8")


def decision(data) -> dict:
    return next(e for e in data["events"] if e["kind"] == "decided")


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_a_save_holding_a_non_finite_number_is_refused(save, value, capsys):
    reseal(save, lambda d: decision(d).update(seconds=value))
    with pytest.raises(SaveError) as err:
        load_save(save)
    n = 1 + [e["kind"] for e in tomllib.loads(save.read_text())["events"]].index("decided")
    text = "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    assert (
        err.value.message
        == f"event #{n}: seconds: {text} is not a finite number; the file was edited"
    )
    # Everything that reads saves says so, and nothing crashes.
    assert main(["export", str(save), "--format", "json", "-o", "-"]) == 1
    assert "is not a finite number" in one_line(capsys.readouterr().err)
    [entry] = list_saves(save.parent)
    assert not entry.ok and "not a finite number" in entry.error


def test_non_finite_numbers_are_refused_anywhere_in_the_save(save):
    reseal(save, lambda d: d["deck"]["deck"].update(weight_hint=math.nan))
    with pytest.raises(SaveError, match=r"deck\.deck\.weight_hint: nan is not a finite number"):
        load_save(save)


# --- export targets ----------------------------------------------------------------------


def test_export_writes_through_a_symlink(save, tmp_path, capsys):
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert main(["export", str(save), "-o", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text("utf-8").startswith("# After-action report")


def test_export_refuses_a_fifo_or_device_and_leaves_it_be(save, fifo, capsys):
    for target, what in ((fifo, "a FIFO (named pipe)"), (Path("/dev/null"), "a device")):
        assert main(["export", str(save), "-o", str(target)]) == 1
        err = one_line(capsys.readouterr().err)
        assert err == f"wargame: {target}: cannot be written (it is {what}, not a regular file)"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_export_to_dash_streams(save, capsys):
    assert main(["export", str(save), "--format", "csv", "-o", "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("turn,card,")
    assert not (save.parent / "-").exists()


# --- text that would drive the terminal ----------------------------------------------------

EVIL = "\x1b]0;owned\x07Blue\x1b[31m\nTeam\u202e"


def test_saves_and_replay_print_control_characters_visibly(tmp_path, mini_deck, capsys):
    game = play_random(mini_deck, 5, team_names={"ROK": EVIL})
    write_save(tmp_path / "evil.toml", mini_deck, game.events)
    assert main(["saves", "--saves", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    [teams] = [line for line in out.splitlines() if "teams:" in line]
    assert "ROK: ␛]0;owned␇Blue␛[31m␊Team\\u202e" in teams  # one line, every byte shown
    assert main(["replay", str(tmp_path / "evil.toml")]) == 0
    assert "\x1b" not in capsys.readouterr().out


def test_replay_aligns_wide_labels_in_display_cells(tmp_path, mini_deck, capsys):
    from rich.cells import cell_len

    from wargame.cli.saves import summary

    data = mini_deck.model_dump(by_alias=True)
    data["meters"][0]["label"] = "신뢰 trust"
    deck = type(mini_deck).model_validate(data)
    game = play_random(deck, 5)
    write_save(tmp_path / "wide.toml", deck, game.events)
    lines = summary(load_save(tmp_path / "wide.toml"))
    rows = lines[lines.index("final meters:") + 1 :]
    ends = {cell_len(row[: row.rindex("  ")]) for row in rows}
    assert len(ends) == 1, rows  # the value column ends in the same cell on every row


def test_headless_play_prints_deck_text_visibly_and_saves(tmp_path, mini_deck, capsys):
    saves = tmp_path / "saves"
    deck = tmp_path / "evil.toml"
    text = (DATA / "mini.toml").read_text("utf-8")
    title = tomllib.loads(text)["deck"]["title"]
    deck.write_text(text.replace(f'title = "{title}"', 'title = "Mini\\u001b[2J crisis"', 1))
    assert (
        main(["play", "--headless", "--deck", str(deck), "--seed", "2", "--saves", str(saves)]) == 0
    )
    out = capsys.readouterr().out
    assert "\x1b" not in out and out.startswith("Mini␛[2J crisis — seed 2")
    [path] = saves.glob("*.toml")
    assert f"Saved to {path}" in out
    loaded = load_save(path)
    assert loaded.game.state.ended and loaded.events[1].kind == "drawn"
    assert main(["export", str(path), "-o", "-"]) == 0


def test_export_to_a_name_too_long_is_a_one_line_error(save, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["export", str(save), "-o", LONG]) == 1
    assert (
        one_line(capsys.readouterr().err)
        == f"wargame: {LONG}: cannot be written (file name too long)"
    )


def test_listings_in_an_unreadable_folder_are_one_line_errors(unreadable, capsys, monkeypatch):
    inner = unreadable / "saves"
    assert main(["saves", "--saves", str(inner)]) == 1
    err = one_line(capsys.readouterr().err)
    assert err == f"wargame: {inner}: cannot be used as the saves folder (permission denied)"
    # `decks` reads ./decks: a deck in it that cannot be read is listed as damaged.
    decks = unreadable.parent / "decks"
    decks.mkdir()
    (decks / "deck.toml").write_bytes((DATA / "mini.toml").read_bytes())
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if os.fspath(path).endswith("decks/deck.toml"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(files.os, "open", refuse)
    monkeypatch.chdir(unreadable.parent)
    assert main(["decks"]) == 0
    out = capsys.readouterr().out
    assert "decks/deck.toml: damaged (1 problems" in out and "Traceback" not in out
