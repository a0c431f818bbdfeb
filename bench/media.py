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
import signal
import statistics
import sys
import time
from typing import Any

import aiohttp
from aiohttp import web

from bench.media_loadgen import KEY, ROOM, LightViewer, Publisher, encode_clip
from bench.media_packet_cost import packet_cost
from bench.media_process import ServerProcess
from bench.media_recording import attach_recorder, recording_cost
from bench.media_simulcast import CHOICES, SimulcastPublisher, encode_layers, pinned_viewer, tally
from bench.media_workers import measure_workers
from bench.registry import BenchContext, BenchResult, Series


async def measure(mode: str, steps: list[int], window: float, clip: list[bytes], ctx: BenchContext,
                  profile: list[str] | None = None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    server = ServerProcess(mode, profile is not None)
    async with server, aiohttp.ClientSession() as session:
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
                await server_latency(session, server.base, mode)  # start the server's window afresh
                cpu0, t0 = server.cpu_seconds(), time.monotonic()
                await asyncio.sleep(window)
                cpu1, t1 = server.cpu_seconds(), time.monotonic()
                inside = await server_latency(session, server.base, mode)
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
                    **inside,
                })
                ctx.progress.advance()
        finally:
            await asyncio.gather(*(v.pc.close() for v in viewers), return_exceptions=True)
            await publisher.pc.close()
    if profile is not None:
        profile += [line for line in server.profile_text.splitlines() if line.strip()][:40]
    return rows


async def server_latency(session: aiohttp.ClientSession, base: str, mode: str) -> dict[str, Any]:
    """Receiver hook → last viewer's send inside the server since the previous call (forwarding server only)."""
    if not mode.startswith("sfu"):
        return {}
    async with session.get(f"{base}/bench/latency") as response:
        figures: dict[str, Any] = await response.json()
        return figures


async def measure_simulcast(count: int, window: float, ctx: BenchContext) -> dict[str, Any]:
    """Three layers in, ``count`` viewers spread over them (and ``auto``): layers received, server CPU."""
    clips = await asyncio.to_thread(encode_layers)
    server = ServerProcess("sfu")
    asked = [CHOICES[i % len(CHOICES)] for i in range(count)]
    async with server, aiohttp.ClientSession() as session:
        publisher = SimulcastPublisher(clips)
        viewers = [pinned_viewer(choice) for choice in asked]
        try:
            await publisher.start(session, server.base)
            await asyncio.sleep(3.0)
            for viewer in viewers:
                await viewer.start(session, server.base)
            await asyncio.sleep(4.0 + count * 0.02)  # a keyframe of each layer
            for viewer in viewers:
                viewer.reset()
            cpu0, t0 = server.cpu_seconds(), time.monotonic()
            await asyncio.sleep(window)
            cpu1, t1 = server.cpu_seconds(), time.monotonic()
            chosen = await _layers(session, server.base)
            delivered = sum(v.window()[0] for v in viewers) / count / (t1 - t0)
        finally:
            await asyncio.gather(*(v.pc.close() for v in viewers), return_exceptions=True)
            await publisher.close()
    ctx.progress.advance()
    cpu_pct = 100.0 * (cpu1 - cpu0) / (t1 - t0)
    return {"viewers": count, "server_cpu_pct": round(cpu_pct, 2), "cpu_pct_per_viewer": round(cpu_pct / count, 3),
            "packets_per_viewer_s": round(delivered, 1), "layer_bps": chosen["layer_bps"],
            "layers_by_choice": tally([r["layer"] for r in chosen["viewers"]], asked)}


async def _layers(session: aiohttp.ClientSession, base: str) -> dict[str, Any]:
    async with session.get(f"{base}/bench/layers") as response:
        found: dict[str, Any] = await response.json()
        return found


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
    timed = [r for r in healthy if r["latency_p50_ms"] is not None]
    # the smallest audience is the least disturbed by the load generator sharing the machine
    least, most = (timed[0], timed[-1]) if timed else ({}, {})
    return {
        "cpu_pct_per_viewer": round(slope, 3),
        "viewers_per_core": round(100.0 / slope, 1),
        "max_healthy_viewers_measured": max((r["viewers"] for r in healthy), default=0),
        "latency_p50_ms": least.get("latency_p50_ms"),
        "latency_p99_ms": least.get("latency_p99_ms"),
        "latency_at_max_p50_ms": most.get("latency_p50_ms"),
        "latency_at_max_p99_ms": most.get("latency_p99_ms"),
        # inside the server, at the largest audience measured (issue 17: ≤ 5 ms at 100 viewers)
        "server_latency_p99_ms": rows[-1].get("server_latency_p99_ms") if rows else None,
        "server_latency_p50_ms": rows[-1].get("server_latency_p50_ms") if rows else None,
        "server_latency_viewers": rows[-1]["viewers"] if rows else None,
        "steps": rows,
    }


async def run(ctx: BenchContext) -> BenchResult:
    if ctx.target is not None:
        raise ValueError("bench media measures server CPU from /proc, so it starts its own servers (no --target)")
    quick = ctx.quick
    steps = [int(s) for s in ctx.options.get("steps", "5,10,20" if quick else "10,25,50,100").split(",")]
    base_steps = [int(s) for s in ctx.options.get("baseline_steps", "1,2" if quick else "1,2,4").split(",")]
    window = float(ctx.options.get("window", "3" if quick else "5"))
    simulcast_viewers = int(ctx.options.get("simulcast_viewers", "6" if quick else "30"))
    # --workers N: server worker processes (serve --workers), measured at 1 and N; the load generator stays one
    worker_steps = [int(s) for s in ctx.options.get("worker_steps", "4,8" if quick else "20,40").split(",")]
    unbatched = ctx.options.get("unbatched", "0") == "1"
    recording = ctx.options.get("recording", "1") != "0"
    ctx.progress.start(len(steps) * (1 + unbatched + recording) + len(base_steps) + (1 if simulcast_viewers else 0)
                       + (2 if ctx.workers > 1 else 0),
                       "media fan-out: forwarding vs MediaRelay")
    clip = await asyncio.to_thread(encode_clip)
    profile: list[str] | None = [] if ctx.options.get("profile") else None
    ours = await measure("sfu", steps, window, clip, ctx, profile)
    source_pps = max(r["packets_per_viewer_s"] for r in ours)
    base = await measure("relay", base_steps, window, clip, ctx)
    figures = summarise(ours, source_pps)
    if unbatched:  # the same steps with batched sends off, in the same run
        figures["unbatched"] = summarise(await measure("sfu-unbatched", steps, window, clip, ctx), source_pps)
    baseline = summarise(base, min(source_pps, max(r["packets_per_viewer_s"] for r in base)))
    cost = await asyncio.to_thread(packet_cost, clip)
    figures["per_packet_us"] = cost.get("batched", cost["unbatched"])
    figures["per_packet_us_unbatched"], baseline["per_packet_us"] = cost["unbatched"], cost["repacketising"]
    figures["per_packet_cpu_us"] = cost.get("batched_cpu", cost["unbatched_cpu"])  # the thread's CPU, not the wall
    figures["per_packet_cpu_us_unbatched"] = cost["unbatched_cpu"]
    baseline["per_packet_cpu_us"] = cost["repacketising_cpu"]
    if simulcast_viewers:
        figures["simulcast"] = await measure_simulcast(simulcast_viewers, window, ctx)
    if recording:  # the same steps with the room recorded (issue 16)
        figures["recording"] = recording_cost(figures, summarise(await measure("sfu-rec", steps, window, clip, ctx),
                                                                 source_pps))
    if ctx.workers > 1:
        figures["workers"] = await measure_workers(ctx.workers, worker_steps, window, clip, ctx)
    ratios = {
        "viewers_per_core": round(figures["viewers_per_core"] / baseline["viewers_per_core"], 1),
        "cpu_per_viewer": round(baseline["cpu_pct_per_viewer"] / figures["cpu_pct_per_viewer"], 1),
        "per_packet_cost_vs_repacketising": round(baseline["per_packet_us"] / figures["per_packet_us"], 1),
        "per_packet_batched_vs_unbatched": round(figures["per_packet_us_unbatched"] / figures["per_packet_us"], 2),
        "per_packet_cpu_batched_vs_unbatched": round(
            figures["per_packet_cpu_us_unbatched"] / figures["per_packet_cpu_us"], 2),
    }
    if unbatched:
        ratios["cpu_per_viewer_batched_vs_unbatched"] = round(
            figures["unbatched"]["cpu_pct_per_viewer"] / figures["cpu_pct_per_viewer"], 2)
    if figures.get("workers", {}).get("scaling") is not None:
        ratios["viewers_per_node_n_workers_vs_1"] = figures["workers"]["scaling"]
    return BenchResult(
        figures=figures, baseline=baseline, ratios=ratios,
        notes=[
            "720p H264 test pattern ≈1.5 Mbit/s, pre-encoded and looped; viewers hook aiortc receivers and never decode",
            "server CPU from /proc of the server process; viewers_per_core = 100 / slope of CPU % over viewers",
            "load generator and server share this machine's cores, which caps the audience sizes measured",
            "per_packet_us: 20 steady viewers' header rewrite (munger, stats) + SRTP (aiortc's AES-256-GCM) + send "
            "in one C call per packet (bench/media_packet_cost.py); per_packet_us_unbatched: the Python sinks "
            "with pylibsrtp and one sendto per copy; baseline: aiortc pack() per viewer (the other hook option); "
            "*_cpu_us: the same runs in the measuring thread's CPU time (user + system) instead of the wall clock",
            "simulcast: 720p/360p/180p H264 layers with rids; viewers' REMB capped at 200k / 650k / none in turn; "
            "layers_by_cap = layer each viewer received, per cap; compare cpu_pct_per_viewer with the one-layer steps",
            "server_latency_*: per upstream packet, aiortc receiver hook → last viewer's sendto, log buckets "
            "(≤ 25 % high), at the largest audience; the load generator shares the cores",
            "unbatched (-o unbatched=1): the forwarding steps again with batched sends off (per-copy SRTP + sendto)",
            "workers (--workers N): N forwarding servers relaying through a Redis room directory, viewers spread "
            "evenly; viewers_per_node = viewers × 100 / busiest worker's CPU % (bench/media_workers.py)",
            *(profile or []),
        ],
        plot_title="Server CPU vs viewers (1.5 Mbit/s 720p)", x_label="viewers", y_label="server CPU %",
        series=[Series("RTP forwarding", [r["viewers"] for r in ours], [r["server_cpu_pct"] for r in ours]),
                Series("aiortc MediaRelay", [r["viewers"] for r in base], [r["server_cpu_pct"] for r in base])],
    )


async def _serve(mode: str, profile: bool = False, directory: str | None = None) -> None:
    """``directory``: ``REDIS_URL PREFIX SECRET`` when this server is one of several workers (bench/media_workers.py)."""
    import socket

    from bench.media_relay_baseline import create_relay_app
    from signaling.access import MemoryRoomAccess
    from signaling.admission import Admission
    from signaling.directory import RedisRoomDirectory
    from signaling.http import install_signaling
    from signaling.service import SignalingService

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # bound first: a worker's node URL names its port
    sock.bind(("127.0.0.1", 0))
    stop_recording = None
    if mode.startswith("sfu"):
        # every bench viewer comes from 127.0.0.1: the per-client fair shares would stop it at 5
        unlimited = 10**6
        admission = Admission(max_sessions=10000, per_client_room=unlimited, per_client_node=unlimited,
                              pending_per_client=unlimited, pending_timeout=60.0)
        nodes: dict[str, Any] = {}
        if directory:  # a worker: the room directory names the origin, the others relay from it
            url, prefix, secret = directory.split()
            nodes = {"directory": RedisRoomDirectory(url, prefix=prefix), "relay_secret": secret,
                     "node_url": f"http://127.0.0.1:{sock.getsockname()[1]}"}
        service = SignalingService(access=MemoryRoomAccess({ROOM: (KEY, False)}), max_sessions=10000,
                                   connect_timeout=60.0, admission=admission, **nodes)
        if mode == "sfu-unbatched":  # the comparison run: each copy protected and sent on its own, as before issue 17
            service.batch.enabled = False
        app = web.Application()
        install_signaling(app, service)
        stop_recording = attach_recorder(service) if mode == "sfu-rec" else None

        async def latency(request: web.Request) -> web.Response:
            media = service.room_media(ROOM)
            histogram = media.broadcast.forward_latency(take=True) if media is not None else None
            p50, p99 = (histogram.quantile(0.5), histogram.quantile(0.99)) if histogram else (None, None)
            return web.json_response({
                "server_latency_p50_ms": None if p50 is None else round(p50 * 1000, 3),
                "server_latency_p99_ms": None if p99 is None else round(p99 * 1000, 3),
                "server_latency_packets": histogram.total if histogram else 0,
                # since the server started: copies refused outright (UDP loss) / for now (queued in asyncio)
                "batch_failed": service.batch.failed, "batch_deferred": service.batch.deferred,
            })

        app.router.add_get("/bench/latency", latency)

        async def layers(request: web.Request) -> web.Response:
            stats = service.room_stats(ROOM)
            video = stats.get("publisher", {}).get("tracks", {}).get("video", {})
            return web.json_response({
                "viewers": [{"layer": v["tracks"].get("video", {}).get("layer"),
                             "estimate_bps": v["tracks"].get("video", {}).get("estimate_bps")}
                            for v in stats.get("viewer_stats", [])],
                "layer_bps": {rid: layer["mean_bps"] for rid, layer in video.get("layers", {}).items()},
            })

        app.router.add_get("/bench/layers", layers)
    else:
        app = create_relay_app()
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.SockSite(runner, sock)
    await site.start()
    port = sock.getsockname()[1]
    print(f"READY {port}", flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    await stop.wait()
    if profiler is not None:
        import io
        import pstats

        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        print(out.getvalue(), file=sys.stderr, flush=True)
    if mode.startswith("sfu"):
        if stop_recording is not None:
            await stop_recording()
        await service.close()
    with contextlib.suppress(Exception):
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.media")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve")
    serve.add_argument("--mode", choices=["sfu", "sfu-unbatched", "sfu-rec", "relay"], required=True)
    serve.add_argument("--profile", action="store_true", help="cProfile the server, top functions on stderr at exit")
    serve.add_argument("--directory", help="'REDIS_URL PREFIX SECRET': one of several workers relaying each other")
    args = parser.parse_args()
    asyncio.run(_serve(args.mode, args.profile, args.directory))


if __name__ == "__main__":
    main()
