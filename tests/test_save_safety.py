"""Never lose a game (issue 13): a save is locked while it is open, so a second process is
refused or opens it read-only; a failed autosave is a lasting state with retry and a new
place to save to; and quitting with events not on disk asks first."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wargame.cli import main
from wargame.engine import Game
from wargame.store import autosave
from wargame.store.saves import (
    Autosaver,
    SaveLock,
    SaveLocked,
    load_save,
    lock_save,
    who_holds,
    write_save,
)

ROOT = Path(__file__).parent.parent

# A second process that opens the save as the app does (lock, load, autosave), adds events,
# waits for a line on stdin, adds more and closes.
HOLDER = """
import sys
from pathlib import Path
from wargame.store.saves import Autosaver, load_save, lock_save
path = Path(sys.argv[1])
lock = lock_save(path)
game = load_save(path).game
saver = Autosaver(path, game.deck, lock=lock).attach(game)
for i in range(5):
    game.note(f"held {i}")
saver.flush()
print(len(game.events), flush=True)
sys.stdin.readline()
for i in range(5):
    game.note(f"later {i}")
saver.close()
print(len(game.events), flush=True)
"""


@pytest.fixture
def save(tmp_path, mini_deck) -> Path:
    path = tmp_path / "game.toml"
    game = Game.start(mini_deck, seed=3)
    game.draw("neo")
    write_save(path, mini_deck, game.events)
    return path


@pytest.fixture
def holder(save):
    """Another process with the save open; yields it and the events it has on disk."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(save)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stdin is not None
    count = int(proc.stdout.readline())
    yield proc, count
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def finish(proc: subprocess.Popen) -> int:
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("go\n")
    proc.stdin.flush()
    total = int(proc.stdout.readline())
    assert proc.wait(timeout=60) == 0
    return total


# --- the lock ---------------------------------------------------------------------------


def test_a_second_process_is_refused_and_no_event_is_lost(save, holder, fake_tui, capsys):
    proc, count = holder
    with pytest.raises(SaveLocked) as caught:
        lock_save(save)
    assert caught.value.holder is not None and caught.value.holder.pid == proc.pid
    who = who_holds(save)
    assert who is not None and who.pid == proc.pid and who.host and who.since
    # `wargame resume` is told who holds it, and does not open the game.
    assert main(["resume", str(save)]) == 1
    err = capsys.readouterr().err
    assert f"is open in process {proc.pid} on " in err and "--read-only" in err
    assert fake_tui == []
    # Read-only opens it, and its autosaver writes nothing over the holder's save.
    assert main(["resume", str(save), "--read-only", "--saves", str(save.parent)]) == 0
    assert fake_tui == [{"resume": save, "saves": save.parent, "open_as": "read-only"}]
    game = load_save(save).game
    assert len(game.events) == count
    peek = Autosaver(save, game.deck, read_only="open elsewhere").attach(game)
    game.note("typed in the read-only window")
    peek.close()
    status = peek.status()
    assert status.unsaved == 1 and status.first_unsaved == count + 1
    assert status.error and "read-only" in status.error
    # The holder goes on and closes: every one of its events is on disk.
    total = finish(proc)
    assert len(load_save(save).events) == total == count + 5
    assert who_holds(save) is None
    lock_save(save).release()


def test_a_lock_left_by_a_crash_is_taken_over(save):
    lock = lock_save(save)
    lock._lock.release()  # as the kernel does when the holder dies (the record stays)
    record = save.with_name(f".{save.name}.holder")
    data = json.loads(record.read_text())
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    data["pid"] = int(dead.stdout)
    record.write_text(json.dumps(data))
    assert who_holds(save) is None
    again = SaveLock(save).acquire()
    assert again.held and again.stale is not None and again.stale.pid == data["pid"]
    assert not again.stale.alive()
    assert json.loads(record.read_text())["pid"] == os.getpid()
    again.release()
    assert not record.exists()


def test_a_folder_without_room_for_a_lock_still_opens(save, monkeypatch):
    import filelock

    def refuse(self, *a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(filelock.FileLock, "acquire", refuse)
    lock = SaveLock(save).acquire()
    assert not lock.held
    lock.release()


# --- autosave failures ------------------------------------------------------------------


@pytest.fixture
def disk_full(monkeypatch):
    """The autosaver's writes fail with ENOSPC while `state["full"]` is true."""
    state = {"full": True}
    real = autosave.atomic_write

    def write(path, data, backup=True):
        if state["full"]:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, data, backup)

    monkeypatch.setattr(autosave, "atomic_write", write)
    return state


def test_the_autosaver_reports_status_and_retries(tmp_path, mini_deck, disk_full):
    seen = []
    game = Game.start(mini_deck, seed=2)
    disk_full["full"] = False
    saver = Autosaver(tmp_path / "g.toml", mini_deck, on_status=seen.append).attach(game)
    saver.flush()
    assert saver.status().saved == 1 and saver.status().ok
    disk_full["full"] = True
    game.note("one")
    game.note("two")
    saver.flush()
    status = saver.status()
    assert status.handed == 3 and status.saved == 1 and status.unsaved == 2
    assert status.first_unsaved == 2
    assert status.error == f"{tmp_path / 'g.toml'}: could not save (no space left on device)"
    assert seen[-1] == status
    disk_full["full"] = False
    saver.retry()
    saver.flush()
    assert saver.status().ok and saver.status().unsaved == 0
    assert load_save(tmp_path / "g.toml").events == game.events
    saver.close()


def test_the_autosaver_moves_to_a_new_place(tmp_path, mini_deck, disk_full):
    game = Game.start(mini_deck, seed=2)
    saver = Autosaver(tmp_path / "g.toml", mini_deck).attach(game)
    game.note("lost?")
    saver.flush()
    assert saver.status().unsaved == 2
    disk_full["full"] = False
    (tmp_path / "other").mkdir()
    new = tmp_path / "other" / "g.toml"
    lock = lock_save(new)
    status = saver.move_to(new, lock)
    assert status.ok and status.unsaved == 0 and status.path == new
    game.note("after the move")
    saver.close()
    assert load_save(new).events == game.events
    assert not lock.held  # closing the saver gave its lock back


# --- on the board -----------------------------------------------------------------------


async def settle(pilot, check, tries: int = 100) -> bool:
    for _ in range(tries):
        if check():
            return True
        await pilot.pause(0.02)
    return check()


async def test_a_locked_save_opens_read_only_and_quitting_asks(save, mini_deck):
    from tests.tui_helpers import app_for, screen_text
    from wargame.tui.screens.game import GameScreen
    from wargame.tui.screens.saving import LockedDialog, UnsavedQuitDialog

    before = save.read_bytes()
    other = lock_save(save)  # another window of this program has it open
    try:
        app = app_for(save.parent, resume=save)
        async with app.run_test(size=(120, 40)) as pilot:
            assert await settle(pilot, lambda: isinstance(app.screen, LockedDialog))
            assert "open in process" in screen_text(app)
            await pilot.click("#locked-read-only")
            assert await settle(pilot, lambda: isinstance(app.screen, GameScreen))
            assert await settle(pilot, lambda: "READ-ONLY" in screen_text(app))
            app.screen.game.note("a note nobody will save")
            assert await settle(pilot, lambda: "NOT SAVED since event 3" in screen_text(app))
            await pilot.press("ctrl+q")
            assert await settle(pilot, lambda: isinstance(app.screen, UnsavedQuitDialog))
            await pilot.click("#unsaved-quit")
            await pilot.pause()
        assert app.return_code == 1
        app.close_saves()
    finally:
        other.release()
    assert save.read_bytes() == before  # the holder's save is untouched


async def test_a_locked_save_can_continue_in_a_copy(save, mini_deck):
    from tests.tui_helpers import app_for
    from wargame.tui.screens.game import GameScreen
    from wargame.tui.screens.saving import LockedDialog

    other = lock_save(save)
    try:
        app = app_for(save.parent, resume=save)
        async with app.run_test(size=(120, 40)) as pilot:
            assert await settle(pilot, lambda: isinstance(app.screen, LockedDialog))
            await pilot.click("#locked-copy")
            assert await settle(pilot, lambda: isinstance(app.screen, GameScreen))
            app.screen.game.note("in the copy")
            await pilot.press("ctrl+q")
            await pilot.pause()
        app.close_saves()
    finally:
        other.release()
    copies = [p for p in save.parent.glob("*.toml") if p != save]
    assert len(copies) == 1
    assert load_save(copies[0]).events[-1].text == "in the copy"
    assert len(load_save(save).events) == len(load_save(copies[0]).events) - 1


async def test_a_full_disk_mid_game_shows_on_the_board_and_quitting_asks(
    tmp_path, mini_deck, disk_full
):
    from tests.tui_helpers import app_for, screen_text
    from wargame.tui.screens.game import GameScreen
    from wargame.tui.screens.saving import UnsavedQuitDialog

    disk_full["full"] = False
    app = app_for(tmp_path, deck=mini_deck, seed=2)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await settle(pilot, lambda: isinstance(app.screen, GameScreen) and app.autosavers)
        board = app.screen
        saver = app.autosavers[-1]
        saver.flush()
        on_disk = saver.status().saved
        assert on_disk == len(board.game.events)
        disk_full["full"] = True
        board.game.note("written while the disk is full")
        assert await settle(pilot, lambda: "NOT SAVED since event" in screen_text(app))
        assert f"NOT SAVED since event {on_disk + 1}" in screen_text(app)
        assert "no space left on device" in screen_text(app)
        await pilot.press("ctrl+q")  # asks, and Esc stays in the game
        assert await settle(pilot, lambda: isinstance(app.screen, UnsavedQuitDialog))
        await pilot.press("escape")
        assert await settle(pilot, lambda: app.screen is board)
        disk_full["full"] = False
        await pilot.press("f5")  # try again: saved, and the board says nothing more
        assert await settle(pilot, lambda: "NOT SAVED" not in screen_text(app))
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code in (0, None)
    app.close_saves()
    assert load_save(app.autosavers[-1].path).events[-1].text == "written while the disk is full"


async def test_save_elsewhere_moves_the_game(tmp_path, mini_deck, disk_full):
    from tests.tui_helpers import app_for, keys, screen_text
    from wargame.tui.screens.game import GameScreen
    from wargame.tui.screens.saving import SaveElsewhereDialog

    app = app_for(tmp_path / "saves", deck=mini_deck, seed=2)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await settle(pilot, lambda: isinstance(app.screen, GameScreen) and app.autosavers)
        assert await settle(pilot, lambda: "NOT SAVED" in screen_text(app))
        disk_full["full"] = False
        await pilot.press("f6")
        assert await settle(pilot, lambda: isinstance(app.screen, SaveElsewhereDialog))
        target = tmp_path / "usb" / "game.toml"
        target.parent.mkdir()
        app.screen.query_one("Input").value = ""
        await pilot.press(*keys(str(target)), "enter")
        assert await settle(pilot, lambda: "NOT SAVED" not in screen_text(app))
        assert app.autosavers[-1].path == target
        events = list(app.screen.game.events)
        await pilot.press("ctrl+q")
        await pilot.pause()
    app.close_saves()
    assert app.return_code in (0, None)
    assert load_save(target).events == events
    assert list((tmp_path / "saves").glob("*.toml")) == []  # the full disk got nothing


async def test_leaving_for_the_launcher_with_unsaved_events_asks(tmp_path, mini_deck, disk_full):
    from tests.tui_helpers import app_for, screen_text
    from wargame.tui.screens.game import GameScreen
    from wargame.tui.screens.launcher import LauncherScreen
    from wargame.tui.screens.saving import UnsavedQuitDialog

    app = app_for(tmp_path, deck=mini_deck, seed=2)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await settle(pilot, lambda: isinstance(app.screen, GameScreen) and app.autosavers)
        assert await settle(pilot, lambda: "NOT SAVED" in screen_text(app))
        await pilot.press("l")
        assert await settle(pilot, lambda: isinstance(app.screen, UnsavedQuitDialog))
        assert "Leave anyway" in screen_text(app)
        await pilot.click("#unsaved-quit")
        assert await settle(pilot, lambda: isinstance(app.screen, LauncherScreen))


def test_restore_refuses_a_save_that_is_open(save, holder, capsys):
    proc, _ = holder
    assert main(["restore", str(save)]) == 1
    assert f"is open in process {proc.pid}" in capsys.readouterr().err
    finish(proc)


def test_a_symlinked_save_shares_the_lock_of_its_target(save):
    link = save.with_name("link.toml")
    link.symlink_to(save)
    with lock_save(save), pytest.raises(SaveLocked):
        lock_save(link)


def test_a_soft_lock_left_by_a_dead_process_is_broken(save, monkeypatch):
    """Where the file system has no OS locks, filelock falls back to a lock file that a
    crash leaves behind: a dead holder's is broken and taken over."""
    import filelock

    record = save.with_name(f".{save.name}.holder")
    record.write_text(json.dumps({"pid": dead_pid(), "host": os.uname().nodename, "since": "x"}))
    calls = []
    real = filelock.FileLock.acquire

    def acquire(self, *a, **k):
        calls.append(1)
        if len(calls) == 1:
            raise filelock.Timeout(str(self.lock_file))
        return real(self, *a, **k)

    monkeypatch.setattr(filelock.FileLock, "acquire", acquire)
    lock = SaveLock(save).acquire()
    assert lock.held and len(calls) == 2
    lock.release()


def dead_pid() -> int:
    out = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(out.stdout)


async def test_the_launcher_asks_about_a_save_open_in_another_process(save, holder):
    from tests.tui_helpers import app_for, screen_text
    from wargame.tui.screens.launcher import LauncherScreen
    from wargame.tui.screens.saving import LockedDialog

    proc, count = holder
    app = app_for(save.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LauncherScreen)
        await pilot.press("r")
        assert await settle(pilot, lambda: isinstance(app.screen, LockedDialog))
        assert f"open in process {proc.pid}" in screen_text(app)
        await pilot.click("#locked-cancel")
        assert await settle(pilot, lambda: isinstance(app.screen, LauncherScreen))
    assert finish(proc) == count + 5
    assert len(load_save(save).events) == count + 5
