"""A hostile deck's save exported to every format: every title, briefing, label, team name,
explanation, question, source and ending text is deck- or player-sourced, and none of it
becomes markup, a link, a script, an attribute or a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import itertools
import json
import tomllib

import pytest
import tomli_w
from markdown_it import MarkdownIt

from tests.test_aar_export import parse_html
from wargame.aar.export import FORMULA_STARTS, export
from wargame.engine import Game, Hotwash
from wargame.store.decks import parse_deck
from wargame.store.saves import load_save, write_save

from .conftest import DATA

ONE_LINE = [
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "<script>alert(1)</script>",
    "![i](javascript:alert(2))",
    "<https://evil.example/>",
    "<a href='javascript:alert(3)'>x</a>",
    "*b* _e_ `c` # h ~s~ &amp; | p \\ ",
    '" onmouseover="alert(4)',
    "]]></text><script>alert(5)</script>",
    '=HYPERLINK("http://evil.example")',
    "@SUM(A1) +1 -1",
    "javascript:alert(6)",
    "<!-- comment --> <?php ?> <![CDATA[x]]>",
    "&lt;script&gt; &#60;img&#62;",
]
MULTI_LINE = [
    "line one\n<script>alert(7)</script>\n# heading\n> quote\n[x]: javascript:alert(8)",
    "    indented code\n\n```\nfence\n```\n- item\n1. item",
    "<div onclick=alert(9)>\nblock html\n</div>",
]
ONE_LINE_KEYS = {"title", "label", "name", "explain"}
MULTI_LINE_KEYS = {"briefing", "summary", "text", "facilitator_notes", "brief"}


def hostile_data() -> dict:
    """The mini deck with every text field replaced by hostile text, and an ending (with a
    hostile title) that fires on turn 2."""
    data = tomllib.loads((DATA / "mini.toml").read_text())
    one, multi = itertools.cycle(ONE_LINE), itertools.cycle(MULTI_LINE)

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ONE_LINE_KEYS and isinstance(value, str):
                    node[key] = next(one)
                elif key in MULTI_LINE_KEYS and isinstance(value, str):
                    node[key] = next(multi)
                else:
                    walk(value)
            if "briefing" in node:
                node["facilitator_notes"] = next(multi)
                node["questions"] = [next(one), next(multi)]
                node["sources"] = [next(one)]
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    data["deck"]["sources"] = [next(one)]
    data["endings"].insert(
        0, {"id": "hostile", "title": ONE_LINE[0], "when": "turn >= 2", "text": MULTI_LINE[0]}
    )
    return data


@pytest.fixture(scope="module")
def hostile_save(tmp_path_factory):
    deck = parse_deck(tomli_w.dumps(hostile_data()), "hostile.toml")
    g = Game.start(deck, seed=3, team_names={"ROK": ONE_LINE[1], "JPN": ONE_LINE[4]})
    nasty = itertools.cycle(ONE_LINE + MULTI_LINE)
    while not g.state.ended:
        g.draw()
        for seat in g.pending:
            g.decide(seat, g.card.options_for(seat)[0].id, next(nasty), seconds=3.0)
        g.resolve()
    g.note(next(nasty))
    for entry in ("strength", "improvement", "action"):
        g.apply(Hotwash(entry=entry, text=next(nasty), seat="ROK"))
    path = tmp_path_factory.mktemp("hostile") / "hostile.toml"
    write_save(path, deck, g.events)
    loaded = load_save(path)
    return loaded.deck, loaded.game.events


@pytest.fixture(scope="module")
def benign(mini_deck):
    g = Game.start(mini_deck, seed=3)
    while not g.state.ended:
        g.draw()
        for seat in g.pending:
            g.decide(seat, g.card.options_for(seat)[0].id, "why", seconds=3.0)
        g.resolve()
    g.note("a note")
    for entry in ("strength", "improvement", "action"):
        g.apply(Hotwash(entry=entry, text="text", seat="ROK"))
    return mini_deck, g.events


def _norm(text: str) -> str:
    return text.replace("\r\n", "\n")


def shown(deck, events) -> set[str]:
    """The hostile texts the AAR carries (some deck text, such as unchosen options, is not
    in it), found in its JSON."""
    blob = export(deck, events, "json")
    return {h for h in ONE_LINE + MULTI_LINE if json.dumps(h, ensure_ascii=False)[1:-1] in blob}


def test_the_hostile_game_ended_on_the_hostile_ending(hostile_save):
    deck, events = hostile_save
    assert json.loads(export(deck, events, "json"))["overview"]["ending"]["title"] == ONE_LINE[0]


def test_markdown_makes_no_element_link_or_attribute_from_deck_text(hostile_save):
    md = export(*hostile_save, "md")
    assert "Ended on turn" in md
    html = MarkdownIt("commonmark").enable("table").render(md)
    tree = parse_html(html)
    structure = {"h1", "h2", "h3", "h4", "p", "ul", "li", "strong", "em", "br", "hr"}
    structure |= {"table", "thead", "tbody", "tr", "th", "td"}
    assert set(tree.tags) <= structure, set(tree.tags) - structure
    assert tree.attrs == []
    text = "".join(tree.text)
    for hostile in shown(*hostile_save):
        assert _norm(hostile) in text


def test_html_makes_no_element_or_attribute_from_deck_text(hostile_save, benign):
    page, clean = parse_html(export(*hostile_save, "html")), parse_html(export(*benign, "html"))
    assert set(page.tags) <= set(clean.tags), set(page.tags) - set(clean.tags)
    assert set(page.attrs) <= set(clean.attrs), set(page.attrs) - set(clean.attrs)
    assert not [a for a in page.attrs if a.startswith("on")]
    text = "".join(page.text)
    assert len(shown(*hostile_save)) > 10
    for hostile in shown(*hostile_save):
        assert _norm(hostile) in text


def test_json_keeps_deck_text_exactly_and_is_json(hostile_save):
    data = json.loads(export(*hostile_save, "json"))
    o = data["overview"]
    assert o["deck_title"] in ONE_LINE
    assert {s["name"] for s in o["seats"]} == {ONE_LINE[1], ONE_LINE[4]}
    assert {d["card_title"] for d in data["decisions"]} <= set(ONE_LINE)


def test_csv_text_cells_never_start_a_formula(hostile_save):
    rows = list(csv.reader(io.StringIO(export(*hostile_save, "csv"), newline="")))
    head, body = rows[0], rows[1:]
    assert body
    for row in body:
        for name, cell in zip(head, row, strict=True):
            if name not in ("turn", "seconds") and not name.startswith("delta:"):
                assert not cell.startswith(FORMULA_STARTS), (name, cell)
