"""The TUI: startup, decision latency and peak memory, each against a bare Textual app (a
Header, a Static and a Footer) measured the same way in the same run.

- startup: process start until the first frame of the board of a new game on the default
  deck is composed (headless, 120×40), against the bare app's first frame; median of runs.
  Likewise the launcher (`wargame` with no command) until its first frame. Both as a user
  starts them after the first time: Python's bytecode cache written, the deck cache filled
  (by a warm-up run each, in a deck cache folder of this run's own); and the board on a
  first launch, whose deck cache is empty (reported, no target).
- decision latency: in the process, a key press choosing an option on the DecisionScreen
  until the next frame is composed (not Pilot's round trip, which adds fixed waits),
  against a key that updates one Static in the bare app; median and p95.
- memory: peak RSS of a process that plays a whole game through the app with Pilot, against
  the bare app started and pressed the same way.

"Composed" means the compositor rendered the frame and handed it to `App._display`, which a
real terminal would write; headless, nothing is written.

Run alone: `.venv/bin/python benchmarks/bench_tui.py`. With `--child KIND MODE` it is the
child process of a startup, latency or memory measurement.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from common import print_table, row  # noqa: E402

SIZE = (120, 40)
HERE = Path(__file__)


def bare_app() -> Any:
    """The baseline: a Header, a Static and a Footer, with keys 1-3 that update the Static."""
    from textual.app import App
    from textual.binding import Binding
    from textual.widgets import Footer, Header, Static

    class Bare(App[None]):
        BINDINGS = [Binding(k, f"pick({k})", f"Pick {k}") for k in "123"]

        def compose(self):
            yield Header()
            yield Static("No option picked yet", id="picked")
            yield Footer()

        def action_pick(self, key: str) -> None:
            self.query_one("#picked", Static).update(f"Chosen: option {key}")

    return Bare()


def wargame_app(saves: Path) -> Any:
    from wargame.store.decks import find_deck
    from wargame.tui.app import make_app

    return make_app(deck=find_deck(None)[0], saves=saves, seed=1)


def launcher_app(saves: Path) -> Any:
    from wargame.tui.app import make_app

    return make_app(saves=saves)


# The first frame each startup child waits for: the app and the screen it shows first.
STARTUP_APPS = {
    "bare": (lambda saves: bare_app(), None),
    "wargame": (wargame_app, "GameScreen"),
    "launcher": (launcher_app, "LauncherScreen"),
}


# --- startup ---------------------------------------------------------------------------


def child_startup(kind: str) -> None:
    """Print the wall-clock time (ns) at which the first frame of the screen the app opens
    on (the board, the launcher) is composed."""
    from wargame.tui.compat import on_frame

    make, want = STARTUP_APPS[kind]
    with tempfile.TemporaryDirectory() as tmp:
        app = make(Path(tmp))
        done: list[int] = []

        def frame(screen: Any) -> None:
            if not done and (want is None or type(screen).__name__ == want):
                done.append(time.time_ns())
                app.exit()

        on_frame(app, frame)
        app.run(headless=True, size=SIZE)
        if kind != "bare":
            app.close_saves()
    print(done[0] if done else -1)


def _child(kind: str, mode: str, env: dict[str, str] | None = None) -> str:
    # Memory children play without animations: the same widgets and frames, minus the
    # sleeping (a whole game by Pilot takes long enough as it is).
    if kind == "memory":
        env = {**(env or os.environ), "TEXTUAL_ANIMATIONS": "none"}
    out = subprocess.run(
        [sys.executable, str(HERE), "--child", kind, mode],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    return out.stdout.strip().splitlines()[-1]


def user_env(cache: Path) -> dict[str, str]:
    """A child's environment as a user's launch has it: bytecode caching on (pip writes
    .pyc files when it installs; only a development shell may switch them off) and a deck
    cache folder of this run's own."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "WARGAME_CACHE_DIR": str(cache)}


def startup_seconds(mode: str, env: dict[str, str] | None = None) -> float:
    start = time.time_ns()
    frame = int(_child("startup", mode, env))
    if frame < 0:
        raise RuntimeError(f"the {mode} app never composed its first frame")
    return (frame - start) / 1e9


STARTUP_ROWS = {
    "wargame": "startup (board drawn, headless)",
    "launcher": "startup (launcher drawn, headless)",
}


def measure_startup(runs: int = 5, modes: tuple[str, ...] = ("wargame", "launcher")):
    """One row per mode: the median of `runs` startups against the bare app's."""
    with tempfile.TemporaryDirectory() as cache:
        env = user_env(Path(cache))
        for mode in (*modes, "bare"):  # warm the file cache, .pyc files and deck cache
            startup_seconds(mode, env)
        times: dict[str, list[float]] = {mode: [] for mode in (*modes, "bare", "first")}
        for _ in range(runs):  # alternate, so the machine's load weighs on all alike
            for mode in times:
                if mode == "first":
                    with tempfile.TemporaryDirectory() as empty:
                        times[mode].append(startup_seconds("wargame", user_env(Path(empty))))
                else:
                    times[mode].append(startup_seconds(mode, env))
    b = statistics.median(times["bare"])
    f = statistics.median(times["first"])
    rows = []
    for mode in modes:
        o = statistics.median(times[mode])
        rows.append(
            row(
                STARTUP_ROWS[mode],
                f"{o * 1e3:.0f} ms",
                f"{b * 1e3:.0f} ms",
                o / b,
                "≤ 1.3×",
                o / b <= 1.3,
            )
        )
    rows.append(
        row(
            "startup, first launch (deck cache empty)",
            f"{f * 1e3:.0f} ms",
            f"{b * 1e3:.0f} ms",
            f / b,
            "report",
        )
    )
    return rows


# --- decision latency ------------------------------------------------------------------


async def _latencies(app: Any, prepare: Any, reset: Any, samples: int):
    """Seconds from a key reaching the app (as a terminal driver sends it) to the next
    composed frame, for `samples` presses cycling through the keys `prepare` returns."""
    from wargame.tui.compat import on_frame, send_key

    frame_at: list[float] = []
    composed = asyncio.Event()

    def frame(screen: Any) -> None:
        frame_at.append(time.perf_counter())
        composed.set()

    out = []
    async with app.run_test(size=SIZE) as pilot:
        keys = await prepare(pilot)
        on_frame(app, frame)
        for i in range(samples):
            await reset(pilot)
            await pilot.pause(0.03)  # let any frame from the reset go out first
            composed.clear()
            key = keys[i % len(keys)]
            start = time.perf_counter()
            send_key(app, key)
            await asyncio.wait_for(composed.wait(), timeout=5)
            out.append(frame_at[-1] - start)
    return out


async def wargame_latencies(samples: int) -> list[float]:
    from textual.widgets import OptionList

    from wargame.tui.screens.decide import DecisionScreen

    with tempfile.TemporaryDirectory() as tmp:
        app = wargame_app(Path(tmp))

        async def prepare(pilot: Any) -> list[str]:
            await pilot.pause()
            await pilot.press("enter")  # hand over to the first seat
            await pilot.press("enter")  # the seat is ready: its private decision screen
            await pilot.pause()
            assert isinstance(app.screen, DecisionScreen), app.screen
            # Only the numbers of this seat's options: each press picks a different one.
            return [str(i + 1) for i in range(len(app.screen.options))]

        async def reset(pilot: Any) -> None:
            app.screen.query_one(OptionList).focus()  # number keys pick options again

        try:
            return await _latencies(app, prepare, reset, samples)
        finally:
            app.close_saves()


async def bare_latencies(samples: int) -> list[float]:
    async def prepare(pilot: Any) -> list[str]:
        await pilot.pause()
        return ["1", "2", "3"]

    async def nothing(pilot: Any) -> None:
        pass

    return await _latencies(bare_app(), prepare, nothing, samples)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def child_latency(samples: str) -> None:
    """Print both apps' latencies as JSON: measured in a process of their own, so that
    the suite's other groups neither slow them nor are slowed by Textual's objects."""
    n = int(samples)
    print(json.dumps([asyncio.run(wargame_latencies(n)), asyncio.run(bare_latencies(n))]))


def measure_latency(samples: int = 40) -> list[list[str]]:
    with tempfile.TemporaryDirectory() as cache:
        ours, base = json.loads(_child("latency", str(samples), user_env(Path(cache))))
    om, bm = statistics.median(ours), statistics.median(base)
    return [
        row(
            "decision latency, median (120×40)",
            f"{om * 1e3:.1f} ms",
            f"{bm * 1e3:.1f} ms",
            om / bm,
            "≤ 16 ms",
            om <= 0.016,
        ),
        row(
            "decision latency, p95",
            f"{p95(ours) * 1e3:.1f} ms",
            f"{p95(base) * 1e3:.1f} ms",
            p95(ours) / p95(base),
            "report",
        ),
    ]


# --- memory ----------------------------------------------------------------------------


async def _play_whole_game() -> None:
    """A whole hot-seat game of the default deck through the app, by keys."""
    from wargame.tui.screens.ending import EndingScreen

    with tempfile.TemporaryDirectory() as tmp:
        app = wargame_app(Path(tmp))
        try:
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                game = app.screen.game
                while not game.state.ended:
                    if game.state.phase == "draw":
                        await pilot.press("enter")  # reveal
                    await pilot.press("enter")  # hand over
                    while game.pending:
                        await pilot.press("enter", "1", "ctrl+s")
                        await pilot.pause()
                    await pilot.press("enter")  # resolve
                    await pilot.pause()
                    await pilot.press("enter")  # close the resolution
                    await pilot.pause()
                assert isinstance(app.screen, EndingScreen), app.screen
        finally:
            app.close_saves()


async def _press_bare() -> None:
    app = bare_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"123" * 10)
        await pilot.pause()


def peak_rss_kib() -> int:
    """This process's peak resident set size. Linux's VmHWM starts afresh at exec, while
    getrusage's ru_maxrss would carry over the forking parent's peak."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS


def child_memory(kind: str) -> None:
    asyncio.run(_press_bare() if kind == "bare" else _play_whole_game())
    print(peak_rss_kib())


def measure_memory() -> list[str]:
    with tempfile.TemporaryDirectory() as cache:
        env = user_env(Path(cache))
        _child("startup", "wargame", env)  # fill the deck cache, as any launch after the first
        ours = int(_child("memory", "wargame", env)) / 1024
        base = int(_child("memory", "bare", env)) / 1024
    return row(
        "memory (peak RSS, whole game)",
        f"{ours:.0f} MiB",
        f"{base:.0f} MiB",
        ours / base,
        "≤ 1.5×",
        ours / base <= 1.5,
    )


def measure() -> list[list[str]]:
    return [*measure_startup(), *measure_latency(), measure_memory()]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, mode = args.child
        {"startup": child_startup, "memory": child_memory, "latency": child_latency}[kind](mode)
    else:
        print_table(measure())
