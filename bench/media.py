"""``livehire bench media``: one publisher, growing numbers of viewers, server CPU per viewer.

The server runs in its own process (``python -m bench.media serve --mode sfu|relay``)
so its CPU time is read from ``/proc``. The publisher sends a pre-encoded 720p H264
test pattern at ≈ 1.5 Mbit/s (encoded once, looped: the load generator does not pay
for encoding). Viewers are aiortc peers whose receivers are hooked so they count
packets and check sequence continuity without decoding.

Figures per audience size: server CPU %, delivered packet ratio, loss after NACK
recovery, and SFU-added latency (publisher send → viewer receive, matched by payload
bytes, which forwarding leaves untouched). Baseline, same run: aiortc's MediaRelay
(decode once, re-encode per viewer), whose re-encoded payloads cannot be matched, so
its latency is not reported.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fractions
import os
import signal
import statistics
import sys
import time
from typing import Any

import aiohttp
from aiohttp import web

from bench.registry import BenchContext, BenchResult, Series

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
        async with session.post(f"{base}/whep/{ROOM}", data=self.pc.localDescription.sdp,
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


class ServerProcess:
    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.proc: asyncio.subprocess.Process | None = None
        self.base = ""

    async def __aenter__(self) -> ServerProcess:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.media", "serve", "--mode", self.mode, stdout=asyncio.subprocess.PIPE)
        assert self.proc.stdout is not None
        line = (await asyncio.wait_for(self.proc.stdout.readline(), 60)).decode()
        if not line.startswith("READY"):
            raise RuntimeError(f"bench server failed to start: {line!r}")
        self.base = f"http://127.0.0.1:{int(line.split()[1])}"
        return self

    def cpu_seconds(self) -> float:
        assert self.proc is not None
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def __aexit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 20)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()


async def measure(mode: str, steps: list[int], window: float, clip: list[bytes], ctx: BenchContext) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    async with ServerProcess(mode) as server, aiohttp.ClientSession() as session:
        publisher = Publisher(clip)
        viewers: list[LightViewer] = []
        try:
            await publisher.start(session, server.base)
            await asyncio.sleep(2.0)
            for target in steps:
                while len(viewers) < target:
                    viewer = LightViewer(publisher.sent)
                    viewers.append(viewer)
                    await viewer.start(session, server.base)
                await asyncio.sleep(2.0 + target * 0.02)  # let DTLS finish and a keyframe arrive
                for viewer in viewers:
                    viewer.reset()
                cpu0, t0 = server.cpu_seconds(), time.monotonic()
                await asyncio.sleep(window)
                cpu1, t1 = server.cpu_seconds(), time.monotonic()
                await asyncio.sleep(0.5)  # late retransmissions still count
                received = expected = 0
                latencies: list[float] = []
                for viewer in viewers:
                    r, e = viewer.window()
                    received, expected = received + r, expected + e
                    latencies += viewer.latencies
                cpu_pct = 100.0 * (cpu1 - cpu0) / (t1 - t0)
                pps = received / len(viewers) / (t1 - t0 + 0.5) if viewers else 0.0
                latencies.sort()
                rows.append({
                    "viewers": target, "server_cpu_pct": round(cpu_pct, 2),
                    "cpu_pct_per_viewer": round(cpu_pct / target, 3),
                    "loss_pct": round(100.0 * (1 - received / expected), 3) if expected else 100.0,
                    "packets_per_viewer_s": round(pps, 1),
                    "latency_p50_ms": round(1000 * latencies[len(latencies) // 2], 2) if latencies else None,
                    "latency_p99_ms": round(1000 * latencies[int(len(latencies) * 0.99)], 2) if latencies else None,
                })
                ctx.progress.advance()
        finally:
            await asyncio.gather(*(v.pc.close() for v in viewers), return_exceptions=True)
            await publisher.pc.close()
    return rows


def summarise(rows: list[dict[str, Any]], source_pps: float) -> dict[str, Any]:
    """CPU per viewer from the slope over healthy steps (< 0.5 % loss, ≥ 90 % of the source rate)."""
    healthy = [r for r in rows if r["loss_pct"] < 0.5 and r["packets_per_viewer_s"] >= 0.9 * source_pps]
    points = healthy if len(healthy) >= 2 else rows
    if len(points) >= 2:
        xs, ys = [r["viewers"] for r in points], [r["server_cpu_pct"] for r in points]
        slope = statistics.linear_regression(xs, ys).slope
    else:
        slope = points[0]["cpu_pct_per_viewer"] if points else 0.0
    slope = max(slope, 1e-3)
    lat = [r["latency_p50_ms"] for r in healthy if r["latency_p50_ms"] is not None]
    lat99 = [r["latency_p99_ms"] for r in healthy if r["latency_p99_ms"] is not None]
    return {
        "cpu_pct_per_viewer": round(slope, 3),
        "viewers_per_core": round(100.0 / slope, 1),
        "max_healthy_viewers_measured": max((r["viewers"] for r in healthy), default=0),
        "latency_p50_ms": max(lat) if lat else None,
        "latency_p99_ms": max(lat99) if lat99 else None,
        "steps": rows,
    }


async def run(ctx: BenchContext) -> BenchResult:
    if ctx.target is not None:
        raise ValueError("bench media measures server CPU from /proc, so it starts its own servers (no --target)")
    quick = ctx.quick
    steps = [int(s) for s in ctx.options.get("steps", "5,10,20" if quick else "10,25,50,100").split(",")]
    base_steps = [int(s) for s in ctx.options.get("baseline_steps", "1,2" if quick else "1,2,4").split(",")]
    window = float(ctx.options.get("window", "3" if quick else "5"))
    ctx.progress.start(len(steps) + len(base_steps), "media fan-out: forwarding vs MediaRelay")
    clip = await asyncio.to_thread(encode_clip)
    source_pps = 0.0
    ours = await measure("sfu", steps, window, clip, ctx)
    source_pps = max(r["packets_per_viewer_s"] for r in ours)
    base = await measure("relay", base_steps, window, clip, ctx)
    figures = summarise(ours, source_pps)
    baseline = summarise(base, min(source_pps, max(r["packets_per_viewer_s"] for r in base)))
    ratios = {
        "viewers_per_core": round(figures["viewers_per_core"] / baseline["viewers_per_core"], 1),
        "cpu_per_viewer": round(baseline["cpu_pct_per_viewer"] / figures["cpu_pct_per_viewer"], 1),
    }
    return BenchResult(
        figures=figures, baseline=baseline, ratios=ratios,
        notes=[
            "720p H264 test pattern ≈1.5 Mbit/s, pre-encoded and looped; viewers hook aiortc receivers and never decode",
            "server CPU from /proc of the server process; viewers_per_core = 100 / slope of CPU % over viewers",
            "load generator and server share this machine's cores, which caps the audience sizes measured",
        ],
        plot_title="Server CPU vs viewers (1.5 Mbit/s 720p)", x_label="viewers", y_label="server CPU %",
        series=[Series("RTP forwarding", [r["viewers"] for r in ours], [r["server_cpu_pct"] for r in ours]),
                Series("aiortc MediaRelay", [r["viewers"] for r in base], [r["server_cpu_pct"] for r in base])],
    )


async def _serve(mode: str) -> None:
    from media_server.relay_baseline import create_relay_app
    from signaling.access import MemoryRoomAccess
    from signaling.http import install_signaling
    from signaling.service import SignalingService

    if mode == "sfu":
        service = SignalingService(access=MemoryRoomAccess({ROOM: (KEY, False)}), max_sessions=10000,
                                   connect_timeout=60.0)
        app = web.Application()
        install_signaling(app, service)
    else:
        app = create_relay_app()
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(f"READY {port}", flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    if mode == "sfu":
        await service.close()
    with contextlib.suppress(Exception):
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.media")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve")
    serve.add_argument("--mode", choices=["sfu", "relay"], required=True)
    args = parser.parse_args()
    asyncio.run(_serve(args.mode))


if __name__ == "__main__":
    main()
