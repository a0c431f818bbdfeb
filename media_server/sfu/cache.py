"""Per-track packet cache answering NACKs (sans-I/O).

Retransmissions are served from here rather than from each viewer's sender, so
the cache is kept once per published track and shared by every viewer. A ring
indexed by sequence number is O(1) for insert and lookup; its 2048 slots hold
several seconds of a typical live stream, well above the 1 s the issue asks for
(figures: docs/media.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class CachedPacket:
    """One upstream packet as forwarded: what a viewer header needs plus the payload."""

    seq: int
    timestamp: int
    marker: int
    payload: bytes
    arrival: float
    keyframe: bool = False


class PacketCache:
    """Ring of recent packets keyed by upstream sequence number."""

    __slots__ = ("_max_age", "_size", "_slots")

    def __init__(self, size: int = 2048, max_age: float = 5.0) -> None:
        if size <= 0 or size & (size - 1):
            raise ValueError("cache size must be a power of two")
        self._size = size
        self._max_age = max_age
        self._slots: list[CachedPacket | None] = [None] * size

    def put(self, packet: CachedPacket) -> None:
        self._slots[packet.seq & (self._size - 1)] = packet

    def get(self, seq: int, now: float | None = None) -> CachedPacket | None:
        packet = self._slots[seq & (self._size - 1)]
        if packet is None or packet.seq != seq:
            return None
        if now is not None and now - packet.arrival > self._max_age:
            return None
        return packet

    def frame_start(self, seq: int) -> int:
        """The first cached sequence number of the frame (same timestamp) containing ``seq``."""
        packet = self.get(seq)
        if packet is None:
            return seq
        start = seq
        for _ in range(self._size - 1):
            previous = self.get((start - 1) % 65536)
            if previous is None or previous.timestamp != packet.timestamp:
                break
            start = previous.seq
        return start

    def clear(self) -> None:
        self._slots = [None] * self._size
