"""Save format versions, and the migration of older saves to the current one.

A save is checked (format, checksum) as the version that wrote it, then `migrate` brings
its parsed TOML up to `FORMAT_VERSION` one step at a time before the events are read. A
migration changes only the shape of the data, never what happened: the migrated log
replays to the same game and exports to the same bytes.

Format history:

1. the first format.
2. an `undone` event names what it took back as data (`undid` = "resolution" or
   "adjudication", `ref` = the card or the meter) instead of English text (`what`). The
   rules now write a one-turn game's end as "ran its full 1 turn"; a format-1 log keeps
   the words it recorded ("1 turns"), which replay accepts as the rules' wording of the
   time (see `wargame.engine.replay`). A random draw with nothing left to draw now ends
   the game as the deck ran out (format 1 refused the draw, so no format-1 log has one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

FORMAT_VERSION = 2

Data = dict[str, Any]


def _undone_1_to_2(event: Any) -> Any:
    """`what = "resolution of <card>"` becomes `undid = "resolution"`, `ref = "<card>"`.
    Anything else is left as it is, for the event check to name."""
    if not isinstance(event, dict) or event.get("kind") != "undone":
        return event
    what = event.get("what")
    if not isinstance(what, str):
        return event
    undid, sep, ref = what.partition(" of ")
    if not sep or undid not in ("resolution", "adjudication"):
        return event
    out = {k: v for k, v in event.items() if k != "what"}
    out["undid"], out["ref"] = undid, ref
    return out


def _1_to_2(data: Data) -> Data:
    events = data.get("events")
    if isinstance(events, list):
        data = {**data, "events": [_undone_1_to_2(e) for e in events]}
    return data


# The step that turns format N into N + 1.
_STEPS: dict[int, Callable[[Data], Data]] = {1: _1_to_2}


def migrate(data: Data) -> Data:
    """A save's parsed TOML in the current format. The input's `format` must be an int
    from 1 to `FORMAT_VERSION` (the loader's format check says so first); it is not changed."""
    version = data["format"]
    while version < FORMAT_VERSION:
        data = {**_STEPS[version](data), "format": version + 1}
        version += 1
    return data
