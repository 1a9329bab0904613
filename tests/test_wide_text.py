"""Any deck's text, any width: the CJK hold-out deck checks clean; tables for people align in
display cells (a Korean or Japanese character is two); and what people read names cards,
meters, endings and seats by the deck's words, never by their ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from wargame.aar.analysis import build_aar
from wargame.aar.export import export
from wargame.aar.text import ending_line
from wargame.cli import main
from wargame.engine import Game
from wargame.store.decks import load_deck

from .conftest import play_random

CJK = Path(__file__).parent / "data" / "cjk.toml"


@pytest.fixture(scope="module")
def cjk_deck():
    return load_deck(CJK)


def test_the_cjk_deck_validates_and_lints_clean(capsys):
    assert main(["validate", str(CJK)]) == 0
    assert main(["lint", "--strict", str(CJK)]) == 0
    captured = capsys.readouterr()
    assert "no warnings" in captured.out + captured.err


def test_the_cjk_deck_is_wide_where_the_format_allows(cjk_deck):
    """Seat names, meter labels, titles and option labels all carry two-cell characters, and
    some labels are longer than the 80-column resolution screen's half."""
    texts = [
        *(s.name for s in cjk_deck.seats),
        *(m.label for m in cjk_deck.meters),
        *(c.title for c in cjk_deck.cards),
        *(o.label for c in cjk_deck.cards for o in c.options),
    ]
    assert all(cell_len(x) > len(x) for x in texts)
    assert max(cell_len(o.label) for c in cjk_deck.cards for o in c.options) > 40


def test_headless_play_names_meters_and_seats_by_the_decks_words(cjk_deck, tmp_path, capsys):
    assert main(["--saves", str(tmp_path), "play", "--deck", str(CJK), "--headless"]) == 0
    out = capsys.readouterr().out
    final = next(line for line in out.splitlines() if line.startswith("Final meters: "))
    for m in cjk_deck.meters:
        assert m.label in final
        assert m.id not in final
    # Each seat's "chose:" is right-aligned in display cells, whatever its script.
    chose = [line for line in out.splitlines() if " chose: " in line]
    assert chose
    ends = {cell_len(line.split(" chose: ")[0]) for line in chose}
    assert len(ends) == 1
    assert not any(f" {s.id} chose:" in line for s in cjk_deck.seats for line in chose)


def test_replay_aligns_the_cjk_meter_column_in_cells(cjk_deck, tmp_path, capsys):
    from wargame.store.saves import write_save

    game = play_random(cjk_deck, seed=3)
    path = tmp_path / "cjk.toml"
    write_save(path, cjk_deck, game.events)
    assert main(["replay", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = lines[lines.index("final meters:") + 1 :]
    assert len(rows) == len(cjk_deck.meters)
    value_ends = set()
    for row, m in zip(rows, cjk_deck.meters, strict=True):
        value = str(game.state.meters[m.id])
        head = row[: row.index(m.label) + len(m.label)]
        rest = row[len(head) :]
        value_ends.add(cell_len(head) + rest.index(value) + len(value))
    assert len(value_ends) == 1


def test_an_undo_is_told_by_card_title_and_meter_label(mini_deck):
    game = Game.start(mini_deck, seed=1)
    game.adjudicate("trust.ROK-JPN", "a hearing", delta=4)
    game.undo()
    game.draw()
    for seat in game.pending:
        game.decide(seat, game.card.options_for(seat)[0].id, "why")
    card = game.card
    game.resolve()
    game.undo()
    summaries = [e.summary for e in build_aar(mini_deck, game.events).timeline]
    undone = [s for s in summaries if s.startswith("Undid")]
    label = mini_deck.meter("trust.ROK-JPN").label
    assert undone == [
        f"Undid the adjudication of {label}",
        f"Undid the resolution of {card.title}",
    ]
    assert not any("event" in s or card.id in s for s in undone)


def test_the_ending_line_names_the_ending_by_its_title(mini_deck):
    game = Game.start(mini_deck, seed=1)
    game.adjudicate("trust.ROK-JPN", "collapse", value=0)
    game.draw()
    for seat in game.pending:  # each seat's option that costs the most trust
        options = game.card.options_for(seat)
        worst = min(options, key=lambda o: o.effects.get("trust.ROK-JPN", 0))
        game.decide(seat, worst.id, "why")
    game.resolve()
    out = game.state.outcome
    assert out is not None and out.reason == "ending"
    line = ending_line(build_aar(mini_deck, game.events))
    assert line == f"Ended on turn {out.turn} with the ending “{out.title}”."
    assert out.ending not in line.replace(out.title, "")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_dimension_breakdown_lists_cards_by_title(mini_deck, fmt):
    game = play_random(mini_deck, seed=5)
    text = export(mini_deck, game.events, fmt)
    section = text[text.index("By interoperability dimension") :]
    section = section[: section.index("Discussion questions")]
    played = {mini_deck.card(c).title for c in game.state.played}
    assert any(title in section for title in played)
    assert not any(f"{c}," in section or f"{c} |" in section for c in game.state.played)
