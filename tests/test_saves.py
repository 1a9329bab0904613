"""Saves: round trips, every kind of bad file, the .bak fallback, path safety, listing,
and the autosaver."""

from __future__ import annotations

import os
import random
import re
import tomllib
from datetime import datetime
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import play_random
from wargame import __version__
from wargame.engine import Game, Hotwash, Timer
from wargame.model.deck import Deck, deck_hash
from wargame.store import files, format, places, savefile
from wargame.store.saves import (
    FORMAT_VERSION,
    Autosaver,
    SaveError,
    content_checksum,
    deck_data,
    latest_save,
    list_saves,
    load_save,
    new_save_path,
    restore_backup,
    saves_dir,
    write_save,
)

NOW = datetime(2025, 3, 1, 9, 30, 5)


def stamp(n: int) -> str:
    return f"2025-03-01T09:{n // 60:02d}:{n % 60:02d}+09:00"


def full_game(deck: Deck) -> Game:
    """A game that uses every kind of event, with time stamps, ending mid-turn."""
    n = iter(range(10_000))
    g = Game.start(deck, seed=4, turns=4, mode="open", team_names={"ROK": "Blue"}, at=stamp(0))
    g.draw("neo", at=stamp(next(n)))
    g.decide(
        "ROK", "joint-cell", 'Trust "grows" — 신뢰\nsecond line', seconds=12.5, at=stamp(next(n))
    )
    g.decide("JPN", "sdf-airlift", "Speed matters", entered_by="facilitator", at=stamp(next(n)))
    g.resolve(at=stamp(next(n)))
    g.adjudicate("opinion.ROK", "Press reaction to the airlift", delta=-5, at=stamp(next(n)))
    g.undo(at=stamp(next(n)))
    g.adjudicate("opinion.ROK", "Press reaction, milder", delta=-2, at=stamp(next(n)))
    g.note("[not a table] = still a note", at=stamp(next(n)))
    g.apply(Timer(action="pause", at=stamp(next(n))))
    g.apply(Timer(action="resume", at=stamp(next(n))))
    g.draw(at=stamp(next(n)))
    g.skip("Not this one", at=stamp(next(n)))
    g.draw(at=stamp(next(n)))
    g.apply(Timer(action="extend", seconds=120, at=stamp(next(n))))
    g.decide(g.pending[0], g.card.options_for(g.pending[0])[0].id, "first seat only")
    g.apply(Hotwash(entry="strength", text="The joint cell", seat="ROK", card="neo"))
    return g


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "saves"
    d.mkdir()
    return d


@pytest.fixture
def saved(folder: Path, mini_deck: Deck) -> Path:
    path = folder / "game.toml"
    write_save(path, mini_deck, full_game(mini_deck).events)
    return path


def rewrite(path: Path, change, seal: bool = True) -> None:
    """Edit a save's data as a tool would, resealing the checksum unless told not to."""
    data = tomllib.loads(path.read_text("utf-8"))
    change(data)
    if seal:
        data["checksum"] = content_checksum(data)
    path.write_text(tomli_w.dumps(data), "utf-8")


def refused(path: Path) -> str:
    """The message of the SaveError for `path`; checks it names the file, on one line."""
    with pytest.raises(SaveError) as info:
        load_save(path)
    err = info.value
    assert err.path == path
    assert str(err) == f"{path}: {err.message}"
    assert "\n" not in str(err)
    return err.message


# --- round trips ------------------------------------------------------------------------


def test_round_trip_keeps_events_and_state(saved, mini_deck):
    game = full_game(mini_deck)
    loaded = load_save(saved)
    assert loaded.events == game.events
    assert loaded.game.events == game.events
    assert loaded.game.state == game.state
    assert loaded.deck == mini_deck
    assert loaded.game.pending == game.pending  # mid-turn: one seat decided, one not
    assert loaded.game_id == "game" and loaded.app_version == __version__
    assert loaded.last_played == game.events[-3].at  # the last event with a time stamp


def test_save_file_holds_what_the_issue_lists(saved, mini_deck):
    data = tomllib.loads(saved.read_text("utf-8"))
    assert data["format"] == FORMAT_VERSION
    assert data["app_version"] == __version__
    assert data["deck_id"] == "mini" and data["deck_hash"] == mini_deck.content_hash
    assert data["seed"] == 4
    assert data["settings"] == {"mode": "open", "turns": 4, "team_names": {"ROK": "Blue"}}
    assert data["event_count"] == len(data["events"])
    assert data["events"][0]["at"] == stamp(0)
    assert Deck.model_validate(data["deck"]) == mini_deck


def test_loaded_game_continues_where_it_stopped(saved, mini_deck):
    original = full_game(mini_deck)
    resumed = load_save(saved).game
    seat = original.pending[0]
    option = original.card.options_for(seat)[0].id
    assert original.decide(seat, option) == resumed.decide(seat, option)
    assert original.resolve() == resumed.resolve()
    assert original.state == resumed.state


@pytest.mark.parametrize("fixture", ["mini_deck", "default_deck"])
def test_embedded_deck_revalidates_to_the_same_deck_and_hash(fixture, request):
    deck = request.getfixturevalue(fixture)
    copy = Deck.model_validate(tomllib.loads(tomli_w.dumps(deck_data(deck))))
    assert copy == deck
    assert deck_hash(copy) == deck.content_hash


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10_000), rationale=st.text(max_size=40), cut=st.integers(1, 200))
def test_any_prefix_of_any_game_round_trips(tmp_path, mini_deck, seed, rationale, cut):
    game = play_random(mini_deck, seed, rationale=rationale.strip() or "why")
    events = game.events[:cut]
    while True:  # a save is written between commands, never inside a command's batch
        try:
            expected = Game.load(mini_deck, events)
            break
        except Exception:
            events = events[:-1]
    path = tmp_path / f"p{seed}-{cut}.toml"
    write_save(path, mini_deck, events)
    loaded = load_save(path)
    assert loaded.events == events
    assert loaded.game.state == expected.state


@settings(max_examples=25, deadline=None)
@given(
    seeds=st.lists(st.integers(0, 50), min_size=1, max_size=4),
    cuts=st.lists(st.integers(1, 120), min_size=4, max_size=4),
)
def test_a_reused_renderer_writes_what_a_fresh_one_writes(mini_deck, seeds, cuts):
    """The autosaver's renderer caches each event's text; whatever logs it sees in turn
    (growing, cut back, another game's), its bytes equal a fresh render's."""
    renderer = format.Renderer(mini_deck)
    path = Path("game.toml")
    for seed, cut in zip(seeds, cuts, strict=False):
        events = play_random(mini_deck, seed, at="2025-03-01T09:00:00+09:00").events[:cut]
        for log in (events[: max(1, cut // 2)], events):
            assert renderer.render(path, log) == format.Renderer(mini_deck).render(path, log)


def test_write_refuses_a_log_without_a_start(folder, mini_deck):
    game = play_random(mini_deck, 1)
    with pytest.raises(SaveError, match="must begin with a game start"):
        write_save(folder / "x.toml", mini_deck, game.events[1:])
    assert not (folder / "x.toml").exists()


# --- every bad kind ---------------------------------------------------------------------


def test_truncated_anywhere_is_refused(saved, mini_deck):
    raw = saved.read_bytes()
    rng = random.Random(7)
    for cut in sorted({*rng.sample(range(1, len(raw)), 60), len(raw) // 2, len(raw) - 2}):
        saved.write_bytes(raw[:cut])
        if raw[cut:].strip():
            assert refused(saved)  # each cut gets a reason
        else:  # only the final line break is gone: the contents are whole
            assert load_save(saved).events == full_game(mini_deck).events


def test_truncated_at_an_event_boundary_says_so(saved):
    text = saved.read_text("utf-8")
    cut = text.rindex("[[events]]")
    saved.write_text(text[:cut], "utf-8")
    total = text.count("[[events]]")
    assert refused(saved) == f"is truncated: it holds {total - 1} of {total} events"


def test_flipped_bytes_are_refused_or_harmless(saved, mini_deck):
    raw = saved.read_bytes()
    body = raw.index(b"format = ")  # the comment lines above are not part of the contents
    rng = random.Random(3)
    refusals = 0
    for pos in rng.sample(range(body, len(raw)), 120):
        for bit in (0x01, 0x20, 0x80):
            damaged = bytearray(raw)
            damaged[pos] ^= bit
            saved.write_bytes(bytes(damaged))
            try:
                loaded = load_save(saved)
            except SaveError:
                refusals += 1
            else:  # only a flip that changes no data (say, inside a table header's spacing)
                assert loaded.events == full_game(mini_deck).events
    assert refusals >= 340


def test_a_flipped_letter_in_a_rationale_fails_the_checksum(saved):
    text = saved.read_text("utf-8")
    saved.write_text(text.replace("Speed matters", "Speed mattErs"), "utf-8")
    message = refused(saved)
    assert message == "the contents do not match the checksum; the file was damaged or edited"


def test_an_edited_event_that_no_longer_replays_names_the_event(saved):
    def change(data):
        data["events"][2]["option"] = "go-alone"  # ROK's decision, event 3

    rewrite(saved, change)
    message = refused(saved)
    assert message.startswith("the event log does not replay: event 5 (resolved)")

    def bad_option(data):
        data["events"][2]["option"] = "surrender"

    rewrite(saved, bad_option)
    assert refused(saved).startswith("the event log does not replay: event 3 (decided):")


def test_an_edit_without_resealing_fails_the_checksum(saved):
    rewrite(saved, lambda d: d["events"][2].update(option="go-alone"), seal=False)
    assert "checksum" in refused(saved)


def test_newer_format(saved):
    newer, ours = FORMAT_VERSION + 1, FORMAT_VERSION
    rewrite(saved, lambda d: d.update(format=newer))
    want = f"saved by a newer wargame (format {newer}); this one reads format {ours}"
    assert refused(saved) == want


@pytest.mark.parametrize("value", [0, -1, "1", True, 1.5])
def test_unknown_format_value(saved, value):
    rewrite(saved, lambda d: d.update(format=value))
    assert "format" in refused(saved)


def test_embedded_deck_that_does_not_validate(saved):
    rewrite(saved, lambda d: d["deck"]["meters"][0].update(start=500))
    message = refused(saved)
    assert message.startswith("the embedded deck is not valid: meter trust.ROK-JPN")
    assert "start (500) must lie between 0 and 100" in message

    rewrite(
        saved,
        lambda d: (
            d["deck"]["meters"][0].update(start=35),
            d["deck"]["cards"][0].update(colour="red"),
        ),
    )
    assert "card neo: colour: unknown field" in refused(saved)


def test_embedded_deck_changed_but_valid_fails_the_hash(saved):
    rewrite(saved, lambda d: d["deck"]["meters"][0].update(start=36))
    assert refused(saved) == "the embedded deck does not match its deck_hash (edited or damaged)"


def test_settings_that_contradict_the_log(saved):
    rewrite(saved, lambda d: d["settings"].update(turns=7))
    assert refused(saved) == "the settings do not match the game start in the event log"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('title = "My notes"\n[table]\nx = 1\n', "not a wargame save (no 'format' key)"),
        ("format = 1\n", "app_version: required field is missing (and 9 more problems)"),
        ("[[events]]\nkind = 'started'\n", "not a wargame save (no 'format' key)"),
        ("format = 1 = 2\n", None),
        ("format = [1, 2\n", None),
    ],
)
def test_random_toml(folder, text, expected):
    path = folder / "random.toml"
    path.write_text(text, "utf-8")
    message = refused(path)
    if expected:
        assert message == expected
    else:
        assert message.startswith("invalid TOML (")


def test_unknown_field_in_the_save(saved):
    rewrite(saved, lambda d: d.update(colour="blue"))
    assert refused(saved) == "colour: unknown field"


def test_bad_event_field(saved):
    rewrite(saved, lambda d: d["events"][3].update(seat=7))
    assert refused(saved) == "event #4: seat: Input should be a valid string"


def test_a_directory(folder):
    d = folder / "looks-like.toml"
    d.mkdir()
    assert refused(d) == "is a directory, not a save file"


def test_a_missing_file(folder):
    assert refused(folder / "nope.toml") == "no such save file"


def test_an_unreadable_file(saved, monkeypatch):
    saved.chmod(0)
    if os.access(saved, os.R_OK):  # root reads anything: make the read fail as it would
        real = os.open

        def open_(name, *args, **kwargs):
            if Path(name) == saved:
                raise PermissionError(13, "Permission denied")
            return real(name, *args, **kwargs)

        monkeypatch.setattr(files.os, "open", open_)
    try:
        assert refused(saved) == "cannot be read (permission denied)"
    finally:
        saved.chmod(0o644)


def test_not_utf8(saved):
    raw = saved.read_bytes()
    pos = raw.index(b"Speed")
    saved.write_bytes(raw[:pos] + b"\xff\xfe" + raw[pos + 2 :])
    line = raw[:pos].count(b"\n") + 1
    assert refused(saved) == f"is not valid UTF-8 text (line {line}); the file is damaged"


def test_binary_and_empty(folder):
    path = folder / "x.toml"
    path.write_bytes(b"")
    assert refused(path) == "is empty; the save was never written or was wiped"
    path.write_bytes(b"  \n\n")
    assert refused(path) == "is empty; the save was never written or was wiped"
    path.write_bytes(b"format = 1\x00\x00\x00")
    assert refused(path) == "contains binary data (NUL bytes); the file is damaged"
    path.write_bytes(os.urandom(64).replace(b"\x00", b"\x01") + b"\xff")
    assert "UTF-8" in refused(path) or "TOML" in refused(path)


def test_too_large(saved, monkeypatch):
    monkeypatch.setattr(savefile, "MAX_SAVE_BYTES", 2048)
    assert refused(saved) == "is larger than 2 KiB; not a save"


def test_no_events(saved):
    rewrite(saved, lambda d: (d.pop("events"), d.update(event_count=0)))
    assert refused(saved) == "the event log does not begin with a game start"


def test_an_unexpected_failure_still_becomes_a_save_error(saved, monkeypatch):
    def boom(deck, events):
        raise KeyError("surprise")

    monkeypatch.setattr(Game, "load", boom)
    assert refused(saved) == "cannot be loaded (KeyError: 'surprise')"


# --- .bak -------------------------------------------------------------------------------


def test_bak_keeps_the_previous_version(folder, mini_deck):
    game = full_game(mini_deck)
    path = folder / "g.toml"
    write_save(path, mini_deck, game.events[:5])
    assert not (folder / "g.toml.bak").exists()
    write_save(path, mini_deck, game.events[:9])
    write_save(path, mini_deck, game.events)
    assert load_save(path).events == game.events
    assert load_save(folder / "g.toml.bak").events == game.events[:9]


def test_damaged_save_with_bak_is_listed_and_restored(folder, mini_deck):
    game = full_game(mini_deck)
    path = folder / "g.toml"
    write_save(path, mini_deck, game.events[:9])
    write_save(path, mini_deck, game.events)
    damaged = path.read_bytes()[:-40]
    path.write_bytes(damaged)
    [entry] = list_saves(folder)
    assert (entry.ok, entry.has_bak, entry.bak_ok) == (False, True, True)
    assert entry.error and "TOML" in entry.error
    restored = restore_backup(path)
    assert restored.events == game.events[:9]
    assert load_save(path).events == game.events[:9]
    assert (folder / "g.toml.damaged").read_bytes() == damaged  # nothing is thrown away
    assert load_save(folder / "g.toml.bak").events == game.events[:9]
    [entry] = list_saves(folder)
    assert entry.ok


def test_restore_refuses_a_damaged_or_missing_bak(folder, mini_deck):
    path = folder / "g.toml"
    with pytest.raises(SaveError, match="has no backup"):
        restore_backup(path)
    write_save(path, mini_deck, full_game(mini_deck).events[:4])
    write_save(path, mini_deck, full_game(mini_deck).events)
    (folder / "g.toml.bak").write_text("garbage = [", "utf-8")
    before = path.read_bytes()
    with pytest.raises(SaveError, match=r"g\.toml\.bak: invalid TOML"):
        restore_backup(path)
    assert path.read_bytes() == before
    assert list_saves(folder)[0].bak_ok is False


# --- paths ------------------------------------------------------------------------------

NASTY = [
    "../../etc/passwd",
    "..",
    ".",
    "",
    "a/b\\c",
    "/absolute/path",
    "x\x00y",
    "C:\\Windows\\system32",
    "deck" * 500,
    "정부-위기",
    "   ",
    "CON",
    "-.-.-",
    "a" * 47 + "-" + "b" * 20,
]


@pytest.mark.parametrize("deck_id", NASTY)
def test_new_save_path_stays_inside_the_folder(folder, deck_id):
    path = new_save_path(folder, deck_id, NOW)
    assert path.parent == folder
    assert path.resolve().parent == folder.resolve()
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*-20250301-093005\.toml", path.name)
    assert len(path.name) <= 80


def test_new_save_path_is_unique(folder, mini_deck):
    first = new_save_path(folder, "fault-lines", NOW)
    assert first.name == "fault-lines-20250301-093005.toml"
    first.write_text("x")
    second = new_save_path(folder, "fault-lines", NOW)
    assert second.name == "fault-lines-20250301-093005-2.toml"
    second.with_name(second.name + ".bak").write_text("x")  # a lone .bak also counts
    assert new_save_path(folder, "fault-lines", NOW).name == "fault-lines-20250301-093005-3.toml"


def test_team_names_and_deck_ids_never_make_paths(tmp_path, mini_deck):
    folder = tmp_path / "inner" / "saves"
    folder.mkdir(parents=True)
    names = {"ROK": "../../../escape", "JPN": "/tmp/x\x00y"}
    game = play_random(mini_deck, 2, team_names=names)
    path = new_save_path(folder, "../" + mini_deck.id, NOW)
    saver = Autosaver(path, mini_deck).attach(game)
    game.note("after the game")
    saver.close()
    write_save(path, mini_deck, game.events)
    everything = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert everything == [
        "inner",
        "inner/saves",
        f"inner/saves/{path.name}",
        f"inner/saves/{path.name}.bak",
    ]
    assert load_save(path).game.state.team_names == {"ROK": "../../../escape", "JPN": "/tmp/x\x00y"}


def test_saves_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(places.platformdirs, "user_data_path", lambda app: tmp_path / "data" / app)
    assert saves_dir() == tmp_path / "data" / "wargame" / "saves"
    assert saves_dir().is_dir()
    (tmp_path / "saves").mkdir()
    assert saves_dir() == tmp_path / "saves"
    assert saves_dir(tmp_path / "elsewhere" / "deep") == tmp_path / "elsewhere" / "deep"
    assert (tmp_path / "elsewhere" / "deep").is_dir()
    (tmp_path / "file").write_text("x")
    with pytest.raises(SaveError, match="is a file, not a folder"):
        saves_dir(tmp_path / "file")


# --- listing ----------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.name: (p.read_bytes() if p.is_file() else b"<dir>", p.stat().st_mtime_ns)
        for p in folder.iterdir()
    }


def test_list_saves_beside_damaged_files_touches_nothing(folder, mini_deck):
    ended = play_random(mini_deck, 5, team_names={"JPN": "Red"})
    write_save(folder / "ended.toml", mini_deck, ended.events)
    write_save(folder / "mid.toml", mini_deck, full_game(mini_deck).events)
    write_save(folder / "damaged.toml", mini_deck, ended.events)
    write_save(folder / "damaged.toml", mini_deck, ended.events[:-1])
    (folder / "damaged.toml").write_bytes((folder / "damaged.toml").read_bytes()[:-300])
    (folder / "empty.toml").write_bytes(b"")
    (folder / "notes.toml").write_text('title = "hello"\n', "utf-8")
    (folder / "dir.toml").mkdir()
    (folder / ".mid.toml.abc.tmp").write_text("half a save")
    (folder / "readme.txt").write_text("not a save")
    for i, name in enumerate(["notes", "empty", "damaged", "ended", "mid", "dir"]):
        os.utime(folder / f"{name}.toml", (1_700_000_000 + i, 1_700_000_000 + i))
    before = snapshot(folder)

    entries = list_saves(folder)

    assert snapshot(folder) == before
    assert [e.path.name for e in entries] == [
        "dir.toml",
        "mid.toml",
        "ended.toml",
        "damaged.toml",
        "empty.toml",
        "notes.toml",
    ]
    by = {e.path.name: e for e in entries}
    assert [n for n, e in by.items() if e.ok] == ["mid.toml", "ended.toml"]
    mid, done = by["mid.toml"], by["ended.toml"]
    assert (mid.deck_id, mid.title, mid.turn, mid.turns, mid.mode) == (
        "mini",
        "Mini crisis",
        2,
        4,
        "open",
    )
    assert mid.teams == {"ROK": "Blue", "JPN": "Japan"}
    assert (mid.ended, mid.ending, mid.has_bak) == (False, None, False)
    assert done.ended and done.ending == ended.state.outcome.title
    assert done.teams == {"ROK": "Republic of Korea", "JPN": "Red"}
    assert by["damaged.toml"].has_bak and by["damaged.toml"].bak_ok
    assert by["damaged.toml"].title == "Mini crisis"  # what can still be read is shown
    assert by["dir.toml"].error == "is a directory, not a save file"
    assert by["empty.toml"].error.startswith("is empty")
    assert by["notes.toml"].error == "not a wargame save (no 'format' key)"
    assert latest_save(folder) == folder / "dir.toml"
    assert list_saves(folder / "missing") == [] and latest_save(folder / "missing") is None


def test_list_saves_reads_a_file_again_only_when_it_changed(folder, mini_deck, monkeypatch):
    game = full_game(mini_deck)
    write_save(folder / "a.toml", mini_deck, game.events[:6])
    write_save(folder / "b.toml", mini_deck, game.events)
    first = list_saves(folder)
    loads = []
    real = places.load_save
    monkeypatch.setattr(places, "load_save", lambda p: loads.append(p.name) or real(p))
    assert list_saves(folder) == first
    assert loads == []
    write_save(folder / "a.toml", mini_deck, game.events[:9])  # a new version, and a .bak
    again = {e.path.name: e for e in list_saves(folder)}
    assert loads == ["a.toml"]
    assert again["a.toml"].has_bak
    assert again["b.toml"] == {e.path.name: e for e in first}["b.toml"]


# --- autosave ---------------------------------------------------------------------------


def test_autosaver_saves_every_event_and_serializes_each_once(folder, mini_deck, monkeypatch):
    calls = []
    real = format.event_toml
    monkeypatch.setattr(format, "event_toml", lambda d: calls.append(d["seq"]) or real(d))
    path = folder / "auto.toml"
    game = Game.start(mini_deck, seed=8)
    saver = Autosaver(path, mini_deck).attach(game)
    rng = random.Random(8)
    while not game.state.ended:
        game.draw()
        saver.flush()
        assert load_save(path).events == game.events
        for seat in game.pending:
            game.decide(seat, rng.choice(game.card.options_for(seat)).id, "because")
            saver.flush()
        game.resolve()
        saver.flush()
        assert load_save(path).events == game.events
    saver.close()
    assert sorted(calls) == list(range(1, len(game.events) + 1))  # once each, never again
    assert load_save(path).game.state == game.state
    assert load_save(folder / "auto.toml.bak").events == game.events[: len(game.events) - 2]
    assert saver.error is None


def test_autosaver_latest_wins_and_close_writes_the_rest(folder, mini_deck):
    path = folder / "burst.toml"
    game = Game.start(mini_deck, seed=2)
    saver = Autosaver(path, mini_deck).attach(game)
    for i in range(200):
        game.note(f"note {i}")
    saver.close()
    assert load_save(path).events == game.events
    assert 1 <= saver.writes <= 201
    game.note("after close")  # still saved, in the caller, rather than lost
    assert load_save(path).events == game.events
    saver.close()  # twice is fine


def test_autosaver_reports_a_failed_write_and_recovers(tmp_path, mini_deck):
    folder = tmp_path / "gone"
    folder.mkdir()
    seen = []
    game = Game.start(mini_deck, seed=2)
    saver = Autosaver(folder / "g.toml", mini_deck, on_error=seen.append).attach(game)
    saver.flush()
    (folder / "g.toml").unlink()
    folder.rmdir()
    game.note("nowhere to go")
    saver.flush()
    assert saver.error and saver.error.startswith(f"{folder / 'g.toml'}: could not save (")
    assert seen == [saver.error]
    folder.mkdir()
    game.note("back again")
    saver.close()
    assert saver.error is None
    assert load_save(folder / "g.toml").events == game.events


def test_autosaver_clears_temp_files_a_crash_left(folder, mini_deck):
    (folder / ".g.toml.x1y2.tmp").write_text("half")
    (folder / ".g.toml.bak.x1y2.tmp").write_text("half")
    (folder / ".other.toml.zz.tmp").write_text("someone else's")
    saver = Autosaver(folder / "g.toml", mini_deck)
    saver.close()
    assert sorted(p.name for p in folder.iterdir()) == [".other.toml.zz.tmp"]
