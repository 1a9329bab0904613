"""The message catalog for every user-facing string: gettext, catalogs kept with Babel.

Code marks a string with `_("...")`; `set_language` picks the catalog once, at startup,
from `--lang` or the locale. A language without a catalog falls back to the English source
strings, so a missing translation never hides a message.
"""

from __future__ import annotations

import gettext
from pathlib import Path

DOMAIN = "wargame"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "ko", "ja")

_catalog: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def set_language(language: str | None) -> str:
    """Use the catalog of `language` ("ko", "ja_JP.UTF-8", None for English); returns the
    language in use."""
    global _catalog, _language
    code = (language or "en").split(".")[0].split("_")[0].lower() or "en"
    if code not in LANGUAGES:
        code = "en"
    _catalog = gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)
    _language = code
    return code


def language() -> str:
    return _language


def _(message: str) -> str:
    return _catalog.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog.ngettext(singular, plural, n)
