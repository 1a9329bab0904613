"""`wargame export SAVE --format md|html|json|csv [-o PATH]`: the after-action review of a
saved game, written to a file (or to stdout with `-o -`). Failures are one line, exit 1."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wargame.cli.common import add_saves_option, fail
from wargame.i18n import _

# The export formats, named here so that building the command line (for every command,
# `wargame play` too) does not import the exporters; a test keeps this in step with FORMATS.
FORMAT_NAMES = ("csv", "html", "json", "md")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="write a saved game's after-action review as md, html, json or csv"
    )
    p.add_argument("save", metavar="SAVE", help="save file (or its name in the saves folder)")
    p.add_argument(
        "--format", "-f", choices=FORMAT_NAMES, default="md", help="export format (default md)"
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="file to write; '-' for stdout (default: beside the save, e.g. GAME.aar.html)",
    )
    add_saves_option(p)
    p.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from wargame.aar.export import ExportError, default_path, export, write_export
    from wargame.store.saves import SaveError, find_save, load_save

    try:
        loaded = load_save(find_save(args.save, getattr(args, "saves", None)))
    except SaveError as exc:
        return fail(exc)
    # In the language of --lang, else the game's own (a deck played in Korean exports in
    # Korean), else the locale's.
    played_in = loaded.deck.deck.language
    language = getattr(args, "lang", None) or (played_in if played_in != "en" else None)
    text = export(loaded.deck, loaded.events, args.format, language=language)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    path = Path(args.output) if args.output else default_path(loaded.path, args.format)
    try:
        write_export(text, path)
    except ExportError as exc:
        return fail(exc)
    print(_("wrote {path}").format(path=path))
    return 0
