"""`wargame lint`, `wargame playtest`, `wargame simulate`: the deck author's commands.

The work is done by `lint`, `playtest` and `simulate` (plain Python, usable from tests and
scripts); this module only parses arguments and prints, with rich for tables and progress.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lint", help="check decks (as validate does), then warn about likely deck defects"
    )
    p.add_argument("decks", nargs="+", metavar="DECK", help="deck id or TOML path")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.set_defaults(func=cmd_lint)

    p = sub.add_parser("playtest", help="play scripted games on a deck and check their asserts")
    p.add_argument("deck", metavar="DECK", help="deck id or TOML path")
    p.add_argument("playtests", nargs="+", metavar="PLAYTEST", help="playtest TOML files")
    p.set_defaults(func=cmd_playtest)

    p = sub.add_parser("simulate", help="play many headless games and report on the balance")
    p.add_argument("deck", metavar="DECK", help="deck id or TOML path")
    p.add_argument("--games", type=_positive, default=1000, help="games to play (default 1000)")
    p.add_argument(
        "--policy",
        default="random",
        choices=POLICY_CHOICES,
        help="how the seats choose (default random; see `wargame simulate --help`)",
    )
    p.add_argument("--seed", type=int, default=1, help="seed of the whole run (default 1)")
    p.add_argument("--jobs", type=_positive, default=1, help="worker processes (default 1)")
    p.add_argument("--json", action="store_true", help="print the report as stable JSON")
    p.epilog = POLICY_HELP
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.set_defaults(func=cmd_simulate)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _deck_path(ref: str) -> Path:
    """The file of a deck given by id or path (DeckError if there is none)."""
    from wargame.store.decks import find_deck

    _, path = find_deck(ref)
    return path


def _deck_or_say_why(ref: str):  # -> Deck | None
    """The deck given by id or path, or None after printing every problem that stops it."""
    from wargame.store.decks import DeckError, find_deck

    try:
        return find_deck(ref)[0]
    except DeckError as exc:
        for problem in exc.problems:
            print(problem)
        return None


# --- lint ---------------------------------------------------------------------------------


def cmd_lint(args: argparse.Namespace) -> int:
    from wargame.author.lint import lint_file
    from wargame.store.decks import DeckError
    from wargame.store.files import exists

    errors = warned = 0
    for ref in args.decks:
        try:
            path = Path(ref) if exists(Path(ref)) else _deck_path(ref)
            _, warnings = lint_file(path)
        except DeckError as exc:
            errors += 1
            for problem in exc.problems:
                print(problem)
            continue
        except RecursionError:
            errors += 1
            print(f"{ref}: nested too deeply")
            continue
        for w in warnings:
            print(w)
        warned += bool(warnings)
        n = len(warnings)
        summary = f"{n} warning{'s' if n != 1 else ''}" if n else "ok — no warnings"
        print(f"{path}: {summary}", file=sys.stderr)
    return 1 if errors or (args.strict and warned) else 0


# --- playtest -----------------------------------------------------------------------------


def cmd_playtest(args: argparse.Namespace) -> int:
    from wargame.author.playtest import load_playtest, run_playtest
    from wargame.store.decks import DeckError

    deck = _deck_or_say_why(args.deck)
    if deck is None:
        return 1
    bad = 0
    for name in args.playtests:
        try:
            playtest = load_playtest(name, deck)
        except DeckError as exc:
            bad += 1
            for problem in exc.problems:
                print(problem)
            continue
        result = run_playtest(deck, playtest)
        if result.ok:
            print(f"{name}: ok — {result.turns} turns, {result.checks} checks passed")
        else:
            bad += 1
            for failure in result.failures:
                print(failure)
            print(f"{name}: FAILED — {len(result.failures)} of {result.checks} checks")
    return 1 if bad else 0


# --- simulate -----------------------------------------------------------------------------

POLICY_CHOICES = ["random", "cautious", "bold", "cooperative", "nationalist", "mixed"]
POLICY_HELP = """policies (how each seat picks an option, judged on the option's own effects):
  random       a seeded uniform choice
  cautious     the smallest total absolute change
  bold         the largest total absolute change
  cooperative  the largest sum of changes to trust meters
  nationalist  the largest gain in the seat's own meters (a meter's seat, or opinion.SEAT)
  mixed        each seat plays one of the five above, drawn at random per game
ties go to the option listed first in the deck; every policy picks only among the options
open to it (schema 2: requires, unavailable_when, cost), and play continues past
checkpoints."""


def cmd_simulate(args: argparse.Namespace) -> int:
    from wargame.author.simulate import simulate

    deck = _deck_or_say_why(args.deck)
    if deck is None:
        return 1
    show_progress = not args.json and sys.stderr.isatty()
    if show_progress:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
            # No refresh thread: worker processes are forked, which threads make unsafe.
            auto_refresh=False,
        ) as bar:
            task = bar.add_task(f"simulating {deck.id}", total=args.games)

            def advance(n: int) -> None:
                bar.advance(task, n)
                bar.refresh()

            report = simulate(
                deck,
                games=args.games,
                policy=args.policy,
                seed=args.seed,
                jobs=args.jobs,
                progress=advance,
            )
    else:
        report = simulate(
            deck, games=args.games, policy=args.policy, seed=args.seed, jobs=args.jobs
        )
    if args.json:
        print(json.dumps(report, sort_keys=True, indent=2, ensure_ascii=False))
    else:
        _print_report(deck, report)
    return 0


def _print_report(deck, report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    run = report["run"]
    from rich.text import Text

    from wargame.cli.common import visible

    console.print(  # the title as text: deck text is never rich markup
        Text.assemble(
            (visible(deck.deck.title), "bold"),
            f" — {run['games']} games, policy {run['policy']}, seed {run['seed']}",
        )
    )

    t = Table(title="Outcomes")
    for col in ("outcome", "games", "share", "turn: min", "median", "max"):
        t.add_column(col, justify="left" if col == "outcome" else "right")

    def named(title: str, ident: str) -> Text:
        """The deck's words for people, its id (dim) for the author who edits the file."""
        return Text.assemble(visible(title), "\n", (ident, "dim"))

    endings = {e.id: e.title for e in deck.endings}
    for o in report["outcomes"]:
        outcome = o["outcome"]
        t.add_row(
            named(endings[outcome], outcome) if outcome in endings else outcome,
            str(o["games"]),
            _pct(o["share"]),
            str(o["turn"]["min"]),
            _num(o["turn"]["median"]),
            str(o["turn"]["max"]),
        )
    console.print(t)

    t = Table(title="Final meters")
    for col in ("meter", "min", "q1", "median", "q3", "max", "mean", "at min", "at max"):
        t.add_column(col, justify="left" if col == "meter" else "right")
    for meter_id, m in report["meters"].items():
        t.add_row(
            named(deck.meter(meter_id).label, meter_id),
            str(m["min"]),
            _num(m["q1"]),
            _num(m["median"]),
            _num(m["q3"]),
            str(m["max"]),
            _num(m["mean"]),
            _pct(m["at_min"]),
            _pct(m["at_max"]),
        )
    console.print(t)

    t = Table(title="Cards drawn")
    for col in ("card", "games", "share"):
        t.add_column(col, justify="left" if col == "card" else "right")
    for card_id, c in report["cards"].items():
        t.add_row(named(deck.card(card_id).title, card_id), str(c["drawn"]), _pct(c["share"]))
    console.print(t)

    t = Table(title="Options: pick rate, and average change to each meter when picked")
    t.add_column("card/seat/option", no_wrap=True)
    t.add_column("picks", justify="right")
    t.add_column("rate", justify="right")
    t.add_column("average effect")
    order = {m.id: i for i, m in enumerate(deck.meters)}
    for o in report["options"]:
        effects = sorted(o["effect"].items(), key=lambda kv: order.get(kv[0], 0))
        t.add_row(
            f"{o['card']}/{o['seat']}/{o['option']}",
            str(o["picks"]),
            _pct(o["rate"]),
            ", ".join(f"{m} {_signed(v)}" for m, v in effects),
        )
    console.print(t)

    if "phases" in report:
        _print_crisis(console, report)

    s = report["suspects"]
    lines = [
        *(f"card {c}: never drawn" for c in s["cards_never_drawn"]),
        *(f"option {o}: every scripted policy picks it" for o in s["options_always_chosen"]),
        *(f"option {o}: never chosen" for o in s["options_never_chosen"]),
        *(
            f"meter {p['meter']}: ends at its {p['bound']} in {_pct(p['share'])} of games"
            for p in s["meters_pinned"]
        ),
    ]
    console.print("[bold]Suspects[/bold]" if lines else "[bold]Suspects[/bold]: none")
    for line in lines:
        console.print(f"  • {line}", highlight=False)


def _print_crisis(console, report: dict) -> None:
    """The schema-2 part: phases, red cell, flags, checkpoints, objectives."""
    from rich.table import Table

    t = Table(title="Crisis: share of games")
    t.add_column("what")
    t.add_column("id")
    t.add_column("share", justify="right")
    for phase, share in report["phases"].items():
        t.add_row("phase reached", phase, _pct(share))
    red = report["red_cell"]
    for rule, share in red["rules"].items():
        t.add_row("red cell fired", rule, _pct(share))
    for actor, share in red["actors"].items():
        t.add_row("red-cell move by", actor, _pct(share))
    t.add_row("red-cell move", "any", _pct(red["games_with_a_move"]))
    for flag, share in report["flags"].items():
        t.add_row("flag set", flag, _pct(share))
    for ending, share in report["checkpoints"].items():
        t.add_row("checkpoint reached", ending, _pct(share))
    for objective, o in report["objectives"].items():
        t.add_row("objective exercised (full games)", objective, _pct(o["full_games"]))
    console.print(t)
    m = red["moves_per_game"]
    console.print(
        f"red-cell moves per game: min {m['min']}, median {_num(m['median'])}, "
        f"max {m['max']}, mean {_num(m['mean'])}; full games: {report['full_games']}",
        highlight=False,
    )


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def _num(x: float) -> str:
    return f"{x:g}"


def _signed(x: float) -> str:
    return f"{x:+.2f}".rstrip("0").rstrip(".")
