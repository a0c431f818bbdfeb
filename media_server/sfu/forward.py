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

import random
import struct
from collections.abc import Callable
from typing import Any

from .cache import CachedPacket
from .munger import SequenceMunger, seq_newer
from .rtp import HeaderWriter, abs_send_time
from .stats import ViewerStats
from .steady import load, pull
from .track import CodecInfo, ForwardedTrack, PacketWriter, Sink

__all__ = ["RESUME_ASK_INTERVAL", "CodecInfo", "ForwardedTrack", "PacketWriter", "Sink", "ViewerSink"]

RESUME_ASK_INTERVAL = 1.0


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
        on_sent: Callable[[int, int, int, float], None] | None = None,
        codec_name: str | None = None,
    ) -> None:
        self.track = track
        self.codec_name = codec_name or (track.codec.name if track.codec else None)
        self.writer = writer
        self.header = header
        self.rtx = rtx
        self.munger = SequenceMunger(clock_rate, random.randrange(1 << 15), random.randrange(1 << 32))
        self._stats = ViewerStats(clock_rate)
        self.first_packet_at: float | None = None
        self.keyframes_started = 0
        self._source: int | None = None
        self._start_seq = 0
        self._asked_at: float | None = None
        self._rtx_seq = random.randrange(1 << 15)
        self._on_sent = on_sent  # (packets, octets, RTP timestamp) at a frame's end, and when it was sent
        self.steady: Any = None  # a ``_fanout.Viewer`` while the C fan-out forwards this sink
        self._pending: _SwitchTap | None = None
        self.switches = 0
        self.paused = False

    @property
    def stats(self) -> ViewerStats:
        """Current counters (taken back from the C fan-out first when steady)."""
        if self.steady is not None:
            self._pull(self.steady)
        return self._stats

    def _pull(self, copy: Any) -> None:
        report = pull(copy, self.munger, self._stats)
        if report is not None and self._on_sent is not None:
            self._on_sent(*report)

    def unsteady(self) -> None:
        """Back to the Python path, state taken back: before a rare event, or when the writer's path changed."""
        copy = self.steady
        if copy is not None:
            self._pull(copy)
            self.steady = None
            self.track.make_slow(self)

    def refresh(self) -> None:
        """Periodic (the peer's tick): report the C counters; fall back if the writer's socket or context changed."""
        copy = self.steady
        if copy is not None:
            still = getattr(self.writer, "still_steady", None)
            if still is None or not still(copy):
                self.unsteady()
            else:
                self._pull(copy)

    def _try_steady(self) -> None:
        steady_copy = getattr(self.writer, "steady_copy", None)
        if steady_copy is None:
            return
        copy = steady_copy(self.header.template, self.unsteady)
        if copy is not None:
            load(copy, self.munger, self._stats, self._start_seq)
            self.steady = copy
            self.track.make_steady(self)

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
        self.unsteady()
        self._cancel_pending()
        self.track.remove_sink(self)
        self.paused = True

    def detach(self) -> None:
        """Leave every track (the viewer is gone)."""
        self.unsteady()
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
        self.unsteady()
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
        if self.steady is None and track.batch.active:
            self._try_steady()

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
            stats = self._stats
            stats.on_sent(len(packet.payload), now)
            if packet.marker and self._on_sent is not None:
                self._on_sent(stats.packets_sent, stats.bytes_sent, ts, now)

    def on_nack(self, lost: list[int], now: float) -> None:
        """Answer a viewer's NACK (RFC 4585 §6.2.1) from the shared cache, as RTX if negotiated (RFC 4588)."""
        self._stats.nacks_received += 1
        if not self.started:
            return
        copy = self.steady
        if copy is not None:  # the munger's state is the C fan-out's until handed back after the answer
            self._pull(copy)
        try:
            self._answer_nack(lost, now)
        finally:
            if copy is not None and copy is self.steady:
                load(copy, self.munger, self._stats, self._start_seq)

    def _answer_nack(self, lost: list[int], now: float) -> None:
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
                self._stats.retransmitted += 1

    def on_keyframe_request(self, now: float) -> None:
        """A viewer PLI or FIR (RFC 5104 §4.3.1): forwarded upstream through the throttle."""
        self._stats.plis_received += 1
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
