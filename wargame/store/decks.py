"""Decks in: TOML files read with tomllib, validated by the deck models, every problem
reported as `file:line: card <id>: <field>: <message>` — never a traceback."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

try:  # tomllib's own upstream, compiled: a 10,000-card deck parses in a third of the time
    import tomli as tomllib
except ImportError:  # pragma: no cover - tomli is a dependency; tomllib reads the same
    import tomllib  # type: ignore[no-redef]

from wargame.model import condition as cond
from wargame.model.deck import SCHEMA_VERSION, SCHEMA_VERSIONS, Deck
from wargame.model.deck_check import check_deck
from wargame.model.fields import PATTERN_MEANINGS
from wargame.store.files import FileRefused, is_regular, read_capped
from wargame.store.locations import loc_text as _field

MAX_DECK_BYTES = 8 * 1024 * 1024
MAX_INT_DIGITS = 4_300  # Python's own limit on the digits of an int read from text
MAX_PER_FIELD = 10  # messages about one field; the rest are counted
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
        line = int(m.group(1)) if m else getattr(exc, "lineno", None)
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg).rstrip(".")
        raise DeckError([DeckProblem(name, f"invalid TOML: {msg}", line=line)]) from None
    except RecursionError:
        raise DeckError([DeckProblem(name, "invalid TOML: nested too deeply")]) from None
    except ValueError:
        # tomllib turns digits into an int with Python's limit on their number.
        raise DeckError([_long_number(text, name)]) from None


_LONG_NUMBER = re.compile(rf"[-+]?\d[\d_]{{{MAX_INT_DIGITS},}}")


def _long_number(text: str, name: str) -> DeckProblem:
    msg = f"a number has more than {MAX_INT_DIGITS:,} digits; numbers in a deck are small"
    m = _LONG_NUMBER.search(text)
    if m is None:
        return DeckProblem(name, f"invalid TOML: {msg}")
    line = text.count("\n", 0, m.start()) + 1
    before = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
    keys = re.findall(r"""([A-Za-z0-9_.\-]+|"[^"]*"|'[^']*')\s*=""", before)
    return DeckProblem(name, msg, line=line, field=keys[-1].strip("\"'") if keys else "")


def load_deck(path: str | Path, cached: bool = False) -> Deck:
    """The deck in a TOML file; DeckError listing every problem. `cached`: a deck that
    validated in an earlier run comes from the deck cache (for playing decks, not for
    checking them: `wargame validate` always validates)."""
    path = Path(path)
    text = read_text(path)
    if cached:
        from wargame.store import deck_cache

        return deck_cache.load(text, lambda: parse_deck(text, str(path)))
    return parse_deck(text, str(path))


def parse_deck(text: str, name: str = "<deck>") -> Deck:
    """Validate deck text; raise DeckError listing every problem found."""
    data = parse_toml(text, name)
    return deck_from_data(data, text, name)


def deck_from_data(data: dict[str, Any], text: str, name: str) -> Deck:
    with _collector_paused():
        return _deck_from_data(data, text, name)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a deck's models are built: they hold no cycles,
    and on a large deck the collector's repeated walks over the growing heap cost three
    times the building itself."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _deck_from_data(data: dict[str, Any], text: str, name: str) -> Deck:
    version = data.get("schema")
    if type(version) is not int or version not in SCHEMA_VERSIONS:
        known = " and ".join(map(str, SCHEMA_VERSIONS))
        if version is None:
            msg = f"missing 'schema = {SCHEMA_VERSION}' at the top of the file"
        elif type(version) is not int:
            whole = " or ".join(map(str, SCHEMA_VERSIONS))
            msg = f"schema must be the whole number {whole}, not {_toml_value(version)}"
        else:
            msg = f"schema {version!r} is not supported; this wargame reads schema {known}"
        raise DeckError(
            [DeckProblem(name, msg, line=_find_line(text, ("schema",)), field="schema")]
        )
    try:
        deck = Deck.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(name, text, data, tuple(e["loc"]), _message(e)) for e in exc.errors()]
        raise DeckError(_capped(_dedupe(problems))) from None
    except RecursionError:
        raise DeckError([DeckProblem(name, "nested too deeply")]) from None
    problems = [_problem(name, text, data, p.loc, p.message) for p in check_deck(deck)]
    if problems:
        raise DeckError(_capped(problems))
    return deck


def _toml_value(value: Any) -> str:
    """A value as it would be written in TOML, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the text {cond.quote(value, 20)}"
    return cond.quote(repr(value), 20).strip("'")


_NUMBER_TYPES = {"int_type", "float_type", "int_parsing", "float_parsing"}


def _message(err: Any) -> str:
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        msg = "unknown field (check the spelling; see decks/README.md)"
    elif kind == "missing":
        msg = "required field is missing"
    elif kind == "string_pattern_mismatch" and err["ctx"]["pattern"] in PATTERN_MEANINGS:
        bad = cond.CONTROL.search(value) or re.search(r"[\x00-\x1f]", value)
        where = f"{bad.group()!r} at character {bad.start() + 1}" if bad else "one"
        msg = f"control character {where}; this must be {PATTERN_MEANINGS[err['ctx']['pattern']]}"
    elif kind in _NUMBER_TYPES and isinstance(value, str):
        msg += f", not {_toml_value(value)} (write numbers without quotes)"
    elif kind in _NUMBER_TYPES and isinstance(value, bool):
        msg += f", not {_toml_value(value)}"
    return msg


def _capped(problems: list[DeckProblem]) -> list[DeckProblem]:
    """At most MAX_PER_FIELD messages about one field (a list's items count as one field),
    then one that counts the rest, so that a hostile deck cannot flood the output."""
    counts: dict[tuple[str, str], int] = {}
    more: dict[tuple[str, str], int] = {}  # key -> index of its "… and N more" in `out`
    out: list[DeckProblem] = []
    for p in problems:
        key = (p.where, _LIST_INDEX.sub("", p.field))
        n = counts[key] = counts.get(key, 0) + 1
        if n <= MAX_PER_FIELD:
            out.append(p)
        elif n == MAX_PER_FIELD + 1:
            more[key] = len(out)
            out.append(p)
    for key, i in more.items():
        extra = counts[key] - MAX_PER_FIELD
        noun = "problem" if extra == 1 else "problems"
        out[i] = replace(out[i], field=key[1], message=f"… and {extra:,} more {noun} here")
    return out


_LIST_INDEX = re.compile(r"(\[\d+\])+$")


def _dedupe(problems: list[DeckProblem]) -> list[DeckProblem]:
    seen: set[str] = set()
    out = []
    for p in problems:
        if str(p) not in seen:
            seen.add(str(p))
            out.append(p)
    return out


_KINDS = {
    "cards": "card",
    "seats": "seat",
    "meters": "meter",
    "endings": "ending",
    "phases": "phase",
    "flags": "flag",
    "resources": "resource",
    "red_cell": "red-cell rule",
}


def _problem(name: str, text: str, data: Any, loc: tuple, message: str) -> DeckProblem:
    where, rest = "", loc
    if len(loc) >= 2 and loc[0] in _KINDS and isinstance(loc[1], int):
        item = data.get(loc[0], []) if isinstance(data, dict) else []
        ident = None
        if isinstance(item, list) and loc[1] < len(item) and isinstance(item[loc[1]], dict):
            ident = item[loc[1]].get("id")
        shown = ident if isinstance(ident, str) and _PLAIN.match(ident) else f"#{loc[1] + 1}"
        where = f"{_KINDS[loc[0]]} {shown}"
        rest = loc[2:]
    return DeckProblem(name, message, line=_find_line(text, loc), where=where, field=_field(rest))


# An id shown as it is only when plain (no control characters, not too long).
_PLAIN = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]#]+?)\s*\]\]?\s*(?:#.*)?$")
_HEADER_LINE = re.compile(r"^[ \t]*\[.*", re.M)
_KEY_LINE = re.compile(r"""^[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([A-Za-z0-9_.\-]+))[ \t]*=""", re.M)


class _Table:
    """One table of a TOML file as its text lays it out: the line of its header, where its
    body (up to the next header) lies, and its sub-tables and arrays of tables. The first
    line of each key in the body is found when first asked for."""

    __slots__ = ("line", "body", "_keys", "tables", "arrays")

    def __init__(self, line: int | None, body: tuple[int, int, int] | None = None) -> None:
        self.line = line  # 1-based; None for the root and for tables with no header
        self.body = body  # (first line, start offset, end offset) of the text under it
        self._keys: dict[str, int] | None = None
        self.tables: dict[str, _Table] = {}
        self.arrays: dict[str, list[_Table]] = {}

    def key_line(self, text: str, key: str) -> int | None:
        if self._keys is None:
            self._keys = {}
            if self.body is not None:
                line, pos, end = self.body
                for m in _KEY_LINE.finditer(text, pos, end):
                    line += text.count("\n", pos, m.start())
                    pos = m.start()
                    self._keys.setdefault(next(g for g in m.groups() if g is not None), line)
        return self._keys.get(key)


def _header_path(raw: str) -> list[str]:
    # As before: quotes and spaces dropped, dots split (ids in headers hold no dots).
    return re.sub(r"[\s\"']", "", raw).split(".")


def _index(text: str) -> _Table:
    """The file's tables from one pass over its header lines (a regular expression finds
    them), so that each lookup walks only its own path."""
    headers = []
    line, pos = 1, 0
    for m in _HEADER_LINE.finditer(text):
        h = _HEADER.match(m.group())
        if h:
            line += text.count("\n", pos, m.start())
            pos = m.start()
            headers.append((line, m.start(), m.end(), _header_path(h.group(2)), h.group(1)))
    first = headers[0][1] if headers else len(text)
    root = _Table(None, (1, 0, first))
    for i, (line, _, end, path, bracket) in enumerate(headers):
        stop = headers[i + 1][1] if i + 1 < len(headers) else len(text)
        _add_table(root, path, bracket == "[[", line, (line, end, stop))
    return root


def _add_table(
    root: _Table, path: list[str], array: bool, line: int, body: tuple[int, int, int]
) -> _Table:
    node = root
    for part in path[:-1]:
        if part in node.arrays:
            node = node.arrays[part][-1]
        else:
            node = node.tables.setdefault(part, _Table(None))
    last = path[-1]
    if array:
        table = _Table(line, body)
        node.arrays.setdefault(last, []).append(table)
        return table
    table = node.tables.setdefault(last, _Table(None))
    if table.line is None:
        table.line, table.body = line, body
    return table


@lru_cache(maxsize=4)
def _cached_index(text: str) -> _Table:
    # A deck's problems are placed one by one with the same text: index it once.
    return _index(text)


def _find_line(text: str, loc: tuple) -> int | None:
    """Best-effort 1-based line of a location path in TOML text (None if not found): the
    header of the deepest table on the path, or the line of the key it ends in."""
    node = _cached_index(text)
    best = None
    k = 0
    while k < len(loc):
        part = loc[k]
        if not isinstance(part, str):
            break
        nxt = loc[k + 1] if k + 1 < len(loc) else None
        if part in node.arrays and isinstance(nxt, int):
            items = node.arrays[part]
            if nxt >= len(items):
                break
            node = items[nxt]
            k += 2
        elif part in node.tables:
            node = node.tables[part]
            k += 1
        else:
            return node.key_line(text, part) or best
        best = node.line or best
    return best


# Public names for the other files that place problems the same way (lint, playtests).
find_line = _find_line
error_message = _message
capped = _capped


# --- finding decks ----------------------------------------------------------------------


# `<deck>.<language>.toml` is a translation of `<deck>.toml` (see store/translations.py).
TRANSLATION_NAME = re.compile(r"^(?P<deck>.+)\.(?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.toml$")


def bundled_deck_paths() -> list[Path]:
    root = resources.files(BUNDLED_PACKAGE)
    return sorted(
        Path(str(p))
        for p in root.iterdir()
        if p.name.endswith(".toml") and not TRANSLATION_NAME.match(p.name)
    )


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
        if TRANSLATION_NAME.match(p.name):  # a deck's text in another language, not a deck
            continue
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
            entries.append(DeckEntry(p, load_deck(p, cached=True), None))
        except DeckError as exc:
            entries.append(DeckEntry(p, None, exc))
    return entries


def find_deck(ref: str | None) -> tuple[Deck, Path]:
    """A deck by id or path (None: the default deck). DeckError if not found or invalid."""
    ref = ref or DEFAULT_DECK
    candidate = Path(ref)
    if ref.endswith(".toml") or is_regular(candidate) or "/" in ref:
        return load_deck(candidate, cached=True), candidate
    for p in deck_paths():
        if p.stem == ref:
            return load_deck(p, cached=True), p
    for entry in available_decks():
        if entry.deck is not None and entry.deck.id == ref:
            return entry.deck, entry.path
    known = ", ".join(sorted({p.stem for p in deck_paths()})) or "none"
    raise DeckError([DeckProblem(ref, f"no deck with this id or path (decks: {known})")])
