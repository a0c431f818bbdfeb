"""What the aiortc adapter keeps next to the rules' session ids, and what it hands the HTTP layer."""

from __future__ import annotations

from dataclasses import dataclass

from media_server.sfu.broadcast import Broadcast
from media_server.sfu.peer import PeerSession

from .decisions import Kind


@dataclass(frozen=True, slots=True)
class Session:
    """The peer of the session the rules know as ``id``."""

    id: str
    room: str
    kind: Kind
    peer: PeerSession


@dataclass(frozen=True, slots=True)
class Answer:
    """What the HTTP layer returns for a created session."""

    session: str
    location: str
    etag: str
    sdp: str


@dataclass(frozen=True, slots=True)
class PatchResult:
    """The session's ETag after a PATCH; ``body`` is the ICE restart's fragment, None for a trickle."""

    etag: str
    body: str | None = None


@dataclass(frozen=True, slots=True)
class RoomMedia:
    """One room as operators and tests see it: its media, its sessions' peers, whether it is live."""

    broadcast: Broadcast
    publisher: Session | None
    viewers: dict[str, Session]
    live: bool
