"""Schema 2 in the after-action review: the timeline shows phases, flags and red-cell moves;
private briefings and objectives are revealed and reconciled; every export carries them,
and the JSON validates against its schema. A schema-1 game exports exactly as before (see
test_saves_migrate)."""

from __future__ import annotations

import csv
import io
import json

import jsonschema

from wargame import engine
from wargame.aar.analysis import build_aar
from wargame.aar.export import export
from wargame.aar.model import aar_json_schema
from wargame.engine import Game
from wargame.store.decks import load_deck

from .conftest import DATA


def crisis_game() -> Game:
    game = Game.start(load_deck(DATA / "crisis.toml"), seed=1)
    game.draw("court")
    game.decide("ROK", "enforce", "the court has spoken")
    game.decide("JPN", "retaliate", "a message to Seoul")
    game.resolve()
    game.draw("launch")
    game.decide("ROK", "via-us")
    game.decide("JPN", "intercept")
    game.resolve()
    game.apply(engine.AdvancePhase())
    return game


def test_the_timeline_shows_phases_flags_spending_and_red_cell_moves():
    game = crisis_game()
    aar = build_aar(game.deck, game.events)
    by_kind = {}
    for e in aar.timeline:
        by_kind.setdefault(e.kind, []).append(e)
    (red,) = by_kind["redcell"]
    assert red.actor == "China" and red.card == "seam"
    assert red.summary.startswith("Red cell — China: Beijing tests the gap")
    assert [m.meter for m in red.moves] == ["escalation"]
    flags = [(e.flag, e.summary) for e in by_kind["flag"]]
    assert flags[0][0] == "gsomia-lapsed" and flags[0][1].startswith("Set: GSOMIA lapsed")
    assert [e.phase for e in by_kind["phase"]] == ["provocation", "aftermath"]
    (spent,) = by_kind["spent"]
    assert spent.seat == "JPN" and "SM-3 interceptors" in spent.summary


def test_private_briefings_and_objectives_are_reconciled():
    game = crisis_game()
    aar = build_aar(game.deck, game.events)
    (card,) = aar.private_briefings
    assert card.card == "court" and card.turn == 1
    assert [(b.seat, b.option_label) for b in card.briefings] == [
        ("ROK", "Enforce the ruling"),
        ("JPN", "Restrict exports"),
    ]
    assert card.briefings[0].text == "The Blue House expects Tokyo to retaliate."
    assert [(o.seat, o.met) for o in aar.private_objectives] == [("ROK", True), ("JPN", False)]
    assert aar.crisis is not None
    assert aar.crisis.phase == "aftermath" and aar.crisis.red_cell_moves == 1
    assert aar.crisis.flags == ["GSOMIA lapsed", "China probed the seam"]
    assert aar.crisis.resources == {"interceptors": 0}


def test_every_export_carries_them():
    game = crisis_game()
    md = export(game.deck, game.events, "md")
    assert "### Private briefings, reconciled" in md
    assert (
        "| Republic of Korea | The Blue House expects Tokyo to retaliate. | Enforce the ruling |"
        in md
    )
    assert (
        "### Private objectives" in md and "| Japan | Keep one interceptor in reserve. | no |" in md
    )
    assert "**Red cell — China: Beijing tests the gap" in md
    html = export(game.deck, game.events, "html")
    assert "<h3>Private briefings, reconciled</h3>" in html
    assert "METI has an export-control list ready." in html
    assert "Red cell — China" in html and "<h3>Private objectives</h3>" in html
    data = json.loads(export(game.deck, game.events, "json"))
    jsonschema.validate(data, aar_json_schema())
    assert data["private_objectives"][1] == {
        "seat": "JPN",
        "seat_name": "Japan",
        "text": "Keep one interceptor in reserve.",
        "met": False,
    }
    assert any(e.get("actor") == "China" for e in data["timeline"])
    rows = list(csv.reader(io.StringIO(export(game.deck, game.events, "csv"))))
    assert rows[0][-1] == "private_briefing"
    assert rows[1][-1] == "The Blue House expects Tokyo to retaliate."
    assert rows[3][-1] == ""  # the launch card had none


def test_the_json_of_a_schema_1_game_has_no_schema_2_keys(mini_deck):
    game = Game.start(mini_deck, seed=1)
    game.draw("neo")
    game.decide("ROK", "joint-cell")
    game.decide("JPN", "charter")
    game.resolve()
    data = json.loads(export(game.deck, game.events, "json"))
    assert not {"crisis", "private_briefings", "private_objectives"} & set(data)
    assert all(not {"actor", "phase", "flag"} & set(e) for e in data["timeline"])


async def test_the_aar_screen_reveals_private_information_side_by_side():
    from io import StringIO

    from rich.console import Console
    from textual.widgets import DataTable, TabbedContent

    from wargame.tui.screens.aar import AARScreen

    from .test_aar_tui import Host

    game = crisis_game()
    app = Host(lambda: AARScreen(game.deck, game.events))
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#timeline", DataTable)
        details = [str(table.get_row_at(i)[-1]) for i in range(table.row_count)]
        assert any(d.startswith("Red cell — China") for d in details)
        assert any(d.startswith("Phase: Provocation") for d in details)
        assert any(d.startswith("Set: GSOMIA lapsed") for d in details)
        app.screen.query_one(TabbedContent).active = "tab-private"
        await pilot.pause()
        console = Console(width=200, record=True, file=StringIO())
        console.print(app.screen.query_one("#aar-private").content)
        shown = console.export_text()
        # One row holds both briefings: side by side.
        line = next(x for x in shown.splitlines() if "The Blue House" in x)
        assert "METI has an export-control list ready." in line
        assert "→ chose Enforce the ruling" in shown and "→ chose Restrict exports" in shown
        assert "Keep one interceptor in reserve." in shown
