"""Viewers per node with 1 and N worker processes, for ``livehire bench media --workers N`` (issue 17).

What ``livehire serve --workers N`` does with media, without the rest of the
application: N forwarding servers (``python -m bench.media serve --directory``),
each a node of the Redis room directory; the publisher on the first, viewers
spread evenly over all (as ``SO_REUSEPORT`` spreads them on the shared port),
the other workers relaying the room from the first (signaling/relay.py).

A node is full when its busiest worker uses a whole core. Per step,
``viewers × 100 / max(worker CPU %)`` (fixed costs included, a lower bound);
over the steps, each worker's CPU is fitted as fixed + slope × its viewers and
the node's capacity is where the first worker reaches 100 %. Scaling = N
workers' capacity / 1 worker's, both measured in the same run.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import statistics
import time
from typing import Any

import aiohttp

from bench.media_loadgen import LightViewer, Publisher
from bench.media_process import ServerProcess
from bench.registry import BenchContext


async def _run(count: int, steps: list[int], window: float, clip: list[bytes], redis_url: str) -> dict[str, Any]:
    directory = f"{redis_url} livehire:bench:{secrets.token_hex(6)}:origin: {secrets.token_urlsafe(32)}"
    servers = [ServerProcess("sfu", directory=directory) for _ in range(count)]
    rows: list[dict[str, Any]] = []
    publisher: Publisher | None = None
    viewers: list[LightViewer] = []
    try:
        for server in servers:
            await server.__aenter__()
        async with aiohttp.ClientSession() as session:
            publisher = Publisher(clip)
            await publisher.start(session, servers[0].base)
            await asyncio.sleep(2.0)
            for target in steps:
                while len(viewers) < target:
                    viewer = LightViewer(publisher.sent)
                    await viewer.start(session, servers[len(viewers) % count].base)
                    viewers.append(viewer)
                await asyncio.sleep(3.0 + target * 0.02)  # DTLS, relays, a keyframe
                for viewer in viewers:
                    viewer.reset()
                cpu0, t0 = [s.cpu_seconds() for s in servers], time.monotonic()
                await asyncio.sleep(window)
                cpu1, t1 = [s.cpu_seconds() for s in servers], time.monotonic()
                await asyncio.sleep(0.5)
                received = expected = 0
                for viewer in viewers:
                    r, e = viewer.window()
                    received, expected = received + r, expected + e
                cpu = [100.0 * (b - a) / (t1 - t0) for a, b in zip(cpu0, cpu1, strict=True)]
                rows.append({
                    "viewers": target, "worker_cpu_pct": [round(c, 2) for c in cpu],
                    "loss_pct": round(100.0 * (1 - received / expected), 3) if expected else 100.0,
                    "packets_per_viewer_s": round(received / len(viewers) / (t1 - t0 + 0.5), 1),
                    "viewers_per_node": round(target * 100.0 / max(max(cpu), 1e-3), 1),
                })
    finally:
        await asyncio.gather(*(v.pc.close() for v in viewers), return_exceptions=True)
        if publisher is not None:
            await publisher.pc.close()
        for server in reversed(servers):
            await server.__aexit__(None, None, None)
    return {"workers": count, "steps": rows}


def _capacity(run: dict[str, Any]) -> float | None:
    """Viewers per node, extrapolated: each worker's CPU = fixed + slope × its viewers (least squares over
    the steps); the node is full when the first worker reaches 100 %, viewers spread evenly."""
    count: int = run["workers"]
    steps: list[dict[str, Any]] = run["steps"]
    if len(steps) < 2:
        return None
    limits: list[float] = []
    for w in range(count):
        xs = [len(range(w, r["viewers"], count)) for r in steps]  # viewer i went to worker i % count
        ys = [r["worker_cpu_pct"][w] for r in steps]
        fit = statistics.linear_regression(xs, ys)
        if fit.slope <= 0:
            return None  # CPU below what /proc's clock ticks resolve: a longer window is needed
        limits.append(float((100.0 - fit.intercept) / fit.slope))
    return round(min(limits) * count, 1)


def _healthy(run: dict[str, Any], source_pps: float) -> bool:
    return all(r["loss_pct"] < 0.5 and r["packets_per_viewer_s"] >= 0.9 * source_pps for r in run["steps"])


async def measure_workers(count: int, steps: list[int], window: float, clip: list[bytes],
                          ctx: BenchContext) -> dict[str, Any]:
    redis_url = os.environ.get("LIVEHIRE_REDIS_URL") or os.environ.get("REDIS_URL")
    if not redis_url:
        return {"skipped": "needs LIVEHIRE_REDIS_URL (or REDIS_URL): the workers' room directory"}
    runs = {}
    for n in (1, count):
        runs[n] = await _run(n, steps, window, clip, redis_url)
        ctx.progress.advance()
    source_pps = max(r["packets_per_viewer_s"] for run in runs.values() for r in run["steps"])
    one, many = _capacity(runs[1]), _capacity(runs[count])
    at_one, at_many = runs[1]["steps"][-1]["viewers_per_node"], runs[count]["steps"][-1]["viewers_per_node"]
    return {
        "workers": count,
        "viewers_per_node_1": one, "viewers_per_node_n": many,
        "scaling": round(many / one, 2) if one and many else None,
        # the same at the largest step measured, fixed costs (ingest, relays) included: a lower bound
        "scaling_at_largest_step": round(at_many / at_one, 2) if at_one else None,
        "healthy": _healthy(runs[1], source_pps) and _healthy(runs[count], source_pps),
        "runs": [runs[1], runs[count]],
    }
