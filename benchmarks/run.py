"""The benchmark suite: every figure of the performance table, each against a baseline
measured in the same run, so that the ratio holds on a noisy machine.

    .venv/bin/python benchmarks/run.py            # the whole table (under two minutes)
    .venv/bin/python benchmarks/run.py engine deck  # only some groups

Groups: startup, latency, engine, deck, autosave, export, memory, remote, validate. Each
bench_*.py script also runs alone, with more detail.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench_autosave  # noqa: E402
import bench_deck_load  # noqa: E402
import bench_engine  # noqa: E402
import bench_export  # noqa: E402
import bench_remote  # noqa: E402
import bench_tui  # noqa: E402
import bench_validate  # noqa: E402
from common import print_table  # noqa: E402

# The TUI figures are measured in child processes (bench_tui.py --child ...), so this
# process never imports Textual and the in-process groups run as they would alone.
GROUPS: dict[str, Callable[[], list[list[str]]]] = {
    "startup": bench_tui.measure_startup,
    "latency": bench_tui.measure_latency,
    "engine": lambda: [bench_engine.measure()],
    "deck": lambda: [bench_deck_load.measure(repeat=3)],
    "autosave": lambda: bench_autosave.measure_all(detail=False),
    "export": lambda: [bench_export.measure_total()],
    "memory": lambda: [bench_tui.measure_memory()],
    "remote": lambda: bench_remote.measure(200),
    "validate": bench_validate.measure,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*", choices=[*GROUPS, []], help="default: all")
    args = parser.parse_args()
    chosen = args.groups or list(GROUPS)
    print(
        f"wargame benchmarks · Python {platform.python_version()} · {os.cpu_count()} CPUs · "
        f"ratio = measured / baseline, both measured in this run",
        flush=True,
    )
    rows: list[list[str]] = []
    start = time.perf_counter()
    for name in chosen:
        # Each group starts with the collector's work of earlier groups out of its way, as
        # when its script runs alone.
        gc.collect()
        gc.freeze()
        began = time.perf_counter()
        rows += GROUPS[name]()
        print(f"  {name}: {time.perf_counter() - began:.1f} s", file=sys.stderr)
    print()
    print_table(rows)
    missed = [r[0] for r in rows if r[-1] == "NO"]
    print(f"\n{len(rows)} figures in {time.perf_counter() - start:.0f} s; ", end="")
    print(f"targets missed: {', '.join(missed)}" if missed else "every target met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
