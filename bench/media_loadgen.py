"""Load-generating peers for ``livehire bench media``: a looped pre-encoded publisher and counting viewers.

Kept apart from the bench so the bench module stays about measuring. The
publisher sends Annex-B H264 access units through aiortc's ``pack()`` (no
encoder in the load generator); viewers hook their aiortc receivers (see
:mod:`media_server.sfu.aiortc_hooks`) so they count packets, follow sequence
continuity and time payloads without decoding anything.
"""

from __future__ import annotations

import asyncio
import fractions
import time
from typing import Any

import aiohttp

ROOM = "bench"
KEY = "bench-stream-key"
FPS = 30


def encode_clip(width: int = 1280, height: int = 720, seconds: int = 2, bitrate: int = 1_500_000) -> list[bytes]:
    """A moving test pattern as Annex-B H264 access units, keyframe at the start of each loop."""
    import av
    import numpy as np

    codec = av.CodecContext.create("libx264", "w")
    codec.width, codec.height, codec.pix_fmt = width, height, "yuv420p"
    codec.bit_rate = bitrate
    codec.framerate = fractions.Fraction(FPS, 1)
    codec.time_base = fractions.Fraction(1, FPS)
    codec.options = {"profile": "baseline", "preset": "ultrafast", "tune": "zerolatency",
                     "g": str(seconds * FPS), "bf": "0", "nal-hrd": "cbr"}
    out: list[bytes] = []
    rng = np.random.default_rng(1)
    noise = rng.integers(0, 255, (height, width, 3), dtype=np.uint8)
    for i in range(seconds * FPS):
        image = np.roll(noise, i * 8, axis=1)
        frame = av.VideoFrame.from_ndarray(image, format="rgb24").reformat(format="yuv420p")
        frame.pts = i
        out += [bytes(p) for p in codec.encode(frame)]
    out += [bytes(p) for p in codec.encode(None)]
    return out


def _clip_track(clip: list[bytes]) -> Any:
    import av
    from aiortc.mediastreams import MediaStreamTrack

    class ClipTrack(MediaStreamTrack):
        kind = "video"

        def __init__(self) -> None:
            super().__init__()
            self.count = 0
            self.start = time.monotonic()

        async def recv(self) -> Any:
            delay = self.start + self.count / FPS - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            packet = av.Packet(clip[self.count % len(clip)])
            packet.pts = self.count * (90000 // FPS)
            packet.time_base = fractions.Fraction(1, 90000)
            self.count += 1
            return packet

    return ClipTrack()


class Publisher:
    """aiortc publisher of the clip; records send time of every RTP packet by its payload tail."""

    def __init__(self, clip: list[bytes]) -> None:
        from aiortc import RTCConfiguration, RTCPeerConnection, RTCRtpSender

        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        transceiver = self.pc.addTransceiver(_clip_track(clip), direction="sendonly")
        transceiver.setCodecPreferences([c for c in RTCRtpSender.getCapabilities("video").codecs
                                         if c.mimeType == "video/H264"][:1])
        self.sent: dict[bytes, float] = {}
        dtls = transceiver.sender.transport
        original = dtls._send_rtp

        async def tapped(data: bytes) -> None:
            if len(data) > 40 and not 192 <= data[1] <= 223:
                if len(self.sent) > 20000:
                    self.sent.clear()
                self.sent[data[-20:]] = time.perf_counter()
            await original(data)

        dtls._send_rtp = tapped  # type: ignore[method-assign]

    async def start(self, session: aiohttp.ClientSession, base: str) -> None:
        from aiortc import RTCSessionDescription

        await self.pc.setLocalDescription(await self.pc.createOffer())
        async with session.post(f"{base}/whip/{ROOM}", data=self.pc.localDescription.sdp,
                                headers={"Content-Type": "application/sdp", "Authorization": f"Bearer {KEY}"}) as r:
            if r.status != 201:
                raise RuntimeError(f"WHIP publish failed: {r.status} {await r.text()}")
            await self.pc.setRemoteDescription(RTCSessionDescription(sdp=await r.text(), type="answer"))


class LightViewer:
    """A WHEP viewer that counts packets (RTX unwrapped) and never decodes."""

    def __init__(self, sent: dict[bytes, float]) -> None:
        from aiortc import RTCConfiguration, RTCPeerConnection

        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.pc.addTransceiver("video", direction="recvonly")
        self.sent = sent
        self.latencies: list[float] = []
        self.seqs: set[int] = set()
        self.highest: int | None = None
        self.cycles = 0
        self.main_pt: int | None = None
        self.query = ""  # e.g. "?layer=l" to pin a simulcast layer

    def reset(self) -> None:
        self.seqs.clear()
        self.latencies.clear()

    def _extend(self, seq: int) -> int:
        if self.highest is None:
            self.highest = seq
        elif 0 < (seq - self.highest) % 65536 < 32768:
            if seq < self.highest:
                self.cycles += 1
            self.highest = seq
        return self.cycles * 65536 + seq if seq <= (self.highest or 0) + 32768 else (self.cycles - 1) * 65536 + seq

    async def _on_rtp(self, packet: Any, arrival_time_ms: int) -> None:
        payload = packet.payload
        if packet.payload_type == self.main_pt:
            seq = packet.sequence_number
            sent = self.sent.get(payload[-20:])
            if sent is not None:
                self.latencies.append(time.perf_counter() - sent)
        elif len(payload) > 2:  # RTX: original sequence number first (RFC 4588)
            seq = int.from_bytes(payload[:2], "big")
        else:
            return
        self.seqs.add(self._extend(seq))

    async def start(self, session: aiohttp.ClientSession, base: str) -> None:
        from aiortc import RTCSessionDescription

        from media_server.sfu import aiortc_hooks

        await self.pc.setLocalDescription(await self.pc.createOffer())
        async with session.post(f"{base}/whep/{ROOM}{self.query}", data=self.pc.localDescription.sdp,
                                headers={"Content-Type": "application/sdp"}) as r:
            if r.status != 201:
                raise RuntimeError(f"WHEP failed: {r.status} {await r.text()}")
            await self.pc.setRemoteDescription(RTCSessionDescription(sdp=await r.text(), type="answer"))
        transceiver = self.pc.getTransceivers()[0]
        self.main_pt = next(c.payloadType for c in transceiver._codecs if c.mimeType.lower() != "video/rtx")
        aiortc_hooks.hook_receiver(transceiver.receiver, self._on_rtp)

    def window(self) -> tuple[int, int]:
        """(received, expected) packets since the last reset."""
        if not self.seqs:
            return 0, 0
        return len(self.seqs), max(self.seqs) - min(self.seqs) + 1
