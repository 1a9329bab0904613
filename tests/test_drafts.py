"""Drafts of unsent decisions beside a save: round trip, atomic, never crash, never a save."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from wargame.engine import Game
from wargame.store.drafts import Draft, DraftBook, drafts_path, load_drafts, save_drafts
from wargame.store.saves import SaveError, latest_save, list_saves, write_save


@pytest.fixture
def game(mini_deck) -> Game:
    game = Game.start(mini_deck, seed=3, mode="open")
    game.draw()
    return game


@pytest.fixture
def save(tmp_path: Path, game: Game) -> Path:
    path = tmp_path / "game.toml"
    write_save(path, game.deck, game.events)
    return path


def draft_for(game: Game, seat: str, **kw) -> Draft:
    return Draft(seat=seat, turn=game.state.turn, card=game.state.card, **kw)


def test_round_trip_beside_the_save(save, game):
    seat, other = game.pending[:2]
    option = game.card.options_for(seat)[0].id
    drafts = {
        seat: draft_for(game, seat, option=option, rationale='half "typed"\nline two'),
        other: draft_for(game, other, rationale="only words"),
    }
    save_drafts(save, drafts)
    assert drafts_path(save) == save.with_name("game.drafts.toml")
    assert load_drafts(save) == drafts
    assert load_drafts(save)[other].option is None


def test_no_drafts_file_reads_as_none(save):
    assert load_drafts(save) == {}


def test_saving_no_drafts_removes_the_file(save, game):
    seat = game.pending[0]
    save_drafts(save, {seat: draft_for(game, seat, rationale="x")})
    assert drafts_path(save).exists()
    save_drafts(save, {seat: draft_for(game, seat)})  # an empty draft is no draft
    assert not drafts_path(save).exists()
    save_drafts(save, {})  # and removing twice is fine
    assert not drafts_path(save).exists()


def test_the_write_is_atomic_and_leaves_no_temp_or_backup(save, game):
    seat = game.pending[0]
    for text in ("a", "ab", "abc"):
        save_drafts(save, {seat: draft_for(game, seat, rationale=text)})
    names = sorted(p.name for p in save.parent.iterdir())
    assert names == ["game.drafts.toml", "game.toml"]
    assert load_drafts(save)[seat].rationale == "abc"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"drafts = [",  # truncated TOML
        b"\xff\xfe not utf-8",
        b"[drafts.US]\nseat = 'US'\nturn = 'one'\ncard = 'c'\n",  # wrong type
        b"[drafts.US]\nseat = 'US'\nturn = 1\ncard = 'c'\nextra = 1\n",  # unknown field
        b"surprise = 1\n",
        b"[drafts.US]\nseat = 'JP'\nturn = 1\ncard = 'c'\n",  # key and seat disagree
        b"a = " + b"[" * 5000,  # nested too deeply
    ],
)
def test_a_damaged_drafts_file_reads_as_none_and_the_save_is_untouched(save, content):
    before = save.read_bytes()
    drafts_path(save).write_bytes(content)
    assert load_drafts(save) == {}
    assert save.read_bytes() == before


def test_a_drafts_path_that_is_not_a_file_reads_as_none(save):
    drafts_path(save).mkdir()
    assert load_drafts(save) == {}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_a_fifo_does_not_hang(save):
    os.mkfifo(drafts_path(save))
    assert load_drafts(save) == {}


def test_a_huge_drafts_file_is_refused(save):
    drafts_path(save).write_bytes(b"# " + b"x" * (2 * 1024 * 1024) + b"\n")
    assert load_drafts(save) == {}


def test_an_unwritable_folder_raises_a_save_error(save, game, monkeypatch):
    def refuse(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("wargame.store.drafts.atomic_write", refuse)
    seat = game.pending[0]
    with pytest.raises(SaveError, match="drafts.toml.*cannot be written"):
        save_drafts(save, {seat: draft_for(game, seat, rationale="x")})


def test_draft_model_forbids_unknown_fields():
    with pytest.raises(ValidationError):
        Draft(seat="US", turn=1, card="c", colour="red")


def test_a_draft_applies_only_while_its_card_is_pending_for_its_seat(game):
    seat = game.pending[0]
    draft = draft_for(game, seat, rationale="x")
    assert draft.applies(game)
    assert not draft.model_copy(update={"turn": 2}).applies(game)
    assert not draft.model_copy(update={"card": "another"}).applies(game)
    last = draft_for(game, game.pending[-1], rationale="y")
    game.decide(seat, game.card.options_for(seat)[0].id, "sent")
    assert not draft.applies(game)  # decided: nothing left to draft
    assert last.applies(game)
    for other in game.pending:
        game.decide(other, game.card.options_for(other)[0].id, "sent")
    game.resolve()
    assert not last.applies(game)  # resolved: the card is no longer pending


def test_drafts_are_not_saves(save, game):
    seat = game.pending[0]
    save_drafts(save, {seat: draft_for(game, seat, rationale="x")})
    os.utime(drafts_path(save), (2**31, 2**31))  # newer than the save
    assert [e.path.name for e in list_saves(save.parent)] == ["game.toml"]
    assert latest_save(save.parent) == save


def test_a_draft_book_writes_only_what_changed_and_forgets_what_no_longer_applies(save, game):
    book = DraftBook(save, game)
    assert dict(book) == {} and not book.dirty
    seat = game.pending[0]
    assert book.keep(game, seat, None, "half")
    assert not book.keep(game, seat, None, "half")  # the same typing again: no change
    assert not drafts_path(save).exists()  # in memory until flushed
    book.flush()
    assert load_drafts(save)[seat].rationale == "half" and not book.dirty
    assert DraftBook(save, game)[seat].rationale == "half"  # a new book reads it back
    game.decide(seat, game.card.options_for(seat)[0].id, "sent")
    assert book.prune(game) and seat not in book
    book.flush()
    assert not drafts_path(save).exists()
    assert not book.keep(game, seat, None, "late")  # decided: nothing to draft


def test_a_draft_book_without_a_save_writes_nothing(tmp_path, game):
    book = DraftBook(None, game)
    assert book.keep(game, game.pending[0], None, "x")
    book.flush()
    assert list(tmp_path.iterdir()) == []
