"""The crash test: SIGKILL a game process at 50 random moments, including mid-write, and
show after each kill that the save loads, replays, and holds every event the process had
reported as saved — compared event by event with the same game played in-process."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tests.saves_kill_child import MAX_EVENTS, play
from wargame.store.saves import list_saves, load_save

CHILD = Path(__file__).parent / "saves_kill_child.py"
DECK = Path(__file__).parent / "data" / "mini.toml"
SEED = 11
KILLS = 50


@dataclass
class Kill:
    reported: int  # events the child said were on disk before the kill
    saved: int  # events found in the save after the kill (0: no save yet)
    killed_mid_game: bool
    mid_write: bool  # a temporary file was left: the kill landed while a save was written


def _spawn(save: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(DECK), str(save), str(SEED)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _counts(lines: str) -> list[int]:
    return [int(x) for x in lines.split() if x.isdigit()]


def _calibrate(folder: Path) -> float:
    """Seconds the child takes from 'ready' to about 3/4 of its events: kills spread there."""
    proc = _spawn(folder / "calibrate.toml")
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        start = time.perf_counter()
        for line in proc.stdout:
            if line.strip().isdigit() and int(line) >= MAX_EVENTS * 3 // 4:
                break
        return time.perf_counter() - start
    finally:
        proc.kill()
        proc.wait()


def _kill_once(folder: Path, delay: float, reference: list) -> Kill:
    folder.mkdir()
    save = folder / "game.toml"
    proc = _spawn(save)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    out, err = proc.communicate()
    assert proc.returncode == -signal.SIGKILL, err
    reported = max(_counts(out), default=0)
    if not save.exists():
        # Killed before the first save finished: nothing had been reported as saved.
        assert reported == 0
        return Kill(reported, 0, "done" not in out, _temps(folder))
    loaded = load_save(save)  # loads and replays, or raises SaveError
    assert len(loaded.events) >= reported
    assert loaded.events == reference[: len(loaded.events)]
    assert loaded.game.state.seq == len(loaded.events)
    bak = save.with_name(save.name + ".bak")
    if bak.exists():
        older = load_save(bak)
        assert older.events == reference[: len(older.events)]
        assert len(older.events) <= len(loaded.events)  # equal if killed between the two renames
    # Temp files a kill left behind never show up as saves.
    assert [e.path.name for e in list_saves(folder)] == ["game.toml"]
    return Kill(reported, len(loaded.events), "done" not in out, _temps(folder))


def _temps(folder: Path) -> bool:
    return any(folder.glob(".*.tmp"))


def test_sigkill_at_50_random_moments_never_loses_a_saved_event(tmp_path, mini_deck):
    reference = play(mini_deck, SEED).events
    assert len(reference) == MAX_EVENTS
    span = _calibrate(tmp_path)
    rng = random.Random(20250301)
    # A third of the kills come within 20 ms of the start of play, while the first saves
    # are being written; the rest are spread over the game and its debrief.
    delays = [
        rng.uniform(0, 0.02) if rng.random() < 0.33 else rng.uniform(0, span) for _ in range(KILLS)
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        kills = list(
            pool.map(
                lambda i: _kill_once(tmp_path / f"kill-{i:02d}", delays[i], reference),
                range(KILLS),
            )
        )
    assert len(kills) == KILLS
    # The kills landed at many different points of the game, not all before or after it.
    assert len({k.saved for k in kills}) >= 10
    assert sum(k.killed_mid_game for k in kills) >= KILLS * 3 // 4
    assert sum(k.mid_write for k in kills) >= 5
