"""Join codes: one per seat and one for observers, random from `secrets`, checked in
constant time, with wrong guesses rate-limited per address.

The codes of a hosted game are kept beside its save (`GAME.toml.codes.json`, owner-only,
mode 0600), so that `wargame host --resume GAME.toml` takes back the codes the teams
already have and every seat can reconnect."""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import secrets
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

# No 0/O, 1/I/L: codes are read aloud and typed from a slip of paper.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GROUPS, GROUP = 3, 4  # 12 characters: about 59 bits
OBSERVER = "observer"  # the role key of the observer code in the file


class CodesError(ValueError):
    """A codes file that cannot be read or does not fit the game."""


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP))
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def normalise(code: str) -> str:
    """What a player typed, as the code is stored: upper case, grouped by dashes."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


@dataclass
class JoinCodes:
    """The codes of one hosted game: role (a seat id, or `OBSERVER`) -> code."""

    codes: dict[str, str]

    @classmethod
    def new(cls, seats: Iterable[str], observer: bool = True) -> JoinCodes:
        roles = [*seats, *([OBSERVER] if observer else [])]
        return cls({role: new_code() for role in roles})

    def role_of(self, code: str) -> str | None:
        """The role a code opens, or None. Every code is compared, each in constant time,
        so the time taken says nothing about which code came close."""
        given = normalise(code).encode()
        found = None
        for role, expected in self.codes.items():
            if hmac.compare_digest(given, expected.encode()):
                found = role
        return found

    def save(self, path: Path) -> None:
        """Write atomically, readable by the owner only."""
        path = Path(path)
        data = json.dumps({"codes": self.codes}, indent=2).encode()
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    @classmethod
    def load(cls, path: Path, seats: Iterable[str]) -> JoinCodes:
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            codes = data["codes"]
            if not isinstance(codes, dict) or not all(
                isinstance(k, str) and isinstance(v, str) and normalise(v) == v and v
                for k, v in codes.items()
            ):
                raise ValueError("codes must map roles to codes")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CodesError(f"{path}: cannot read the join codes ({exc})") from None
        missing = [s for s in seats if s not in codes]
        if missing:
            raise CodesError(f"{path}: no join code for seat {', '.join(missing)}")
        return cls(dict(codes))


def codes_path(save: Path) -> Path:
    """Where the codes of the game saved at `save` are kept."""
    save = Path(save)
    return save.with_name(save.name + ".codes.json")


@dataclass
class RateLimiter:
    """At most `attempts` wrong codes per address in `window` seconds; then that address
    is refused, right or wrong, until its oldest failure leaves the window."""

    attempts: int = 5
    window: float = 60.0
    clock: Callable[[], float] = time.monotonic
    failures: dict[str, list[float]] = field(default_factory=dict)

    def _recent(self, peer: str) -> list[float]:
        now = self.clock()
        recent = [t for t in self.failures.get(peer, []) if now - t < self.window]
        if recent:
            self.failures[peer] = recent
        else:
            self.failures.pop(peer, None)
        return recent

    def blocked_for(self, peer: str) -> float:
        """Seconds until `peer` may try again (0: it may now)."""
        recent = self._recent(peer)
        if len(recent) < self.attempts:
            return 0.0
        return max(0.0, self.window - (self.clock() - recent[0]))

    def failed(self, peer: str) -> None:
        self.failures.setdefault(peer, []).append(self.clock())
