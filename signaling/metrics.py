"""The signaling layer's Prometheus series, on the registry the composition root gives."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge


class SignalingMetrics:
    """Sessions per kind, viewers and ingest bitrate per room, live rooms, refused offers per code."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.sessions = Gauge("livehire_media_sessions", "Open WebRTC sessions", ["kind"], registry=registry)
        self.viewers = Gauge("livehire_media_room_viewers", "Viewers per live room", ["room"], registry=registry)
        self.bitrate = Gauge("livehire_media_room_bitrate_bps", "Ingest bitrate per room", ["room"],
                             registry=registry)
        self.refused = Counter("livehire_media_refused_total", "Refused offers", ["code"], registry=registry)
        self.live = Gauge("livehire_media_live_rooms", "Rooms with a live publisher", registry=registry)
        self.latency = Gauge("livehire_media_forward_latency_p99_seconds",
                             "Per upstream packet: receiver hook to the last viewer's send, p99 of the last 10-20 s",
                             ["room"], registry=registry)

    def room_opened(self, room: str, bitrate: Callable[[], float], latency_p99: Callable[[], float]) -> None:
        self.bitrate.labels(room).set_function(bitrate)
        self.latency.labels(room).set_function(latency_p99)

    def room_dropped(self, room: str) -> None:
        """A room without sessions has no series left (room slugs are not a fixed set)."""
        for gauge in (self.bitrate, self.viewers, self.latency):
            with contextlib.suppress(KeyError):
                gauge.remove(room)
