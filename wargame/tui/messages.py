"""What screens ask the app to do. State flows down (the app gives a screen its game or its
saves folder); intent goes up as these messages, which bubble from a screen to the app, so
no screen calls the app's own methods or imports it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from textual.message import Message

from wargame.model.deck import Deck
from wargame.model.game import Mode


@dataclass
class StartGame(Message):
    """A new game with these settings, on the board of turn 1."""

    deck: Deck
    seed: int
    turns: int | None
    mode: Mode
    team_names: dict[str, str] = field(default_factory=dict)


@dataclass
class ResumeGame(Message):
    """Continue the saved game at `path`."""

    path: Path


@dataclass
class LeaveGame(Message):
    """Back to the launcher, once the player says so; the game is saved, so it resumes from
    the saves list. `drafts_kept`: unsent decisions are kept as drafts (worth saying)."""

    drafts_kept: bool = False
