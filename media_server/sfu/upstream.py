"""The publisher side of a track: aiortc receiver hook → :class:`ForwardedTrack`.

Per upstream packet: unwrap RTX (RFC 4588 §4), feed aiortc's receiver-report
statistics, NACK gaps upstream (RFC 4585 §6.2.1) and push the packet to the
fan-out. Keyframe requests go to the *media* SSRC (libwebrtc ignores a PLI
addressed to the RTX SSRC, issue 3).
"""

from __future__ import annotations

import asyncio
import struct
import time

from aiortc.rtcrtpreceiver import RTCRtpReceiver
from aiortc.rtp import RtcpPsfbPacket, RtpPacket

from . import aiortc_hooks
from .forward import CodecInfo, ForwardedTrack
from .nack import NackTracker


class UpstreamTrack:
    """Binds one aiortc receiver to one forwarded track for as long as the publisher lives."""

    def __init__(
        self,
        receiver: RTCRtpReceiver,
        track: ForwardedTrack,
        codec: CodecInfo,
        *,
        payload_type: int,
        rtx_payload_type: int | None = None,
        media_ssrc: int | None = None,
    ) -> None:
        self.receiver = receiver
        self.track = track
        self.codec = codec
        self.payload_type = payload_type
        self.rtx_payload_type = rtx_payload_type
        self.media_ssrc = media_ssrc
        self.nack = NackTracker() if codec.kind == "video" else None
        self.packets = 0
        self.rtx_packets = 0
        self.nacks_sent = 0
        self.plis_sent = 0
        self._tasks: set[asyncio.Future[None]] = set()
        self.source_id = track.bind_source(codec, self._request_keyframe)
        aiortc_hooks.hook_receiver(receiver, self._on_rtp)

    def close(self) -> None:
        self.track.unbind_source(self.source_id)
        for task in list(self._tasks):
            task.cancel()

    async def _on_rtp(self, packet: RtpPacket, arrival_time_ms: int) -> None:
        started = time.perf_counter()
        pt = packet.payload_type
        payload = packet.payload
        # every packet feeds the estimator, padding and RTX included, as aiortc's own receiver does:
        # a sender's bandwidth probes are padding, and without them its estimate never climbs
        remb = aiortc_hooks.remb_feedback(self.receiver, packet, arrival_time_ms)
        if pt == self.payload_type:
            self.media_ssrc = packet.ssrc
            seq = packet.sequence_number
            aiortc_hooks.receiver_statistics(self.receiver, packet.ssrc, self.codec.clock_rate).add(packet)
        elif pt == self.rtx_payload_type and self.rtx_payload_type is not None:
            unwrapped = unwrap_rtx(payload)
            if unwrapped is None:
                await self._feedback(remb)
                return
            seq, payload = unwrapped
            self.rtx_packets += 1
        else:
            await self._feedback(remb)
            return
        self.packets += 1
        if await push_packet(self.receiver, self.track, self.source_id, self.nack, self.media_ssrc,
                             seq, packet, payload, remb, started):
            self.nacks_sent += 1

    async def _feedback(self, remb: RtcpPsfbPacket | None) -> None:
        await send_feedback(self.receiver, remb)

    def _request_keyframe(self) -> None:
        if self.media_ssrc is None:
            return
        self.plis_sent += 1
        task = asyncio.ensure_future(aiortc_hooks.send_pli(self.receiver, self.media_ssrc))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def stats(self) -> dict[str, int | float | str | None]:
        return {
            "codec": self.codec.mime_type,
            "packets": self.packets,
            "rtx_packets": self.rtx_packets,
            "nacks_sent": self.nacks_sent,
            "plis_sent": self.plis_sent,
            "recovered": self.nack.recovered if self.nack else 0,
            "bitrate_bps": round(self.track.bitrate_bps),
            "media_ssrc": self.media_ssrc,
        }


def unwrap_rtx(payload: bytes) -> tuple[int, bytes] | None:
    """(original sequence number, original payload) of an RTX packet (RFC 4588 §4), None if too short."""
    if len(payload) < 2:
        return None
    (seq,) = struct.unpack_from("!H", payload)
    return seq, payload[2:]


async def send_feedback(receiver: RTCRtpReceiver, remb: RtcpPsfbPacket | None) -> None:
    if remb is not None:
        await aiortc_hooks.send_rtcp(receiver, remb)


async def push_packet(
    receiver: RTCRtpReceiver,
    track: ForwardedTrack,
    source_id: int,
    nack: NackTracker | None,
    media_ssrc: int | None,
    seq: int,
    packet: RtpPacket,
    payload: bytes,
    remb: RtcpPsfbPacket | None,
    started: float,
) -> bool:
    """The step after demux, shared with :mod:`.layered_upstream`: track gaps, fan out, then feedback.

    Forwarding comes first because the feedback may yield to the event loop and
    viewers should not wait for it. True when a NACK for upstream gaps was sent.
    """
    now = asyncio.get_running_loop().time()
    lost = nack.add(seq, now) if nack is not None else []
    track.push(source_id, seq, packet.timestamp, packet.marker, payload, now)
    done = time.perf_counter()
    track.latency.observe(done - started, done)
    await send_feedback(receiver, remb)
    if lost and media_ssrc is not None:
        await aiortc_hooks.send_nack(receiver, media_ssrc, lost)
        return True
    return False
