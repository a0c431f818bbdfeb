"""What :class:`~signaling.rules.SessionRules` returns: decisions to act on and facts to publish.

Frozen values (h11's events): the adapter matches on their type, does the I/O
they call for, and reports back; none of them holds a peer or a socket.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Kind = Literal["whip", "whep", "relay"]
Candidates = tuple[tuple[str | None, str], ...]  # (mid, "candidate:...") as the fragment listed them


# -- decisions: what the adapter must do --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Admit:
    """Nothing is in the way of a new publisher: open it."""


@dataclass(frozen=True, slots=True)
class TakeOver:
    """Close the stale publisher ``session`` first, then open the new one."""

    session: str


@dataclass(frozen=True, slots=True)
class Serve:
    """The room has media on this node: open the viewer here."""


@dataclass(frozen=True, slots=True)
class Pull:
    """The room is not live here: relay it from its origin, then ask again."""


@dataclass(frozen=True, slots=True)
class Trickle:
    """Add the remote candidates; the session keeps its version (``etag``)."""

    session: str
    candidates: Candidates
    etag: str


@dataclass(frozen=True, slots=True)
class Restart:
    """ICE restart: hand the peer the new remote credentials, then report :meth:`SessionRules.restarted`."""

    session: str
    candidates: Candidates
    ufrag: str
    pwd: str


@dataclass(frozen=True, slots=True)
class Close:
    session: str


ADMIT: Final = Admit()
SERVE: Final = Serve()
PULL: Final = Pull()


# -- outputs of facts ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LiveChanged:
    """The room went live or idle; ``host`` is False for a relay, which must not speak for the room."""

    room: str
    live: bool
    host: bool


@dataclass(frozen=True, slots=True)
class ViewersChanged:
    room: str
    viewers: int  # connected viewers


@dataclass(frozen=True, slots=True)
class RoomDropped:
    """The room has no session left: the adapter frees its media state and metrics."""

    room: str


Output = LiveChanged | ViewersChanged | RoomDropped
