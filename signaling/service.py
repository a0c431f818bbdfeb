"""The room ↔ media-session mapping behind WHIP and WHEP.

Theory of operation: a room has at most one live publisher session and any
number of viewer sessions, all sharing the room's :class:`Broadcast`. A
session is created by an offer, identified by an unguessable id in its
``Location``, versioned by an ETag (bumped on ICE restart) and ended by
DELETE or by its peer failing / not connecting in time. The room is *live*
from the publisher's connection until its session ends; viewers survive a
host reconnect and resume at the new publisher's next keyframe.

Takeover after a dropped connection: a second POST is refused with 409 while
the current publisher is connected and sending, but accepted (replacing the
old session) once no media has arrived for ``publisher_stale_after`` seconds,
or the old session never connected within ``publisher_stale_after`` either.

Fair shares (review H4): every session opens through :class:`Admission`, which
bounds what one client (IP) holds per room and node, how many of its sessions
may be connecting at once, and keeps a reserve of the node for publishers. A
viewer session that has not connected within ``admission.pending_timeout`` is
closed (its peer's connect timeout), and the room's viewer count counts
connected viewers only.

Several nodes (ARCHITECTURE.md §1 "Scaling out"): with a ``directory``, a node
announces its live rooms there, and a viewer of a room live elsewhere is served
through a relay of the room from its origin (:mod:`signaling.relay`). A relay is
this node's publisher of the room without being a host: it neither announces
the room nor fires ``on_live_change``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Callable, Sequence
from typing import Any, Literal

from aiortc import RTCIceServer
from prometheus_client import CollectorRegistry, Counter, Gauge

from media_server.sfu.ice import IceOptions
from media_server.sfu.peer import (
    Broadcast,
    CodecMismatch,
    NoCandidates,
    PeerSession,
    PublisherPeer,
    ViewerPeer,
)
from media_server.sfu.relay_peer import Post, RelayPeer

from .access import AccessResult, RoomAccess
from .admission import Admission, Refusal, Role
from .directory import OriginAnnouncer, RoomDirectory
from .errors import SignalingError
from .icefrag import MAX_REMOTE_CANDIDATES, candidate_key, format_restart, parse_fragment, too_many_candidates
from .relay import RelayAuth, RelayUnavailable, RoomRelays
from .sdp import PublishedCodec, prepare_offer, restore_answer
from .sessions import Answer, Kind, PatchResult, RoomMedia, Session, new_etag

log = logging.getLogger("livehire.media")

class SignalingService:
    """Creates, patches and ends WHIP/WHEP sessions; knows rooms only by slug."""

    def __init__(
        self,
        *,
        access: RoomAccess,
        ice_servers: Sequence[str] = (),
        udp_ports: tuple[int, int] | None = None,
        max_sessions: int = 1000,
        registry: CollectorRegistry | None = None,
        on_live_change: Callable[[str, bool], None] | None = None,
        include_loopback: bool = False,
        connect_timeout: float = 20.0,
        publisher_stale_after: float = 3.0,
        keyframe_interval: float = 0.3,
        ice_addresses: Sequence[str] = (),
        directory: RoomDirectory | None = None,
        node_url: str | None = None,
        relay_secret: str | bytes | None = None,
        relay_wait: float = 3.0,
        relay_grace: float = 5.0,
        directory_ttl: float = 10.0,
        admission: Admission | None = None,
    ) -> None:
        """``admission``: the fair-share rules; by default :class:`Admission`'s defaults on ``max_sessions``."""
        self.access = access
        self.ice_servers = list(ice_servers)
        self.admission = admission if admission is not None else Admission(max_sessions=max_sessions)
        self.max_sessions = self.admission.max_sessions
        self.on_live_change = on_live_change
        self.connect_timeout = connect_timeout
        self.publisher_stale_after = publisher_stale_after
        self.keyframe_interval = keyframe_interval
        self.ice = IceOptions(port_range=udp_ports, include_loopback=include_loopback, addresses=tuple(ice_addresses))
        self._rooms: dict[str, RoomMedia] = {}
        self._sessions: dict[str, Session] = {}
        self._closing = False
        self.relay_auth = RelayAuth(relay_secret) if relay_secret else None
        self.announcer: OriginAnnouncer | None = None
        self.relays: RoomRelays | None = None
        if directory is not None and node_url:
            self.announcer = OriginAnnouncer(directory, node_url, ttl=directory_ttl)
            if self.relay_auth is not None:
                self.relays = RoomRelays(self, directory, node_url, self.relay_auth, wait=relay_wait,
                                         grace=relay_grace)
        registry = registry if registry is not None else CollectorRegistry()
        self._m_sessions = Gauge("livehire_media_sessions", "Open WebRTC sessions", ["kind"], registry=registry)
        self._m_viewers = Gauge("livehire_media_room_viewers", "Viewers per live room", ["room"], registry=registry)
        self._m_bitrate = Gauge("livehire_media_room_bitrate_bps", "Ingest bitrate per room", ["room"],
                                registry=registry)
        self._m_refused = Counter("livehire_media_refused_total", "Refused offers", ["code"], registry=registry)
        self._m_live = Gauge("livehire_media_live_rooms", "Rooms with a live publisher", registry=registry)

    # -- queries -----------------------------------------------------------------------------

    def live_rooms(self) -> list[str]:
        return sorted(slug for slug, room in self._rooms.items() if room.live)

    def room_state(self, room: str) -> dict[str, Any]:
        """Public state of one room: live flag, viewer count, ingest bitrate and codecs."""
        media = self._rooms.get(room)
        if media is None:
            return {"live": False, "viewers": 0, "bitrate_bps": 0, "codecs": {}}
        return {
            "live": media.live,
            "viewers": self._connected_viewers(media),
            "bitrate_bps": round(media.broadcast.bitrate_bps),
            "codecs": {k: c.mime_type for k, c in media.broadcast.codecs().items()},
        }

    def room_stats(self, room: str, *, limit: int = 100) -> dict[str, Any]:
        """Operator view (host console, back office): upstream and per-viewer loss, jitter, bitrate."""
        media = self._rooms.get(room)
        state = self.room_state(room)
        if media is None:
            return {**state, "publisher": None, "viewer_stats": []}
        publisher = media.publisher
        return {
            **state,
            "publisher": None if publisher is None else {
                "session": publisher.id[:6],
                "state": publisher.peer.state,
                "tracks": publisher.peer.stats() if isinstance(publisher.peer, PublisherPeer) else {},
            },
            "viewer_stats": [
                {"session": s.id[:6], "state": s.peer.state,
                 "tracks": s.peer.stats() if isinstance(s.peer, ViewerPeer) else {}}
                for s in list(media.viewers.values())[:limit]
            ],
        }

    def session_count(self) -> int:
        return len(self._sessions)

    def room_media(self, room: str) -> RoomMedia | None:
        return self._rooms.get(room)

    def has_local_publisher(self, room: str) -> bool:
        media = self._rooms.get(room)
        return media is not None and media.publisher is not None and media.publisher.kind == "whip"

    # -- WHIP / WHEP ---------------------------------------------------------------------------

    async def publish(self, room: str, bearer: str | None, offer: str, client: str | None = None) -> Answer:
        """RFC 9725 §4.2: accept a publisher's offer for ``room``.

        ``client`` (the peer's IP) is for logs only: a host counts against the
        node, not against a client share, and the node keeps a reserve for it.
        """
        self._check_result(await self.access.authorize_publisher(room, bearer), room)
        prepared = self._prepare(offer, "publish", None)
        media = self._room(room)
        current = media.publisher
        if current is not None and not current.peer.closed.is_set():
            if current.kind == "whip" and self._publisher_active(media, current):
                raise self._refuse(409, "already_live", "another publisher is live in this room; end it with "
                                   "DELETE on its session URL or retry after it stops sending",
                                   {"Retry-After": str(max(1, round(self.publisher_stale_after)))})
            await current.peer.close()
            media = self._room(room)  # closing the old session may have dropped an empty room
        # after a takeover closed the stale session (its slot is free); no await from here to the registration
        self._admit("publisher", room, None)
        peer = PublisherPeer(media.broadcast, **self._peer_kwargs())
        session = self._new_session(room, "whip", peer, "publisher", None)
        media.publisher = session
        session.remote_ufrag = prepared.ice_ufrag
        session.remote_candidates.update(prepared.candidates)
        try:
            answer = await peer.accept(prepared.sdp, original_parameters=prepared.original_parameters,
                                       media_ssrcs=prepared.media_ssrcs)
        except NoCandidates as exc:
            await peer.close()
            raise self._refuse(503, "no_ports", str(exc), {"Retry-After": "10"}) from exc
        except Exception as exc:
            await peer.close()
            raise self._refuse(422, "offer_rejected", f"the offer could not be negotiated: {exc}") from exc
        peer.pc.on("connectionstatechange", lambda: self._on_publisher_state(session))
        log.info("publisher session %s… for room %s from %s (%s)", session.id[:6], room, client or "?",
                 ", ".join(sorted(prepared.kinds)))
        return self._answer(session, restore_answer(answer, prepared.original_parameters))

    async def view(self, room: str, bearer: str | None, offer: str, relay_token: str | None = None,
                   client: str | None = None) -> Answer:
        """WHEP viewer session; 409 + Retry-After when nobody publishes. ``relay_token``: see :mod:`.relay`.

        ``client`` is the key of the viewer's fair share (its IP); a verified
        relay counts against the node only (it stands for another node's viewers).
        """
        if relay_token is not None:
            if self.relay_auth is None or not self.relay_auth.verify(relay_token, room):
                raise self._refuse(401, "unauthorized", "invalid relay token")
            client = None
        else:
            self._check_result(await self.access.authorize_viewer(room, bearer), room)
        self._admit("viewer", room, client)  # early, before a relay pull is started for this offer
        media = self._rooms.get(room)
        if relay_token is None and self.relays is not None and not self._has_media(media):
            try:
                await self.relays.pull(room)
            except RelayUnavailable as exc:
                headers = {"Retry-After": "5"}
                if exc.origin:  # a client may go to the origin itself
                    headers["Link"] = f'<{exc.origin}/whep/{room}>; rel="alternate"'
                raise self._refuse(409, "not_live", "the room is not live on this node yet", headers) from exc
            media = self._rooms.get(room)
        codecs = media.broadcast.codecs() if media is not None else {}
        if media is None or media.publisher is None or not codecs or (
            relay_token is not None and media.publisher.kind == "relay"
        ):
            raise self._refuse(409, "not_live", "nobody is publishing in this room yet", {"Retry-After": "5"})
        published = {k: PublishedCodec(k, c.name, c.clock_rate, c.parameters) for k, c in codecs.items()}
        prepared = self._prepare(offer, "view", published, any_profile=relay_token is not None)
        self._admit("viewer", room, client)  # again: no await from here to the registration
        # a viewer that never connects is dropped after the (shorter) pending timeout
        peer = ViewerPeer(media.broadcast, **self._peer_kwargs(
            connect_timeout=min(self.connect_timeout, self.admission.pending_timeout)))
        session = self._new_session(room, "whep", peer, "viewer", client)
        media.viewers[session.id] = session
        session.remote_ufrag = prepared.ice_ufrag
        session.remote_candidates.update(prepared.candidates)
        peer.pc.on("connectionstatechange", lambda: self._on_viewer_state(session))
        try:
            answer = await peer.accept(prepared.sdp)
        except CodecMismatch as exc:
            await peer.close()
            raise self._refuse(422, "codec_mismatch", str(exc)) from exc
        except NoCandidates as exc:
            await peer.close()
            raise self._refuse(503, "no_ports", str(exc), {"Retry-After": "10"}) from exc
        except Exception as exc:
            await peer.close()
            raise self._refuse(422, "offer_rejected", f"the offer could not be negotiated: {exc}") from exc
        return self._answer(session, restore_answer(answer, prepared.original_parameters))

    async def patch(self, kind: Kind, room: str, session_id: str, if_match: str | None, body: str) -> PatchResult:
        """RFC 9725 §4.4: trickle (204) or ICE restart (200 + new ETag); 428 / 412 on preconditions."""
        session = self._find(kind, room, session_id)
        if if_match is None:
            raise SignalingError(428, "if_match_required", "PATCH needs an If-Match header (RFC 9725 §4.4)")
        wildcard = if_match.strip() == "*"
        if not wildcard and if_match.strip() != session.etag:
            raise SignalingError(412, "etag_mismatch", "If-Match does not match the session's current ETag")
        fragment = parse_fragment(body)
        restart = wildcard or (
            fragment.ufrag is not None and session.remote_ufrag is not None and fragment.ufrag != session.remote_ufrag
        )
        known = session.remote_candidates | {candidate_key(c) for _, c in fragment.candidates}
        if len(known) > MAX_REMOTE_CANDIDATES:  # the session's total, offer and earlier PATCHes included
            raise too_many_candidates()
        session.remote_candidates = known
        for mid, candidate in fragment.candidates:
            try:
                await session.peer.add_remote_candidate(mid, candidate)
            except Exception as exc:
                raise SignalingError(400, "malformed_fragment", f"bad candidate: {type(exc).__name__}") from exc
        if not restart:
            return PatchResult(204, session.etag)
        if fragment.ufrag is None or fragment.pwd is None:
            raise SignalingError(400, "malformed_fragment", "an ICE restart needs a=ice-ufrag and a=ice-pwd")
        ufrag, pwd = session.peer.restart_ice(fragment.ufrag, fragment.pwd)
        session.remote_ufrag = fragment.ufrag
        session.etag = new_etag()
        body_out = format_restart(ufrag, pwd, session.peer.local_candidates(), session.peer.mids)
        return PatchResult(200, session.etag, body_out)

    async def delete(self, kind: Kind, room: str, session_id: str) -> None:
        """RFC 9725 §4.3: end the session; for WHIP the room stops being live."""
        session = self._find(kind, room, session_id)
        await session.peer.close()

    async def start_relay(self, room: str, post: Post) -> Session:
        """Pull ``room`` from its origin through ``post(offer) -> answer``; the relay becomes its publisher."""
        self._admit("publisher", room, None)
        media = self._room(room)
        if media.publisher is not None and not media.publisher.peer.closed.is_set():
            raise RuntimeError(f"room {room} already has a publisher here")
        peer = RelayPeer(media.broadcast, **self._peer_kwargs())
        session = self._new_session(room, "relay", peer, "publisher", None)
        media.publisher = session
        peer.pc.on("connectionstatechange", lambda: self._on_publisher_state(session))
        try:
            await peer.connect(post)
        except BaseException:
            await peer.close()
            raise
        return session

    async def close(self) -> None:
        """Close every peer and relay, withdraw our rooms from the directory (shutdown)."""
        self._closing = True
        if self.relays is not None:
            await self.relays.close()
        await asyncio.gather(*(s.peer.close() for s in list(self._sessions.values())), return_exceptions=True)
        if self.announcer is not None:
            await self.announcer.close()

    # -- internals ----------------------------------------------------------------------------

    def _peer_kwargs(self, *, connect_timeout: float | None = None) -> dict[str, Any]:
        servers = [RTCIceServer(urls=url) for url in self.ice_servers]
        timeout = self.connect_timeout if connect_timeout is None else connect_timeout
        return {"ice_servers": servers, "ice": self.ice, "connect_timeout": timeout,
                "on_closed": self._on_peer_closed}

    @staticmethod
    def _connected_viewers(media: RoomMedia) -> int:
        """Viewers whose peer connected: offers that never connect must not inflate the count (H4)."""
        return sum(1 for s in media.viewers.values() if s.peer.connected.is_set())

    @staticmethod
    def _has_media(media: RoomMedia | None) -> bool:
        return media is not None and media.publisher is not None and bool(media.broadcast.codecs())

    def _room(self, room: str) -> RoomMedia:
        media = self._rooms.get(room)
        if media is None:
            broadcast = Broadcast(keyframe_interval=self.keyframe_interval)
            media = self._rooms[room] = RoomMedia(broadcast)
            self._m_bitrate.labels(room).set_function(lambda: broadcast.bitrate_bps)
        return media

    def _prepare(self, offer: str, role: Literal["publish", "view"], published: dict[str, PublishedCodec] | None,
                 *, any_profile: bool = False) -> Any:
        try:
            return prepare_offer(offer, role, published=published, any_h264_profile=any_profile)
        except SignalingError as exc:
            self._m_refused.labels(exc.code).inc()
            raise

    def _refuse(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> SignalingError:
        self._m_refused.labels(code).inc()
        log.debug("refused %s: %s", code, message)
        return SignalingError(status, code, message, headers=headers)

    def _check_result(self, result: AccessResult, room: str) -> None:
        if result == "unknown_room":
            raise self._refuse(404, "unknown_room", f"there is no room {room!r}")
        if result != "ok":
            raise self._refuse(401, "unauthorized", "a valid bearer token is required for this room",
                               {"WWW-Authenticate": 'Bearer realm="livehire"'})

    def _admit(self, role: Role, room: str, client: str | None) -> None:
        """Raise 429 (client over its share) or 503 (node full or shutting down) unless the session may open."""
        refusal: Refusal | None = self.admission.check(role, room, client)
        if self._closing:
            refusal = Refusal(503, "overloaded", "the media server is shutting down", self.admission.retry_after)
        if refusal is not None:
            raise self._refuse(refusal.status, refusal.code, refusal.message, refusal.headers)

    def _publisher_active(self, media: RoomMedia, session: Session) -> bool:
        now = asyncio.get_running_loop().time()
        last = media.broadcast.last_packet_at()
        if last is not None and now - last < self.publisher_stale_after:
            return True
        return not session.peer.connected.is_set() and time.monotonic() - session.created < self.publisher_stale_after

    def _new_session(self, room: str, kind: Kind, peer: PeerSession, role: Role, client: str | None) -> Session:
        session = Session(secrets.token_urlsafe(24), room, kind, peer, new_etag(), time.monotonic())
        self._sessions[session.id] = session
        self.admission.register(session.id, role, room, client)
        self._m_sessions.labels(kind).inc()
        return session

    def _answer(self, session: Session, sdp: str) -> Answer:
        return Answer(session.id, f"/{session.kind}/{session.room}/{session.id}", session.etag, sdp)

    def _find(self, kind: Kind, room: str, session_id: str) -> Session:
        session = self._sessions.get(session_id)
        if session is None or session.kind != kind or session.room != room:
            raise SignalingError(404, "unknown_session", "no such session (it may have ended)")
        return session

    def _on_viewer_state(self, session: Session) -> None:
        if session.peer.state != "connected" or session.id not in self._sessions:
            return
        self.admission.connected(session.id)
        media = self._rooms.get(session.room)
        if media is not None:
            self._m_viewers.labels(session.room).set(self._connected_viewers(media))

    def _on_publisher_state(self, session: Session) -> None:
        if session.peer.state == "connected" and session.id in self._sessions:
            self.admission.connected(session.id)
        media = self._rooms.get(session.room)
        if media is None or media.publisher is not session:
            return
        if session.peer.state == "connected" and not media.live:
            self._set_live(session.room, media, True, host=session.kind == "whip")

    def _set_live(self, room: str, media: RoomMedia, live: bool, *, host: bool = True) -> None:
        media.live = live
        log.info("room %s is %s (%d viewers)%s", room, "live" if live else "idle", self._connected_viewers(media),
                 "" if host else " (relay)")
        self._m_live.set(sum(1 for m in self._rooms.values() if m.live))
        if not host:  # only the origin node speaks for the room
            return
        if self.announcer is not None:
            if live:
                self.announcer.live(room)
            else:
                self.announcer.idle(room)
        if self.on_live_change is not None:
            self.on_live_change(room, live)

    def _on_peer_closed(self, peer: PeerSession) -> None:
        session = next((s for s in self._sessions.values() if s.peer is peer), None)
        if session is None:
            return
        del self._sessions[session.id]
        self.admission.unregister(session.id)
        self._m_sessions.labels(session.kind).dec()
        media = self._rooms.get(session.room)
        if media is None:
            return
        if session.kind == "whep":
            media.viewers.pop(session.id, None)
            self._m_viewers.labels(session.room).set(self._connected_viewers(media))
        elif media.publisher is session:
            media.publisher = None
            if media.live:
                self._set_live(session.room, media, False, host=session.kind == "whip")
        if media.publisher is None and not media.viewers:
            del self._rooms[session.room]
            for gauge in (self._m_bitrate, self._m_viewers):
                with contextlib.suppress(KeyError):
                    gauge.remove(session.room)
