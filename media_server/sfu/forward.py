"""Fan-out of one published track to many viewers by RTP forwarding.

Theory of operation: the publisher's receiver hook (:class:`UpstreamTrack`)
pushes each upstream packet into the room's :class:`ForwardedTrack`, which
caches it once and hands it to every :class:`ViewerSink`. A sink rewrites only
the 12-byte header (SSRC, payload type, munged sequence number and timestamp),
SRTP-protects and sends: nothing on this path decodes or encodes.

A video sink starts (and, after a host reconnect, resumes) at the first packet
of a keyframe, so a decoder never sees a delta frame without its reference.
Keyframe requests from joins and viewer PLI/FIR go through one
:class:`KeyframeThrottle` per track, so the publisher gets at most one PLI per
``keyframe_interval`` however many viewers ask.
"""

from __future__ import annotations

import asyncio
import random
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from .cache import CachedPacket, PacketCache
from .fanout import SendBatch
from .keyframe import KeyframeThrottle
from .latency import LatencyWindow
from .munger import SequenceMunger, seq_newer
from .rtp import HeaderWriter, abs_send_time, is_keyframe_start
from .stats import ViewerStats

RESUME_ASK_INTERVAL = 1.0


class Sink(Protocol):
    """What a track forwards each packet to: a viewer's sink, or one waiting to switch onto the track."""

    def forward(self, packet: CachedPacket, now: float) -> None: ...


class PacketWriter(Protocol):
    """Where a sink's packets go (an SRTP/ICE writer in production, a list in tests)."""

    @property
    def connected(self) -> bool: ...

    def send(self, data: bytes) -> bool: ...


@dataclass(frozen=True, slots=True)
class CodecInfo:
    """The publisher's codec of one track, as negotiated (with its original fmtp)."""

    kind: str
    name: str
    clock_rate: int
    channels: int | None = None
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def mime_type(self) -> str:
        return f"{self.kind}/{self.name}"


class ForwardedTrack:
    """One track (audio or video) of a broadcast: its cache, keyframe throttle and sinks."""

    def __init__(self, kind: str, *, keyframe_interval: float = 0.3, cache_size: int = 2048,
                 batch: SendBatch | None = None) -> None:
        self.kind = kind
        self.batch = batch if batch is not None else SendBatch()  # shared with the viewers' writers
        self.codec: CodecInfo | None = None
        self.cache = PacketCache(cache_size)
        self.throttle = KeyframeThrottle(keyframe_interval)
        self.source_id = 0
        self.packets_in = 0
        self.bytes_in = 0
        self.bitrate_bps = 0.0
        self.peak_bps = 0.0  # the highest 1 s rate of this source: orders simulcast layers stably
        self.mean_bps = 0.0  # 1 s rates smoothed over ≈ 3 s: what layer choices compare with estimates
        self.stamp = b"\x00\x00\x00"  # abs-send-time of the packet being forwarded, shared by all sinks
        self.latency = LatencyWindow()  # hook → last viewer's send, per upstream packet (upstream.py measures)
        self.last_packet_at: float | None = None
        self._window_start = 0.0
        self._window_bytes = 0
        self._sinks: list[Sink] = []
        self._upstream: Callable[[], None] | None = None
        self._timer: asyncio.TimerHandle | None = None

    @property
    def sinks(self) -> tuple[Sink, ...]:
        return tuple(self._sinks)

    @property
    def bound(self) -> bool:
        return self._upstream is not None

    def bind_source(self, codec: CodecInfo, request_keyframe: Callable[[], None]) -> int:
        """A (new) publisher feeds this track; viewers resume at its next keyframe."""
        self.source_id += 1
        self.codec = codec
        self.cache.clear()
        self.throttle.reset()
        self._upstream = request_keyframe
        self.last_packet_at = None
        self.peak_bps = self.mean_bps = 0.0
        return self.source_id

    def unbind_source(self, source_id: int) -> None:
        if source_id == self.source_id:
            self._upstream = None
            self.bitrate_bps = 0.0
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

    def flowing(self, now: float, within: float = 1.0) -> bool:
        """Bound and sending: a paused simulcast layer keeps its last bitrate but stops being chosen."""
        return self.bound and self.last_packet_at is not None and now - self.last_packet_at < within

    def add_sink(self, sink: Sink) -> None:
        if sink not in self._sinks:
            self._sinks.append(sink)

    def remove_sink(self, sink: Sink) -> None:
        if sink in self._sinks:
            self._sinks.remove(sink)

    def push(self, source_id: int, seq: int, timestamp: int, marker: int, payload: bytes, now: float) -> None:
        """One upstream packet (already RTX-unwrapped) in; forwarded to every sink."""
        if source_id != self.source_id or self.codec is None:
            return
        known = self.cache.get(seq, now)
        if known is not None and known.timestamp == timestamp:
            return  # a retransmission (or an RTX probe) of a packet every sink already has
        keyframe = self.kind == "video" and is_keyframe_start(self.codec.name, payload)
        packet = CachedPacket(seq, timestamp, marker, payload, now, keyframe)
        self.cache.put(packet)
        self.packets_in += 1
        self.bytes_in += len(payload)
        self.last_packet_at = now
        self._window_bytes += len(payload)
        if now - self._window_start >= 1.0:
            self.bitrate_bps = self._window_bytes * 8 / (now - self._window_start)
            self.peak_bps = max(self.peak_bps, self.bitrate_bps)
            self.mean_bps = self.bitrate_bps if not self.mean_bps else 0.7 * self.mean_bps + 0.3 * self.bitrate_bps
            self._window_start = now
            self._window_bytes = 0
        self.stamp = abs_send_time(now)
        batch = self.batch
        batch.begin()  # the sinks' copies are protected and sent together when the last one is written
        try:
            for sink in self._sinks:
                sink.forward(packet, now)
        finally:
            batch.end()

    def request_keyframe(self, now: float) -> None:
        """Ask the publisher for a keyframe, throttled and aggregated (RFC 4585 §6.3.1)."""
        if self.kind != "video" or self._upstream is None:
            return
        if self.throttle.request(now):
            self._upstream()
            return
        due = self.throttle.due_in(now)
        if due is not None and self._timer is None:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(due, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        if self._upstream is not None and self.throttle.poll(asyncio.get_running_loop().time()):
            self._upstream()


class ViewerSink:
    """One viewer's copy of a track: header rewrite, keyframe gating, NACK answers, stats."""

    def __init__(
        self,
        track: ForwardedTrack,
        writer: PacketWriter,
        header: HeaderWriter,
        *,
        clock_rate: int,
        rtx: tuple[int, int] | None = None,
        on_sent: Callable[[int, int, int], None] | None = None,
        codec_name: str | None = None,
    ) -> None:
        self.track = track
        self.codec_name = codec_name or (track.codec.name if track.codec else None)
        self.writer = writer
        self.header = header
        self.rtx = rtx
        self.munger = SequenceMunger(clock_rate, random.randrange(1 << 15), random.randrange(1 << 32))
        self.stats = ViewerStats(clock_rate)
        self.first_packet_at: float | None = None
        self.keyframes_started = 0
        self._source: int | None = None
        self._start_seq = 0
        self._asked_at: float | None = None
        self._rtx_seq = random.randrange(1 << 15)
        self._on_sent = on_sent
        self._last_out_ts = 0
        self._pending: _SwitchTap | None = None
        self.switches = 0
        self.paused = False

    @property
    def pending(self) -> ForwardedTrack | None:
        """The track this sink switches to at its next keyframe, if any."""
        return self._pending.track if self._pending is not None else None

    def switch(self, track: ForwardedTrack, now: float) -> None:
        """Move to another layer's track at its next keyframe; until then the current one keeps flowing.

        The munger restarts on the new track's first packet, so the viewer sees one
        continuous SSRC, sequence and timestamp line across the switch.
        """
        if track is self.track and not self.paused:
            self._cancel_pending()
            return
        if self._pending is not None and self._pending.track is track:
            return
        self._cancel_pending()
        tap = _SwitchTap(self, track)
        self._pending = tap
        track.add_sink(tap)
        tap.asked_at = now
        track.request_keyframe(now)

    def pause(self) -> None:
        """Stop forwarding (audio-only fallback); :meth:`switch` resumes at a keyframe."""
        self._cancel_pending()
        self.track.remove_sink(self)
        self.paused = True

    def detach(self) -> None:
        """Leave every track (the viewer is gone)."""
        self._cancel_pending()
        self.track.remove_sink(self)

    def _cancel_pending(self) -> None:
        if self._pending is not None:
            self._pending.track.remove_sink(self._pending)
            self._pending = None

    def _switch_at(self, tap: _SwitchTap, packet: CachedPacket, now: float) -> None:
        if tap is not self._pending:
            return
        if not packet.keyframe or not self.writer.connected:
            if tap.asked_at is None or now - tap.asked_at >= RESUME_ASK_INTERVAL:
                tap.asked_at = now
                tap.track.request_keyframe(now)
            return
        self._cancel_pending()
        self.track.remove_sink(self)
        self.track = tap.track
        self.track.add_sink(self)
        self._source = None
        self.paused = False
        self.switches += 1
        self.forward(packet, now)

    @property
    def started(self) -> bool:
        return self._source == self.track.source_id

    def forward(self, packet: CachedPacket, now: float) -> None:
        track = self.track
        if self._source != track.source_id:
            if not self.writer.connected or (track.codec is not None and track.codec.name != self.codec_name):
                return  # not connected yet, or the new publisher sends a codec this viewer did not negotiate
            if track.kind == "video" and not packet.keyframe:
                if self._asked_at is None or now - self._asked_at >= RESUME_ASK_INTERVAL:
                    self._asked_at = now
                    track.request_keyframe(now)
                return
            self._begin(packet, now)
            return
        if 0 < (self._start_seq - packet.seq) % 65536 < 32768:  # seq_newer(start, seq), inlined (per copy)
            return  # reordered packet from before our start point
        self._send(packet, now)

    def _begin(self, packet: CachedPacket, now: float) -> None:
        """Start at the first cached packet of this keyframe's frame (SPS/PPS may precede the IDR)."""
        track = self.track
        start = track.cache.frame_start(packet.seq) if track.kind == "video" else packet.seq
        first = track.cache.get(start) or packet
        self.munger.start(track.source_id, first.seq, first.timestamp, now)
        self._source = track.source_id
        self._start_seq = first.seq
        self._asked_at = None
        self.keyframes_started += 1
        seq = first.seq
        while seq != packet.seq:
            cached = track.cache.get(seq)
            if cached is not None:
                self._send(cached, now)
            seq = (seq + 1) & 0xFFFF
        self._send(packet, now)

    def _send(self, packet: CachedPacket, now: float) -> None:
        seq, ts = self.munger.map(packet.seq, packet.timestamp, now)
        if self.writer.send(self.header.forward(seq, ts, packet.marker, packet.payload, self.track.stamp)):
            if self.first_packet_at is None:
                self.first_packet_at = now
            self.stats.on_sent(len(packet.payload), now)
            self._last_out_ts = ts
            if packet.marker and self._on_sent is not None:
                self._on_sent(self.stats.packets_sent, self.stats.bytes_sent, ts)

    def on_nack(self, lost: list[int], now: float) -> None:
        """Answer a viewer's NACK (RFC 4585 §6.2.1) from the shared cache, as RTX if negotiated (RFC 4588)."""
        self.stats.nacks_received += 1
        if not self.started:
            return
        for out_seq in lost:
            src = self.munger.unmap_seq(out_seq)
            if seq_newer(self._start_seq, src):
                continue
            packet = self.track.cache.get(src, now)
            if packet is None:
                continue
            _, ts = self.munger.map(packet.seq, packet.timestamp, now)
            stamp = abs_send_time(now)
            if self.rtx is None:
                data = self.header.write(out_seq, ts, packet.marker, packet.payload, stamp=stamp)
            else:
                rtx_pt, rtx_ssrc = self.rtx
                data = self.header.write(
                    self._rtx_seq, ts, packet.marker, struct.pack("!H", out_seq) + packet.payload,
                    payload_type=rtx_pt, ssrc=rtx_ssrc, stamp=stamp,
                )
                self._rtx_seq = (self._rtx_seq + 1) & 0xFFFF
            if self.writer.send(data):
                self.stats.retransmitted += 1

    def on_keyframe_request(self, now: float) -> None:
        """A viewer PLI or FIR (RFC 5104 §4.3.1): forwarded upstream through the throttle."""
        self.stats.plis_received += 1
        self.track.request_keyframe(now)


class _SwitchTap:
    """Sits in the target track's sinks while a sink waits there for a keyframe."""

    __slots__ = ("asked_at", "sink", "track")

    def __init__(self, sink: ViewerSink, track: ForwardedTrack) -> None:
        self.sink = sink
        self.track = track
        self.asked_at: float | None = None

    def forward(self, packet: CachedPacket, now: float) -> None:
        self.sink._switch_at(self, packet, now)
