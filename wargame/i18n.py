"""The message catalog for every user-facing string: gettext, catalogs kept with Babel.

Code marks a string with `_("...")`; `set_language` picks the catalog once, at startup,
from `--lang` or the locale, before any screen is built. A string defined at module or class
level (a binding's description, a table of labels) is marked with `N_` and translated with
`_()` where it is shown, so it follows the language chosen later. A language without a
catalog falls back to the English source strings, so a missing translation never hides a
message. Only the stdlib is imported here: Babel is for authoring (`python -m
wargame.locale`).
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

DOMAIN = "wargame"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "ko", "ja")
# The names each language goes by (HTML `lang`, the native name a chooser shows).
NAMES = {"en": "English", "ko": "한국어", "ja": "日本語"}

_catalog: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def code_of(language: str | None) -> str | None:
    """ "ko_KR.UTF-8" → "ko"; None for a language without a catalog (or "C", "POSIX")."""
    code = (language or "").split(".")[0].split("@")[0].replace("-", "_").split("_")[0]
    code = code.lower()
    return code if code in LANGUAGES else None


def language_from_env(env: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for, as gettext reads it: LANGUAGE (a list), then
    LC_ALL, LC_MESSAGES, LANG; English if none names a language we have."""
    env = os.environ if env is None else env
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if not value:
            continue
        for part in value.split(":"):
            code = code_of(part)
            if code is not None:
                return code
        if var != "LANGUAGE":
            return "en"  # the first set variable decides (C, POSIX, fr_FR: English)
    return "en"


def set_language(language: str | None) -> str:
    """Use the catalog of `language` ("ko", "ja_JP.UTF-8"; None: the locale's); returns
    the language in use."""
    global _catalog, _language
    code = language_from_env() if language is None else (code_of(language) or "en")
    if code == "en":
        _catalog = gettext.NullTranslations()
    else:
        _catalog = gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)
    _language = code
    return code


def language() -> str:
    return _language


@contextmanager
def using(language: str | None) -> Iterator[str]:
    """The catalog of `language` for the time of a `with` block (an export written in the
    game's language), then the one before; None keeps the one in use."""
    before = _language
    code = set_language(language) if language is not None else before
    try:
        yield code
    finally:
        if language is not None:
            set_language(before)


def _(message: str) -> str:
    return _catalog.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a string for the catalog where it is defined (module and class level, before
    the language is chosen); it is translated with `_()` where it is shown."""
    return message


# The fixed words of the model, shown as they are named (the model does not import this
# module): the default bands, the interoperability dimensions, the meter kinds, the play
# modes. Marked here for the catalog; where one is shown, `_(word)` translates it (a
# deck's own band names pass through unchanged: they are translated by its deck file).
VOCABULARY = (
    N_("critical"),
    N_("strained"),
    N_("steady"),
    N_("strong"),
    N_("human"),
    N_("procedural"),
    N_("technical"),
    N_("trust"),
    N_("readiness"),
    N_("opinion"),
    N_("escalation"),
    N_("other"),
    N_("hot-seat"),
    N_("open"),
)
