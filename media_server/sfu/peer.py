"""Server-side peers: a publisher feeding a :class:`Broadcast`, and viewers fed by it.

aiortc does SDP, ICE, DTLS and SRTP; media bypasses its codecs through the
hooks in :mod:`media_server.sfu.aiortc_hooks`. A :class:`PeerSession` closes
itself when ICE/DTLS fails or does not connect in time, so no abandoned peer
holds sockets (issue 3: "never leak a peer").
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from typing import Any

from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription
from aiortc.codecs import is_rtx
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from aiortc.rtcrtptransceiver import RTCRtpTransceiver
from aiortc.rtp import (
    RTCP_PSFB_APP,
    RTCP_PSFB_FIR,
    RTCP_PSFB_PLI,
    RTCP_RTPFB_NACK,
    AnyRtcpPacket,
    RtcpPsfbPacket,
    RtcpRrPacket,
    RtcpRtpfbPacket,
    RtcpSrPacket,
    unpack_remb_fci,
)

from . import aiortc_hooks
from .broadcast import Broadcast
from .forward import CodecInfo, ViewerSink
from .ice import IceOptions, install_gatherer
from .layered_upstream import LayeredUpstream
from .rtp import HeaderWriter, mid_extension
from .upstream import UpstreamTrack
from .viewer_layers import AUTO, ViewerLayers

MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid"
ABS_SEND_TIME_URI = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
RID_URI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
REPAIRED_RID_URI = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"
#: How often each viewer's layer choice is re-decided besides on its estimates, and the C fan-out's counters read (s).
LAYER_TICK = 0.5


class IdleTrack(MediaStreamTrack):
    """A sender track that never yields a frame: sinks write RTP themselves, aiortc's encoder stays idle."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self._never: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def recv(self) -> Any:
        await self._never
        raise MediaStreamError

    def stop(self) -> None:
        super().stop()
        if not self._never.done():
            self._never.cancel()


def _main_and_rtx(codecs: Sequence[RTCRtpCodecParameters]) -> tuple[RTCRtpCodecParameters, int, int | None]:
    main = next(c for c in codecs if not is_rtx(c))
    if main.payloadType is None:
        raise ValueError("negotiated codec without payload type")
    rtx = next((c.payloadType for c in codecs if is_rtx(c) and c.parameters.get("apt") == main.payloadType), None)
    return main, main.payloadType, rtx


def codec_info(kind: str, codec: RTCRtpCodecParameters, parameters: dict[str, Any] | None = None) -> CodecInfo:
    return CodecInfo(
        kind=kind,
        name=codec.mimeType.split("/", 1)[1].lower(),
        clock_rate=codec.clockRate,
        channels=codec.channels,
        parameters=dict(codec.parameters if parameters is None else parameters),
    )


class NoCandidates(RuntimeError):
    """Gathering produced no candidate: every port of the configured range is in use."""


class CodecMismatch(ValueError):
    """The viewer cannot receive the publisher's codec (forwarding never transcodes)."""

    def __init__(self, kind: str, codec: CodecInfo) -> None:
        super().__init__(f"the viewer does not offer {codec.mime_type}, which the publisher sends for {kind}")
        self.kind = kind
        self.codec = codec


def codec_matches(info: CodecInfo, candidate: RTCRtpCodecParameters) -> bool:
    """Same codec and, for H264, the same packetization mode (RFC 6184 §8.1); profiles are settled in SDP."""
    if candidate.mimeType.lower() != info.mime_type.lower() or candidate.clockRate != info.clock_rate:
        return False
    if info.name == "h264":
        mode = str(info.parameters.get("packetization-mode", "0"))
        return str(candidate.parameters.get("packetization-mode", "0")) == mode
    return True


class PeerSession:
    """One RTCPeerConnection with self-cleanup on failure or connect timeout."""

    def __init__(
        self,
        *,
        ice_servers: Sequence[RTCIceServer] = (),
        ice: IceOptions | None = None,
        connect_timeout: float = 20.0,
        on_closed: Callable[[PeerSession], None] | None = None,
    ) -> None:
        aiortc_hooks.check_version()
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=list(ice_servers)))
        self.connected = asyncio.Event()
        self.closed = asyncio.Event()
        self._on_closed = on_closed
        self._ice = ice or IceOptions()
        self._connect_timeout = connect_timeout
        self._timeout: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Future[None]] = set()
        self.pc.on("connectionstatechange", self._on_state)

    @property
    def state(self) -> str:
        return str(self.pc.connectionState)

    async def _negotiate(self, offer_sdp: str) -> str:
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
        self._prepare()
        install_gatherer(self.pc, self._ice)
        answer = await self.pc.createAnswer()
        await self.pc.setLocalDescription(answer)
        if not self.local_candidates():
            raise NoCandidates("no local ICE candidate could be bound (UDP port range exhausted?)")
        self._bind()
        loop = asyncio.get_running_loop()
        self._timeout = loop.call_later(self._connect_timeout, self._on_timeout)
        return str(self.pc.localDescription.sdp)

    @property
    def mids(self) -> list[str]:
        return [t.mid for t in self.pc.getTransceivers() if t.mid is not None]

    def local_candidates(self) -> list[str]:
        """Our gathered candidates as SDP ``candidate:`` values (all go in the answer: OBS never trickles)."""
        return aiortc_hooks.local_candidates(self.pc)

    async def add_remote_candidate(self, mid: str | None, candidate: str) -> None:
        """A trickled remote candidate (RFC 8840); unknown mids fall back to the first m-line."""
        await aiortc_hooks.add_remote_candidate(self.pc, mid if mid in self.mids else None, candidate)

    def restart_ice(self, remote_ufrag: str | None, remote_pwd: str | None) -> tuple[str, str]:
        """New local ICE credentials (and the peer's new ones) for an RFC 9725 §4.4.2 ICE restart."""
        return aiortc_hooks.restart_ice(self.pc, remote_ufrag, remote_pwd)

    def _prepare(self) -> None:
        """Hook for subclasses: attach tracks between remote and local description."""

    def _bind(self) -> None:
        """Hook for subclasses: bind media once the answer is set."""

    def _unbind(self) -> None:
        """Hook for subclasses: release media on close."""

    def _on_state(self) -> None:
        state = self.pc.connectionState
        if state == "connected":
            self.connected.set()
            if self._timeout is not None:
                self._timeout.cancel()
                self._timeout = None
        elif state in ("failed", "closed"):
            self._spawn(self.close())

    def _on_timeout(self) -> None:
        self._timeout = None
        if not self.connected.is_set():
            self._spawn(self.close())

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        if self.closed.is_set():
            return
        self.closed.set()
        if self._timeout is not None:
            self._timeout.cancel()
            self._timeout = None
        self._unbind()
        with contextlib.suppress(Exception):
            await self.pc.close()
        if self._on_closed is not None:
            self._on_closed(self)


class PublisherPeer(PeerSession):
    """The host's peer: its receivers feed the broadcast's tracks."""

    def __init__(self, broadcast: Broadcast, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.broadcast = broadcast
        self.upstream: dict[str, UpstreamTrack | LayeredUpstream] = {}
        self._original: dict[int, dict[str, Any]] = {}
        self._ssrc_hints: dict[str, int] = {}
        self._rids: tuple[str, ...] = ()
        self._rid_ext: tuple[int, int | None] | None = None

    async def accept(
        self,
        offer_sdp: str,
        *,
        original_parameters: dict[int, dict[str, Any]] | None = None,
        media_ssrcs: dict[str, int] | None = None,
        rids: Sequence[str] = (),
        rid_extension_ids: tuple[int, int | None] | None = None,
    ) -> str:
        """Answer the publisher's offer; ``original_parameters`` restores fmtp the SDP layer simplified.

        ``rids``: the video simulcast layers (RFC 8853), told apart by the rid header
        extensions whose offered ids ``rid_extension_ids`` gives (rid, repaired rid).
        """
        self._original = dict(original_parameters or {})
        self._ssrc_hints = dict(media_ssrcs or {})
        self._rids = tuple(rids)
        self._rid_ext = rid_extension_ids
        return await self._negotiate(offer_sdp)

    def _prepare(self) -> None:
        if not self._rids or self._rid_ext is None:
            return
        rid_id, repaired_id = self._rid_ext
        extensions = [(rid_id, RID_URI)] + ([(repaired_id, REPAIRED_RID_URI)] if repaired_id is not None else [])
        for transceiver in self.pc.getTransceivers():
            if transceiver.kind == "video":
                aiortc_hooks.add_header_extensions(transceiver, extensions)

    def _bind(self) -> None:
        for transceiver in self.pc.getTransceivers():
            if transceiver.kind not in self.broadcast.tracks or not transceiver._codecs:
                continue
            main, pt, rtx = _main_and_rtx(transceiver._codecs)
            info = codec_info(transceiver.kind, main, self._original.get(pt))
            if transceiver.kind == "video":
                layers = self.broadcast.use_layers(self._rids)
                if layers:
                    self.upstream["video"] = LayeredUpstream(transceiver.receiver, layers, info, payload_type=pt,
                                                             rtx_payload_type=rtx)
                    continue
            self.upstream[transceiver.kind] = UpstreamTrack(
                transceiver.receiver,
                self.broadcast.tracks[transceiver.kind],
                info,
                payload_type=pt,
                rtx_payload_type=rtx,
                media_ssrc=self._ssrc_hints.get(transceiver.kind),
            )

    def _unbind(self) -> None:
        for upstream in self.upstream.values():
            upstream.close()

    def stats(self) -> dict[str, Any]:
        return {kind: up.stats() for kind, up in self.upstream.items()}


class ViewerPeer(PeerSession):
    """A viewer's peer: one sink per track the broadcast has, written by RTP forwarding."""

    def __init__(self, broadcast: Broadcast, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.broadcast = broadcast
        self.sinks: dict[str, ViewerSink] = {}
        self.layers: ViewerLayers | None = None
        self._sending: list[RTCRtpTransceiver] = []
        self._pin = AUTO
        self._tick: asyncio.TimerHandle | None = None

    async def accept(self, offer_sdp: str, *, layer: str = AUTO) -> str:
        """Answer a viewer's offer; ``layer`` pins a simulcast layer (a rid), audio only, or ``auto``."""
        self._pin = layer
        return await self._negotiate(offer_sdp)

    def pin_layer(self, layer: str) -> None:
        self._pin = layer
        if self.layers is not None:
            self.layers.pin(layer, asyncio.get_running_loop().time())

    def _on_tick(self) -> None:
        loop = asyncio.get_running_loop()
        self._tick = loop.call_later(LAYER_TICK, self._on_tick)
        if self.layers is not None and self.connected.is_set():
            self.layers.tick(loop.time())
        for sink in self.sinks.values():
            sink.refresh()

    def _prepare(self) -> None:
        for transceiver in self.pc.getTransceivers():
            track = self.broadcast.tracks.get(transceiver.kind)
            if track is None or not track.bound or track.codec is None:
                continue
            if transceiver.kind in {t.kind for t in self._sending}:
                continue
            keep = [c for c in transceiver._codecs if not is_rtx(c) and codec_matches(track.codec, c)][:1]
            if not keep:
                raise CodecMismatch(transceiver.kind, track.codec)
            keep += [c for c in transceiver._codecs if is_rtx(c) and c.parameters.get("apt") == keep[0].payloadType]
            transceiver._codecs = keep
            self.pc.addTrack(IdleTrack(transceiver.kind))
            self._sending.append(transceiver)

    def _bind(self) -> None:
        loop = asyncio.get_running_loop()
        for transceiver in self._sending:
            if not transceiver._codecs:
                continue
            main, pt, rtx_pt = _main_and_rtx(transceiver._codecs)
            sender = transceiver.sender
            ext_id = next((e.id for e in transceiver._headerExtensions if e.uri == MID_URI), None)
            abs_id = next((e.id for e in transceiver._headerExtensions if e.uri == ABS_SEND_TIME_URI), None)
            header = HeaderWriter(sender._ssrc, pt, mid_extension(ext_id, transceiver.mid),
                                  abs_send_time_id=abs_id if transceiver.kind == "video" else None)

            def report(packets: int, octets: int, ts: int, sent_at: float, sender: Any = sender) -> None:
                aiortc_hooks.set_sender_counters(sender, packets, octets, ts, age=loop.time() - sent_at)

            sink = ViewerSink(
                self.broadcast.tracks[transceiver.kind],
                aiortc_hooks.RtpWriter(sender.transport, self.broadcast.batch),
                header,
                clock_rate=main.clockRate,
                rtx=(rtx_pt, sender._rtx_ssrc) if rtx_pt is not None else None,
                on_sent=report,
            )
            self.sinks[transceiver.kind] = sink
            if transceiver.kind == "video":
                audio = self.broadcast.tracks["audio"] if any(t.kind == "audio" for t in self._sending) else None
                self.layers = ViewerLayers(sink, self.broadcast.tracks["video"], lambda: self.broadcast.layers,
                                           audio=audio, pin=self._pin)
                sink.track = self.layers.initial(loop.time())

            async def on_rtcp(packet: AnyRtcpPacket, original: aiortc_hooks.RtcpHook, sink: ViewerSink = sink,
                              ssrc: int = sender._ssrc) -> None:
                now = loop.time()
                if isinstance(packet, RtcpRtpfbPacket) and packet.fmt == RTCP_RTPFB_NACK:
                    sink.on_nack(list(packet.lost), now)
                elif isinstance(packet, RtcpPsfbPacket) and packet.fmt in (RTCP_PSFB_PLI, RTCP_PSFB_FIR):
                    sink.on_keyframe_request(now)
                elif isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_APP:
                    if self.layers is not None and sink is self.layers.sink:
                        with contextlib.suppress(ValueError):  # an APP message that is not a REMB
                            self.layers.on_estimate(unpack_remb_fci(packet.fci)[0], now)
                elif isinstance(packet, RtcpRrPacket | RtcpSrPacket):
                    for block in packet.reports:
                        if block.ssrc == ssrc:
                            sink.stats.on_report(block.fraction_lost, block.packets_lost, block.jitter)
                            if self.layers is not None and sink is self.layers.sink:
                                self.layers.on_loss(block.fraction_lost / 256)
                    await original(packet)

            aiortc_hooks.hook_sender_rtcp(sender, on_rtcp)
            sink.track.add_sink(sink)
        self._tick = loop.call_later(LAYER_TICK, self._on_tick)  # layer choice, and the C fan-out's counters
        self._keyframe_on_connect()

    def _keyframe_on_connect(self) -> None:
        """On connection, ask for a keyframe right away (late joiners, issue 3) instead of waiting for a packet."""

        def on_state() -> None:
            if self.pc.connectionState == "connected" and "video" in self.sinks:
                self.sinks["video"].track.request_keyframe(asyncio.get_running_loop().time())  # the sink's layer

        self.pc.on("connectionstatechange", on_state)

    def _unbind(self) -> None:
        if self._tick is not None:
            self._tick.cancel()
            self._tick = None
        for sink in self.sinks.values():
            sink.detach()

    def stats(self) -> dict[str, Any]:
        out: dict[str, Any] = {kind: sink.stats.snapshot() for kind, sink in self.sinks.items()}
        if self.layers is not None and "video" in out:
            out["video"].update(self.layers.snapshot(asyncio.get_running_loop().time()))
        return out
