"""A hosted game: its `Game`, its save and its join codes, new or resumed; and the
headless host, which serves one with an automatic facilitator (reveal, then resolve once
every seat has decided) and no screen: for unattended games, tests and benchmarks."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from wargame import engine
from wargame.engine import Game
from wargame.model.deck import Deck
from wargame.model.game import Event, Mode
from wargame.remote.codes import OBSERVER, CodesError, JoinCodes, codes_path
from wargame.remote.host import HostService
from wargame.store.saves import Autosaver, load_save, new_save_path


@dataclass
class HostedGame:
    game: Game
    path: Path  # where it is saved as it goes
    codes: JoinCodes
    resumed: bool = False


def _stamp(now: Callable[[], datetime]) -> str:
    return now().isoformat(timespec="seconds")


def new_hosted(
    deck: Deck,
    saves: Path,
    *,
    seed: int = 1,
    turns: int | None = None,
    mode: Mode = "hotseat",
    team_names: dict[str, str] | None = None,
    observer: bool = True,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> HostedGame:
    """A new game (IllegalCommand if the rules refuse the settings) with fresh codes,
    written beside where its save will be."""
    game = Game.start(
        deck, seed=seed, turns=turns, mode=mode, team_names=team_names, at=_stamp(now)
    )
    path = new_save_path(saves, deck.id, now())
    codes = JoinCodes.new(deck.seat_ids(), observer=observer)
    codes.save(codes_path(path))
    return HostedGame(game, path, codes)


def resume_hosted(
    save: Path,
    saves: Path,
    *,
    observer: bool = True,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> HostedGame:
    """A saved game (SaveError if it does not load), with the codes kept beside it, or new
    ones if it was never hosted. The shipped example is continued in a copy."""
    loaded = load_save(save)
    path = loaded.path
    if path.name.startswith("example-"):
        path = new_save_path(saves, loaded.deck.id, now())
    try:
        codes = JoinCodes.load(codes_path(path), loaded.deck.seat_ids())
    except CodesError:
        if codes_path(path).exists():
            raise
        codes = JoinCodes.new(loaded.deck.seat_ids(), observer=observer)
        codes.save(codes_path(path))
    return HostedGame(loaded.game, path, codes, resumed=True)


def auto_step(game: Game, now: Callable[[], datetime]) -> None:
    """The automatic facilitator: reveal the next inject on a clear table, resolve once
    every seat has decided, continue past a checkpoint, end the game when no card can be
    drawn."""
    while not game.state.ended:
        legal = game.legal
        if "continue" in legal:
            game.apply(engine.Continue(reason="the automatic facilitator goes on", at=_stamp(now)))
        elif "draw" in legal:
            if engine.can_draw(game.deck, game.state):
                game.draw(at=_stamp(now))
            else:
                game.end("no card can be drawn at random", at=_stamp(now))
        elif "resolve" in legal:
            game.resolve(at=_stamp(now))
        else:
            return


def describe_codes(hosted: HostedGame, url: str) -> list[str]:
    """The lines a facilitator hands out: the address, each seat's code, the observers'."""
    game = hosted.game
    lines = [f"url {url}"]
    for seat in game.deck.seat_ids():
        lines.append(f"code {seat} {hosted.codes.codes[seat]}")
    if OBSERVER in hosted.codes.codes:
        lines.append(f"code {OBSERVER} {hosted.codes.codes[OBSERVER]}")
    lines.append(f"save {hosted.path}")
    return lines


async def serve_headless(
    hosted: HostedGame,
    *,
    bind: str = "127.0.0.1",
    port: int = 0,
    ssl_context=None,
    web_port: int | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    out: TextIO = sys.stdout,
    stop: asyncio.Event | None = None,
) -> int:
    """Serve `hosted` until SIGINT/SIGTERM (or `stop` is set); the game is saved after
    every event, as in the TUI."""
    game = hosted.game
    saver = Autosaver(hosted.path, game.deck).attach(game)

    def after_seat(events: list[Event]) -> None:
        auto_step(game, now)

    service = HostService(game, hosted.codes, now=now, on_events=after_seat)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    web = None
    try:
        url = await service.start(bind, port, ssl_context)
        auto_step(game, now)
        for line in describe_codes(hosted, url):
            print(line, file=out)
        if web_port is not None:
            from wargame.remote.web import BrowserSeats

            web = BrowserSeats(url, bind, web_port)
            print(f"web {await web.start()}", file=out)
        print("ready", file=out, flush=True)
        await stop.wait()
    finally:
        if web is not None:
            await web.stop()
        await service.stop()
        saver.close()
    return 0
