"""Deck translation files: found beside their deck, checked with file:line messages,
applied without touching the rules, and reported when incomplete."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, play_random
from wargame.author.lint import lint_file
from wargame.cli import main
from wargame.model.translation import Translation, localize, missing_text
from wargame.store.decks import DeckError, bundled_deck_paths, deck_paths, load_deck
from wargame.store.translations import coverage, find_deck, localized, translation_paths

KO = """\
schema = 1
translates = "crisis-mini"
language = "ko"

[deck]
title = "축소판 위기"

[seats.ROK]
name = "대한민국"

[meters."trust.ROK-JPN"]
label = "한일 신뢰"

[bands]
critical = "위기"

[categories]
history = "역사"

[flags.gsomia-lapsed]
label = "GSOMIA 종료"

[cards.court]
title = "법원 판결"
briefing = "서울의 한 법원이 강제동원 배상 판결을 내린다."
private = { JPN = "경제산업성은 수출 규제 목록을 준비해 두었다." }
joint = ["수출 규제에 맞서 서울이 GSOMIA 종료를 택한다"]

[cards.court.options.ROK.enforce]
label = "판결을 집행한다"
"""


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    shutil.copy(DATA / "crisis.toml", tmp_path / "crisis.toml")
    (tmp_path / "crisis.ko.toml").write_text(KO, encoding="utf-8")
    return tmp_path


def test_a_translation_swaps_the_text_and_nothing_else(deck_dir: Path) -> None:
    deck, _ = find_deck(str(deck_dir / "crisis.toml"), "ko")
    english = load_deck(deck_dir / "crisis.toml")
    assert deck.deck.language == "ko" and deck.deck.title == "축소판 위기"
    assert deck.seats[0].name == "대한민국" and deck.seats[1].name == english.seats[1].name
    court = deck.card("court")
    assert court.title == "법원 판결"
    assert court.option("ROK", "enforce").label == "판결을 집행한다"
    assert court.option("ROK", "fund").label == "Set up a foundation"  # not given: English
    assert court.private["JPN"].startswith("경제산업성") and court.private["ROK"].startswith("The")
    assert (
        court.joint[0].explain.startswith("수출")
        and court.joint[0].when == english.card("court").joint[0].when
    )
    assert deck.band_label("critical") == "위기" and deck.band_label("strong") == "strong"
    assert deck.category_label("history") == "역사"
    assert [o.effects for o in court.options] == [o.effects for o in english.card("court").options]


def test_a_game_in_another_language_plays_the_same_moves(deck_dir: Path) -> None:
    english = load_deck(deck_dir / "crisis.toml")
    korean = localized(english, deck_dir / "crisis.toml", "ko")

    def moves(deck):
        game = play_random(deck, seed=7, rationale="same")
        return [
            e.model_dump(exclude={"at", "deck_hash", "deck_id"})
            for e in game.events
            if e.kind != "resolved"
        ], game.state.meters

    assert moves(korean) == moves(english)


def test_no_translation_or_the_deck_language_leaves_the_deck_as_it_is(deck_dir: Path) -> None:
    english = load_deck(deck_dir / "crisis.toml")
    assert localized(english, deck_dir / "crisis.toml", "ja") is english
    assert localized(english, deck_dir / "crisis.toml", "en") is english
    assert localized(english, deck_dir / "crisis.toml", None) is english


def test_new_deck_fields_at_their_defaults_keep_the_deck_hash(tmp_path: Path) -> None:
    text = (DATA / "crisis.toml").read_text(encoding="utf-8")
    plain = load_deck(DATA / "crisis.toml")
    said = tmp_path / "said.toml"
    said.write_text(
        text.replace('id = "crisis-mini"', 'id = "crisis-mini"\nlanguage = "en"', 1)
        + "\n[labels]\nbands = {}\n",
        encoding="utf-8",
    )
    assert load_deck(said).content_hash == plain.content_hash
    labelled = tmp_path / "labelled.toml"
    labelled.write_text(text + '\n[labels]\ncategories = { history = "History" }\n', "utf-8")
    assert load_deck(labelled).content_hash != plain.content_hash
    assert load_deck(labelled).category_label("history") == "History"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ('[cards.court]\ntitle = "법원 판결"', "cards.nope", "the deck has no card 'nope'"),
        ("[seats.ROK]", "seats.CHN", "the deck has no seat 'CHN'"),
        (
            'joint = ["수출 규제에 맞서 서울이 GSOMIA 종료를 택한다"]',
            "cards.court.joint",
            "gives 2 joint explanations where the deck has 1",
        ),
        ('label = "판결을 집행한다"', "cards.court.options.ROK.enforce.colour", "unknown field"),
        ('translates = "crisis-mini"', "translates", "names deck 'other', not 'crisis-mini'"),
    ],
)
def test_a_broken_translation_names_file_line_and_field(
    deck_dir: Path, change: str, field: str, message: str
) -> None:
    broken = {
        "[cards.court]\ntitle": KO.replace(
            '[cards.court]\ntitle = "법원 판결"', '[cards.nope]\ntitle = "법원 판결"'
        ),
        "[seats.ROK]": KO.replace("[seats.ROK]", "[seats.CHN]"),
        "joint = [": KO.replace(
            'joint = ["수출 규제에 맞서 서울이 GSOMIA 종료를 택한다"]',
            'joint = ["하나", "둘"]',
        ),
        'label = "판': KO + 'colour = "red"\n',
        "translates": KO.replace('translates = "crisis-mini"', 'translates = "other"'),
    }
    text = next(v for k, v in broken.items() if change.startswith(k))
    (deck_dir / "crisis.ko.toml").write_text(text, encoding="utf-8")
    with pytest.raises(DeckError) as caught:
        find_deck(str(deck_dir / "crisis.toml"), "ko")
    problem = caught.value.problems[0]
    assert problem.file == str(deck_dir / "crisis.ko.toml")
    assert problem.field == field and message in problem.message
    assert problem.line is not None


def test_a_one_line_field_may_not_hold_a_line_break(deck_dir: Path) -> None:
    text = KO.replace('label = "판결을 집행한다"', 'label = """판결을\n집행한다"""')
    (deck_dir / "crisis.ko.toml").write_text(text, encoding="utf-8")
    with pytest.raises(DeckError) as caught:
        find_deck(str(deck_dir / "crisis.toml"), "ko")
    assert "one line of text" in str(caught.value)
    assert "cards.court.options.ROK.enforce.label" in str(caught.value)


def test_missing_text_is_listed_and_validate_and_lint_report_it(deck_dir: Path, capsys) -> None:
    deck = load_deck(deck_dir / "crisis.toml")
    [cov], problems = coverage(deck, deck_dir / "crisis.toml")
    assert problems == [] and cov.language == "ko"
    assert "card court title" not in cov.missing and "card textbook title" in cov.missing
    assert 0 < len(cov.missing) < cov.total
    assert main(["validate", str(deck_dir / "crisis.ko.toml")]) == 0
    out = capsys.readouterr().out
    assert "crisis.ko.toml: warning:" in out and f"of {cov.total} text fields" in out
    _, warnings = lint_file(deck_dir / "crisis.toml")
    assert [w.code for w in warnings if w.code == "untranslated"] == ["untranslated"]
    assert main(["lint", "--strict", str(deck_dir / "crisis.toml")]) == 1


def test_translation_files_are_not_decks(deck_dir: Path, monkeypatch) -> None:
    monkeypatch.chdir(deck_dir.parent)
    (deck_dir.parent / "decks").mkdir()
    for p in deck_dir.iterdir():
        shutil.copy(p, deck_dir.parent / "decks" / p.name)
    names = [p.name for p in deck_paths()]
    assert "crisis.toml" in names and "crisis.ko.toml" not in names
    assert not any(p.name.count(".") > 1 for p in bundled_deck_paths())
    assert translation_paths(deck_dir / "crisis.toml") == {"ko": deck_dir / "crisis.ko.toml"}


def test_a_localized_game_saves_and_resumes_in_its_language(deck_dir: Path, tmp_path) -> None:
    from wargame.store.saves import load_save, write_save

    korean, _ = find_deck(str(deck_dir / "crisis.toml"), "ko")
    game = play_random(korean, seed=3)
    write_save(tmp_path / "ko-game.toml", korean, game.events)
    loaded = load_save(tmp_path / "ko-game.toml")
    assert loaded.deck.deck.title == "축소판 위기" and loaded.deck.deck.language == "ko"
    assert loaded.deck.band_label("critical") == "위기"
    assert loaded.game.state == game.state


@pytest.mark.parametrize("language", ["ko", "ja"])
def test_the_default_deck_ships_complete_in_korean_and_japanese(language: str) -> None:
    [path] = [p for p in bundled_deck_paths() if p.stem == "fault-lines"]
    deck = load_deck(path)
    given = translation_paths(path)
    assert language in given, f"no {language} translation beside {path}"
    [cov] = [c for c in coverage(deck, path)[0] if c.language == language]
    assert cov.missing == [], cov.summary()
    # the copy in decks/ is the same file
    copy = Path(__file__).parent.parent / "decks" / given[language].name
    assert copy.read_bytes() == given[language].read_bytes()


def test_a_translation_model_refuses_unknown_tables() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Translation.model_validate(
            {"schema": 1, "translates": "x", "language": "ko", "weapons": {}}
        )


def test_missing_text_counts_every_field_of_an_empty_translation(default_deck) -> None:
    empty = Translation.model_validate({"schema": 1, "translates": "fault-lines", "language": "ko"})
    missing, total = missing_text(default_deck, empty)
    assert len(missing) == total > 1000
    assert localize(default_deck, empty).cards == default_deck.cards


def test_labels_for_ids_the_deck_does_not_use_are_refused(tmp_path: Path) -> None:
    text = (DATA / "crisis.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text + '\n[labels]\ncategories = { weather = "Weather" }\n', "utf-8")
    with pytest.raises(DeckError) as caught:
        load_deck(bad)
    assert "labels.categories.weather" in str(caught.value) or "weather" in str(caught.value)
    assert "no meter or card uses 'weather'" in str(caught.value)


def test_a_game_played_in_korean_exports_in_korean(capsys) -> None:
    """`wargame export` of a game played on the Korean deck speaks Korean without --lang;
    --lang still chooses."""
    import tempfile

    from wargame.store.saves import write_save

    korean, _ = find_deck(None, "ko")
    game = play_random(korean, seed=2)
    with tempfile.TemporaryDirectory() as folder:
        save = Path(folder) / "ko.toml"
        write_save(save, korean, game.events)
        assert main(["export", str(save), "-f", "html", "-o", "-"]) == 0
        page = capsys.readouterr().out
        assert '<html lang="ko">' in page and korean.deck.title in page
        assert main(["--lang", "en", "export", str(save), "-f", "html", "-o", "-"]) == 0
        assert '<html lang="en">' in capsys.readouterr().out
