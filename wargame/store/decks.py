"""Decks in: TOML files read with tomllib, validated by the deck models, every problem
reported as `file:line: card <id>: <field>: <message>` — never a traceback."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from wargame.model.deck import SCHEMA_VERSION, Deck, check_deck
from wargame.store.files import FileRefused, is_regular, read_capped
from wargame.store.locations import loc_text as _field

MAX_DECK_BYTES = 8 * 1024 * 1024
BUNDLED_PACKAGE = "wargame.decks"
DEFAULT_DECK = "fault-lines"


@dataclass(frozen=True, slots=True)
class DeckProblem:
    file: str
    message: str
    line: int | None = None
    where: str = ""  # "card neo-seoul", "meter trust.US-ROK", ...
    field: str = ""

    def __str__(self) -> str:
        parts = [f"{self.file}:{self.line}" if self.line else self.file]
        if self.where:
            parts.append(self.where)
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)


class DeckError(ValueError):
    """A deck that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[DeckProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# --- reading ----------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """The file's text, or a DeckError that says plainly why it cannot be read (not a
    regular file, too large, unreadable, a name the file system refuses)."""
    name = str(path)
    try:
        raw = read_capped(path, MAX_DECK_BYTES, "deck file", missing="no such file")
    except FileRefused as exc:
        raise DeckError([DeckProblem(name, exc.message)]) from None
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and raw[1:2] == b"\x00"):
        raise DeckError([DeckProblem(name, "is UTF-16 text; save it as UTF-8")])
    if b"\x00" in raw:
        raise DeckError([DeckProblem(name, "is a binary file, not TOML text")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DeckError(
            [DeckProblem(name, "is not valid UTF-8 text (save it as UTF-8)", line=line)]
        ) from None
    return text


def parse_toml(text: str, name: str) -> dict[str, Any]:
    if not text.strip():
        raise DeckError(
            [DeckProblem(name, "is empty; a deck needs schema, [deck], seats, meters and cards")]
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column \d+\)", msg)
        line = int(m.group(1)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg).rstrip(".")
        raise DeckError([DeckProblem(name, f"invalid TOML: {msg}", line=line)]) from None
    except RecursionError:
        raise DeckError([DeckProblem(name, "invalid TOML: nested too deeply")]) from None


def load_deck(path: str | Path) -> Deck:
    path = Path(path)
    return parse_deck(read_text(path), str(path))


def parse_deck(text: str, name: str = "<deck>") -> Deck:
    """Validate deck text; raise DeckError listing every problem found."""
    data = parse_toml(text, name)
    return deck_from_data(data, text, name)


def deck_from_data(data: dict[str, Any], text: str, name: str) -> Deck:
    version = data.get("schema")
    if version != SCHEMA_VERSION:
        if version is None:
            msg = f"missing 'schema = {SCHEMA_VERSION}' at the top of the file"
        else:
            msg = f"schema {version!r} is not supported; this wargame reads schema {SCHEMA_VERSION}"
        raise DeckError(
            [DeckProblem(name, msg, line=_find_line(text, ("schema",)), field="schema")]
        )
    try:
        deck = Deck.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(name, text, data, tuple(e["loc"]), _message(e)) for e in exc.errors()]
        raise DeckError(_dedupe(problems)) from None
    except RecursionError:
        raise DeckError([DeckProblem(name, "nested too deeply")]) from None
    problems = [_problem(name, text, data, p.loc, p.message) for p in check_deck(deck)]
    if problems:
        raise DeckError(problems)
    return deck


def _message(err: Any) -> str:
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    if err["type"] == "extra_forbidden":
        msg = "unknown field (check the spelling; see decks/README.md)"
    elif err["type"] == "missing":
        msg = "required field is missing"
    return msg


def _dedupe(problems: list[DeckProblem]) -> list[DeckProblem]:
    seen: set[str] = set()
    out = []
    for p in problems:
        if str(p) not in seen:
            seen.add(str(p))
            out.append(p)
    return out


_KINDS = {"cards": "card", "seats": "seat", "meters": "meter", "endings": "ending"}


def _problem(name: str, text: str, data: Any, loc: tuple, message: str) -> DeckProblem:
    where, rest = "", loc
    if len(loc) >= 2 and loc[0] in _KINDS and isinstance(loc[1], int):
        item = data.get(loc[0], []) if isinstance(data, dict) else []
        ident = None
        if isinstance(item, list) and loc[1] < len(item) and isinstance(item[loc[1]], dict):
            ident = item[loc[1]].get("id")
        where = f"{_KINDS[loc[0]]} {ident if isinstance(ident, str) else f'#{loc[1] + 1}'}"
        rest = loc[2:]
    return DeckProblem(name, message, line=_find_line(text, loc), where=where, field=_field(rest))


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]#]+?)\s*\]\]?\s*(?:#.*)?$")


def _find_line(text: str, loc: tuple) -> int | None:
    """Best-effort 1-based line of a location path in TOML text (None if not found)."""
    lines = text.splitlines()
    headers = []
    for i, line in enumerate(lines):
        m = _HEADER.match(line)
        if m:
            headers.append((i, re.sub(r"[\s\"']", "", m.group(2)), m.group(1) == "[["))
    lo, hi = 0, len(lines)
    path: list[str] = []
    best: int | None = None
    k = 0
    while k < len(loc):
        part = loc[k]
        if not isinstance(part, str):
            break
        full = ".".join([*path, part])
        here = [h for h in headers if lo <= h[0] < hi and h[1] == full]
        if here and here[0][2] and k + 1 < len(loc) and isinstance(loc[k + 1], int):
            idx = loc[k + 1]
            if idx >= len(here):
                break
            start = here[idx][0]
            k += 2
        elif here and not here[0][2]:
            start = here[0][0]
            k += 1
        else:
            # A key inside the current table, before its first sub-table.
            sub = next((h[0] for h in headers if lo < h[0] < hi), hi)
            key = re.compile(rf"^\s*([\"']?){re.escape(part)}\1\s*=")
            found = next((i for i in range(lo, sub) if key.match(lines[i])), None)
            if found is not None:
                best = found + 1
            break
        end = next(
            (h[0] for h in headers if h[0] > start and not h[1].startswith(full + ".")), len(lines)
        )
        lo, hi, best = start, end, start + 1
        path.append(part)
    return best


find_line = _find_line  # public name for other tools (lint, playtests)


# --- finding decks ----------------------------------------------------------------------


def bundled_deck_paths() -> list[Path]:
    root = resources.files(BUNDLED_PACKAGE)
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".toml"))


def deck_paths(extra_dirs: list[Path] | None = None) -> list[Path]:
    """Bundled decks, then `./decks/*.toml`, then any extra folders; no duplicates."""
    paths = list(bundled_deck_paths())
    dirs = [Path("decks"), *(extra_dirs or [])]
    for d in dirs:
        try:
            if d.is_dir():
                paths.extend(sorted(d.glob("*.toml")))
        except OSError:  # a folder that cannot be read holds no decks we can play
            continue
    seen: set[Path] = set()
    out = []
    for p in paths:
        try:
            key = p.resolve()
        except OSError:
            key = p.absolute()
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


@dataclass(frozen=True, slots=True)
class DeckEntry:
    """A deck found on disk: loaded, or the error that stops it loading."""

    path: Path
    deck: Deck | None
    error: DeckError | None


def available_decks(extra_dirs: list[Path] | None = None) -> list[DeckEntry]:
    entries = []
    for p in deck_paths(extra_dirs):
        try:
            entries.append(DeckEntry(p, load_deck(p), None))
        except DeckError as exc:
            entries.append(DeckEntry(p, None, exc))
    return entries


def find_deck(ref: str | None) -> tuple[Deck, Path]:
    """A deck by id or path (None: the default deck). DeckError if not found or invalid."""
    ref = ref or DEFAULT_DECK
    candidate = Path(ref)
    if ref.endswith(".toml") or is_regular(candidate) or "/" in ref:
        return load_deck(candidate), candidate
    for p in deck_paths():
        if p.stem == ref:
            return load_deck(p), p
    for entry in available_decks():
        if entry.deck is not None and entry.deck.id == ref:
            return entry.deck, entry.path
    known = ", ".join(sorted({p.stem for p in deck_paths()})) or "none"
    raise DeckError([DeckProblem(ref, f"no deck with this id or path (decks: {known})")])
