"""The store's caches: small bounded maps, and the stamp that tells a file has changed.

Rendering a large deck or replaying a save takes tens of milliseconds; these let a second
render of the same deck, or a second listing of an unchanged folder, skip the work."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Bounded(Generic[K, V]):
    """A map that forgets its oldest entry past `size` entries (first in, first out)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        return self._items.get(key)

    def put(self, key: K, value: V) -> None:
        if key not in self._items and len(self._items) >= self.size:
            self._items.pop(next(iter(self._items)))
        self._items[key] = value

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


def file_stamp(paths: Iterable[Path]) -> tuple[Any, ...]:
    """Inode, size, mtime and mode of each path (None if missing): equal stamps mean the
    files were not rewritten in between."""
    out: list[Any] = []
    for p in paths:
        try:
            st = p.stat()
            out.append((st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode))
        except (OSError, ValueError):
            out.append(None)
    return tuple(out)
