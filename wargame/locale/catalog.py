"""Extract, merge, compile and check the message catalogs with Babel.

Authoring only: the game itself reads the compiled .mo files with the stdlib's gettext and
never imports this module (or Babel)."""

from __future__ import annotations

import io
import string
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from wargame.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

PACKAGE = LOCALE_DIR.parent
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
# `_` and `N_` mark one message; `ngettext(singular, plural, n)` a message with plurals.
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
# Fixed, so that refreshing an unchanged catalog changes no file.
STAMP = datetime(2026, 1, 1, tzinfo=UTC)
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != "en")


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def template_from_code() -> Catalog:
    """Every message the code marks, with the files it is in (no line numbers: a message
    that only moves does not change the template)."""
    catalog = Catalog(
        project="wargame", domain=DOMAIN, creation_date=STAMP, revision_date=STAMP, fuzzy=False
    )
    for path in sorted(PACKAGE.rglob("*.py")):
        if LOCALE_DIR in path.parents:
            continue
        rel = path.relative_to(PACKAGE.parent).as_posix()
        for lineno, message, comments, _context in extract_from_file(
            "python",
            path,
            keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True,
        ):
            catalog.add(message, locations=[(rel, lineno)], auto_comments=comments)
    return catalog


def _write_po(path: Path, catalog: Catalog) -> None:
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, include_lineno=False, ignore_obsolete=True, sort_output=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())


def read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def extract() -> int:
    catalog = template_from_code()
    _write_po(TEMPLATE, catalog)
    return len(catalog)


def update() -> dict[str, int]:
    """Merge the template into each language's .po; the count of messages left to
    translate, per language."""
    template = read(TEMPLATE)
    left = {}
    for lang in TRANSLATED:
        path = po_path(lang)
        if path.exists():
            catalog = read(path, lang)
        else:
            catalog = Catalog(locale=lang, domain=DOMAIN, project="wargame", creation_date=STAMP)
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalog.revision_date = STAMP
        _write_po(path, catalog)
        left[lang] = len(untranslated(catalog))
    return left


def compile_po(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def compile_all() -> list[Path]:
    done = []
    for lang in TRANSLATED:
        mo = po_path(lang).with_suffix(".mo")
        mo.write_bytes(compile_po(read(po_path(lang), lang)))
        done.append(mo)
    return done


def msgids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {m.id for m in catalog if m.id}


def untranslated(catalog: Catalog) -> list[str]:
    """The messages of `catalog` without a (non-fuzzy) translation."""
    out = []
    for m in catalog:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple | list) else (m.string,)
        if m.fuzzy or not all(strings):
            out.append(m.id if isinstance(m.id, str) else m.id[0])
    return out


def fields(text: str) -> set[str]:
    """The named fields of a `str.format` template ("{name}" and "{name:>3}" → "name")."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def field_mismatches(catalog: Catalog) -> list[str]:
    """Translations whose `{fields}` differ from their message's (`.format` would fail or
    drop a value)."""
    out = []
    for m in catalog:
        if not m.id or not m.string:
            continue
        ids = (m.id,) if isinstance(m.id, str) else m.id
        strings = (m.string,) if isinstance(m.string, str) else m.string
        want = fields(ids[0])
        for s in strings:
            if s and fields(s) != want:
                out.append(f"{ids[0]!r}: {s!r}")
    return out


def check() -> list[str]:
    """Every problem of the catalogs, one line each: the template behind the code, a
    language missing or mistranslating messages, an .mo not compiled from its .po."""
    problems = []
    code, template = template_from_code(), read(TEMPLATE)
    for gone in sorted(map(str, msgids(template) - msgids(code))):
        problems.append(f"wargame.pot: no longer in the code: {gone!r}")
    for new in sorted(map(str, msgids(code) - msgids(template))):
        problems.append(f"wargame.pot: not extracted yet: {new!r}")
    for lang in TRANSLATED:
        catalog = read(po_path(lang), lang)
        for missing in sorted(map(str, msgids(template) - msgids(catalog))):
            problems.append(f"{lang}: not in the .po: {missing!r}")
        for msg in untranslated(catalog):
            problems.append(f"{lang}: untranslated: {msg!r}")
        for bad in field_mismatches(catalog):
            problems.append(f"{lang}: fields differ: {bad}")
        mo = po_path(lang).with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != compile_po(catalog):
            problems.append(f"{lang}: {mo.name} is not compiled from its .po")
    return problems
