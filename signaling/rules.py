"""The WHIP/WHEP session rules as a sans-I/O state machine (RFC 9725; h11 style).

Theory of operation: a room has at most one publisher session (a host over
WHIP, or a relay pulling the room from its origin node) and any number of
viewer sessions (WHEP). The adapter (:class:`~signaling.service.SignalingService`)
reports what happens — offers, PATCH, DELETE, peer connection states, media
seen, peers closed — and gets decisions back: a value telling it what to do, or
a :mod:`common.errors` refusal raised. Nothing here touches a socket, aiortc,
aiohttp or asyncio, and time comes from an injected :class:`~common.clock.Clock`,
so every rule is tested in milliseconds (``tests/signaling/test_rules.py``).

| event (method) | state | decision |
|---|---|---|
| ``offer_publish(room)`` | no publisher, or it is closing | :data:`ADMIT` |
| | a host that sent media, or is still connecting, less than ``publisher_stale_after`` ago | 409 ``already_live`` + Retry-After |
| | a stale host, or a relay | :class:`TakeOver` (the adapter closes it) |
| ``offer_view(room, ...)`` | nothing to show here, and this node may relay the room | :data:`PULL` |
| | no publisher with media, or a relay asking for a relayed room | 409 ``not_live`` + Retry-After 5 |
| | otherwise | :data:`SERVE` |
| ``open(room, kind, client)`` | shutting down / node full / client over its share | 503 / 503 / 429 (:mod:`.admission`) |
| | a publisher that is not closing already holds the room | 409 ``already_live`` |
| | otherwise | a new :class:`SessionState` (pending) |
| ``patch(kind, room, id, if_match, body)`` | unknown session / no If-Match / stale ETag | 404 / 428 / 412 (nothing changes) |
| | same ICE credentials | :class:`Trickle` |
| | ``If-Match: *`` or a new ufrag | :class:`Restart`, then ``restarted`` gives the new ETag |
| ``delete(kind, room, id)`` | unknown session | 404, else :class:`Close` |
| ``peer_state(id, "connected")`` | the room's publisher, room idle | [:class:`LiveChanged` (live)] |
| | a viewer | [:class:`ViewersChanged`] |
| ``peer_state(id, "failed")``, ``closing(id)`` | any | the session no longer holds its room |
| ``closed(id)`` | the room's publisher, room live | [:class:`LiveChanged` (idle)]; then :class:`RoomDropped` once no session is left |

The values returned live in :mod:`signaling.decisions`. Media is reported by
``media_seen(room, at)`` when a decision needs it, not per packet: the
forwarding hot path never calls in here.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from common.clock import Clock
from common.errors import Conflict, LivehireError, Malformed, NotFound, Unauthenticated, Unavailable

from .access import AccessResult
from .admission import Admission, Role
from .decisions import (
    ADMIT,
    PULL,
    SERVE,
    Admit,
    Close,
    Kind,
    LiveChanged,
    Output,
    Pull,
    Restart,
    RoomDropped,
    Serve,
    TakeOver,
    Trickle,
    ViewersChanged,
)
from .icefrag import MAX_REMOTE_CANDIDATES, candidate_key, parse_fragment, too_many_candidates

#: Seconds a viewer of a room nobody publishes to is told to wait before it asks again.
NOT_LIVE_RETRY_AFTER: Final = 5.0


def new_etag() -> str:
    return f'"{secrets.token_hex(8)}"'


def new_session_id() -> str:
    """192 random bits: the session URL is the capability for PATCH and DELETE."""
    return secrets.token_urlsafe(24)


# -- state --------------------------------------------------------------------------------------


@dataclass(slots=True)
class SessionState:
    """What the rules know of one session; the adapter keeps its peer next to the id."""

    id: str
    room: str
    kind: Kind
    etag: str
    created: float  # the clock's monotonic time
    connected: bool = False
    closing: bool = False  # DELETE, take-over, failure or shutdown began; ``closed`` follows
    remote_ufrag: str | None = None
    remote_candidates: set[str] = field(default_factory=set)  # icefrag.candidate_key of each, capped

    @property
    def role(self) -> Role:
        return "viewer" if self.kind == "whep" else "publisher"


@dataclass(slots=True)
class RoomState:
    publisher: str | None = None
    viewers: dict[str, None] = field(default_factory=dict)  # ordered set of session ids
    sessions: set[str] = field(default_factory=set)  # all of them, a replaced publisher still closing included
    live: bool = False
    media_at: float | None = None  # when the current publisher's media was last seen


class SessionRules:
    """One node's rooms and sessions; see the module docstring for the transitions."""

    def __init__(
        self,
        *,
        admission: Admission,
        clock: Clock,
        publisher_stale_after: float = 3.0,
        session_ids: Callable[[], str] = new_session_id,
        etags: Callable[[], str] = new_etag,
    ) -> None:
        self.admission = admission
        self.clock = clock
        self.publisher_stale_after = publisher_stale_after
        self._session_ids = session_ids
        self._etags = etags
        self._sessions: dict[str, SessionState] = {}
        self._rooms: dict[str, RoomState] = {}
        self._shutting_down = False

    # -- queries -------------------------------------------------------------------------------

    def session(self, session_id: str) -> SessionState | None:
        return self._sessions.get(session_id)

    def session_ids(self) -> list[str]:
        return list(self._sessions)

    def session_count(self) -> int:
        return len(self._sessions)

    def room(self, room: str) -> RoomState | None:
        return self._rooms.get(room)

    def rooms(self) -> list[str]:
        return list(self._rooms)

    def live_rooms(self) -> list[str]:
        return sorted(slug for slug, state in self._rooms.items() if state.live)

    def publisher(self, room: str) -> SessionState | None:
        state = self._rooms.get(room)
        return None if state is None or state.publisher is None else self._sessions.get(state.publisher)

    def viewers(self, room: str) -> list[SessionState]:
        state = self._rooms.get(room)
        return [] if state is None else [self._sessions[v] for v in state.viewers]

    def connected_viewers(self, room: str) -> int:
        """Viewers whose peer connected: offers that never connect must not inflate the count (H4)."""
        return sum(1 for s in self.viewers(room) if s.connected)

    def has_local_publisher(self, room: str) -> bool:
        publisher = self.publisher(room)
        return publisher is not None and publisher.kind == "whip"

    # -- offers --------------------------------------------------------------------------------

    @staticmethod
    def check_access(result: AccessResult, room: str) -> None:
        """The room's access answer as a refusal: 404 for an unknown room, 401 without a valid bearer."""
        if result == "unknown_room":
            raise NotFound("unknown_room", f"没有直播间 {room!r}")
        if result != "ok":
            raise Unauthenticated("unauthorized", "推流或观看此直播间需要有效的 Bearer 凭证")

    def media_seen(self, room: str, at: float) -> None:
        """The room's publisher sent media at ``at`` (the clock's monotonic time)."""
        state = self._rooms.get(room)
        if state is not None and state.publisher is not None:
            state.media_at = at if state.media_at is None else max(state.media_at, at)

    def offer_publish(self, room: str) -> Admit | TakeOver:
        """A host's offer: refused while the current host is fresh, else it takes the room over."""
        current = self.publisher(room)
        if current is None or current.closing:
            return ADMIT
        if current.kind == "whip" and self._fresh(current):
            raise self._already_live()
        current.closing = True
        return TakeOver(current.id)

    def offer_view(self, room: str, client: str | None, *, relayed: bool, has_media: bool,
                   can_pull: bool) -> Serve | Pull:
        """A viewer's offer (``relayed``: another node's relay). ``has_media``: the room's codecs are known here."""
        self._admit("viewer", room, client)
        publisher = self.publisher(room)
        here = publisher is not None and has_media
        if can_pull and not relayed and not here:
            return PULL
        if publisher is None or not here or (relayed and publisher.kind == "relay"):  # relays never chain
            raise not_live("nobody is publishing in this room yet")
        return SERVE

    def open(self, room: str, kind: Kind, client: str | None, *, ufrag: str | None = None,
             candidates: frozenset[str] = frozenset()) -> SessionState:
        """Register a new session (the adapter builds its peer next); refused when it may not open now."""
        role: Role = "viewer" if kind == "whep" else "publisher"
        self._admit(role, room, client)
        current = self.publisher(room)
        if role == "publisher" and current is not None and not current.closing:
            raise self._already_live()
        session = SessionState(self._session_ids(), room, kind, self._etags(), self.clock.monotonic(),
                               remote_ufrag=ufrag, remote_candidates=set(candidates))
        self._sessions[session.id] = session
        self.admission.register(session.id, role, room, client)
        state = self._rooms.setdefault(room, RoomState())
        state.sessions.add(session.id)
        if role == "publisher":
            state.publisher = session.id
            state.media_at = None  # a new source: its media has not been seen yet
        else:
            state.viewers[session.id] = None
        return session

    # -- requests on a session -----------------------------------------------------------------

    def find(self, kind: Kind, room: str, session_id: str) -> SessionState:
        session = self._sessions.get(session_id)
        if session is None or session.kind != kind or session.room != room:
            raise NotFound("unknown_session", "没有这个会话（可能已结束）")
        return session

    def patch(self, kind: Kind, room: str, session_id: str, if_match: str | None, body: str) -> Trickle | Restart:
        """RFC 9725 §4.4: the preconditions (428, 412), then trickle or ICE restart; a refusal changes nothing."""
        session = self.find(kind, room, session_id)
        if if_match is None:
            raise LivehireError("if_match_required", "PATCH 需要 If-Match 请求头（RFC 9725 §4.4）",
                                kind="version_required")
        wildcard = if_match.strip() == "*"
        if not wildcard and if_match.strip() != session.etag:
            raise LivehireError("etag_mismatch", "If-Match 与会话当前的 ETag 不一致",
                                kind="version_mismatch")
        fragment = parse_fragment(body)
        restart = wildcard or (
            fragment.ufrag is not None and session.remote_ufrag is not None and fragment.ufrag != session.remote_ufrag
        )
        known = session.remote_candidates | {candidate_key(c) for _, c in fragment.candidates}
        if len(known) > MAX_REMOTE_CANDIDATES:  # the session's total, offer and earlier PATCHes included
            raise too_many_candidates()
        if not restart:
            session.remote_candidates = known
            return Trickle(session.id, tuple(fragment.candidates), session.etag)
        if fragment.ufrag is None or fragment.pwd is None:
            raise Malformed("malformed_fragment", "ICE 重启需要 a=ice-ufrag 和 a=ice-pwd")
        session.remote_candidates = known
        return Restart(session.id, tuple(fragment.candidates), fragment.ufrag, fragment.pwd)

    def restarted(self, session_id: str, ufrag: str) -> str:
        """The peer took the new remote credentials: the session's version changes (new ETag).

        The session may have ended meanwhile; the client still gets the ETag its restart produced.
        """
        etag = self._etags()
        session = self._sessions.get(session_id)
        if session is not None:
            session.remote_ufrag, session.etag = ufrag, etag
        return etag

    def delete(self, kind: Kind, room: str, session_id: str) -> Close:
        """RFC 9725 §4.3; the session stays known (and its URL answers) until its peer reports ``closed``."""
        session = self.find(kind, room, session_id)
        session.closing = True
        return Close(session.id)

    # -- facts ---------------------------------------------------------------------------------

    def peer_state(self, session_id: str, state: str) -> list[Output]:
        """A peer's connection state changed (``new``, ``connecting``, ``connected``, ``failed``, ``closed``)."""
        session = self._sessions.get(session_id)
        if session is None:
            return []
        if state in ("failed", "closed"):
            session.closing = True
            return []
        if state != "connected" or session.connected:
            return []
        session.connected = True
        self.admission.connected(session_id)
        room = self._rooms[session.room]
        if session.role == "viewer":
            return [ViewersChanged(session.room, self.connected_viewers(session.room))]
        if room.publisher == session_id and not room.live:
            room.live = True
            return [LiveChanged(session.room, True, host=session.kind == "whip")]
        return []

    def closing(self, session_id: str) -> None:
        """The session's peer began to close (its own timeout, say): it no longer holds the room."""
        session = self._sessions.get(session_id)
        if session is not None:
            session.closing = True

    def closed(self, session_id: str) -> list[Output]:
        """The session's peer is gone. Unknown ids are ignored, so a double close is harmless."""
        session = self._sessions.pop(session_id, None)
        if session is None:
            return []
        self.admission.unregister(session_id)
        room = self._rooms[session.room]
        room.sessions.discard(session_id)
        outputs: list[Output] = []
        if session.role == "viewer":
            room.viewers.pop(session_id, None)
            outputs.append(ViewersChanged(session.room, self.connected_viewers(session.room)))
        elif room.publisher == session_id:
            room.publisher = None
            room.media_at = None
            if room.live:
                room.live = False
                outputs.append(LiveChanged(session.room, False, host=session.kind == "whip"))
        if not room.sessions:
            del self._rooms[session.room]
            outputs.append(RoomDropped(session.room))
        return outputs

    def shut_down(self) -> list[str]:
        """Refuse every new session from now on; returns the sessions the adapter must close."""
        self._shutting_down = True
        for session in self._sessions.values():
            session.closing = True
        return list(self._sessions)

    # -- internals -----------------------------------------------------------------------------

    def _fresh(self, publisher: SessionState) -> bool:
        """Sent media, or still connecting, within ``publisher_stale_after``: not to be taken over yet."""
        now = self.clock.monotonic()
        media_at = self._rooms[publisher.room].media_at
        if media_at is not None and now - media_at < self.publisher_stale_after:
            return True
        return not publisher.connected and now - publisher.created < self.publisher_stale_after

    def _already_live(self) -> Conflict:
        return Conflict("already_live", "此直播间已有主播在推流：请对其会话地址发送 DELETE，"
                        "或在其停止推流后重试", retry_after=self.publisher_stale_after)

    def _admit(self, role: Role, room: str, client: str | None) -> None:
        """Raise 503 (node full or shutting down) or 429 (client over its share) unless a session may open."""
        if self._shutting_down:
            raise Unavailable("overloaded", "媒体服务器正在关闭", retry_after=self.admission.retry_after)
        refusal = self.admission.check(role, room, client)
        if refusal is not None:
            raise refusal


def not_live(message: str, alternate: str | None = None) -> Conflict:
    """409 ``not_live``; ``alternate``: the origin's WHEP URL, which the HTTP adapter sends as ``Link``."""
    details = {"alternate": alternate} if alternate else None
    return Conflict("not_live", message, retry_after=NOT_LIVE_RETRY_AFTER, details=details)
