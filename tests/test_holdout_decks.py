"""Decks of shapes the default deck does not have: four seats and thirteen meters (an
escalation track on 0..10 where lower is better, opinion on -50..50, custom and ten-letter
band names, a declared group), and two seats with one meter. They validate, lint clean
with --strict, simulate sensibly, and the board shows them whole (the pictures are
TestHoldOutDecks in test_tui_snapshots.py)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from wargame.author.lint import lint_file
from wargame.author.simulate import simulate
from wargame.cli import main
from wargame.store.decks import load_deck, parse_deck
from wargame.tui.widgets.meters import MeterRow, short_label
from wargame.tui.widgets.seats import SeatsPanel

from .conftest import DATA
from .tui_helpers import app_for, screen_text

DECKS = [DATA / "holdout-four.toml", DATA / "holdout-one-meter.toml"]


@pytest.mark.parametrize("path", DECKS, ids=lambda p: p.stem)
def test_validates_and_lints_clean_with_strict(path, capsys):
    assert main(["validate", str(path)]) == 0
    assert main(["lint", "--strict", str(path)]) == 0
    _, warnings = lint_file(path)
    assert warnings == []


def test_the_four_seat_deck_has_the_shape_it_claims():
    deck = load_deck(DECKS[0])
    assert len(deck.seats) == 4 and len(deck.meters) == 13
    esc = deck.meter("escalation")
    assert (esc.min, esc.max, esc.direction) == (0, 10, "lower")
    assert esc.severity("brink") == "danger" and esc.severity("calm") == "good"
    opinion = deck.meter("opinion.PHL")
    assert (opinion.min, opinion.max, opinion.seat) == (-50, 50, "PHL")
    assert max(len(n) for n, _ in opinion.band_bounds()) == 10  # "supportive"


@pytest.mark.parametrize("policy", ["random", "mixed", "nationalist", "cooperative"])
@pytest.mark.parametrize("path", [*DECKS, DATA / "cjk.toml"], ids=lambda p: p.stem)
def test_simulates_sensibly(path, policy):
    deck = load_deck(path)
    report = simulate(deck, games=60, policy=policy, seed=3)
    assert report["run"]["games"] == 60
    suspects = report["suspects"]
    assert suspects["cards_never_drawn"] == []
    if policy in ("random", "mixed"):
        assert suspects["meters_pinned"] == []
        assert suspects["options_never_chosen"] == []


def test_nationalist_seats_favour_their_own_public():
    """On the water-cannon card Manila's own opinion is what the nationalist weighs."""
    from wargame.author.policies import scripted_choice

    deck = load_deck(DECKS[0])
    assert scripted_choice(deck, "nationalist", "water-cannon", "PHL") == "resupply"
    assert scripted_choice(deck, "nationalist", "water-cannon", "US") == "statement"


@pytest.mark.slow
@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("path", DECKS, ids=lambda p: p.stem)
async def test_the_board_shows_every_seat_label_and_band_whole(tmp_path, path, size):
    deck = load_deck(path)
    app = app_for(tmp_path, deck=deck, seed=7)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        board = app.screen
        text = screen_text(app)
        for seat in deck.seats:
            assert seat.name in text
        seats = board.query_one(SeatsPanel)
        assert seats.region.bottom <= board.region.bottom - 1  # above the footer
        rows = list(board.query(MeterRow))
        assert [r.meter.id for r in rows] == [m.id for m in deck.meters] or len(rows) == 13
        for row in rows:
            line = row.render().plain
            assert cell_len(line) <= row.size.width
            assert short_label(row.meter) in line
            assert row.meter.band(row.target) in line
        # The columns line up: every row's band starts at the same cell.
        starts = {cell_len(r.render().plain.split(r.meter.band(r.target))[0]) for r in rows}
        assert len(starts) == 1


@pytest.mark.slow
@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_wide_character_labels_line_up_by_cells(tmp_path, size):
    """Japanese labels are two cells a character: the columns are measured in cells, so
    the bars and bands still start where the other rows' do."""
    text = DECKS[0].read_text(encoding="utf-8")
    for old, new in [
        ('label = "JPN–PHL trust"', 'label = "日比の信頼"'),
        ('label = "Canberra public opinion"', 'label = "豪州世論"'),
    ]:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "wide.toml"
    path.write_text(text, encoding="utf-8")
    deck = load_deck(path)
    app = app_for(tmp_path / "saves", deck=deck, seed=7)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        rows = list(app.screen.query(MeterRow))
        lines = {r.meter.id: r.render().plain for r in rows}
        assert "日比の信頼" in lines["trust.JPN-PHL"] and "豪州世論" in lines["opinion.AUS"]
        bars = {cell_len(line.split("█")[0].split("░")[0]) for line in lines.values()}
        assert len(bars) == 1
        assert {cell_len(line) for line in lines.values()} == {rows[0].size.width}


@pytest.mark.parametrize("path", DECKS, ids=lambda p: p.stem)
def test_the_columns_fill_the_row_exactly(path):
    from wargame.tui.widgets.meters import Widths

    w = Widths.of(load_deck(path))
    for width in range(w.label + w.value + w.band + w.delta + 8, 90):
        label, bar, spark = w.columns(width)
        assert label == w.label  # whole whenever it fits beside the shortest bar
        assert bar >= 4
        used = label + bar + w.value + w.band + w.delta + 4 + (spark + 1 if spark else 0)
        assert used == width


def nine_seats() -> str:
    seats = [f"S{i}" for i in range(1, 10)]
    parts = [
        'schema = 1\n\n[deck]\nid = "crowd"\ntitle = "A crowded table"\nturns = 1\n',
        *(
            f'[[seats]]\nid = "{s}"\nname = "The delegation of the far-away republic {s}"\n'
            for s in seats
        ),
        '[[meters]]\nid = "calm"\nlabel = "Calm"\nstart = 50\n',
        '[[cards]]\nid = "talks"\ntitle = "Talks"\ncategory = "talks"\nbriefing = "Talk."\n',
        *(
            f'[[cards.options]]\nseat = "{s}"\nid = "talk"\nlabel = "Talk"\n'
            'effects = { "calm" = 1 }\n'
            for s in seats
        ),
    ]
    return "\n".join(parts)


@pytest.mark.slow
async def test_the_teams_panel_scrolls_when_the_seats_do_not_fit(tmp_path):
    path = tmp_path / "crowd.toml"
    path.write_text(nine_seats(), encoding="utf-8")
    deck = load_deck(path)
    app = app_for(tmp_path / "saves", deck=deck, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(SeatsPanel)
        assert panel.max_scroll_y > 0  # nine long names wrap past what the panel shows
        assert panel.region.bottom <= app.screen.region.bottom - 1  # not under the footer
        assert app.screen.query_one("#meters").region.height >= 3  # the meter still shows
        assert "S9" not in screen_text(app)
        panel.scroll_end(animate=False)
        await pilot.pause()
        assert "S9" in screen_text(app)


def test_the_aar_charts_use_the_boards_headings(default_deck):
    """The HTML charts are headed as the board is (declared groups, else the kind); the
    JSON names a group only where the deck declares one, so other decks export as ever."""
    import json

    from wargame.aar.analysis import build_aar
    from wargame.aar.export import to_json
    from wargame.aar.htmlpage import to_html

    from .conftest import play_random

    deck = load_deck(DECKS[0])
    aar = build_aar(deck, play_random(deck, seed=5).events)
    html = to_html(aar)
    captions = [part.split("</figcaption>")[0] for part in html.split("<figcaption>")[1:]]
    assert captions == ["Escalation", "Trust", "Public opinion", "Economy"]
    meters = json.loads(to_json(aar))["overview"]["meters"]
    assert {m["id"]: m.get("group") for m in meters if "group" in m} == {
        "shipping": "Economy",
        "markets": "Economy",
    }
    plain = build_aar(default_deck, play_random(default_deck, seed=5).events)
    assert all("group" not in m for m in json.loads(to_json(plain))["overview"]["meters"])


def test_rows_drop_only_their_own_kinds_words_under_its_heading():
    deck = load_deck(DECKS[0])
    labels = {m.id: short_label(m) for m in deck.meters}
    assert labels["trust.US-JPN"] == "US–JPN"
    assert labels["opinion.AUS"] == "Canberra"
    assert labels["escalation"] == "Escalation"  # nothing left without it: kept whole
    text = (
        DECKS[0]
        .read_text(encoding="utf-8")
        .replace('label = "Markets"', 'label = "Markets public opinion"')
    )
    other = parse_deck(text, "holdout-four.toml")
    assert short_label(other.meter("markets")) == "Markets public opinion"  # a declared group


@pytest.mark.parametrize("path", DECKS, ids=lambda p: p.stem)
def test_the_json_schema_takes_band_tables_and_the_new_keys(path):
    """Editors that check decks against `wargame schema` accept what the loader accepts."""
    import tomllib

    import jsonschema

    from wargame.model.deck import deck_json_schema

    validator = jsonschema.Draft202012Validator(deck_json_schema())
    assert list(validator.iter_errors(tomllib.loads(path.read_text(encoding="utf-8")))) == []
    bad = path.read_text(encoding="utf-8").replace(
        'kind = "trust"', 'kind = "trust"\nbetter = "up"'
    )
    assert list(validator.iter_errors(tomllib.loads(bad)))


@pytest.mark.slow
async def test_the_keyboard_reaches_meters_the_panel_scrolls_to(tmp_path):
    """At 80x24 the four-seat deck's meters scroll: Tab reaches the panel and the arrow keys
    bring the last meter into view. With room for all, the panel takes no focus."""
    from wargame.tui.widgets.meters import MeterPanel

    deck = load_deck(DECKS[0])
    app = app_for(tmp_path, deck=deck, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(MeterPanel)
        assert panel.can_focus and panel.max_scroll_y > 0
        for _ in range(5):
            if app.focused is panel:
                break
            await pilot.press("tab")
        assert app.focused is panel
        assert "Markets" not in screen_text(app)
        await pilot.press(*["down"] * panel.max_scroll_y)
        await pilot.pause()
        assert "Markets" in screen_text(app)
    app = app_for(tmp_path, deck=deck, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one(MeterPanel).can_focus
