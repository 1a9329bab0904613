"""`wargame`: the command line. A thin shell: every subcommand calls the engine, store,
aar or author modules, and heavy imports (Textual above all) happen only when needed."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from wargame import __version__

# Modules that add subcommands: each has `register(subparsers)`.
COMMAND_MODULES: list[str] = [
    "wargame.store.cli",
    "wargame.aar.cli",
    "wargame.author.cli",
]


def _team_names(pairs: list[str] | None) -> dict[str, str]:
    names = {}
    for pair in pairs or []:
        seat, sep, name = pair.partition("=")
        if not sep or not seat.strip() or not name.strip():
            raise SystemExit(f"wargame: --team takes SEAT=NAME, not {pair!r}")
        names[seat.strip()] = name.strip()
    return names


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


def cmd_play(args: argparse.Namespace) -> int:
    from wargame.store.decks import DeckError, find_deck

    try:
        deck, _ = find_deck(args.deck)
    except DeckError as exc:
        print(exc, file=sys.stderr)
        return 1
    teams = _team_names(args.team)
    if args.headless:
        return _headless(deck, args.seed, args.turns, args.mode, teams)
    from wargame.tui.app import run_app

    return run_app(
        deck=deck,
        seed=args.seed,
        turns=args.turns,
        mode=args.mode,
        team_names=teams,
        saves=args.saves,
    )


def _headless(deck, seed: int, turns: int | None, mode: str, teams: dict[str, str]) -> int:
    """Play a whole game with random choices and print what happened."""
    import random

    from wargame.engine import Continue, Game, IllegalCommand, crisis

    try:
        game = Game.start(deck, seed=seed, turns=turns, mode=mode, team_names=teams)  # type: ignore[arg-type]
    except IllegalCommand as exc:
        print(f"wargame: {exc}", file=sys.stderr)
        return 1
    rng = random.Random(seed)
    print(f"{deck.deck.title} — seed {seed}, {game.state.turns} turns (random choices)")
    while not game.state.ended:
        if game.state.checkpoint is not None:  # schema 2: play on past a checkpoint
            print(f"\nCheckpoint: {game.state.checkpoint} — continuing")
            game.apply(Continue(reason="headless"))
            continue
        game.draw()
        if game.state.ended:  # nothing left to draw
            break
        card = game.card
        assert card is not None
        print(f"\nTurn {game.state.turn}: {card.title} [{card.category}]")
        for seat in game.pending:
            blocked = crisis.unavailable(deck, game.state, card, seat)
            option = rng.choice([o for o in card.options_for(seat) if o.id not in blocked])
            game.decide(seat, option.id, entered_by="headless")
            print(f"  {seat:>4} chose: {option.label}")
        events = game.resolve()
        for move in getattr(events[0], "moves", []):
            label = deck.meter(move.meter).label
            print(f"       {label}: {move.before} → {move.after}")
        for ev in events[1:]:
            if ev.kind == "redcell":
                print(f"  red cell — {ev.actor}: {ev.explain}")
    out = game.state.outcome
    assert out is not None
    print(f"\nEnded on turn {out.turn}: {out.title}. {out.text}")
    print("Final meters: " + ", ".join(f"{k} {v}" for k, v in game.state.meters.items()))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from wargame.store.decks import DeckError, load_deck

    bad = 0
    for path in args.paths:
        try:
            deck = load_deck(path)
        except DeckError as exc:
            bad += 1
            for problem in exc.problems:
                print(problem)
        except RecursionError:
            bad += 1
            print(f"{path}: nested too deeply")
        else:
            print(
                f"{path}: ok — {deck.deck.title!r}, {len(deck.cards)} cards, "
                f"{len(deck.endings)} endings"
            )
    return 1 if bad else 0


def cmd_schema(args: argparse.Namespace) -> int:
    if getattr(args, "aar", False):
        from wargame.aar.model import aar_json_schema

        schema = aar_json_schema()
    else:
        from wargame.model.deck import deck_json_schema

        schema = deck_json_schema()
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0


def cmd_decks(args: argparse.Namespace) -> int:
    from wargame.store.decks import available_decks

    for entry in available_decks():
        if entry.deck is None:
            print(
                f"{entry.path}: damaged ({len(entry.error.problems) if entry.error else 0} "
                "problems; run `wargame validate` on it)"
            )
        else:
            d = entry.deck
            print(
                f"{d.id:<20} {d.deck.title} — {len(d.cards)} cards, {d.deck.turns} turns "
                f"({entry.path})"
            )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wargame",
        description="A terminal seminar wargame for the US–ROK–Japan alliance. "
        "With no command, opens the launcher.",
    )
    parser.add_argument("--version", action="version", version=f"wargame {__version__}")
    add_saves_option(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("play", help="start a new game (skips the launcher)")
    p.add_argument("--deck", metavar="ID|PATH", help="deck id or TOML path (default: fault-lines)")
    p.add_argument("--seed", type=int, default=1, help="seed for card draws (default 1)")
    p.add_argument("--turns", type=int, help="number of turns (default: the deck's)")
    p.add_argument("--mode", choices=["hotseat", "open"], default="hotseat")
    p.add_argument("--team", action="append", metavar="SEAT=NAME", help="rename a team")
    p.add_argument(
        "--headless", action="store_true", help="no screen: play random choices and print the game"
    )
    add_saves_option(p)
    p.set_defaults(func=cmd_play)

    p = sub.add_parser("validate", help="check decks; print every problem")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("schema", help="print the deck JSON Schema (or the AAR's with --aar)")
    p.add_argument("--aar", action="store_true", help="the after-action review's JSON Schema")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("decks", help="list the decks that can be played")
    p.set_defaults(func=cmd_decks)

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
