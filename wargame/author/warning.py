"""One lint warning: what kind, about what, and where in the file (`lint`, `lint_crisis`)."""

from __future__ import annotations

from dataclasses import dataclass

from wargame.model.deck import Loc


@dataclass(frozen=True, slots=True)
class LintWarning:
    """One warning: what kind, about what (`card neo`), and where in the file."""

    code: str
    where: str
    message: str
    loc: Loc = ()
    file: str = ""
    line: int | None = None

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        return ": ".join(p for p in (place, self.where, self.message) if p)
