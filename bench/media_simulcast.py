"""The simulcast part of ``livehire bench media``: three layers in, viewers with mixed bandwidth caps.

The publisher sends three pre-encoded H264 clips (720p / 360p / 180p) as one
video section with rids (RFC 8853), each on its own SSRC with the
``rtp-stream-id`` extension, written straight to its DTLS transport (aiortc
has no simulcast sender). Viewers are the counting :class:`LightViewer` of the
main bench plus a REMB they send every 0.5 s: a third capped at 1.25 x the
180p layer's rate as the server measures it (smoothed, after 6 s), a third at
1.25 x the 360p one, a third uncapped.
1.25 x is above what entering a layer needs (1 / 0.9) and below the 1.45 x at
which the server would probe the next layer up (docs/media.md, "Simulcast"),
so each class has one right answer. The server reports which layer each
viewer receives (``/bench/layers``), so the figure is "did each class get the
layer its cap allows", beside the server CPU for the same audience.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import time

import aiohttp

from bench.media_loadgen import FPS, KEY, ROOM, LightViewer, encode_clip

RID_URI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
RID_EXT = 10
LAYERS = (("h", 1280, 720, 1_500_000), ("m", 640, 360, 500_000), ("l", 320, 180, 150_000))
CHOICES = ("l", "m", "h", "auto")


def encode_layers(seconds: int = 2) -> dict[str, list[bytes]]:
    return {rid: encode_clip(width, height, seconds, bitrate) for rid, width, height, bitrate in LAYERS}


def with_simulcast(sdp: str) -> str:
    """aiortc's one-layer offer with three rids on its video section."""
    lines = sdp.replace("\r\n", "\n").strip().split("\n")
    video = next(i for i, line in enumerate(lines) if line.startswith("m=video"))
    mid = next(i for i in range(video, len(lines)) if lines[i].startswith("a=mid:"))
    extra = [f"a=extmap:{RID_EXT} {RID_URI}", *(f"a=rid:{rid} send" for rid, *_ in LAYERS),
             "a=simulcast:send " + ";".join(rid for rid, *_ in LAYERS)]
    return "\r\n".join(lines[:mid + 1] + extra + lines[mid + 1:]) + "\r\n"


class SimulcastPublisher:
    """Publishes the three clips at ``FPS`` with their rids; aiortc only does SDP, ICE, DTLS and SRTP."""

    def __init__(self, clips: dict[str, list[bytes]]) -> None:
        from aiortc import RTCConfiguration, RTCPeerConnection, RTCRtpSender

        from media_server.sfu.peer import IdleTrack

        self.clips = clips
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.transceiver = self.pc.addTransceiver(IdleTrack("video"), direction="sendonly")
        self.transceiver.setCodecPreferences([c for c in RTCRtpSender.getCapabilities("video").codecs
                                              if c.mimeType == "video/H264"][:1])
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()
        self.pc.on("connectionstatechange",
                   lambda: self.connected.set() if self.pc.connectionState == "connected" else None)

    async def start(self, session: aiohttp.ClientSession, base: str) -> None:
        from aiortc import RTCSessionDescription

        await self.pc.setLocalDescription(await self.pc.createOffer())
        async with session.post(f"{base}/whip/{ROOM}", data=with_simulcast(self.pc.localDescription.sdp),
                                headers={"Content-Type": "application/sdp", "Authorization": f"Bearer {KEY}"}) as r:
            if r.status != 201:
                raise RuntimeError(f"WHIP simulcast publish failed: {r.status} {await r.text()}")
            await self.pc.setRemoteDescription(RTCSessionDescription(sdp=await r.text(), type="answer"))
        self._task = asyncio.ensure_future(self._send())

    async def _send(self) -> None:
        import av
        from aiortc.codecs import get_encoder
        from aiortc.rtcrtpparameters import RTCRtpHeaderExtensionParameters, RTCRtpParameters
        from aiortc.rtp import HeaderExtensionsMap, RtpPacket

        codec = next(c for c in self.transceiver._codecs if c.mimeType == "video/H264")
        extmap = HeaderExtensionsMap()
        extmap.configure(RTCRtpParameters(headerExtensions=[RTCRtpHeaderExtensionParameters(id=RID_EXT,
                                                                                            uri=RID_URI)]))
        dtls = self.transceiver.sender.transport
        await self.connected.wait()
        encoders = {rid: get_encoder(codec) for rid in self.clips}
        ssrcs = {rid: 0x5000 + i for i, rid in enumerate(self.clips)}
        seqs = dict.fromkeys(self.clips, 0)
        start, count = time.monotonic(), 0
        while True:
            delay = start + count / FPS - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            elif delay < -0.2:  # fell behind (a busy machine): skip ahead rather than burst to catch up
                start = time.monotonic() - count / FPS
            for rid, clip in self.clips.items():
                frame = av.Packet(clip[count % len(clip)])
                frame.pts, frame.time_base = count * (90000 // FPS), fractions.Fraction(1, 90000)
                payloads, timestamp = encoders[rid].pack(frame)
                for i, payload in enumerate(payloads):
                    packet = RtpPacket(payload_type=codec.payloadType or 0, sequence_number=seqs[rid],
                                       timestamp=timestamp, ssrc=ssrcs[rid], payload=payload)
                    packet.marker = int(i == len(payloads) - 1)
                    packet.extensions.rtp_stream_id = rid
                    seqs[rid] = (seqs[rid] + 1) & 0xFFFF
                    await dtls._send_rtp(packet.serialize(extmap))
            count += 1

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        await self.pc.close()


def pinned_viewer(layer: str) -> LightViewer:
    """A counting viewer that asks for one layer (``?layer=``), or ``auto``."""
    viewer = LightViewer({})
    viewer.query = f"?layer={layer}"
    return viewer


def tally(layers: list[str | None], asked: list[str]) -> dict[str, dict[str, int]]:
    """How many viewers that asked for each choice receive each layer (``audio`` when none)."""
    out: dict[str, dict[str, int]] = {}
    for layer, choice in zip(layers, asked, strict=True):
        row = out.setdefault(choice, {})
        row[layer or "audio"] = row.get(layer or "audio", 0) + 1
    return out
