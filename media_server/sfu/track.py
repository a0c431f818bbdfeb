"""One published track's fan-out point: its packet cache, keyframe throttle and sinks (see forward.py).

Its sinks are forwarded to in one of two ways per packet: the steady viewers'
copies by one C call (``SendBatch.forward``: rewrite, protect, send for each),
the others by Python (``sink.forward``), whose copies are batched too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from .cache import CachedPacket, PacketCache
from .fanout import SendBatch
from .keyframe import KeyframeThrottle
from .latency import LatencyWindow
from .rtp import abs_send_time, is_keyframe_start


class Sink(Protocol):
    """What a track forwards each packet to: a viewer's sink, or one waiting to switch onto the track."""

    def forward(self, packet: CachedPacket, now: float) -> None: ...


class SteadySink(Sink, Protocol):
    """A sink the C fan-out can forward for (``forward.ViewerSink``): its ``steady`` copy while it does."""

    steady: Any
    writer: Any

    def unsteady(self) -> None: ...


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
        self._slow: list[Sink] = []  # the sinks Python forwards to per packet (all but the steady ones)
        self._steady: list[Any] = []  # ``_fanout.Viewer`` of each steady sink: rewritten and sent in C
        self._steady_sinks: list[SteadySink] = []
        self._steady_writers: list[Any] = []
        self._joining: list[SteadySink] = []  # becoming steady once the current packet is out
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
        for sink in list(self._steady_sinks):  # they start again at the new source's keyframe, in Python
            sink.unsteady()
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
            self._slow.append(sink)

    def remove_sink(self, sink: Sink) -> None:
        if sink in self._sinks:
            self._sinks.remove(sink)
        self._leave_steady(sink)
        if sink in self._slow:
            self._slow.remove(sink)

    def make_steady(self, sink: SteadySink) -> None:
        """After this packet, ``sink`` (its ``steady`` set) is forwarded by the C fan-out."""
        self._joining.append(sink)

    def make_slow(self, sink: SteadySink) -> None:
        self._leave_steady(sink)
        if sink in self._sinks and sink not in self._slow:
            self._slow.append(sink)

    def _leave_steady(self, sink: Sink) -> None:
        if sink in self._joining:
            self._joining.remove(sink)
        if sink in self._steady_sinks:
            index = self._steady_sinks.index(sink)  # type: ignore[arg-type]
            del self._steady[index], self._steady_sinks[index], self._steady_writers[index]

    def _join(self) -> None:
        joining, self._joining = self._joining, []
        for sink in joining:
            if sink.steady is not None and sink in self._slow and sink not in self._steady_sinks:
                self._slow.remove(sink)
                self._steady.append(sink.steady)
                self._steady_sinks.append(sink)
                self._steady_writers.append(sink.writer)

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
        if self._steady:  # rewrite + protect + send for every steady viewer, in one C call
            batch.forward(self._steady, self._steady_writers, (seq, timestamp, marker, payload), self.stamp, now)
        if self._slow:
            batch.begin()  # the other sinks' copies are protected and sent together when the last one is written
            try:
                for sink in self._slow:
                    sink.forward(packet, now)
            finally:
                batch.end()
        if self._joining:
            self._join()

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
