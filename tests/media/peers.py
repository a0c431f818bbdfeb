"""aiortc client peers for media tests: a test-pattern publisher and decoding viewers."""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import time
from collections.abc import Callable

import av
import numpy as np
from aiortc import (
    RTCConfiguration,
    RTCPeerConnection,
    RTCRtpSender,
    RTCSessionDescription,
)
from aiortc.mediastreams import AudioStreamTrack, MediaStreamTrack

VIDEO_CLOCK = 90000


class PatternTrack(MediaStreamTrack):
    """A small moving test pattern at ``fps`` (small, so tests stay cheap on 2 cores)."""

    kind = "video"

    def __init__(self, width: int = 160, height: int = 120, fps: int = 30) -> None:
        super().__init__()
        self.width = width
        self.height = height
        self.fps = fps
        self._count = 0
        self._start: float | None = None

    async def recv(self) -> av.VideoFrame:
        if self._start is None:
            self._start = time.monotonic()
        target = self._start + self._count / self.fps
        delay = target - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        image = np.zeros((self.height, self.width, 3), dtype=np.uint8)
        image[:, :, 0] = (self._count * 4) % 256
        image[: self.height // 2, : (self._count % self.width) + 1, 1] = 200
        frame = av.VideoFrame.from_ndarray(image, format="rgb24")
        frame.pts = self._count * (VIDEO_CLOCK // self.fps)
        frame.time_base = fractions.Fraction(1, VIDEO_CLOCK)
        self._count += 1
        return frame


def prefer(pc: RTCPeerConnection, kind: str, mime: str, rtx: bool = False) -> None:
    wanted = {mime.lower(), f"{kind}/rtx"} if rtx else {mime.lower()}
    for transceiver in pc.getTransceivers():
        if transceiver.kind == kind:
            codecs = [c for c in RTCRtpSender.getCapabilities(kind).codecs if c.mimeType.lower() in wanted]
            transceiver.setCodecPreferences(codecs)


async def make_offer(pc: RTCPeerConnection) -> str:
    await pc.setLocalDescription(await pc.createOffer())
    return str(pc.localDescription.sdp)


async def publisher(video_mime: str = "video/VP8", *, audio: bool = True, width: int = 160, height: int = 120,
                    fps: int = 30, rtx: bool = False) -> tuple[RTCPeerConnection, str]:
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    pc.addTransceiver(PatternTrack(width, height, fps), direction="sendonly")
    prefer(pc, "video", video_mime, rtx)
    if audio:
        pc.addTransceiver(AudioStreamTrack(), direction="sendonly")
    return pc, await make_offer(pc)


class Viewer:
    """A WHEP-style aiortc viewer that decodes and records frame sizes and arrival times."""

    def __init__(self, *, audio: bool = True) -> None:
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.pc.addTransceiver("video", direction="recvonly")
        if audio:
            self.pc.addTransceiver("audio", direction="recvonly")
        self.frames: list[tuple[float, int, int]] = []
        self.audio_frames = 0
        self.created = time.monotonic()
        self._tasks: list[asyncio.Task[None]] = []
        self.pc.on("track", self._on_track)

    def _on_track(self, track: MediaStreamTrack) -> None:
        self._tasks.append(asyncio.ensure_future(self._consume(track)))

    async def _consume(self, track: MediaStreamTrack) -> None:
        with contextlib.suppress(Exception):
            while True:
                frame = await track.recv()
                if isinstance(frame, av.VideoFrame):
                    self.frames.append((time.monotonic(), frame.width, frame.height))
                else:
                    self.audio_frames += 1

    async def offer(self) -> str:
        return await make_offer(self.pc)

    async def answer(self, sdp: str) -> None:
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="answer"))

    async def wait_frames(self, count: int, limit: float = 10.0, since: int = 0) -> None:
        await wait_for(lambda: len(self.frames) >= since + count, limit)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await self.pc.close()


async def wait_for(predicate: Callable[[], bool], limit: float, step: float = 0.05) -> None:
    deadline = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(step)


async def answer_into(pc: RTCPeerConnection, sdp: str) -> None:
    await pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="answer"))

