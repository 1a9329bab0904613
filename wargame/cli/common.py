"""What every command module shares: the `--saves` option and one-line failures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


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


def fail(message: object) -> int:
    """Print `wargame: <message>` on stderr; the exit status of a failed command."""
    print(f"wargame: {message}", file=sys.stderr)
    return 1
