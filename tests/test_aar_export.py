"""The four exports, read back with real parsers and checked against the game."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from markdown_it import MarkdownIt

from wargame.aar.analysis import build_aar
from wargame.aar.export import FORMULA_STARTS, export, to_csv, to_html, to_json, to_markdown
from wargame.aar.model import aar_json_schema
from wargame.cli import main
from wargame.engine import Game, Hotwash, fold
from wargame.store.saves import load_save, write_save

ROOT = Path(__file__).resolve().parent.parent

NASTY = [
    "<script>alert(1)</script>",
    "a | b || c",
    'comma, "quoted", and more',
    "line one\nline two\r\nline three",
    "=cmd|' /C calc'!A0",
    "+1 and -1 @home",
    "-10 points",
    "@SUM(A1:A9)",
    "*bold* _em_ `code` [link](http://x) ![img](y) # heading ~strike~ &amp; \\ back",
    "# not a heading",
    "<img src=x onerror=alert(1)>",
    "1. not a list\n- nor this\n> nor a quote",
    "\ttab first",
    "plain words",
]


def nasty_game(deck, seed: int = 7) -> Game:
    """A finished game whose rationales, notes and hot-wash entries are all nasty."""
    g = Game.start(deck, seed=seed, team_names={"ROK": "Blue | <b>team</b>"}, at=_t(0))
    i = 0
    while not g.state.ended:
        g.draw(at=_t(i))
        for seat in g.pending:
            option = g.card.options_for(seat)[i % len(g.card.options_for(seat))]
            g.decide(seat, option.id, NASTY[i % len(NASTY)], seconds=10.5 + i, at=_t(i))
            i += 1
        g.resolve(at=_t(i))
    for nasty in NASTY:
        g.note(f"note: {nasty}", at=_t(i + 1))
    for k, entry in enumerate(["strength", "improvement", "action"]):
        g.apply(Hotwash(entry=entry, text=NASTY[k + 1], seat="ROK", at=_t(i + 2)))
    return g


def _t(minute: int) -> str:
    return f"2025-03-01T{9 + minute // 60:02d}:{minute % 60:02d}:00+09:00"


class Tree(HTMLParser):
    """Tables (by class) as rows of cell texts, with <br> read back as a newline; every tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[str] = []
        self.tables: list[tuple[str, list[list[str]]]] = []
        self.cell: list[str] | None = None
        self.row: list[str] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(name for name, _ in attrs)
        if tag == "table":
            self.tables.append((dict(attrs).get("class") or "", []))
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "br":
            self._data("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append("".join(self.cell))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[-1][1].append(self.row)
            self.row = None

    def handle_data(self, data):
        self._data(data)

    def _data(self, data: str) -> None:
        self.text.append(data)
        if self.cell is not None:
            self.cell.append(data)

    def table(self, cls: str) -> list[list[str]]:
        found = [rows for c, rows in self.tables if cls in c.split()]
        assert len(found) == 1, cls
        return found[0]


def parse_html(text: str) -> Tree:
    tree = Tree()
    tree.feed(text)
    tree.close()
    return tree


def md_to_html(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text)


def md_table(tree: Tree, first_header: str, second: str) -> list[list[str]]:
    for _, rows in tree.tables:
        if rows and rows[0][:2] == [first_header, second]:
            return rows
    raise AssertionError(f"no table headed {first_header}, {second}")


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def unformula(cell: str, original: str) -> str:
    if original.startswith(FORMULA_STARTS):
        assert cell == "'" + original
        return cell[1:]
    return cell


def norm(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@pytest.fixture(scope="module")
def game(mini_deck):
    return nasty_game(mini_deck)


@pytest.fixture(scope="module")
def exports(mini_deck, game):
    aar = build_aar(mini_deck, game.events)
    return aar, {f: export(mini_deck, game.events, f) for f in ("md", "html", "json", "csv")}


def test_every_decision_and_rationale_in_every_format(mini_deck, game, exports):
    aar, out = exports
    state = game.state
    decided = [(d.seat, d.option, d.rationale) for d in aar.decisions]
    assert [(s, o) for s, o, _ in decided] == list(state.chosen)
    n = len(state.chosen)
    assert n >= 8

    data = json.loads(out["json"])
    jsonschema.validate(data, aar_json_schema())
    assert [(d["seat"], d["option"], d["rationale"]) for d in data["decisions"]] == decided

    rows = csv_rows(out["csv"])
    assert len(rows) == n
    for row, (seat, option, rationale) in zip(rows, decided, strict=True):
        assert (row["seat"], row["option"]) == (seat, option)
        assert unformula(row["rationale"], rationale) == rationale

    page = parse_html(out["html"])
    table = page.table("decisions")[1:]
    assert len(table) == n
    for cells, (seat, _, rationale) in zip(table, decided, strict=True):
        assert cells[2] == seat
        assert cells[6] == norm(rationale)

    md = parse_html(md_to_html(out["md"]))
    table = md_table(md, "Turn", "Card")[1:]
    assert len(table) == n
    for cells, (seat, _, rationale) in zip(table, decided, strict=True):
        assert cells[2] == seat
        assert cells[6] == norm(rationale)


def test_meter_values_match_a_replay(mini_deck, game, exports):
    aar, out = exports
    final = fold(mini_deck, game.events).meters
    steps = [p.values for p in aar.trajectory]
    assert steps[-1] == final

    data = json.loads(out["json"])
    assert data["trajectory"][-1]["values"] == final
    assert {m["id"]: m["final"] for m in data["overview"]["meters"]} == final

    # CSV: each resolution's deltas, summed once per resolution, carry the start to the end.
    rows = csv_rows(out["csv"])
    seen, totals = set(), {m.id: m.start for m in mini_deck.meters}
    for row in rows:
        if row["turn"] in seen:
            continue
        seen.add(row["turn"])
        for m in mini_deck.meters:
            totals[m.id] += int(row[f"delta:{m.id}"])
    assert totals == final

    labels = {m.label: m.id for m in mini_deck.meters}
    for tree, head in (
        (parse_html(out["html"]), None),
        (parse_html(md_to_html(out["md"])), "start"),
    ):
        rows_ = tree.table("trajectory") if head is None else md_table(tree, "Meter", head)
        for cells in rows_[1:]:
            meter = labels[cells[0]]
            assert [int(c) for c in cells[1:]] == [s[meter] for s in steps]


def test_nasty_text_is_inert_and_intact(exports):
    aar, out = exports
    # HTML: no element came from user text, and the text reads back exactly.
    page = parse_html(out["html"])
    assert "script" not in page.tags and "img" not in page.tags
    assert "<script>" not in out["html"] and "<img" not in out["html"]
    text = "".join(page.text)
    for nasty in NASTY:
        assert norm(nasty) in text
    assert "Blue | <b>team</b>" in text  # a team name
    # Markdown: rendered by a real parser, user text makes no elements and reads back.
    html = md_to_html(out["md"])
    tree = parse_html(html)
    assert not {"script", "img", "a", "code", "pre", "blockquote", "ol"} & set(tree.tags)
    assert tree.tags.count("h1") == 1
    text = "".join(tree.text)
    for nasty in NASTY:
        assert norm(nasty) in text
    # JSON: exact strings.
    data = json.loads(out["json"])
    assert {d["rationale"] for d in data["decisions"]} <= set(NASTY)
    assert [h["text"] for h in data["hotwash"]] == NASTY[1:4]
    # CSV: formula starts neutralised, everything else untouched.
    for row in csv_rows(out["csv"]):
        assert not row["rationale"].startswith(FORMULA_STARTS)
        assert row["rationale"].removeprefix("'") in NASTY


def _one_decision(deck, rationale: str):
    g = Game.start(deck, seed=1)
    g.draw(card="neo")
    g.decide("ROK", "go-alone", rationale)
    g.decide("JPN", "charter", "x")
    g.resolve()
    return build_aar(deck, g.events)


@pytest.mark.parametrize("nasty", NASTY)
def test_each_nasty_rationale_in_each_format(mini_deck, nasty):
    aar = _one_decision(mini_deck, nasty)
    # Markdown: the rationale in its timeline line is one run of text (and <br>s).
    md = to_markdown(aar)
    line = next(x for x in md.splitlines() if x.startswith("- **ROK** chose"))
    tokens = MarkdownIt("commonmark").parseInline(line.split("rationale: ", 1)[1])
    kids = tokens[0].children
    assert {k.type for k in kids} <= {"text", "html_inline"}, kids
    assert all(k.content == "<br>" for k in kids if k.type == "html_inline")
    assert "".join("\n" if k.type == "html_inline" else k.content for k in kids) == norm(nasty)
    cells = md_table(parse_html(md_to_html(md)), "Turn", "Card")[1]
    assert cells[6] == norm(nasty)
    # HTML: the decisions table cell holds exactly the text; no element was made.
    page = parse_html(to_html(aar))
    assert page.table("decisions")[1][6] == norm(nasty)
    assert not {"script", "img", "a"} & set(page.tags)
    # JSON and CSV.
    assert json.loads(to_json(aar))["decisions"][0]["rationale"] == nasty
    row = csv_rows(to_csv(aar))[0]
    assert unformula(row["rationale"], nasty) == nasty


def test_counts_equal_across_formats(exports):
    aar, out = exports
    n = len(aar.decisions)
    assert len(json.loads(out["json"])["decisions"]) == n
    assert len(csv_rows(out["csv"])) == n
    assert len(parse_html(out["html"]).table("decisions")) - 1 == n
    assert len(md_table(parse_html(md_to_html(out["md"])), "Turn", "Card")) - 1 == n
    # The timeline lists every decision event once in both documents.
    html = parse_html(out["html"])
    assert "".join(html.text).count(" chose ") == sum(e.kind == "decided" for e in aar.timeline)
    assert out["md"].count(" chose **") == sum(e.kind == "decided" for e in aar.timeline)


def test_same_game_same_bytes(mini_deck, game, tmp_path):
    for fmt in ("md", "html", "json", "csv"):
        assert export(mini_deck, game.events, fmt) == export(mini_deck, list(game.events), fmt)
    # And from a save written and read back.
    path = tmp_path / "g.toml"
    write_save(path, mini_deck, game.events)
    loaded = load_save(path)
    for fmt in ("md", "html", "json", "csv"):
        assert export(loaded.deck, loaded.events, fmt) == export(mini_deck, game.events, fmt)


def test_html_is_self_contained(exports):
    _, out = exports
    html = out["html"]
    page = parse_html(html)
    assert page.tags.count("svg") >= 3  # one chart per meter kind
    assert page.tags.count("polyline") == 3  # one line per meter
    # Nothing to fetch: no links or sources, no URLs in the stylesheet, no handlers.
    assert not {"src", "href", "srcset", "action"} & set(page.attrs)
    assert not [a for a in page.attrs if a.startswith("on")]
    style = html[html.index("<style>") : html.index("</style>")]
    assert "url(" not in style and "@import" not in style
    assert not {"script", "link", "iframe", "object", "embed"} & set(page.tags)
    assert "style" in page.tags


def test_json_export_round_trips(exports):
    aar, out = exports
    data = json.loads(out["json"])
    assert type(aar).model_validate(data) == aar
    assert out["json"] == to_json(aar)
    assert list(data) == sorted(data)


def test_csv_header_and_cells(exports):
    aar, out = exports
    rows = list(csv.reader(io.StringIO(out["csv"], newline="")))
    assert rows[0][:10] == [
        "turn",
        "card",
        "card_title",
        "category",
        "seat",
        "option",
        "option_label",
        "dimension",
        "rationale",
        "seconds",
    ]
    assert rows[0][10:] == [f"delta:{m.id}" for m in aar.overview.meters]
    for row, d in zip(rows[1:], aar.decisions, strict=True):
        assert int(row[0]) == d.turn and float(row[9]) == d.seconds
        assert [int(x) for x in row[10:]] == [d.meter_deltas[m.id] for m in aar.overview.meters]
    assert out["csv"] == to_csv(aar)
    assert out["html"] == to_html(aar)


# --- the command line -------------------------------------------------------------------


def test_cli_exports_a_save(mini_deck, game, tmp_path, capsys):
    save = tmp_path / "game.toml"
    write_save(save, mini_deck, game.events)
    for fmt in ("md", "html", "json", "csv"):
        out = tmp_path / f"aar.{fmt}"
        assert main(["export", str(save), "--format", fmt, "-o", str(out)]) == 0
        assert out.read_bytes() == export(mini_deck, game.events, fmt).encode()
        assert main(["export", str(save), "--format", fmt, "-o", str(out)]) == 0
        assert out.read_bytes() == export(mini_deck, game.events, fmt).encode()
    assert main(["export", str(save), "--format", "html"]) == 0
    assert (tmp_path / "game.aar.html").read_text() == export(mini_deck, game.events, "html")
    capsys.readouterr()
    assert main(["export", str(save), "--format", "json", "-o", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["overview"]["deck_id"] == "mini"


def test_cli_bad_save_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("format = 1\nthis is not toml")
    assert main(["export", str(bad), "--format", "md"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(bad) in err and "Traceback" not in err
    assert main(["export", str(tmp_path / "missing.toml")]) == 1
    assert "no such save file" in capsys.readouterr().err


def test_cli_unwritable_output_is_one_line(mini_deck, game, tmp_path, capsys):
    save = tmp_path / "game.toml"
    write_save(save, mini_deck, game.events)
    assert main(["export", str(save), "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "is a folder" in err and err.count("\n") == 1
    assert main(["export", str(save), "-o", str(tmp_path / "nope" / "x.md")]) == 1
    assert "cannot be written" in capsys.readouterr().err


def test_schema_cli_prints_the_aar_schema(capsys):
    assert main(["schema", "--aar"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == aar_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)


EXAMPLES = sorted((ROOT / "saves").glob("example-*.toml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_saves_export(path, tmp_path):
    loaded = load_save(path)
    state = loaded.game.state
    for fmt in ("md", "html", "json", "csv"):
        out = tmp_path / f"x.{fmt}"
        assert main(["export", str(path), "--format", fmt, "-o", str(out)]) == 0
        assert out.read_bytes() == export(loaded.deck, loaded.events, fmt).encode()
    data = json.loads((tmp_path / "x.json").read_text())
    jsonschema.validate(data, aar_json_schema())
    assert len(data["decisions"]) == len(state.chosen)
    assert data["trajectory"][-1]["values"] == state.meters
    assert len(csv_rows((tmp_path / "x.csv").read_text())) == len(state.chosen)
