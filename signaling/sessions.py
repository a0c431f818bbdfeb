"""What the signaling service keeps per session and room (plain data, no I/O)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Literal

from media_server.sfu.peer import Broadcast, PeerSession

Kind = Literal["whip", "whep", "relay"]


@dataclass(slots=True)
class Session:
    id: str
    room: str
    kind: Kind
    peer: PeerSession
    etag: str
    created: float
    remote_ufrag: str | None = None
    remote_candidates: set[str] = field(default_factory=set)  # icefrag.candidate_key of each, capped


@dataclass(slots=True)
class Answer:
    """What the HTTP layer returns for a created session."""

    session: str
    location: str
    etag: str
    sdp: str


@dataclass(slots=True)
class PatchResult:
    status: int
    etag: str
    body: str = ""


@dataclass(slots=True)
class RoomMedia:
    broadcast: Broadcast
    publisher: Session | None = None
    viewers: dict[str, Session] = field(default_factory=dict)
    live: bool = False


def new_etag() -> str:
    return f'"{secrets.token_hex(8)}"'
