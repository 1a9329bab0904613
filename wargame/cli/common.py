"""What every command module shares: the `--saves` option and one-line failures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wargame.i18n import _


def add_saves_option(p: argparse.ArgumentParser, top: bool = False) -> None:
    """`--saves DIR`, at the top level and on each subcommand. Only the top level has a
    default: argparse copies a subcommand's defaults over the top-level namespace, so a
    default there would wipe out `wargame --saves DIR <command>`."""
    p.add_argument(
        "--saves",
        metavar="DIR",
        type=Path,
        default=None if top else argparse.SUPPRESS,
        help="folder for saved games (default: ./saves if it exists, else the user data folder)",
    )


def add_lang_option(p: argparse.ArgumentParser, top: bool = False) -> None:
    """`--lang en|ko|ja`: the language of the screens, messages and exports (default: the
    locale's, from LANGUAGE / LC_ALL / LC_MESSAGES / LANG). At the top level and on each
    subcommand, as `--saves` is."""
    from wargame.i18n import LANGUAGES

    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None if top else argparse.SUPPRESS,
        help="language of the screens, messages and exports (default: from the locale)",
    )


def fail(message: object) -> int:
    """Print `wargame: <message>` on stderr; the exit status of a failed command."""
    print(_("wargame: {message}").format(message=message), file=sys.stderr)
    return 1


def visible(text: str) -> str:
    """Deck- and save-sourced text made safe to print: control characters (ESC and so ANSI
    and OSC sequences, newlines, C1 codes) and invisible format characters (bidi overrides)
    are shown as symbols or escapes instead of acting on the terminal."""
    import unicodedata

    out = []
    for ch in text:
        code = ord(ch)
        if code < 0x20:
            out.append(chr(0x2400 + code))  # ␛, ␊, ␉ …
        elif code == 0x7F:
            out.append("␡")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def console(stderr: bool = False):  # -> rich.console.Console
    """A rich console that prints text as given: no markup, no highlighting, lines never
    folded by us (soft wrap), so output greps whole at any width."""
    from rich.console import Console

    return Console(highlight=False, markup=False, soft_wrap=True, stderr=stderr, emoji=False)


def pad(text: str, width: int, right: bool = False) -> str:
    """`text` padded to `width` display cells (wide CJK characters count two)."""
    from rich.cells import cell_len

    gap = " " * max(0, width - cell_len(text))
    return gap + text if right else text + gap


def add_turn_minutes_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--turn-minutes",
        type=_minutes,
        metavar="N",
        help="length of the turn clock (default: the deck's, else 10; a resumed game keeps "
        "the length its clock last ran with)",
    )


def _minutes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of minutes") from None
    if not 1 <= value <= 600:
        raise argparse.ArgumentTypeError(f"a turn lasts 1 to 600 minutes, not {value}")
    return value
