"""Fair shares of the media node: who may open one more WHIP/WHEP session (review H4).

Why: the node has one global cap (``max_sessions``) and a session that never
connects is held until its connect timeout. Without shares, one anonymous
client posting WHEP offers fills the node and every viewer *and the host* get
503. So, on top of the per-IP creation *rate* limit applied upstream, this
bounds *concurrency*:

- a client (its IP, as the HTTP adapter saw it) holds at most
  ``per_client_room`` viewer sessions in one room and ``per_client_node`` on
  the node, of which at most ``pending_per_client`` not yet connected;
- viewers together use at most ``max_sessions - reserved_publishers`` of the
  node, so a host can always publish (WHIP and relays use the whole node);
- a client over its share is refused ``rate_limited`` (429) ``too_many_sessions``
  with a retry time; ``unavailable`` (503) ``overloaded`` is kept for a node
  that is really full.

Publisher sessions (WHIP, relays) and relay viewers (``client=None``) count
against the node only: a host is authenticated by its room key and a room has
one publisher, and a relay viewer stands for many viewers of another node.

Sans I/O: plain counts and an injected clock, no asyncio or aiortc; the
service reports sessions opening, connecting and closing and asks
:meth:`Admission.check` before opening one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeAlias

from common.errors import RateLimited, Unavailable

Role = Literal["viewer", "publisher"]
Refusal: TypeAlias = RateLimited | Unavailable  # why a session may not open, with when to retry


@dataclass(slots=True)
class _Entry:
    role: Role
    room: str
    client: str | None
    opened: float
    pending: bool = True


def default_reserve(max_sessions: int) -> int:
    """5 % of the node, at least 2 slots, for publishers."""
    return max(2, math.ceil(max_sessions * 0.05))


class Admission:
    """Counts open sessions per client, room and node, and decides whether one more may open.

    ``pending_timeout`` is how long a viewer session may stay unconnected
    before the service closes it (shorter than the publishers' connect
    timeout: a browser viewer connects in a second or two, and pending
    sessions are the cheap way to fill a node). ``retry_after`` is the
    ``Retry-After`` (seconds) for refusals not tied to a pending session's
    expiry.
    """

    def __init__(
        self,
        *,
        max_sessions: int = 1000,
        per_client_room: int = 5,
        per_client_node: int = 20,
        pending_per_client: int = 3,
        reserved_publishers: int | None = None,
        pending_timeout: float = 10.0,
        retry_after: int = 10,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_sessions = max_sessions
        self.per_client_room = per_client_room
        self.per_client_node = per_client_node
        self.pending_per_client = pending_per_client
        self.reserved_publishers = default_reserve(max_sessions) if reserved_publishers is None else reserved_publishers
        self.pending_timeout = pending_timeout
        self.retry_after = retry_after
        self._clock = clock
        self._sessions: dict[str, _Entry] = {}
        self._viewers = 0
        self._by_client: dict[str, set[str]] = {}

    # -- queries -------------------------------------------------------------------------------

    @property
    def viewer_capacity(self) -> int:
        """How many viewer sessions the node takes in all (the rest is the publishers' reserve)."""
        return max(0, self.max_sessions - self.reserved_publishers)

    def total(self) -> int:
        return len(self._sessions)

    def viewers(self) -> int:
        return self._viewers

    def client_sessions(self, client: str, room: str | None = None) -> int:
        """Viewer sessions ``client`` holds on the node, or in ``room``."""
        ids = self._by_client.get(client, set())
        return sum(1 for s in ids if room is None or self._sessions[s].room == room)

    def client_pending(self, client: str) -> int:
        return sum(1 for s in self._by_client.get(client, set()) if self._sessions[s].pending)

    # -- decisions -----------------------------------------------------------------------------

    def check(self, role: Role, room: str, client: str | None) -> Refusal | None:
        """None if a ``role`` session of ``client`` in ``room`` may open now, else why not.

        A client's own share is checked before the node's: the client over its
        share is told so (``rate_limited``) even when the node is also full.
        """
        if role == "viewer" and client is not None:
            refusal = self._check_client(room, client)
            if refusal is not None:
                return refusal
        if len(self._sessions) >= self.max_sessions or (role == "viewer" and self._viewers >= self.viewer_capacity):
            return Unavailable("overloaded", "媒体服务器已满，请稍后重试", retry_after=self.retry_after)
        return None

    def _check_client(self, room: str, client: str) -> Refusal | None:
        ids = self._by_client.get(client, set())
        entries = [self._sessions[s] for s in ids]
        pending = [e for e in entries if e.pending]
        if len(pending) >= self.pending_per_client:
            # a slot frees when the oldest pending session connects or expires
            expires = min(e.opened for e in pending) + self.pending_timeout
            wait = max(1, math.ceil(expires - self._clock()))
            return RateLimited("too_many_sessions",
                               f"同一客户端最多同时建立 {self.pending_per_client} 个连接",
                               retry_after=wait)
        if sum(1 for e in entries if e.room == room) >= self.per_client_room:
            return RateLimited("too_many_sessions",
                               f"同一客户端在一个直播间最多 {self.per_client_room} 个观看会话",
                               retry_after=self.retry_after)
        if len(entries) >= self.per_client_node:
            return RateLimited("too_many_sessions",
                               f"同一客户端在本节点最多 {self.per_client_node} 个观看会话",
                               retry_after=self.retry_after)
        return None

    # -- facts ---------------------------------------------------------------------------------

    def register(self, session: str, role: Role, room: str, client: str | None) -> None:
        """A session opened (pending until :meth:`connected`). Call right after a passing :meth:`check`."""
        if session in self._sessions:
            raise ValueError(f"session {session!r} is already registered")
        tracked = client if role == "viewer" else None  # only viewers count against a client's share
        self._sessions[session] = _Entry(role, room, tracked, self._clock())
        if role == "viewer":
            self._viewers += 1
        if tracked is not None:
            self._by_client.setdefault(tracked, set()).add(session)

    def connected(self, session: str) -> None:
        """The session's ICE/DTLS connected: it no longer counts as pending. Unknown ids are ignored."""
        entry = self._sessions.get(session)
        if entry is not None:
            entry.pending = False

    def is_pending(self, session: str) -> bool:
        entry = self._sessions.get(session)
        return entry is not None and entry.pending

    def unregister(self, session: str) -> None:
        """The session ended (any reason). Unknown ids are ignored, so a double close is harmless."""
        entry = self._sessions.pop(session, None)
        if entry is None:
            return
        if entry.role == "viewer":
            self._viewers -= 1
        if entry.client is not None:
            ids = self._by_client[entry.client]
            ids.discard(session)
            if not ids:
                del self._by_client[entry.client]
