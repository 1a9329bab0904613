"""The messages between host and seats: JSON text frames over one WebSocket.

A seat sends commands, never state: `hello` (its code) first, then `decide` and `draft`.
The host answers `welcome` (the whole view), then `update` (the new events, and the fields
of the state, the cards and the meters' past that changed), `presence` (who is
connected), `error` (a command refused) and `refused` (the connection is not accepted,
then closed)."""

from __future__ import annotations

import json
from functools import cache
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

PATH = "/ws"
VERSION = 2  # 2: an update holds only the fields of the state that changed
MAX_MESSAGE = 64 * 1024  # bytes: far above any decision, far below a nuisance
MAX_RATIONALE = 10_000


class _Msg(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Hello(_Msg):
    type: Literal["hello"] = "hello"
    code: Annotated[str, Field(max_length=64)]
    version: int = VERSION


class DecideMsg(_Msg):
    type: Literal["decide"] = "decide"
    option: Annotated[str, Field(max_length=200)]
    rationale: Annotated[str, Field(max_length=MAX_RATIONALE)] = ""
    seconds: Annotated[float, Field(ge=0, le=7 * 24 * 3600)] | None = None


class DraftMsg(_Msg):
    """What the seat has typed but not sent, kept by the host for a reconnect."""

    type: Literal["draft"] = "draft"
    card: Annotated[str, Field(max_length=200)]
    option: Annotated[str, Field(max_length=200)] | None = None
    rationale: Annotated[str, Field(max_length=MAX_RATIONALE)] = ""


ClientMsg = Annotated[Hello | DecideMsg | DraftMsg, Field(discriminator="type")]


class BadMessage(ValueError):
    pass


@cache
def _client_adapter() -> TypeAdapter[Hello | DecideMsg | DraftMsg]:
    return TypeAdapter(ClientMsg)


def parse_client(text: str) -> Hello | DecideMsg | DraftMsg:
    """A seat's message, validated; BadMessage with a one-line reason otherwise."""
    try:
        return _client_adapter().validate_json(text)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "message"
        raise BadMessage(f"{where}: {err['msg']}") from None


# One encoder for every message: `json.dumps` with options builds a new one per call.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def dumps(msg: Any) -> str:
    return _encode(msg)


def ws_url(url: str) -> str:
    """The WebSocket address of a host from what a player types: `host:port`,
    `http(s)://host:port` or `ws(s)://host:port[/ws]`."""
    url = url.strip()
    if "://" not in url:
        url = "ws://" + url
    parts = urlsplit(url)
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    if scheme not in ("ws", "wss") or not parts.hostname:
        raise ValueError(f"not a host address: {url!r} (try ws://HOST:PORT)")
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/") or PATH, "", ""))
