"""Make the format-1 test saves in this folder and record their exports.

The checked-in files were made by this script at commit 0caf1cb, the last commit that
wrote save format 1; they are the record that old saves open, replay and export
byte-identically after migration (`tests/test_saves_migrate.py`). To remake them, run it
at that commit (the games below use only the `Game` API, which has not changed):

    git worktree add /tmp/v1 0caf1cb && cp tests/data/saves/make_v1_saves.py /tmp/v1/ \
        && (cd /tmp/v1 && .venv/bin/python make_v1_saves.py OUT_DIR)

Run at a later commit it writes that commit's format instead (the tests play the same
games through `play_undo` and `play_one_turn` to check a current save round-trips).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from wargame.engine import Game, Hotwash, Timer
from wargame.store.decks import find_deck
from wargame.store.saves import write_save

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
START = datetime.fromisoformat("2025-06-02T09:00:00+00:00")
FORMATS = ("md", "html", "json", "csv")
# The default deck as it was when these saves were made (schema 1, before Fault Lines v2):
# the games below replay on it, so today's exports can be compared with the recorded ones.
V1_DECK = HERE / "fault-lines-v1.toml"


class _Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self, minutes: float = 1) -> str:
        self.now += timedelta(minutes=minutes)
        return self.now.isoformat()


def _decide_all(game: Game, at: _Clock, pick: int = 0) -> None:
    """Every pending seat takes its option number `pick` (wrapping), with a rationale."""
    card = game.card
    assert card is not None
    for seat in game.pending:
        options = card.options_for(seat)
        option = options[pick % len(options)]
        game.decide(
            seat,
            option.id,
            f"{seat} picks {option.label} ({pick}).",
            seconds=60.0 + pick,
            at=at(2),
        )


def play_undo() -> Game:
    """Six planned turns ended early by the facilitator, with an undo of every kind: an
    adjudication, a resolution (decided again, differently), and a resolution undone after
    a skip; plus a note, the timer and a hot wash."""
    deck, _ = find_deck(str(V1_DECK))
    at = _Clock()
    game = Game.start(deck, seed=7, turns=6, mode="open", at=START.isoformat())
    game.draw(at=at())
    _decide_all(game, at, 0)
    game.resolve(at=at())
    game.adjudicate("trust.ROK-JPN", "White Cell: a leaked cable", delta=-6, at=at())
    game.undo(at=at())  # the adjudication
    game.adjudicate("opinion.US", "White Cell: a congressional hearing", delta=4, at=at())
    game.draw(at=at())
    game.apply(Timer(action="pause", at=at()))
    game.apply(Timer(action="extend", seconds=120, at=at()))
    _decide_all(game, at, 1)
    game.resolve(at=at())
    game.undo(at=at())  # the resolution: the card is back on the table
    _decide_all(game, at, 2)
    game.resolve(at=at())
    game.draw(at=at())
    game.skip("not this seminar's question", at=at())
    game.draw(at=at())
    _decide_all(game, at, 1)
    game.resolve(at=at())
    game.note("Teams asked for a map of the UNC–Rear bases.", at=at())
    game.undo(at=at())  # the resolution after the skip
    _decide_all(game, at, 0)
    game.resolve(at=at())
    assert not game.state.ended
    game.end("The room ran out of time.", at=at())
    game.apply(Hotwash(entry="improvement", text="Undo was needed twice.", seat="US", at=at()))
    game.apply(Hotwash(entry="action", text="Rehearse the adjudication rules.", at=at()))
    return game


def play_one_turn() -> Game:
    """A one-turn game that runs its full turn, is undone from the ending and resolved
    again: format 1 wrote its end as "ran its full 1 turns"."""
    deck, _ = find_deck(str(V1_DECK))
    at = _Clock()
    game = Game.start(deck, seed=3, turns=1, at=START.isoformat())
    game.draw(at=at())
    _decide_all(game, at, 0)
    game.resolve(at=at())
    assert game.state.ended
    game.undo(at=at())  # the resolution that ended the game
    _decide_all(game, at, 1)
    game.resolve(at=at())
    assert game.state.ended
    return game


def write(out: Path) -> list[Path]:
    """Write the saves (and the example's copy) into `out`, each with its four exports."""
    out.mkdir(parents=True, exist_ok=True)
    saves = []
    for name, play in (("v1-undo", play_undo), ("v1-one-turn", play_one_turn)):
        game = play()
        path = out / f"{name}.toml"
        write_save(path, game.deck, game.events)
        path.with_name(path.name + ".bak").unlink(missing_ok=True)
        saves.append(path)
    example = out / "v1-example-fault-lines.toml"
    shutil.copyfile(ROOT / "saves" / "example-fault-lines.toml", example)
    saves.append(example)
    for path in saves:
        for fmt in FORMATS:
            target = path.with_name(f"{path.stem}.aar.{fmt}")
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "wargame",
                    "export",
                    str(path),
                    "-f",
                    fmt,
                    "-o",
                    str(target),
                ],
                check=True,
                capture_output=True,
            )
    return saves


if __name__ == "__main__":
    for p in write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(p)
