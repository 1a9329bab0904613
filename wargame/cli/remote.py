"""`wargame host` and `wargame join`. Textual is imported only inside the commands that
open a screen, so `wargame host --headless` runs without it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wargame.cli.common import add_saves_option, add_turn_minutes_option
from wargame.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "host",
        help="host a game: each team joins from its own terminal or browser",
        description="Run the game here and serve it to the seats over WebSockets. Each seat "
        "joins with its own code (`wargame join URL`); the codes are kept beside the save "
        "(owner-only) so that `--resume` takes them back.",
    )
    p.add_argument("--deck", metavar="ID|PATH", help="deck id or TOML path (default: fault-lines)")
    p.add_argument("--seed", type=int, default=1, help="seed for card draws (default 1)")
    p.add_argument("--turns", type=int, help="number of turns (default: the deck's)")
    p.add_argument("--team", action="append", metavar="SEAT=NAME", help="rename a team")
    p.add_argument("--resume", metavar="SAVE", type=Path, help="host a saved game again")
    add_turn_minutes_option(p)
    p.add_argument(
        "--bind",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine)",
    )
    p.add_argument("--port", type=int, default=8765, help="port for the seats (default 8765)")
    p.add_argument(
        "--web",
        action="store_true",
        help="also serve the join screen to browsers (textual-serve)",
    )
    p.add_argument("--web-port", type=int, default=8766, help="port for browsers (default 8766)")
    p.add_argument("--cert", metavar="PEM", help="TLS certificate (with --key): seats use wss://")
    p.add_argument("--key", metavar="PEM", help="TLS private key")
    p.add_argument("--no-observer", action="store_true", help="no observer code")
    p.add_argument(
        "--headless",
        action="store_true",
        help="no screen: print the codes, reveal each inject and resolve once all have decided",
    )
    add_saves_option(p)
    p.set_defaults(func=cmd_host)

    p = sub.add_parser("join", help="join a hosted game as a team (or an observer)")
    p.add_argument("url", metavar="URL", help="the host's address, e.g. ws://10.0.0.5:8765")
    p.add_argument("--code", help="your join code (asked for if not given)")
    p.add_argument("--cafile", metavar="PEM", help="trust this certificate (a self-signed host)")
    p.set_defaults(func=cmd_join)


def _hosted(args: argparse.Namespace):
    """The game to host, or a one-line error."""
    from wargame.cli.game import _team_names
    from wargame.engine import IllegalCommand
    from wargame.i18n import language
    from wargame.remote.codes import CodesError
    from wargame.remote.session import new_hosted, resume_hosted
    from wargame.store.decks import DeckError
    from wargame.store.saves import SaveError, saves_dir
    from wargame.store.translations import find_deck

    try:
        saves = saves_dir(args.saves)
        if args.resume is not None:
            return resume_hosted(args.resume, saves, observer=not args.no_observer)
        deck, _ = find_deck(args.deck, language())
        return new_hosted(
            deck,
            saves,
            seed=args.seed,
            turns=args.turns,
            team_names=_team_names(args.team),
            observer=not args.no_observer,
        )
    except (DeckError, SaveError, CodesError, IllegalCommand) as exc:
        raise SystemExit(_("wargame: {exc}").format(exc=exc)) from None


def _ssl(args: argparse.Namespace):
    if bool(args.cert) != bool(args.key):
        raise SystemExit(_("wargame: --cert and --key go together"))
    if not args.cert:
        return None
    from wargame.remote.host import server_ssl

    try:
        return server_ssl(args.cert, args.key)
    except (OSError, ValueError) as exc:
        raise SystemExit(_("wargame: cannot use the certificate: {exc}").format(exc=exc)) from None


def cmd_host(args: argparse.Namespace) -> int:
    hosted = _hosted(args)
    context = _ssl(args)
    web_port = args.web_port if args.web else None
    try:
        if args.headless:
            import asyncio

            from wargame.remote.session import serve_headless

            return asyncio.run(
                serve_headless(
                    hosted, bind=args.bind, port=args.port, ssl_context=context, web_port=web_port
                )
            )
        from wargame.tui.remote.host import run_host

        return run_host(
            hosted,
            bind=args.bind,
            port=args.port,
            ssl_context=context,
            web_port=web_port,
            turn_minutes=args.turn_minutes,
        )
    except OSError as exc:
        print(
            _("wargame: cannot serve on {bind}:{port}: {value}").format(
                bind=args.bind, port=args.port, value=exc.strerror or exc
            ),
            file=sys.stderr,
        )
        return 1


def cmd_join(args: argparse.Namespace) -> int:
    from wargame.remote.client import client_ssl
    from wargame.remote.protocol import ws_url

    try:
        url = ws_url(args.url)
        context = client_ssl(args.cafile)
    except (ValueError, OSError) as exc:
        raise SystemExit(_("wargame: {exc}").format(exc=exc)) from None
    from wargame.tui.remote.join import run_join

    return run_join(url, args.code, ssl_context=context)
