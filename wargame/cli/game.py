"""`wargame play`, `validate`, `schema`, `decks`: starting games and checking decks."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from wargame.cli.common import (
    add_saves_option,
    add_turn_minutes_option,
    console,
    fail,
    pad,
    visible,
)
from wargame.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("play", help="start a new game (skips the launcher)")
    p.add_argument("--deck", metavar="ID|PATH", help="deck id or TOML path (default: fault-lines)")
    p.add_argument("--seed", type=int, default=1, help="seed for card draws (default 1)")
    p.add_argument("--turns", type=int, help="number of turns (default: the deck's)")
    p.add_argument("--mode", choices=["hotseat", "open"], default="hotseat")
    p.add_argument("--team", action="append", metavar="SEAT=NAME", help="rename a team")
    p.add_argument(
        "--headless",
        action="store_true",
        help="no screen: play random choices and print the game",
    )
    add_saves_option(p)
    add_turn_minutes_option(p)
    p.set_defaults(func=cmd_play)

    p = sub.add_parser("validate", help="check decks; print every problem")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("schema", help="print the deck JSON Schema (or the AAR's with --aar)")
    p.add_argument("--aar", action="store_true", help="the after-action review's JSON Schema")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("decks", help="list the decks that can be played")
    p.set_defaults(func=cmd_decks)


def _team_names(pairs: list[str] | None) -> dict[str, str]:
    names = {}
    for pair in pairs or []:
        seat, sep, name = pair.partition("=")
        if not sep or not seat.strip() or not name.strip():
            raise SystemExit(_("wargame: --team takes SEAT=NAME, not {pair!r}").format(pair=pair))
        names[seat.strip()] = name.strip()
    return names


def cmd_play(args: argparse.Namespace) -> int:
    from wargame.i18n import language
    from wargame.store.decks import DeckError
    from wargame.store.translations import find_deck

    try:
        deck, _ = find_deck(args.deck, language())
    except DeckError as exc:
        print(exc, file=sys.stderr)
        return 1
    teams = _team_names(args.team)
    if args.headless:
        return _headless(deck, args.seed, args.turns, args.mode, teams, args.saves)
    from wargame.tui.app import run_app

    return run_app(
        deck=deck,
        seed=args.seed,
        turns=args.turns,
        mode=args.mode,
        team_names=teams,
        saves=args.saves,
        turn_minutes=args.turn_minutes,
    )


def _headless(deck, seed: int, turns: int | None, mode: str, teams: dict[str, str], saves) -> int:
    """Play a whole game with random choices, print what happened, and save it as any game
    is saved (so `wargame replay` and `export` work on it). Deck text is printed with its
    control characters made visible."""
    import random
    from datetime import UTC, datetime

    from rich.cells import cell_len

    from wargame.engine import Continue, Game, IllegalCommand, crisis, seat_name
    from wargame.store.saves import (
        Autosaver,
        SaveError,
        SaveLock,
        new_save_path,
        saves_dir,
    )

    out = console()
    try:
        game = Game.start(deck, seed=seed, turns=turns, mode=mode, team_names=teams)  # type: ignore[arg-type]
    except IllegalCommand as exc:
        return fail(exc)
    try:
        path = new_save_path(saves_dir(saves), deck.id, datetime.now(UTC))
    except SaveError as exc:
        return fail(exc)
    saver = Autosaver(path, deck, lock=SaveLock(path).acquire()).attach(game)
    try:
        rng = random.Random(seed)
        # Teams by name, right-aligned in display cells (a Korean name is two a character).
        width = max(cell_len(visible(seat_name(deck, game.state, s))) for s in deck.seat_ids())
        out.print(
            visible(
                _("{title} — seed {seed}, {turns} turns (random choices)").format(
                    title=deck.deck.title, seed=seed, turns=game.state.turns
                )
            )
        )
        while not game.state.ended:
            if game.state.checkpoint is not None:  # schema 2: play on past a checkpoint
                # The checkpoint's title, not its id
                title = next(e.title for e in deck.endings if e.id == game.state.checkpoint)
                out.print(visible("\n" + _("Checkpoint: {title} — continuing").format(title=title)))
                game.apply(Continue(reason="headless"))
                continue
            game.draw()
            if game.state.ended:  # nothing left to draw
                break
            card = game.card
            assert card is not None
            out.print()
            out.print(
                visible(
                    _("Turn {turn}: {title} [{category}]").format(
                        turn=game.state.turn,
                        title=card.title,
                        category=deck.category_label(card.category),
                    )
                )
            )
            for seat in game.pending:
                option = rng.choice(crisis.open_options(deck, game.state, card, seat))
                game.decide(seat, option.id, entered_by="headless")
                who = pad(visible(seat_name(deck, game.state, seat)), width, right=True)
                chose = _("{seat} chose: {option}").format(seat=who, option=visible(option.label))
                out.print(f"  {chose}")
            events = game.resolve()
            for move in getattr(events[0], "moves", []):
                label = visible(deck.meter(move.meter).label)
                out.print(f"       {label}: {move.before} → {move.after}")
            for ev in events[1:]:
                if ev.kind == "redcell":
                    out.print(
                        visible(
                            _("  red cell — {actor}: {explain}").format(
                                actor=ev.actor, explain=ev.explain
                            )
                        )
                    )
        end = game.state.outcome
        assert end is not None
        out.print()
        out.print(
            visible(
                _("Ended on turn {turn}: {title}. {text}").format(
                    turn=end.turn, title=end.title, text=end.text
                )
            )
        )
        # The deck's labels, not the meters' ids ("ROK–Japan trust 29", not "trust.ROK-JPN").
        meters = ", ".join(f"{m.label} {game.state.meters[m.id]}" for m in deck.meters)
        out.print(visible(_("Final meters: {meters}").format(meters=meters)))
    finally:
        saver.close()
    status = saver.status()
    if status.summary() is not None:
        return fail(status.summary())
    out.print(visible(_("Saved to {path}").format(path=path)))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from wargame.store.decks import DeckError, load_deck
    from wargame.store.translations import coverage, deck_of

    bad = 0
    for path in args.paths:
        # A translation file is checked with its deck, as the deck's other translations are.
        deck_path = deck_of(Path(path)) or Path(path)
        try:
            deck = load_deck(deck_path)
            translations, problems = coverage(deck, deck_path)
        except DeckError as exc:
            bad += 1
            for problem in exc.problems:
                print(problem)
            continue
        except RecursionError:
            bad += 1
            print(_("{path}: nested too deeply").format(path=path))
            continue
        print(
            _("{path}: ok — {title!r}, {count} cards, {count2} endings").format(
                path=deck_path,
                title=deck.deck.title,
                count=len(deck.cards),
                count2=len(deck.endings),
            )
        )
        for c in translations:
            line = _("{path}: warning: {summary}") if c.missing else _("{path}: ok — {summary}")
            print(line.format(path=c.path, summary=c.summary()))
        for problem in problems:
            print(problem)
        bad += bool(problems)
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

    out = console()
    for entry in available_decks():
        if entry.deck is None:
            out.print(
                visible(
                    _("{path}: damaged ({value} problems; run `wargame validate` on it)").format(
                        path=entry.path, value=len(entry.error.problems) if entry.error else 0
                    )
                )
            )
        else:
            d = entry.deck
            out.print(
                visible(
                    _("{pad} {title} — {count} cards, {turns} turns ({path})").format(
                        pad=pad(d.id, 20),
                        title=d.deck.title,
                        count=len(d.cards),
                        turns=d.deck.turns,
                        path=entry.path,
                    )
                )
            )
    return 0
