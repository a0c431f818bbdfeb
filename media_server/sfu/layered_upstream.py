"""A simulcast publisher's video: one aiortc receiver, several layers, each its own forwarded track.

Packets of all layers arrive on one receiver (aiortc routes them by payload
type). A layer is told apart by its rid header extension (RFC 8852): media
packets carry ``rtp-stream-id``, RTX packets ``repaired-rtp-stream-id``.
Publishers may stop sending the rid once the SSRC is known (libwebrtc does
after the first receiver report), so each SSRC's rid is remembered.

Each layer has its own keyframe requests (PLI to that layer's media SSRC) and
its own upstream NACKs. Nothing downstream depends on a lower layer answering
NACKs (OBS answers them on its top layer only): a viewer that misses a packet
the publisher never resends asks for a keyframe, which the layer's PLI gets.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

from aiortc.rtcrtpreceiver import RTCRtpReceiver
from aiortc.rtp import RtcpPsfbPacket, RtpPacket

from . import aiortc_hooks
from .forward import CodecInfo, ForwardedTrack
from .nack import NackTracker
from .upstream import push_packet, send_feedback, unwrap_rtx

#: At most this many SSRCs are remembered per publisher (media and RTX of 4 layers, and some slack).
MAX_SSRCS = 16


class _Layer:
    __slots__ = ("media_ssrc", "nack", "packets", "plis_sent", "rid", "source_id", "track")

    def __init__(self, rid: str, track: ForwardedTrack) -> None:
        self.rid = rid
        self.track = track
        self.source_id = 0
        self.media_ssrc: int | None = None
        self.nack = NackTracker()
        self.packets = 0
        self.plis_sent = 0


class LayeredUpstream:
    """Binds one receiver carrying simulcast video to one forwarded track per rid."""

    def __init__(
        self,
        receiver: RTCRtpReceiver,
        layers: Sequence[tuple[str, ForwardedTrack]],
        codec: CodecInfo,
        *,
        payload_type: int,
        rtx_payload_type: int | None = None,
    ) -> None:
        self.receiver = receiver
        self.codec = codec
        self.payload_type = payload_type
        self.rtx_payload_type = rtx_payload_type
        self.layers = {rid: _Layer(rid, track) for rid, track in layers}
        self.by_ssrc: dict[int, _Layer] = {}
        self.rtx_by_ssrc: dict[int, _Layer] = {}
        self.unknown = 0
        self.nacks_sent = 0
        self.rtx_packets = 0
        self._tasks: set[asyncio.Future[None]] = set()
        for layer in self.layers.values():
            layer.source_id = layer.track.bind_source(codec, self._keyframe_requester(layer))
        aiortc_hooks.hook_receiver(receiver, self._on_rtp)

    def _keyframe_requester(self, layer: _Layer) -> Callable[[], None]:
        return lambda: self._request_keyframe(layer)

    def close(self) -> None:
        for layer in self.layers.values():
            layer.track.unbind_source(layer.source_id)
        for task in list(self._tasks):
            task.cancel()

    def _layer(self, table: dict[int, _Layer], ssrc: int, rid: str | None) -> _Layer | None:
        layer = table.get(ssrc)
        if layer is None and rid is not None:
            layer = self.layers.get(rid)
            if layer is not None and len(self.by_ssrc) + len(self.rtx_by_ssrc) < MAX_SSRCS:
                table[ssrc] = layer
        return layer

    async def _on_rtp(self, packet: RtpPacket, arrival_time_ms: int) -> None:
        started = time.perf_counter()
        pt = packet.payload_type
        payload = packet.payload
        # every packet feeds the estimator, padding and RTX included, as aiortc's own receiver does:
        # a sender's bandwidth probes are padding, and without them its estimate never climbs
        remb = aiortc_hooks.remb_feedback(self.receiver, packet, arrival_time_ms)
        if pt == self.payload_type:
            layer = self._layer(self.by_ssrc, packet.ssrc, packet.extensions.rtp_stream_id)
            if layer is None:
                self.unknown += 1
                await self._feedback(remb)
                return
            layer.media_ssrc = packet.ssrc
            seq = packet.sequence_number
            aiortc_hooks.receiver_statistics(self.receiver, packet.ssrc, self.codec.clock_rate).add(packet)
        elif pt == self.rtx_payload_type and self.rtx_payload_type is not None:
            layer = self._layer(self.rtx_by_ssrc, packet.ssrc, packet.extensions.repaired_rtp_stream_id)
            unwrapped = unwrap_rtx(payload) if layer is not None else None
            if layer is None or unwrapped is None:
                self.unknown += 1  # padding-only probes land here
                await self._feedback(remb)
                return
            seq, payload = unwrapped
            self.rtx_packets += 1
        else:
            await self._feedback(remb)
            return
        layer.packets += 1
        if await push_packet(self.receiver, layer.track, layer.source_id, layer.nack, layer.media_ssrc,
                             seq, packet, payload, remb, started):
            self.nacks_sent += 1

    async def _feedback(self, remb: RtcpPsfbPacket | None) -> None:
        await send_feedback(self.receiver, remb)

    def _request_keyframe(self, layer: _Layer) -> None:
        if layer.media_ssrc is None:
            return
        layer.plis_sent += 1
        task = asyncio.ensure_future(aiortc_hooks.send_pli(self.receiver, layer.media_ssrc))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def stats(self) -> dict[str, object]:
        return {
            "codec": self.codec.mime_type,
            "packets": sum(layer.packets for layer in self.layers.values()),
            "rtx_packets": self.rtx_packets,
            "nacks_sent": self.nacks_sent,
            "plis_sent": sum(layer.plis_sent for layer in self.layers.values()),
            "recovered": sum(layer.nack.recovered for layer in self.layers.values()),
            "bitrate_bps": round(sum(layer.track.bitrate_bps for layer in self.layers.values())),
            "unknown_packets": self.unknown,
            "layers": {
                rid: {"packets": layer.packets, "plis_sent": layer.plis_sent, "media_ssrc": layer.media_ssrc,
                      "bitrate_bps": round(layer.track.bitrate_bps), "mean_bps": round(layer.track.mean_bps)}
                for rid, layer in self.layers.items()
            },
        }
