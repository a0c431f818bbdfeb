"""The media of one live stream, shared by its publisher's and viewers' peers (no rooms here)."""

from __future__ import annotations

from collections.abc import Sequence

from .fanout import SendBatch
from .forward import CodecInfo, ForwardedTrack
from .latency import LatencyHistogram


class Broadcast:
    """The media of one live stream: one forwarded track per kind. Knows nothing of rooms."""

    def __init__(self, *, keyframe_interval: float = 0.3, batch: SendBatch | None = None) -> None:
        #: the fan-out's send batch: its owner's (the signaling service's), else this broadcast's own
        self.batch = batch if batch is not None else SendBatch()
        self.tracks = {kind: ForwardedTrack(kind, keyframe_interval=keyframe_interval, batch=self.batch)
                       for kind in ("audio", "video")}
        self.layers: dict[str, ForwardedTrack] = {}  # a simulcast publisher's video layers by rid, else empty
        self._keyframe_interval = keyframe_interval
        self._extra: dict[str, ForwardedTrack] = {}

    def use_layers(self, rids: Sequence[str]) -> list[tuple[str, ForwardedTrack]]:
        """The video tracks for a publisher's rids: the first rid feeds ``tracks["video"]`` (relays, defaults).

        A rid's track outlives its publisher, so viewers on it resume when the host reconnects.
        """
        layers = [(rids[0], self.tracks["video"])] if rids else []
        for rid in rids[1:]:
            if rid not in self._extra:
                self._extra[rid] = ForwardedTrack("video", keyframe_interval=self._keyframe_interval,
                                                    batch=self.batch)
            layers.append((rid, self._extra[rid]))
        self.layers = dict(layers)
        return layers

    def layer_names(self) -> list[str]:
        """The simulcast rids whose publisher is bound, the highest (by peak bitrate) first."""
        bound = [(track.peak_bps, rid) for rid, track in self.layers.items() if track.bound]
        return [rid for _, rid in sorted(bound, reverse=True)]

    def all_tracks(self) -> list[ForwardedTrack]:
        return [*self.tracks.values(), *(t for t in self.layers.values() if t is not self.tracks["video"])]

    def forward_latency(self, *, take: bool = False) -> LatencyHistogram:
        """Hook → last viewer's send of the recent packets of every track (``take``: and start afresh)."""
        merged = LatencyHistogram()
        for track in self.all_tracks():
            merged.merge(track.latency.take() if take else track.latency.recent())
        return merged

    def codecs(self) -> dict[str, CodecInfo]:
        return {kind: t.codec for kind, t in self.tracks.items() if t.bound and t.codec is not None}

    @property
    def bitrate_bps(self) -> float:
        return sum(t.bitrate_bps for t in self.all_tracks() if t.bound)

    def last_packet_at(self) -> float | None:
        times = [t.last_packet_at for t in self.all_tracks() if t.bound and t.last_packet_at is not None]
        return max(times) if times else None
