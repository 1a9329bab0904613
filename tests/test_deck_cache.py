"""The deck cache: a deck that validated once loads from the cache, equal to a validated
one; a damaged, foreign or hostile cache file is refused and rebuilt; decks with problems
are never cached; without a usable cache folder decks load as before."""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from pathlib import Path

import pytest
import tomli_w

from wargame.store import deck_cache
from wargame.store.decks import DeckError, find_deck, load_deck, parse_deck, read_text
from wargame.store.format import canon, deck_data, deck_texts

DATA = Path(__file__).parent / "data"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(deck_cache.ENV, str(folder))
    return folder


def _no_parse():
    raise AssertionError("validated again: the cache was not used")


def _key(path: Path) -> str:
    key = deck_cache.cache_key(read_text(path))
    assert key is not None
    return key


def test_a_cached_deck_equals_the_validated_deck(cache: Path) -> None:
    _, path = find_deck(None)
    first = load_deck(path, cached=True)  # validates and fills the cache
    assert [p.name for p in cache.iterdir()] == [f"{_key(path)}.deck"]
    again = deck_cache.load(read_text(path), _no_parse)
    fresh = load_deck(path)
    assert again == fresh == first
    assert again is not first
    assert again.content_hash == fresh.content_hash
    # Conditions come back compiled and working.
    card = next(c for c in again.cards if c.when is not None)
    other = fresh.card(card.id)
    assert card.when is not None and other.when is not None
    assert card.when.text == other.when.text and card.when.tree == other.when.tree
    assert callable(card.when.fn)


def test_a_cached_deck_brings_the_texts_its_saves_embed(cache: Path) -> None:
    path = DATA / "mini.toml"
    load_deck(path, cached=True)
    deck = deck_cache.load(read_text(path), _no_parse)
    data = deck_data(load_deck(path))
    assert deck_texts(deck) == (tomli_w.dumps({"deck": data}), canon(data))


def test_find_deck_and_the_launcher_list_use_the_cache(cache: Path) -> None:
    from wargame.store.decks import available_decks

    deck, path = find_deck(None)
    assert (cache / f"{_key(path)}.deck").is_file()
    entries = [e for e in available_decks() if e.path == path]
    assert entries and entries[0].deck == deck


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-100],  # cut short
        lambda b: b[:-5] + bytes([b[-5] ^ 1]) + b[-4:],  # a flipped bit in the body
        lambda b: b"not a deck cache\n" + b,
        lambda b: b"",
    ],
)
def test_a_damaged_cache_file_is_refused_and_rebuilt(cache: Path, damage) -> None:
    path = DATA / "mini.toml"
    deck = load_deck(path, cached=True)
    file = cache / f"{_key(path)}.deck"
    good = file.read_bytes()
    file.write_bytes(damage(good))
    assert deck_cache.read(_key(path)) is None
    assert load_deck(path, cached=True) == deck  # validated again...
    assert file.read_bytes()[: len(deck_cache.MAGIC)] == deck_cache.MAGIC  # ...and rewritten
    assert deck_cache.read(_key(path)) == deck


def _forged(body: bytes) -> bytes:
    """A cache file around `body` whose magic and digest check out."""
    return deck_cache.MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body


class _Hostile:
    def __reduce__(self):
        return (os.remove, ("/nonexistent/wargame-deck-cache-test",))


def test_a_cache_file_that_builds_anything_but_a_deck_is_refused(cache: Path) -> None:
    path = DATA / "mini.toml"
    key = _key(path)
    cache.mkdir()
    file = cache / f"{key}.deck"
    for payload in [(key, _Hostile(), ("", "")), (key, {"a": 1}, ("", "")), ("other", None, ())]:
        file.write_bytes(_forged(pickle.dumps(payload)))
        assert deck_cache.read(key) is None
    with pytest.raises(pickle.UnpicklingError, match="may not build"):
        deck_cache._DeckUnpickler(io.BytesIO(pickle.dumps(_Hostile()))).load()


def test_a_cached_deck_of_another_text_is_refused(cache: Path) -> None:
    mini = DATA / "mini.toml"
    load_deck(mini, cached=True)
    _, default = find_deck(None)
    # The default deck's cache file moved under the mini deck's key: its stored key differs.
    (cache / f"{_key(default)}.deck").replace(cache / f"{_key(mini)}.deck")
    assert deck_cache.read(_key(mini)) is None


def test_a_deck_with_problems_is_never_cached(cache: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(read_text(DATA / "mini.toml").replace("schema = 1", "schema = 9"), "utf-8")
    for _ in range(2):
        with pytest.raises(DeckError):
            load_deck(bad, cached=True)
    assert not cache.exists() or not any(cache.iterdir())


def test_the_key_follows_the_text_and_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    text = read_text(DATA / "mini.toml")
    key = deck_cache.cache_key(text)
    assert key == deck_cache.cache_key(text)
    assert key != deck_cache.cache_key(text + "\n# a comment\n")
    monkeypatch.setattr(deck_cache, "_fingerprint", b"other code")
    assert key != deck_cache.cache_key(text)


def test_without_a_usable_cache_folder_decks_load_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = DATA / "mini.toml"
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for folder in (str(blocker / "cache"), ""):  # cannot be created; switched off
        monkeypatch.setenv(deck_cache.ENV, folder)
        assert load_deck(path, cached=True) == parse_deck(read_text(path), str(path))
    assert deck_cache.cache_dir() is None


def test_the_cache_keeps_only_the_newest_decks(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deck_cache, "MAX_ENTRIES", 2)
    text = read_text(DATA / "mini.toml")
    for n in range(4):  # four edits of one deck: four keys
        edited = tmp_path / f"edit{n}.toml"
        edited.write_text(f"{text}\n# edit {n}\n", "utf-8")
        load_deck(edited, cached=True)
        file = cache / f"{_key(edited)}.deck"
        os.utime(file, ns=(n * 10**9, n * 10**9))
    kept = sorted(p.name for p in cache.glob("*.deck"))
    newest = [f"{_key(tmp_path / f'edit{n}.toml')}.deck" for n in (2, 3)]
    assert kept == sorted(newest)


def test_a_game_on_a_cached_deck_plays_as_on_the_validated_deck(cache: Path) -> None:
    from tests.conftest import play_random

    _, path = find_deck(None)
    load_deck(path, cached=True)
    cached = deck_cache.load(read_text(path), _no_parse)
    fresh = load_deck(path)
    games = [play_random(deck, seed=seed) for seed in (1, 7) for deck in (cached, fresh)]
    assert games[0].events == games[1].events and games[2].events == games[3].events
    assert games[0].state == games[1].state and games[2].state == games[3].state


def test_a_deck_the_cache_cannot_hold_is_played_uncached(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cannot(obj):
        raise pickle.PicklingError("not this one")

    monkeypatch.setattr(deck_cache._DeckPickler, "reducer_override", lambda self, obj: cannot(obj))
    path = DATA / "mini.toml"
    assert load_deck(path, cached=True) == load_deck(path)
    assert not cache.exists() or not any(cache.glob("*.deck"))
