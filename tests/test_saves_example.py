"""The example finished game in saves/: it replays, it is a real game (rationales, a note,
an adjudication with its reason, a hot wash), and the CLI lists and verifies it."""

from __future__ import annotations

from pathlib import Path

import pytest

from wargame.cli import main
from wargame.model.game import Adjudicated, DecisionMade, HotwashAdded, NoteAdded
from wargame.store.saves import list_saves, load_save

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "saves").glob("example-*.toml"))


def test_there_is_an_example():
    assert [p.name for p in EXAMPLES] == ["example-fault-lines.toml"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_replays_and_is_a_real_game(path):
    loaded = load_save(path)
    state = loaded.game.state
    assert state.ended and len(state.played) == state.turns
    decisions = [e for e in loaded.events if isinstance(e, DecisionMade)]
    assert len(decisions) == len(loaded.deck.seats) * state.turns
    assert all(len(d.rationale) > 60 and d.seconds for d in decisions)
    assert {d.seat for d in decisions} == set(loaded.deck.seat_ids())
    assert any(isinstance(e, NoteAdded) for e in loaded.events)
    adjudications = [e for e in loaded.events if isinstance(e, Adjudicated)]
    assert adjudications and all(len(a.reason) > 20 for a in adjudications)
    assert {e.entry for e in loaded.events if isinstance(e, HotwashAdded)} == {
        "strength",
        "improvement",
        "action",
    }
    assert all(e.at for e in loaded.events)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_cli_replays_the_example(path, capsys):
    assert main(["replay", str(path)]) == 0
    assert "verified" in capsys.readouterr().out


def test_cli_lists_the_example(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "220")
    monkeypatch.chdir(ROOT)
    before = {p: p.read_bytes() for p in EXAMPLES}
    assert main(["saves"]) == 0  # ./saves exists here, so it is the default folder
    out = capsys.readouterr().out
    assert "example-fault-lines.toml" in out and "ended: " in out
    entries = {e.path.name: e for e in list_saves(ROOT / "saves")}
    assert entries["example-fault-lines.toml"].ok
    assert {p: p.read_bytes() for p in EXAMPLES} == before
