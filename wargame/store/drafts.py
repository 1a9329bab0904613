"""Drafts of unsent decisions, kept beside a save as `<save name>.drafts.toml`.

A seat that has picked an option or typed half a rationale, and then leaves the decision
screen or quits, gets it back when it returns, even after the game is resumed. A draft is
not part of the game: it is never an event, never in the save, never in the AAR. It applies
only while its card is still pending for its seat on its turn; otherwise it is ignored.

Drafts are a convenience, so reading them never fails: a missing, damaged or odd file reads
as no drafts, and the save beside it is never touched.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path

import tomli_w
from pydantic import BaseModel, ConfigDict, ValidationError

from wargame.engine.game import Game
from wargame.store.saves import SaveError, atomic_write

SUFFIX = ".drafts.toml"
MAX_DRAFTS_BYTES = 1024 * 1024  # a few seats' rationales; anything bigger is not ours


class Draft(BaseModel):
    """One seat's unsent decision on one card."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seat: str
    turn: int
    card: str
    option: str | None = None
    rationale: str = ""

    def applies(self, game: Game) -> bool:
        """True while this draft's card is still waiting for its seat on its turn."""
        state = game.state
        return (
            state.phase == "deciding"
            and state.turn == self.turn
            and state.card == self.card
            and self.seat in game.pending
        )

    @property
    def empty(self) -> bool:
        return self.option is None and not self.rationale


class _DraftsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    drafts: dict[str, Draft] = {}


def drafts_path(save_path: Path | str) -> Path:
    """`saves/GAME.toml` -> `saves/GAME.drafts.toml`."""
    save_path = Path(save_path)
    return save_path.with_name(save_path.stem + SUFFIX)


def is_drafts_file(path: Path | str) -> bool:
    return Path(path).name.endswith(SUFFIX)


def _read_capped(path: Path) -> bytes | None:
    """The file's bytes, or None if it is not a small regular file (a FIFO never blocks)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            raw = f.read(MAX_DRAFTS_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return None if len(raw) > MAX_DRAFTS_BYTES else raw


def load_drafts(save_path: Path | str) -> dict[str, Draft]:
    """Seat -> draft for this save; empty if there are none or the file is damaged."""
    raw = _read_capped(drafts_path(save_path))
    if raw is None:
        return {}
    try:
        data = tomllib.loads(raw.decode("utf-8"))
        drafts = _DraftsFile.model_validate(data).drafts
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, ValidationError):
        return {}
    return {seat: d for seat, d in drafts.items() if d.seat == seat}


def save_drafts(save_path: Path | str, drafts: Mapping[str, Draft]) -> None:
    """Write the drafts atomically beside the save; no (non-empty) drafts removes the file.

    Raises `SaveError` if the file cannot be written or removed.
    """
    path = drafts_path(save_path)
    kept = {seat: d for seat, d in drafts.items() if not d.empty}
    try:
        if not kept:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            return
        data = {
            "drafts": {
                seat: d.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
                for seat, d in sorted(kept.items())
            }
        }
        atomic_write(path, tomli_w.dumps(data).encode("utf-8"), backup=False)
    except OSError as exc:
        raise SaveError(path, f"cannot be written ({exc.strerror or exc})") from None


class DraftBook(Mapping[str, Draft]):
    """The drafts of one game as it is played, seat -> draft: kept in memory as typed,
    written on demand (`flush`) only if something changed. Without a save path nothing is
    written."""

    def __init__(self, save_path: Path | str | None, game: Game) -> None:
        self.save_path = save_path
        loaded = load_drafts(save_path) if save_path is not None else {}
        self.drafts: dict[str, Draft] = {s: d for s, d in loaded.items() if d.applies(game)}
        self.dirty = False

    def __getitem__(self, seat: str) -> Draft:
        return self.drafts[seat]

    def __iter__(self) -> Iterator[str]:
        return iter(self.drafts)

    def __len__(self) -> int:
        return len(self.drafts)

    def keep(self, game: Game, seat: str, option: str | None, rationale: str) -> bool:
        """Note a seat's typing so far; whether that changed anything."""
        state = game.state
        if state.card is None or seat not in game.pending:
            return False
        draft = Draft(
            seat=seat, turn=state.turn, card=state.card, option=option, rationale=rationale
        )
        if self.drafts.get(seat) == draft or (draft.empty and seat not in self.drafts):
            return False
        if draft.empty:
            del self.drafts[seat]
        else:
            self.drafts[seat] = draft
        self.dirty = True
        return True

    def prune(self, game: Game) -> bool:
        """Forget drafts that no longer apply (decided, resolved, undone past)."""
        stale = [seat for seat, d in self.drafts.items() if not d.applies(game)]
        for seat in stale:
            del self.drafts[seat]
        self.dirty = self.dirty or bool(stale)
        return bool(stale)

    def flush(self) -> None:
        """Write the drafts if they changed; raises `SaveError` (and stays dirty) on failure."""
        if not self.dirty or self.save_path is None:
            return
        save_drafts(self.save_path, self.drafts)
        self.dirty = False
