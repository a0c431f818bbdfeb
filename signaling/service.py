"""The aiortc adapter of the WHIP/WHEP session rules: builds peers, reports what they do, applies decisions.

Theory of operation: :class:`~signaling.rules.SessionRules` decides who may
publish to and watch a room (one publisher per room, 409 while it is fresh,
take-over once stale, ETags, capacity, relay versus local); this class does
the I/O those decisions call for — it asks :class:`RoomAccess`, munges SDP,
builds aiortc peers on the room's :class:`Broadcast`, closes them, and reports
their connection states, their media and their end back to the rules. The
room is *live* from the publisher's connection until its session ends;
viewers survive a host reconnect and resume at the new publisher's next
keyframe.

Fair shares (review H4): every session opens through :class:`Admission`
(inside the rules); a viewer that has not connected within
``admission.pending_timeout`` is closed by its peer's connect timeout.

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
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any, TypeVar

from aiortc import RTCIceServer
from prometheus_client import CollectorRegistry

from common.clock import Clock, SystemClock
from common.errors import Invalid, LivehireError, Malformed, NotFound, Unauthenticated, Unavailable
from media_server.sfu.broadcast import Broadcast
from media_server.sfu.fanout import SendBatch
from media_server.sfu.ice import IceOptions
from media_server.sfu.peer import (
    CodecMismatch,
    NoCandidates,
    PeerSession,
    PublisherPeer,
    ViewerPeer,
)
from media_server.sfu.relay_peer import Post, RelayPeer
from media_server.sfu.viewer_layers import AUTO

from . import simulcast
from .access import RoomAccess
from .admission import Admission
from .decisions import Kind, LiveChanged, Output, Pull, RoomDropped, TakeOver, Trickle, ViewersChanged
from .directory import OriginAnnouncer, RoomDirectory
from .icefrag import format_restart
from .metrics import SignalingMetrics
from .relay import RelayAuth, RelayUnavailable, RoomRelays
from .rules import SessionRules, SessionState, not_live
from .sdp import PublishedCodec, prepare_offer, restore_answer
from .sessions import Answer, PatchResult, RoomMedia, Session
from .simulcast import check_layer
from .views import room_stats_view

log = logging.getLogger("livehire.media")

P = TypeVar("P", bound=PeerSession)

#: Seconds a client is told to wait when no UDP port is free for its session.
NO_PORTS_RETRY_AFTER = 10.0


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
        clock: Clock | None = None,
    ) -> None:
        """``admission``: the fair-share rules (default: :class:`Admission` on ``max_sessions``); ``clock``: the rules' time."""
        self.access = access
        self.ice_servers = list(ice_servers)
        self.admission = admission if admission is not None else Admission(max_sessions=max_sessions)
        self.max_sessions = self.admission.max_sessions
        self.clock = clock if clock is not None else SystemClock()
        self.rules = SessionRules(admission=self.admission, clock=self.clock,
                                  publisher_stale_after=publisher_stale_after)
        self.on_live_change = on_live_change
        self.connect_timeout = connect_timeout
        self.keyframe_interval = keyframe_interval
        self.ice = IceOptions(port_range=udp_ports, include_loopback=include_loopback, addresses=tuple(ice_addresses))
        self._sessions: dict[str, Session] = {}  # the peers of the rules' sessions, by id
        self._broadcasts: dict[str, Broadcast] = {}  # the media of the rules' rooms
        self.batch = SendBatch()  # this service's fan-out sends, shared by its rooms (one packet at a time)
        self.relay_auth = RelayAuth(relay_secret) if relay_secret else None
        self.announcer: OriginAnnouncer | None = None
        self.relays: RoomRelays | None = None
        if directory is not None and node_url:
            self.announcer = OriginAnnouncer(directory, node_url, ttl=directory_ttl)
            if self.relay_auth is not None:
                self.relays = RoomRelays(
                    directory, node_url, self.relay_auth, viewers=lambda room: len(self.rules.viewers(room)),
                    local_publisher=self.rules.has_local_publisher, start=self.start_relay,
                    wait=relay_wait, grace=relay_grace,
                )
        self.metrics = SignalingMetrics(registry if registry is not None else CollectorRegistry())

    @property
    def publisher_stale_after(self) -> float:
        return self.rules.publisher_stale_after

    # -- queries -----------------------------------------------------------------------------

    def live_rooms(self) -> list[str]:
        return self.rules.live_rooms()

    def room_state(self, room: str) -> dict[str, Any]:
        """Public state of one room: live flag, viewer count, ingest bitrate, codecs, simulcast layers (best first)."""
        state, broadcast = self.rules.room(room), self._broadcasts.get(room)
        if state is None or broadcast is None:
            return {"live": False, "viewers": 0, "bitrate_bps": 0, "codecs": {}, "layers": []}
        return {
            "live": state.live,
            "viewers": self.rules.connected_viewers(room),
            "bitrate_bps": round(broadcast.bitrate_bps),
            "codecs": {k: c.mime_type for k, c in broadcast.codecs().items()},
            "layers": broadcast.layer_names(),
        }

    def room_stats(self, room: str, *, limit: int = 100) -> dict[str, Any]:
        """Operator view (host console, back office): upstream and per-viewer loss, jitter, bitrate."""
        return room_stats_view(self.room_state(room), self.room_media(room), limit)

    def session_count(self) -> int:
        return self.rules.session_count()

    def room_media(self, room: str) -> RoomMedia | None:
        """One room's media and its sessions' peers (a snapshot), or None if the room has no session."""
        state, broadcast = self.rules.room(room), self._broadcasts.get(room)
        if state is None or broadcast is None:
            return None
        publisher = None if state.publisher is None else self._sessions.get(state.publisher)
        viewers = {v: self._sessions[v] for v in state.viewers if v in self._sessions}
        return RoomMedia(broadcast, publisher, viewers, state.live)

    def has_local_publisher(self, room: str) -> bool:
        return self.rules.has_local_publisher(room)

    # -- WHIP / WHEP ---------------------------------------------------------------------------

    async def publish(self, room: str, bearer: str | None, offer: str, client: str | None = None) -> Answer:
        """RFC 9725 §4.2: accept a publisher's offer for ``room``.

        ``client`` (the peer's IP) is for logs only: a host counts against the
        node, not against a client share, and the node keeps a reserve for it.
        """
        with self._counted():
            SessionRules.check_access(await self.access.authorize_publisher(room, bearer), room)
            prepared = prepare_offer(offer, "publish")
            self._report_publisher(room)
            decision = self.rules.offer_publish(room)
            if isinstance(decision, TakeOver):
                await self._sessions[decision.session].peer.close()
            # no await from here to the peer's registration
            state = self.rules.open(room, "whip", None, ufrag=prepared.ice_ufrag, candidates=prepared.candidates)
            peer = self._peer(state, PublisherPeer)
            layers = prepared.simulcast
            sdp = await self._accept(peer, peer.accept(
                prepared.sdp, original_parameters=prepared.original_parameters, media_ssrcs=prepared.media_ssrcs,
                rids=layers.rids if layers else (), rid_extension_ids=layers.extension_ids if layers else None))
            log.info("publisher session %s… for room %s from %s (%s)", state.id[:6], room, client or "?",
                     ", ".join(sorted(prepared.kinds)) + (f", layers {','.join(layers.rids)}" if layers else ""))
            sdp = restore_answer(sdp, prepared.original_parameters)
            return self._answer(state, simulcast.answer(sdp, layers) if layers else sdp)

    async def view(self, room: str, bearer: str | None, offer: str, relay_token: str | None = None,
                   client: str | None = None, layer: str = AUTO) -> Answer:
        """WHEP viewer session; 409 + Retry-After when nobody publishes. ``relay_token``: see :mod:`.relay`.

        ``layer``: a rid to pin, ``audio`` or ``auto`` (by bandwidth); an unknown rid acts as ``auto``.

        ``client`` is the key of the viewer's fair share (its IP); a verified
        relay counts against the node only (it stands for another node's viewers).
        """
        with self._counted():
            relayed = relay_token is not None
            if relay_token is not None:
                if self.relay_auth is None or not self.relay_auth.verify(relay_token, room):
                    raise Unauthenticated("unauthorized", "转发凭证无效")
                client = None
            else:
                SessionRules.check_access(await self.access.authorize_viewer(room, bearer), room)
            decision = self.rules.offer_view(room, client, relayed=relayed, has_media=self._has_media(room),
                                             can_pull=self.relays is not None)
            if isinstance(decision, Pull) and self.relays is not None:
                try:
                    await self.relays.pull(room)
                except RelayUnavailable as exc:  # a client may go to the origin itself
                    alternate = f"{exc.origin}/whep/{room}" if exc.origin else None
                    raise not_live("the room is not live on this node yet", alternate) from exc
                self.rules.offer_view(room, client, relayed=relayed, has_media=self._has_media(room), can_pull=False)
            published = {k: PublishedCodec(k, c.name, c.clock_rate, c.parameters)
                         for k, c in self._broadcasts[room].codecs().items()}
            prepared = prepare_offer(offer, "view", published=published, any_h264_profile=relayed)
            # no await from here to the peer's registration; a viewer that never connects is dropped
            # after the (shorter) pending timeout
            state = self.rules.open(room, "whep", client, ufrag=prepared.ice_ufrag, candidates=prepared.candidates)
            peer = self._peer(state, ViewerPeer,
                              connect_timeout=min(self.connect_timeout, self.admission.pending_timeout))
            top = next(iter(self._broadcasts[room].layers), AUTO)  # a relay carries the first (top) layer on
            sdp = await self._accept(peer, peer.accept(prepared.sdp, layer=top if relayed else layer))
            return self._answer(state, restore_answer(sdp, prepared.original_parameters))

    def pin_layer(self, room: str, session_id: str, layer: str) -> None:
        """A viewer's quality choice: a rid of the room's layers, ``audio`` or ``auto``."""
        session = self._sessions.get(session_id)
        if session is None or session.room != room or not isinstance(session.peer, ViewerPeer):
            raise NotFound("session_not_found", "没有这个观看会话")
        session.peer.pin_layer(check_layer(layer))

    async def patch(self, kind: Kind, room: str, session_id: str, if_match: str | None, body: str) -> PatchResult:
        """RFC 9725 §4.4: trickle, or ICE restart with a new ETag and our new credentials."""
        decision = self.rules.patch(kind, room, session_id, if_match, body)
        peer = self._sessions[decision.session].peer
        for mid, candidate in decision.candidates:
            try:
                await peer.add_remote_candidate(mid, candidate)
            except Exception as exc:
                raise Malformed("malformed_fragment", f"candidate 无效：{type(exc).__name__}") from exc
        if isinstance(decision, Trickle):
            return PatchResult(decision.etag)
        ufrag, pwd = peer.restart_ice(decision.ufrag, decision.pwd)
        etag = self.rules.restarted(decision.session, decision.ufrag)
        return PatchResult(etag, format_restart(ufrag, pwd, peer.local_candidates(), peer.mids))

    async def delete(self, kind: Kind, room: str, session_id: str) -> None:
        """RFC 9725 §4.3: end the session; for WHIP the room stops being live."""
        close = self.rules.delete(kind, room, session_id)
        await self._sessions[close.session].peer.close()

    async def end_publisher(self, room: str, why: str) -> bool:
        """Ends the room's WHIP session on this node (its organisation's licence lapsed: 4.2.3); the room goes
        idle as on DELETE. False when no local publisher is there."""
        state = self.rules.publisher(room)
        if state is None or state.kind != "whip" or state.closing or state.id not in self._sessions:
            return False
        log.warning("ending publisher session %s… of room %s: %s", state.id[:6], room, why)
        await self.delete("whip", room, state.id)
        return True

    async def start_relay(self, room: str, post: Post) -> PeerSession:
        """Pull ``room`` from its origin through ``post(offer) -> answer``; the relay becomes its publisher."""
        with self._counted():
            state = self.rules.open(room, "relay", None)
        peer = self._peer(state, RelayPeer)
        try:
            await peer.connect(post)
        except BaseException:
            await peer.close()
            raise
        return peer

    async def close(self) -> None:
        """Close every peer and relay, withdraw our rooms from the directory (shutdown)."""
        ending = self.rules.shut_down()
        if self.relays is not None:
            await self.relays.close()
        peers = [self._sessions[sid].peer for sid in ending if sid in self._sessions]
        await asyncio.gather(*(peer.close() for peer in peers), return_exceptions=True)
        if self.announcer is not None:
            await self.announcer.close()

    # -- internals ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _counted(self) -> Iterator[None]:
        """Every refused offer counts in ``livehire_media_refused_total{code}``."""
        try:
            yield
        except LivehireError as exc:
            self.metrics.refused.labels(exc.code).inc()
            log.debug("refused %s: %s", exc.code, exc.message)
            raise

    def _peer(self, state: SessionState, make: Callable[..., P], *, connect_timeout: float | None = None) -> P:
        """The peer of a session the rules just opened, on its room's broadcast, reporting back to the rules."""
        sid = state.id
        try:
            peer = make(
                self._broadcast(state.room),
                ice_servers=[RTCIceServer(urls=url) for url in self.ice_servers], ice=self.ice,
                connect_timeout=self.connect_timeout if connect_timeout is None else connect_timeout,
                on_closed=lambda _: self._closed(sid),
            )
        except BaseException:
            self._apply(self.rules.closed(sid))  # the session never got a peer: forget it at once
            raise
        self._sessions[sid] = Session(sid, state.room, state.kind, peer)
        self.metrics.sessions.labels(state.kind).inc()
        peer.pc.on("connectionstatechange", lambda: self._apply(self.rules.peer_state(sid, peer.state)))
        return peer

    async def _accept(self, peer: PeerSession, accepting: Awaitable[str]) -> str:
        """Await the peer's answer; a failure closes the peer and becomes the client's refusal."""
        try:
            return await accepting
        except CodecMismatch as exc:
            await peer.close()
            raise Invalid("codec_mismatch", str(exc)) from exc
        except NoCandidates as exc:
            await peer.close()
            raise Unavailable("no_ports", str(exc), retry_after=NO_PORTS_RETRY_AFTER) from exc
        except Exception as exc:
            await peer.close()
            raise Invalid("offer_rejected", f"无法协商该 offer：{exc}") from exc

    def _broadcast(self, room: str) -> Broadcast:
        broadcast = self._broadcasts.get(room)
        if broadcast is None:
            broadcast = Broadcast(keyframe_interval=self.keyframe_interval, batch=self.batch)
            self._broadcasts[room] = broadcast
            self.metrics.room_opened(room, lambda: broadcast.bitrate_bps,
                                     lambda: broadcast.forward_latency().quantile(0.99) or 0.0)
        return broadcast

    def _has_media(self, room: str) -> bool:
        broadcast = self._broadcasts.get(room)
        return broadcast is not None and bool(broadcast.codecs())

    def _report_publisher(self, room: str) -> None:
        """Tell the rules what they need before a publish decision: the current peer closing, its last media.

        Media is read here, when a decision needs it, rather than reported per packet (the hot path).
        """
        current = self.rules.publisher(room)
        if current is None:
            return
        session = self._sessions.get(current.id)
        if session is not None and session.peer.closed.is_set():
            self.rules.closing(current.id)
        broadcast = self._broadcasts.get(room)
        last = broadcast.last_packet_at() if broadcast is not None else None
        if last is not None:  # the media plane stamps packets with the loop's clock: convert the age
            age = asyncio.get_running_loop().time() - last
            self.rules.media_seen(room, self.clock.monotonic() - age)

    def _answer(self, state: SessionState, sdp: str) -> Answer:
        return Answer(state.id, f"/{state.kind}/{state.room}/{state.id}", state.etag, sdp)

    def _closed(self, sid: str) -> None:
        session = self._sessions.pop(sid, None)
        if session is not None:
            self.metrics.sessions.labels(session.kind).dec()
        self._apply(self.rules.closed(sid))

    def _apply(self, outputs: list[Output]) -> None:
        for output in outputs:
            if isinstance(output, ViewersChanged):
                self.metrics.viewers.labels(output.room).set(output.viewers)
            elif isinstance(output, LiveChanged):
                self._live_changed(output)
            elif isinstance(output, RoomDropped):
                self._broadcasts.pop(output.room, None)
                self.metrics.room_dropped(output.room)

    def _live_changed(self, change: LiveChanged) -> None:
        room, live = change.room, change.live
        log.info("room %s is %s (%d viewers)%s", room, "live" if live else "idle",
                 self.rules.connected_viewers(room), "" if change.host else " (relay)")
        self.metrics.live.set(len(self.rules.live_rooms()))
        if not change.host:  # only the origin node speaks for the room
            return
        if self.announcer is not None:
            if live:
                self.announcer.live(room)
            else:
                self.announcer.idle(room)
        if self.on_live_change is not None:
            self.on_live_change(room, live)
