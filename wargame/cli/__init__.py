"""`wargame`: the command line. A thin shell: every subcommand calls the engine, store,
aar or author modules, and heavy imports (Textual above all) happen only when needed.

Each command group is one module of this package with `register(subparsers)`; adding a
group is one import and one entry in `COMMAND_GROUPS`. The modules import only argparse
and the like at the top, so building the parser (`wargame --help`, `wargame play`) stays
fast; a command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from wargame import __version__
from wargame.cli import author, export, game, remote, saves
from wargame.cli.common import add_lang_option, add_saves_option
from wargame.i18n import set_language

# The command groups, in the order `wargame --help` lists them: each is a module with
# `register(subparsers)` that imports its work only when a command runs.
COMMAND_GROUPS = [game, saves, export, author, remote]

__all__ = ["COMMAND_GROUPS", "add_saves_option", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wargame",
        description="A terminal seminar wargame for the US–ROK–Japan alliance. "
        "With no command, opens the launcher.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"wargame {__version__}",
    )
    add_saves_option(parser, top=True)
    add_lang_option(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(sub)
    for command in sub.choices.values():
        add_lang_option(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # Before any screen or message is made: the language of the whole run.
    set_language(args.lang)
    try:
        if args.command is None:
            from wargame.tui.app import run_app

            return run_app(saves=args.saves)
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
