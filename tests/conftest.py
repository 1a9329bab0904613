"""Shared fixtures: the test decks and a helper that plays a game through the engine."""

from __future__ import annotations

import atexit
import os
import random
import shutil
import sys
import tempfile
import types
from pathlib import Path

import pytest

from wargame.engine import Game
from wargame.model.deck import Deck
from wargame.store.decks import find_deck, load_deck

# The deck cache of every test (and of the processes tests start) is a folder of this run's
# own, never the user's cache folder.
os.environ["WARGAME_CACHE_DIR"] = tempfile.mkdtemp(prefix="wargame-test-cache-")
atexit.register(shutil.rmtree, os.environ["WARGAME_CACHE_DIR"], ignore_errors=True)

DATA = Path(__file__).parent / "data"
REPO_SAVES = Path(__file__).parent.parent / "saves"


@pytest.fixture(autouse=True, scope="session")
def _repo_saves_untouched():
    """No test may save into the repository's own `saves/` (which `wargame` uses when run
    from the checkout): a test that forgets `--saves` would leave games to be committed."""
    before = set(REPO_SAVES.iterdir())
    yield
    left = sorted(p.name for p in set(REPO_SAVES.iterdir()) - before)
    assert not left, f"tests wrote into {REPO_SAVES}: {left}"


# Slow tests in files whose tests are not otherwise marked: processes started, long
# simulations (`pytest -m "not slow"` is the fast tier; plain `pytest` runs everything).
# A module name marks the whole module, `module::test` one test (every parameter of it).
SLOW = {
    "test_saves_kill.py",  # kills child processes at 50 random moments
    "test_packaging.py",  # builds a wheel
    "test_import_hygiene.py",  # a fresh interpreter per module
    "test_aar.py::test_chaotic_games_agree_with_replay",
    "test_aar.py::test_aar_imports_no_ui",
    "test_aar_tui.py::test_aar_from_the_end_of_a_real_game_filters_by_seat_and_exports",
    "test_deck_load.py::test_validate_cli_never_prints_a_traceback",
    "test_lint.py::test_author_tools_work_without_rich_or_textual",
    # Pilot games of several screens each (a few seconds a test)
    "test_save_safety.py",
    "test_tui_crisis.py",
    "test_tui_drafts.py",
    "test_tui_messages.py",
    "test_tui_decide.py",
    # hosts, seats and fresh interpreters on loopback
    "test_remote_tui.py",
    "test_remote_codes.py",
    "test_remote_tls.py",
    "test_remote_hygiene.py",
    "test_remote_game.py",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.path.name
        if module in SLOW or f"{module}::{getattr(item, 'originalname', item.name)}" in SLOW:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def mini_deck() -> Deck:
    return load_deck(DATA / "mini.toml")


@pytest.fixture(scope="session")
def default_deck() -> Deck:
    return find_deck(None)[0]


def play_random(deck: Deck, seed: int, rationale: str = "", **start) -> Game:
    """A whole game with seeded random choices, entered through the engine only."""
    game = Game.start(deck, seed=seed, **start)
    rng = random.Random(seed)
    while not game.state.ended:
        game.draw()
        for seat in game.pending:
            option = rng.choice(game.card.options_for(seat))
            game.decide(seat, option.id, rationale or f"{seat} picks {option.id}")
        game.resolve()
    return game


@pytest.fixture
def fake_tui(monkeypatch):
    """Stand in for the Textual app: record how a command would open it."""
    calls = []
    module = types.ModuleType("wargame.tui.app")
    module.run_app = lambda **kw: calls.append(kw) or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "wargame.tui.app", module)
    return calls


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    """Tests read English UI text: whatever the machine's locale, every test (and the
    processes it starts) runs in English unless it chooses a language itself."""
    from wargame import i18n

    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    i18n.set_language("en")
    yield
    i18n.set_language("en")
