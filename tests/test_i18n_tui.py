"""A whole game of the default deck in Korean and in Japanese, through the real app with keys
only, ending in its after-action review and the export: every screen shows the catalog's
words (not the English ones), and the exports are in the game's language.

Screenshots of each screen at 80×24 and 120×40 are written to $WARGAME_SHOTS when it is
set (to look at: wide characters must not be cut)."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from wargame import i18n
from wargame.aar.export import export
from wargame.cli import main
from wargame.store.translations import find_deck
from wargame.tui.screens.aar import AARScreen
from wargame.tui.screens.decide import DecisionScreen, HandoffScreen
from wargame.tui.screens.ending import EndingScreen
from wargame.tui.screens.game import GameScreen
from wargame.tui.screens.resolution import ResolutionScreen

from .tui_helpers import app_for, keys, screen_text

pytestmark = pytest.mark.slow  # whole games

# What each screen must say, as the English source messages: the test looks for their
# translations (and checks the catalog translates them at all).
SAYS = {
    GameScreen: ["Next step", "Escalation", "Trust"],
    HandoffScreen: ["Ready"],
    DecisionScreen: ["Confirm", "Back"],  # the footer: at 80×24 the buttons scroll
    ResolutionScreen: ["Choices", "Continue"],  # at 80×24 the meter changes are below
    EndingScreen: ["After-action review", "Hot wash"],
    AARScreen: ["Timeline", "Turning points", "Export"],
}
# A few words written out, so that the test does not only compare the catalog with itself.
WORDS = {
    "ko": {GameScreen: "다음 단계", DecisionScreen: "확정", AARScreen: "경과"},
    "ja": {GameScreen: "次の手順", DecisionScreen: "確定", AARScreen: "経過"},
}


def _shoot(app, name: str) -> None:
    folder = os.environ.get("WARGAME_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        app.save_screenshot(f"{name}.svg", path=folder)


async def _play(pilot, app, lang: str, size: tuple[int, int], seen: dict) -> None:
    """Play to the end of the game: every seat picks an option at random with a typed
    rationale; checkpoints are played past. `seen` gets each kind of screen's text."""
    rng = random.Random(3)
    tag = f"{lang}-{size[0]}x{size[1]}"
    for _step in range(400):
        await pilot.pause()
        screen = app.screen
        kind = type(screen)
        if kind not in seen:
            seen[kind] = screen_text(app)
            _shoot(app, f"{tag}-{kind.__name__}")
        if isinstance(screen, EndingScreen):
            return
        if isinstance(screen, DecisionScreen):
            options = screen.options
            open_ = [i for i, o in enumerate(options) if o.id not in screen.unavailable]
            pick = rng.choice(open_)
            await pilot.press(str(pick + 1), *keys(f"because {pick + 1}"), "ctrl+s")
        else:  # board, hand-off, resolution, checkpoint: Enter goes on
            await pilot.press("enter")
    raise AssertionError("the game did not end")


@pytest.mark.parametrize("lang", ["ko", "ja"])
@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_whole_game_in_the_language(tmp_path, default_deck, lang, size):
    i18n.set_language(lang)
    # The deck's own text in the language too, as `wargame --lang` plays it.
    deck, _ = find_deck(None, lang)
    assert deck.deck.language == lang and deck.deck.title != default_deck.deck.title
    # The whole game at 120×40; at 80×24 (for the layout of every screen) two turns.
    turns = None if size == (120, 40) else 2
    app = app_for(tmp_path, step=0.5, deck=deck, seed=4, turns=turns)
    seen: dict[type, str] = {}
    async with app.run_test(size=size) as pilot:
        await _play(pilot, app, lang, size, seen)
        (board,) = [s for s in app.screen_stack if isinstance(s, GameScreen)]
        assert board.game.state.ended
        await pilot.press("a")  # the after-action review, from the ending
        await pilot.pause()
        assert isinstance(app.screen, AARScreen)
        seen[AARScreen] = screen_text(app)
        _shoot(app, f"{lang}-{size[0]}x{size[1]}-AARScreen")
        await pilot.press("e")  # export all four formats beside the save
        await pilot.pause()
        exported = list(app.screen.exported)
        events = list(app.screen.events)
    app.close_saves()
    for kind, messages in SAYS.items():
        text = seen[kind]
        for message in messages:
            translated = i18n._(message)
            assert translated != message, f"{lang} has no translation of {message!r}"
            assert translated in text, f"{kind.__name__} does not say {translated!r}"
    for kind, word in WORDS[lang].items():
        assert word in seen[kind]
    if size == (120, 40):  # below the fold at 80×24: the meters scroll there
        for message in ("Readiness", "Public opinion"):
            assert i18n._(message) in seen[GameScreen]
    # The deck speaks the language: the teams' names on the hand-off, the meters' labels
    # on the board (the escalation meter is first), the first card's title at resolution.
    assert any(s.name in seen[HandoffScreen] for s in deck.seats)
    assert deck.meters[0].label in seen[GameScreen]
    first = next(e for e in events if e.kind == "drawn")
    assert deck.card(first.card).title.split()[0] in seen[ResolutionScreen]
    # The exports are the game's, in its language: the HTML says which.
    html = next(p for p in exported if p.name.endswith(".aar.html")).read_text("utf-8")
    assert f'<html lang="{lang}">' in html
    assert i18n._('<h2 id="timeline">4. Timeline</h2>') in html
    md = next(p for p in exported if p.name.endswith(".aar.md")).read_text("utf-8")
    assert md == export(deck, events, "md", language=lang)
    assert deck.deck.title in md and deck.deck.title in html
    assert i18n._("## 4. Timeline") in md and "## 4. Timeline" not in md


def test_export_takes_the_language(tmp_path, default_deck, capsys):
    """`wargame export --lang ja` writes the review in Japanese; without it, English."""
    from tests.conftest import play_random
    from wargame.store.saves import write_save

    game = play_random(default_deck, 5)
    save = tmp_path / "game.toml"
    write_save(save, default_deck, list(game.events))
    assert main(["export", str(save), "--format", "html", "-o", "-", "--lang", "ja"]) == 0
    ja = capsys.readouterr().out
    assert '<html lang="ja">' in ja and "事後検証報告書" in ja
    assert i18n.language() == "ja"
    assert main(["--lang", "en", "export", str(save), "--format", "md", "-o", "-"]) == 0
    en = capsys.readouterr().out
    assert "# After-action report" in en
    # The English export is unchanged by a Korean one made before it.
    assert export(default_deck, game.events, "md", language="ko") != en
    assert export(default_deck, game.events, "md") == en


def test_the_locale_chooses_the_language(monkeypatch, tmp_path):
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert main(["decks"]) == 0
    assert i18n.language() == "ko"
    assert main(["--lang", "en", "decks"]) == 0
    assert i18n.language() == "en"
