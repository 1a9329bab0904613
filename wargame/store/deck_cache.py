"""A verified cache of validated decks, so that opening the launcher or starting a game
does not validate the same deck again on every launch.

Validating the default deck means building pydantic's validators for every deck model
(the deck models defer that to their first validation) and then running them: a fifth of
a second before the first frame, and megabytes held for the whole game. A deck
that validated once is kept in the user cache folder, keyed by a hash of its text and of
the code that validates it, together with the texts a save embeds (so saving does not
build pydantic's serializers either).

A cache file is trusted only as far as it checks out: its magic line, a sha256 of its
body, its key, and an unpickler that can build nothing but deck models and conditions. A
file that fails any check is ignored and rewritten from a fresh validation; a cache that
cannot be written is simply not used. Only decks that validated are cached: a deck with
problems is validated (and its problems reported) every time.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wargame import __version__

FORMAT = 1
MAGIC = b"wargame deck cache %d\n" % FORMAT
# Set to a folder to keep the cache there (tests use a temporary one); empty: no cache.
ENV = "WARGAME_CACHE_DIR"
# Decks kept: every edit of a deck is a new entry, so the oldest are let go.
MAX_ENTRIES = 16

# The code whose behaviour a cached deck stands for: the models, conditions and checks
# (the whole `wargame.model` package), the deck loader, the save format that renders the
# texts, this file, and the libraries under them. A change to any gives new keys.
_HERE = Path(__file__).resolve().parent
_SOURCES = (_HERE / "decks.py", _HERE / "format.py", Path(__file__))
_fingerprint: bytes | None = None


def cache_dir() -> Path | None:
    """Where cached decks live, or None when caching is switched off."""
    override = os.environ.get(ENV)
    if override is not None:
        return Path(override).expanduser() if override else None
    import platformdirs

    return platformdirs.user_cache_path("wargame") / "decks"


def _code_fingerprint() -> bytes:
    global _fingerprint
    if _fingerprint is None:
        import pydantic_core
        import tomli_w
        from pydantic.version import VERSION

        versions = (FORMAT, __version__, VERSION, pydantic_core.__version__, tomli_w.__version__)
        h = hashlib.sha256("\0".join(map(str, versions)).encode())
        for source in [*sorted((_HERE.parent / "model").glob("*.py")), *_SOURCES]:
            h.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
        _fingerprint = h.digest()
    return _fingerprint


def cache_key(text: str) -> str | None:
    """The key of a deck's text (None if the validating code cannot be read to hash it)."""
    try:
        code = _code_fingerprint()
    except OSError:
        return None
    return hashlib.sha256(code + text.encode("utf-8", "surrogatepass")).hexdigest()


def _condition(text: str, tree: Any) -> Any:
    """A condition from its parsed tree: compiled again (functions do not pickle), not
    parsed again (which takes most of a deck's loading time)."""
    from wargame.model.deck import Condition

    return Condition(text, tree)


class _DeckPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        from wargame.model.deck import Condition

        if type(obj) is Condition:
            return _condition, (obj.text, obj.tree)
        return NotImplemented


class _DeckUnpickler(pickle.Unpickler):
    """Builds deck models, conditions and their trees, and refuses every other global."""

    def find_class(self, module: str, name: str) -> Any:
        from wargame.model import condition_syntax, deck

        if module == __name__ and name == "_condition":
            return _condition
        found = None
        if module == deck.__name__:
            found = getattr(deck, name, None)
            if not (isinstance(found, type) and issubclass(found, deck.Model)):
                found = None
        elif module == condition_syntax.__name__ and name in _NODES:
            found = getattr(condition_syntax, name)
        if found is None:
            raise pickle.UnpicklingError(f"a deck cache may not build {module}.{name}")
        return found


_NODES = frozenset({"Num", "Str", "Bool", "Name", "Call", "Compare", "And", "Or", "Not"})


def _path(folder: Path, key: str) -> Path:
    return folder / f"{key}.deck"


def read(key: str, folder: Path | None = None) -> Any | None:
    """The deck cached under `key` (with its save texts remembered), or None if there is
    none or it does not check out."""
    from wargame.model.deck import Deck

    folder = folder if folder is not None else cache_dir()
    if folder is None:
        return None
    try:
        with _path(folder, key).open("rb") as f:
            magic, digest, body = f.readline(), f.readline(), f.read()
    except (OSError, ValueError):
        return None
    if magic != MAGIC or digest != hashlib.sha256(body).hexdigest().encode() + b"\n":
        return None
    was_enabled = gc.isenabled()
    gc.disable()  # a deck holds no cycles: the collector's walks would only cost time
    try:
        stored_key, deck, texts = _DeckUnpickler(io.BytesIO(body)).load()
    except Exception:  # anything a damaged or foreign pickle raises: not a cached deck
        return None
    finally:
        if was_enabled:
            gc.enable()
    if (
        stored_key != key
        or type(deck) is not Deck
        or not isinstance(deck.__dict__.get("content_hash"), str)
        or not (isinstance(texts, tuple) and len(texts) == 2)
        or not all(isinstance(t, str) for t in texts)
    ):
        return None
    from wargame.store.format import remember_deck_texts

    remember_deck_texts(deck, texts)
    return deck


def write(key: str, deck: Any, folder: Path | None = None) -> None:
    """Cache a deck that has just validated, with its save texts; quietly nothing if the
    cache folder cannot be written."""
    from wargame.store.atomic import atomic_write
    from wargame.store.format import deck_texts

    folder = folder if folder is not None else cache_dir()
    if folder is None:
        return
    out = io.BytesIO()
    try:
        texts = deck_texts(deck)  # also computes the content hash, pickled with the deck
        _DeckPickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump((key, _fresh(deck), texts))
    except Exception:  # a deck the cache cannot hold is played all the same, uncached
        return
    body = out.getvalue()
    blob = MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(_path(folder, key), blob, backup=False)
        _prune(folder)


def _prune(folder: Path) -> None:
    """Remove all but the MAX_ENTRIES newest cached decks."""
    entries = []
    for p in folder.glob("*.deck"):
        with contextlib.suppress(OSError):
            entries.append((p.stat().st_mtime_ns, p))
    for _, p in sorted(entries, reverse=True)[MAX_ENTRIES:]:
        with contextlib.suppress(OSError):
            p.unlink()


def _fresh(deck: Any) -> Any:
    """The deck with only its fields and content hash: none of the memo other layers keep."""
    keep = {**deck.__dict__}
    for name in type(deck)._INDEXES:
        if name != "content_hash":
            keep.pop(name, None)
    if keep.keys() == deck.__dict__.keys():
        return deck
    copy = deck.__class__.__new__(deck.__class__)
    copy.__setstate__({**deck.__getstate__(), "__dict__": keep})
    return copy


def load(text: str, parse: Callable[[], Any]) -> Any:
    """The deck of `text`: from the cache if it is there and checks out, else `parse()`d
    (which raises DeckError on a deck with problems) and cached."""
    key = cache_key(text)
    if key is None:
        return parse()
    deck = read(key)
    if deck is None:
        deck = parse()
        write(key, deck)
    return deck
