"""Lint of a deck's translation files: text left in the deck's own language.

A broken translation file is an error (`DeckError`, as for a broken deck); one that leaves
fields untranslated is a warning, one per file, naming the first fields it misses."""

from __future__ import annotations

from pathlib import Path

from wargame.author.warning import LintWarning
from wargame.model.deck import Deck
from wargame.store.decks import DeckError
from wargame.store.translations import coverage


def translation_warnings(deck: Deck, deck_path: Path) -> list[LintWarning]:
    found, problems = coverage(deck, deck_path)
    if problems:
        raise DeckError(problems)
    return [
        LintWarning("untranslated", f"translation {c.language}", c.summary(), file=str(c.path))
        for c in found
        if c.missing
    ]
