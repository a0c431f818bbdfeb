"""Drives one viewer's video sink across simulcast layers with a :class:`LayerSelector`.

The selector decides on numbers (layer rates lowest first, the viewer's
estimate); this class maps its index onto the broadcast's layer tracks, ordered
by their measured bitrate (rids name layers, but only rates say which is
higher), and moves the sink: :meth:`ViewerSink.switch` at the target layer's
next keyframe, or :meth:`ViewerSink.pause` for audio only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from .forward import ForwardedTrack, ViewerSink
from .layers import LayerSelector

#: What a viewer may pin: a rid of the broadcast, or ``AUTO`` (bandwidth decides), or ``AUDIO_ONLY``.
log = logging.getLogger("livehire.media.layers")

AUTO = "auto"
AUDIO_ONLY = "audio"


class ViewerLayers:
    """One viewer's layer choice; ``tick`` on every estimate and on a timer."""

    def __init__(
        self,
        sink: ViewerSink,
        primary: ForwardedTrack,
        layers: Callable[[], Mapping[str, ForwardedTrack]],
        *,
        audio: ForwardedTrack | None = None,
        selector: LayerSelector | None = None,
        pin: str = AUTO,
    ) -> None:
        self.sink = sink
        self.primary = primary
        self._layers = layers
        self.audio = audio
        self.selector = selector or LayerSelector()
        self.pinned = pin
        self._switches = sink.switches

    def ordered(self, now: float) -> list[tuple[str, ForwardedTrack, float]]:
        """The broadcast's layers, lowest first, with their smoothed rate (0 when not flowing).

        Ordered by each layer's peak rate, which settles while a publisher ramps up its
        layers one by one, where the current rates may cross for a while.
        """
        ordered = sorted(self._layers().items(), key=lambda layer: layer[1].peak_bps)
        return [(rid, track, track.mean_bps if track.flowing(now) else 0.0) for rid, track in ordered]

    def initial(self, now: float) -> ForwardedTrack:
        """The track a new viewer starts on: its pin, else the lowest flowing layer (small first keyframe)."""
        layers = self.ordered(now)
        for rid, track, _ in layers:
            if rid == self.pinned:
                return track
        flowing = [track for _, track, rate in layers if rate > 0]
        return flowing[0] if flowing else self.primary

    def pin(self, choice: str, now: float) -> None:
        """``AUTO``, ``AUDIO_ONLY`` or a rid; applied at once (at the layer's next keyframe)."""
        self.pinned = choice
        if choice == AUTO:
            self.selector.pin(None)
        self.tick(now)

    def on_estimate(self, bitrate_bps: float, now: float) -> None:
        self.selector.on_estimate(bitrate_bps, now)
        self.tick(now)

    def on_loss(self, fraction_lost: float) -> None:
        self.selector.on_loss(fraction_lost)

    def tick(self, now: float) -> None:
        if self.sink.switches != self._switches:
            self._switches = self.sink.switches
            self.selector.on_switched(now)
        layers = self.ordered(now)
        if not layers:
            if self.sink.track is not self.primary or self.sink.paused:
                self.sink.switch(self.primary, now)  # a single-layer publisher replaced a simulcast one
            return
        if self.pinned == AUDIO_ONLY:
            if not self.sink.paused:
                self.sink.pause()
            return
        rids = [rid for rid, _, _ in layers]
        if self.pinned in rids:
            self.selector.pin(rids.index(self.pinned))
        audio_bps = self.audio.bitrate_bps if self.audio is not None and self.audio.bound else 0.0
        before = self.selector.target
        target = self.selector.update([rate for _, _, rate in layers], audio_bps, now)
        if target != before:
            log.debug("layer %s -> %s at estimate %s, layers %s", before, target, self.selector.estimate_bps,
                      [(rid, round(rate)) for rid, _, rate in layers])
        if target is None:
            if not self.sink.paused:
                self.sink.pause()
            return
        track = layers[target][1]
        if (track is not self.sink.track or self.sink.paused) and track is not self.sink.pending:
            self.sink.switch(track, now)

    def layer(self) -> str | None:
        """The rid the viewer receives now (``None``: audio only or no simulcast)."""
        if self.sink.paused:
            return None
        for rid, track in self._layers().items():
            if track is self.sink.track:
                return rid
        return None

    def snapshot(self, now: float) -> dict[str, object]:
        estimate = self.selector.estimate_bps
        return {
            "upgrade_hold_s": round(self.selector.hold_remaining(now), 1),
            "layer": self.layer() if self._layers() else None,
            "audio_only": self.sink.paused,
            "pinned": self.pinned,
            "estimate_bps": None if estimate is None else round(estimate),
            "switches": self.sink.switches,
        }
