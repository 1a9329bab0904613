"""Saving: median time per autosave of a game with 10 to 10,000 events, against a
baseline that writes the same bytes atomically (temp file, fsync, os.replace) in the same
run and folder. Three figures per size:

- write_save: a cold save (every event serialized, the .bak kept);
- autosave: one more event through `Autosaver`, waiting for it to reach the disk
  (the cached path: only the new event is serialized);
- handover: what the UI thread pays per event (snapshot + hand-over to the writer thread).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from common import median_time, print_table, row  # noqa: E402

from wargame.engine import Game, Hotwash  # noqa: E402
from wargame.model.deck import Deck  # noqa: E402
from wargame.store.decks import DeckError, find_deck, load_deck  # noqa: E402
from wargame.store.saves import Autosaver, Renderer, write_save  # noqa: E402

SIZES = (10, 100, 1000, 10_000)


def load_any_deck() -> Deck:
    try:
        return find_deck(None)[0]
    except DeckError:
        return load_deck(Path(__file__).parent.parent / "tests" / "data" / "mini.toml")


def game_with(deck: Deck, events: int) -> Game:
    """A played game (choices by seat order) padded with hot-wash entries to `events`."""
    game = Game.start(deck, seed=1, at="2025-03-01T09:00:00+09:00")
    while not game.state.ended and len(game.events) < events - 6:
        game.draw(at="2025-03-01T09:01:00+09:00")
        for i, seat in enumerate(game.pending):
            option = game.card.options_for(seat)[i % len(game.card.options_for(seat))]
            game.decide(seat, option.id, f"{seat} rationale for {option.label}", seconds=41.5)
        game.resolve(at="2025-03-01T09:05:00+09:00")
    if not game.state.ended:
        game.end("benchmark")
    while len(game.events) < events:
        game.apply(Hotwash(entry="improvement", text=f"debrief point {len(game.events)}"))
    return game


def baseline_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".base.", suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def fmt(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms" if seconds >= 1e-3 else f"{seconds * 1e6:.0f} µs"


def interleaved(fns: dict[str, Callable[[], object]], rounds: int = 31) -> dict[str, float]:
    """Median seconds per call of each function, measured in alternation so that the
    machine's load at any moment weighs on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for fn in fns.values():
        fn()  # warm up
    for _ in range(rounds):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def measure(deck: Deck, folder: Path, n: int) -> list[list[str]]:
    game = game_with(deck, n)
    path = folder / f"game-{n}.toml"
    data = Renderer(deck).render(path, game.events)
    saver = Autosaver(folder / f"auto-{n}.toml", deck).attach(game)
    saver.flush()

    def one_autosave() -> None:
        game.note("a facilitator's note")  # the listener hands the log over
        saver.flush()  # ...and we wait until it is on disk

    def handover() -> None:
        saver(game, [])

    t = interleaved(
        {
            "base": lambda: baseline_write(folder / f"base-{n}.toml", data),
            "cold": lambda: write_save(path, deck, game.events),
            "auto": one_autosave,
        }
    )
    game.listeners.remove(saver)
    hand = median_time(handover, repeat=15, number=20)
    saver.close()
    base = t["base"]
    return [
        row(f"write_save, {n:,} events", fmt(t["cold"]), fmt(base), t["cold"] / base, "—"),
        row(
            f"autosave, {n:,} events",
            fmt(t["auto"]),
            fmt(base),
            t["auto"] / base,
            "≤ 2×",
            t["auto"] / base <= 2,
        ),
        row(f"UI handover, {n:,} events", fmt(hand), fmt(base), hand / base, "< 1 ms"),
    ]


def measure_all(detail: bool = True) -> list[list[str]]:
    """Rows for 10, 100, 1,000 and 10,000 events (a long game under load: a save of a few
    megabytes, written again after every event); without `detail`, only the autosave rows."""
    deck = load_any_deck()
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
        for n in SIZES:
            rows += [r for r in measure(deck, Path(tmp), n) if detail or r[0].startswith("auto")]
    return rows


def main() -> None:
    deck = load_any_deck()
    print(f"deck: {deck.id} ({len(deck.cards)} cards); baseline: same bytes, temp+fsync+replace")
    print_table(measure_all())


if __name__ == "__main__":
    main()
