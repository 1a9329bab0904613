"""Small timing helpers shared by the benchmarks: medians of repeated runs, and a table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_time(fn: Callable[[], object], repeat: int = 7, number: int = 1) -> float:
    """Median seconds per call of `fn` over `repeat` rounds of `number` calls."""
    fn()  # warm up caches and imports
    rounds = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        rounds.append((time.perf_counter() - start) / number)
    return statistics.median(rounds)


def row(
    name: str, measured: str, baseline: str, ratio: float, target: str, met: bool | None = None
) -> list[str]:
    """One line of the table; `met` says whether the target is met (None: nothing to meet)."""
    verdict = "" if met is None else ("yes" if met else "NO")
    return [name, measured, baseline, f"{ratio:.2f}×", target, verdict]


def print_table(rows: list[list[str]]) -> None:
    header = ["figure", "measured", "baseline", "ratio", "target", "met"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())
