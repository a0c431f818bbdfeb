"""RTP packets of one track → whole media frames on the recording's timeline (sans-I/O).

Theory of operation: the forwarder hands a recorder each upstream packet once,
in arrival order, already RTX-unwrapped and de-duplicated. A NACK-recovered
packet arrives late, so :class:`Reassembler` keeps a small reorder buffer keyed
by extended sequence number and releases packets in order; a hole that does not
fill within ``horizon`` packets is skipped, the broken frame dropped and, for
video, every frame until the next keyframe (a decoder cannot use a delta frame
without its reference). Payloads are depacketised by the function it is given
(the recorder gives aiortc's own depayloaders). :class:`Timeline` maps each source's RTP timestamps onto the
file's clock: a publisher that reconnects starts a new source with new random
timestamps, and its first frame lands where the wall clock says it arrived.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: Packets a hole may stay open before it is given up (a NACK round trip on a loaded link is well within it).
REORDER_HORIZON = 96


@dataclass(frozen=True, slots=True)
class Frame:
    """One media frame: ``timestamp`` is the RTP timestamp of its source, ``data`` as a container stores it."""

    timestamp: int
    data: bytes
    keyframe: bool


@dataclass(slots=True)
class _Pending:
    timestamp: int
    marker: bool
    payload: bytes
    keyframe: bool


class Reassembler:
    """In-order frames out of one source's packets, whatever order they arrive in."""

    def __init__(self, depayload: Callable[[bytes], bytes] | None, *, horizon: int = REORDER_HORIZON) -> None:
        """``depayload``: a video codec's RTP payload → bitstream; None for audio, whose packets are frames."""
        self.video = depayload is not None
        self.horizon = horizon
        self._depayload = depayload
        self._buffer: dict[int, _Pending] = {}
        self._next: int | None = None  # extended sequence number expected next
        self._parts: list[_Pending] = []
        self._broken = False
        self._need_key = self.video
        self.dropped_frames = 0
        self.skipped_packets = 0
        self.late_packets = 0

    def _extend(self, seq: int) -> int:
        if self._next is None:
            return seq
        delta = (seq - self._next) & 0xFFFF
        if delta >= 0x8000:
            delta -= 0x10000
        return self._next + delta

    def push(self, seq: int, timestamp: int, marker: bool, payload: bytes, keyframe: bool) -> list[Frame]:
        ext = self._extend(seq)
        if self._next is None:
            self._next = ext
        if ext < self._next:
            self.late_packets += 1  # given up on already, or a duplicate
            return []
        self._buffer[ext] = _Pending(timestamp, marker, payload, keyframe)
        out: list[Frame] = []
        self._drain(out)
        while len(self._buffer) > self.horizon:
            self.skipped_packets += min(self._buffer) - self._next
            self._next = min(self._buffer)
            self._broken = bool(self._parts)  # the frame being gathered lost a packet
            self._need_key = self.video  # and so, for video, did some frame's reference
            self._drain(out)
        return out

    def _drain(self, out: list[Frame]) -> None:
        assert self._next is not None
        while (packet := self._buffer.pop(self._next, None)) is not None:
            self._next += 1
            if not self.video:
                out.append(Frame(packet.timestamp, packet.payload, True))
                continue
            if self._parts and self._parts[0].timestamp != packet.timestamp:
                self._finish(out, complete=False)  # a new timestamp without the last frame's marker
            self._parts.append(packet)
            if packet.marker:
                self._finish(out, complete=True)

    def _finish(self, out: list[Frame], *, complete: bool) -> None:
        parts, self._parts = self._parts, []
        broken, self._broken = self._broken, False
        keyframe = parts[0].keyframe
        if broken or not complete or (self._need_key and not keyframe):
            self.dropped_frames += 1
            self._need_key = True
            return
        try:
            assert self._depayload is not None
            data = b"".join(self._depayload(p.payload) for p in parts)
        except ValueError:
            self.dropped_frames += 1
            self._need_key = True
            return
        self._need_key = False
        out.append(Frame(parts[0].timestamp, data, keyframe))


class Timeline:
    """RTP timestamps of successive sources → one increasing clock for a track of the file."""

    def __init__(self, clock_rate: int) -> None:
        self.clock_rate = clock_rate
        self._source: object = None
        self._base_pts = 0
        self._last_ts = 0
        self._ext = 0
        self.last_pts = -1

    def pts(self, source: object, timestamp: int, since_start: float) -> int:
        """``since_start``: seconds from the recording's start to this frame's arrival (places a new source)."""
        if source != self._source:
            self._source = source
            self._base_pts = max(round(since_start * self.clock_rate), self.last_pts + 1)
            self._last_ts = timestamp
            self._ext = 0
        delta = (timestamp - self._last_ts) & 0xFFFFFFFF
        if delta >= 0x80000000:
            delta -= 0x100000000
        self._ext += delta
        self._last_ts = timestamp
        pts = max(self._base_pts + self._ext, self.last_pts + 1)  # a container needs strictly increasing times
        self.last_pts = pts
        return pts
