"""Deck translation files on disk: found next to their deck, checked, and applied.

`fault-lines.ko.toml` beside `fault-lines.toml` holds that deck's Korean text (the format is
in decks/README.md). A broken translation is refused with the same file:line messages as a
broken deck; a missing one simply leaves the deck in its own language.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from wargame.model.deck import Deck
from wargame.model.translation import Translation, localize, missing_text, translation_problems
from wargame.store import decks
from wargame.store.decks import (
    TRANSLATION_NAME,
    DeckError,
    DeckProblem,
    capped,
    error_message,
    find_line,
    parse_toml,
    read_text,
)


def translation_paths(deck_path: Path) -> dict[str, Path]:
    """The deck's translation files, by language."""
    found: dict[str, Path] = {}
    try:
        siblings = sorted(deck_path.parent.glob(f"{glob.escape(deck_path.stem)}.*.toml"))
    except OSError:
        return found
    for p in siblings:
        m = TRANSLATION_NAME.match(p.name)
        if m and m["deck"] == deck_path.stem:
            found[m["lang"]] = p
    return found


def deck_of(translation_path: Path) -> Path | None:
    """The deck a translation file sits beside (None if its name is not a translation's)."""
    m = TRANSLATION_NAME.match(translation_path.name)
    return translation_path.with_name(f"{m['deck']}.toml") if m else None


def load_translation(path: Path, deck: Deck) -> Translation:
    """The translation at `path`, checked against its deck; DeckError naming file, line and
    field of every problem."""
    name = str(path)
    text = read_text(path)
    data = parse_toml(text, name)
    try:
        tr = Translation.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(name, text, tuple(e["loc"]), error_message(e)) for e in exc.errors()]
        raise DeckError(capped(problems)) from None
    problems = [_problem(name, text, p.loc, p.message) for p in translation_problems(deck, tr)]
    if problems:
        raise DeckError(capped(problems))
    return tr


def _problem(name: str, text: str, loc: tuple, message: str) -> DeckProblem:
    field = ".".join(str(part) for part in loc)
    return DeckProblem(name, message, line=find_line(text, loc), field=field)


def localized(deck: Deck, deck_path: Path | None, language: str | None) -> Deck:
    """The deck in `language` when it has a translation into it, else the deck itself."""
    if not language or deck_path is None or language == deck.deck.language:
        return deck
    path = translation_paths(deck_path).get(language)
    if path is None:
        return deck
    return localize(deck, load_translation(path, deck))


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of a deck's text one translation file gives."""

    path: Path
    language: str
    missing: list[str]
    total: int

    def summary(self) -> str:
        if not self.missing:
            return f"all {self.total} text fields translated into {self.language!r}"
        shown = ", ".join(self.missing[:3])
        if len(self.missing) > 3:
            shown += f" and {len(self.missing) - 3} more"
        return (
            f"{len(self.missing)} of {self.total} text fields are not translated into "
            f"{self.language!r} ({shown})"
        )


def coverage(deck: Deck, deck_path: Path) -> tuple[list[Coverage], list[DeckProblem]]:
    """Each translation's coverage of the deck, and the problems of any that cannot be
    used (DeckError is raised only for the deck itself)."""
    found: list[Coverage] = []
    problems: list[DeckProblem] = []
    for language, path in translation_paths(deck_path).items():
        try:
            tr = load_translation(path, deck)
        except DeckError as exc:
            problems.extend(exc.problems)
            continue
        missing, total = missing_text(deck, tr)
        found.append(Coverage(path, language, missing, total))
    return found, problems


def find_deck(ref: str | None, language: str | None) -> tuple[Deck, Path]:
    """`decks.find_deck`, with the deck's text in `language` where it has a translation."""
    deck, path = decks.find_deck(ref)
    return localized(deck, path, language), path


def localized_entry(entry: decks.DeckEntry, language: str | None) -> decks.DeckEntry:
    """A found deck in `language`; if its translation is broken, the deck in its own
    language with the translation's error kept beside it (a launcher can still offer it)."""
    if entry.deck is None:
        return entry
    try:
        return decks.DeckEntry(entry.path, localized(entry.deck, entry.path, language), None)
    except DeckError as exc:
        return decks.DeckEntry(entry.path, entry.deck, exc)
