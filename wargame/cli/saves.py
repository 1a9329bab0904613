"""`wargame saves`, `wargame replay`, `wargame resume`, `wargame restore`: saved games from
the command line. Every failure is one line naming the file; exit status 1."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING

from wargame.cli.common import (
    add_saves_option,
    add_turn_minutes_option,
    console,
    fail,
    pad,
    visible,
)
from wargame.i18n import _

if TYPE_CHECKING:
    from wargame.store.saves import LoadedSave, SaveEntry


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("saves", help="list saved games (deck, turn, teams, state)")
    add_saves_option(p)
    p.set_defaults(func=cmd_saves)

    p = sub.add_parser("replay", help="replay and verify a save; print a summary")
    p.add_argument("save", metavar="SAVE", help="save file (or its name in the saves folder)")
    add_saves_option(p)
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("resume", help="continue a saved game (default: the most recent)")
    p.add_argument("save", metavar="SAVE", nargs="?", help="save file or name (default: latest)")
    how = p.add_mutually_exclusive_group()
    how.add_argument(
        "--read-only",
        action="store_true",
        help="if the save is open in another process, look at it without saving",
    )
    how.add_argument(
        "--copy",
        action="store_true",
        help="if the save is open in another process, continue in a copy of it",
    )
    add_saves_option(p)
    add_turn_minutes_option(p)
    p.set_defaults(func=cmd_resume)

    p = sub.add_parser("restore", help="put a damaged save's .bak back in its place")
    p.add_argument("save", metavar="SAVE", help="the damaged save file (or its name)")
    add_saves_option(p)
    p.set_defaults(func=cmd_restore)


# --- saves ------------------------------------------------------------------------------


def _when(stamp: str) -> str:
    try:
        t = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return t.strftime("%Y-%m-%d %H:%M")  # the wall-clock time where the game was played


def _state(e: SaveEntry) -> str:
    if not e.ok:
        hint = ""
        if e.bak_ok:
            hint = _(" — a good backup exists: wargame restore {path}").format(path=e.path)
        elif e.has_bak:
            hint = _(" — its .bak is damaged too")
        return _("damaged: {error}{hint}").format(error=e.error, hint=hint)
    return _("ended: {ending}").format(ending=e.ending) if e.ended else _("in play")


def cmd_saves(args: argparse.Namespace) -> int:
    """One block per save: the file and its state, then what it is, then its teams. Lines
    are never broken by us (soft wrap), so the list reads at 80 columns and greps whole."""
    from rich.text import Text

    from wargame.store.saves import SaveError, list_saves, saves_dir

    try:
        directory = saves_dir(getattr(args, "saves", None))
    except SaveError as exc:
        return fail(exc)
    entries = list_saves(directory)
    out = console()
    if not entries:
        out.print(Text(visible(_("No saves in {directory}").format(directory=directory))))
        return 0
    out.print(Text(visible(_("Saves in {directory}").format(directory=directory)), style="bold"))
    for e in entries:
        style = "red" if not e.ok else ("dim" if e.ended else "")
        out.print()
        out.print(Text.assemble((visible(e.path.name), "bold"), " — ", (visible(_state(e)), style)))
        facts = [
            e.title or e.deck_id,
            _("turn {turn}/{turns}").format(turn=e.turn, turns=e.turns) if e.ok else "",
            e.mode,
            _("last played {when}").format(when=_when(e.last_played)) if e.last_played else "",
        ]
        if any(facts):  # a damaged save may tell nothing about itself
            out.print(Text(visible("  " + " · ".join(f for f in facts if f)), style=style))
        if e.teams:
            teams = ", ".join(f"{seat}: {name}" for seat, name in e.teams.items())
            out.print(Text(visible(_("  teams: {teams}").format(teams=teams))))
    return 0


# --- replay -----------------------------------------------------------------------------


def summary(loaded: LoadedSave) -> list[str]:
    """The lines `wargame replay` prints about a verified save (control characters in the
    deck's and the save's text made visible, columns aligned in display cells)."""
    from rich.cells import cell_len

    deck, state = loaded.deck, loaded.game.state
    lines = [
        _("{path}: verified — {count} events replay exactly").format(
            path=loaded.path, count=len(loaded.events)
        ),
        _("deck: {title} ({id})").format(title=deck.deck.title, id=deck.id),
        _("turns played: {count} of {turns}").format(count=len(state.played), turns=state.turns),
        _("decisions: {count}").format(count=len(state.chosen)),
    ]
    out = state.outcome
    if out is None:
        pending = ", ".join(sorted(state.decisions)) or _("none")
        lines.append(
            _("ending: none yet — in play, turn {turn} ({phase}; decided: {pending})").format(
                turn=state.turn, phase=state.phase, pending=pending
            )
        )
    else:
        lines.append(
            _("ending: {title} (turn {turn}). {text}")
            .format(title=out.title, turn=out.turn, text=out.text)
            .rstrip()
        )
    lines = [visible(line) for line in lines]
    lines.append(_("final meters:"))
    labels = {m.id: visible(m.label) for m in deck.meters}
    width = max(cell_len(label) for label in labels.values())
    for m in deck.meters:
        value = state.meters[m.id]
        lines.append(f"  {pad(labels[m.id], width)}  {value:>4}  {visible(m.band(value))}")
    return lines


def cmd_replay(args: argparse.Namespace) -> int:
    from wargame.store.saves import SaveError, find_save, load_save

    try:
        loaded = load_save(find_save(args.save, getattr(args, "saves", None)))
    except SaveError as exc:
        return fail(exc)
    out = console()
    for line in summary(loaded):
        out.print(line)
    return 0


# --- resume and restore -----------------------------------------------------------------


def cmd_resume(args: argparse.Namespace) -> int:
    from wargame.store.files import is_regular
    from wargame.store.saves import (
        SaveError,
        bak_of,
        find_save,
        latest_save,
        load_save,
        saves_dir,
        who_holds,
    )

    override = getattr(args, "saves", None)
    try:
        directory = saves_dir(override)
        if args.save:
            path = find_save(args.save, override)
        else:
            found = latest_save(directory)
            if found is None:
                return fail(
                    _("no saves in {directory}; start one with `wargame play`").format(
                        directory=directory
                    )
                )
            path = found
        load_save(path)
    except SaveError as exc:
        hint = ""
        if is_regular(bak_of(exc.path)):
            hint = _("\nwargame: a backup exists; try `wargame restore {path}`").format(
                path=exc.path
            )
        return fail(f"{exc}{hint}")
    holder = who_holds(path)
    if holder is not None and not (args.read_only or args.copy):
        return fail(
            _(
                "{path}: is open in {holder}\nwargame: look at it with `wargame resume {path} "
                "--read-only`, or continue in a copy with `--copy`"
            ).format(path=path, holder=holder)
        )
    from wargame.tui.app import run_app

    how = {"open_as": "read-only"} if args.read_only else {"open_as": "copy"} if args.copy else {}
    if args.turn_minutes is not None:
        how["turn_minutes"] = args.turn_minutes
    return int(run_app(resume=path, saves=directory, **how) or 0)


def cmd_restore(args: argparse.Namespace) -> int:
    from wargame.store.saves import SaveError, find_save, restore_backup

    try:
        loaded = restore_backup(find_save(args.save, getattr(args, "saves", None)))
    except SaveError as exc:
        return fail(exc)
    state = loaded.game.state
    print(
        _(
            "{path}: restored from its .bak ({count} events, turn {turn} of {turns}); "
            "the damaged version is kept beside it as .damaged"
        ).format(path=loaded.path, count=len(loaded.events), turn=state.turn, turns=state.turns)
    )
    return 0
