"""The bench's measurements: over websockets, the recruiting core alone, and a foreign deployment.

Options (``livehire bench apply -o key=value``): ``viewers`` (default 800, ``--quick``
100), ``jobs`` (10, ``--quick`` 5), ``format`` (``json``, the default, or ``msgpack``:
the sockets ask for ``?format=msgpack``); ``rate`` (applies/s offered in the open-loop run,
default 10000, ``--quick`` 2000; 0 skips it) and ``seconds`` (its length, default 5,
``--quick`` 1); ``gc_freeze`` (default 1: the servers freeze their start-up heap out of the garbage
collector after start-up, as ``livehire serve`` does; 0 measures without it); ``nodes`` (default 1): with N > 1 and PostgreSQL and Redis reachable, the
PostgreSQL server-side figures are measured again on N server processes sharing PostgreSQL
and Redis, as ``postgresql_<N>_nodes`` (never mixed with the single-node figures); with
``--target``: ``tokens`` (a file of viewer access tokens), ``room``, ``org``, ``office_token``; ``instructions`` (default 0): with 1 and valgrind
installed, ``<db>_instructions`` counts the server's user-space instructions per apply under
callgrind for group commit and for the baseline (:mod:`bench.apply.instructions`; a figure a busy
machine does not move), over ``instructions_viewers`` (100) × ``instructions_jobs`` (10).

The closed loop (each viewer applies again when answered) finds the maximum throughput, but
its latency is ≈ viewers / throughput by Little's law; the open loop offers a fixed rate
and counts each latency from the scheduled send time (no coordinated omission), which is
the figure to hold against "p99 ≤ 50 ms at 10k/s".
"""

from __future__ import annotations

import asyncio
import math
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench.apply.instructions import measure_instructions, missing_tools
from bench.apply.load import load, load_workers, percentile
from bench.apply.server import (
    ROOM,
    office_token,
    postgres_database,
    reset_applications,
    seed,
    start_server,
    viewer_token,
)
from bench.registry import BenchContext, BenchResult, Series

LIGHT_VIEWERS = 50  # a lighter load, where latency rather than throughput is the figure


async def redis_reachable() -> str | None:
    """REDIS_URL (default the local server) when it answers a PING, else None."""
    from redis.asyncio import Redis

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    client: Redis = Redis.from_url(url, socket_connect_timeout=3)
    try:
        await client.ping()
    except Exception:
        return None
    finally:
        await client.aclose()
    return url


def use_msgpack(ctx: BenchContext) -> bool:
    """``-o format=msgpack``: the viewers' sockets speak msgpack instead of JSON."""
    return ctx.options.get("format", "json") == "msgpack"


async def measure(
    database_url: str, users: int, jobs: int, max_batch: int, progress: Any, workers: int = 1, binary: bool = False,
    rate: float | None = None, nodes: int = 1, redis_url: str | None = None, gc_freeze: bool = False,
) -> dict[str, Any]:
    """One load: closed loop, or open loop at ``rate`` applies/s offered; on one server, or on
    ``nodes`` servers sharing the database and ``redis_url`` (the viewers dealt out over them)."""
    job_ids = await seed(database_url, users, jobs)
    await reset_applications(database_url)
    servers = [await start_server(database_url, max_batch=max_batch, redis_url=redis_url, gc_freeze=gc_freeze)
               for _ in range(nodes)]
    bases = [server.base for server in servers]
    viewers = [(f"u{i}", viewer_token(f"u{i}")) for i in range(users)]
    try:
        if workers > 1:
            figures = await load_workers(bases, viewers, job_ids, progress, workers=workers, office=office_token(),
                                         binary=binary, rate=rate)
        else:
            figures = await load(bases, viewers, job_ids, progress, office=office_token(), binary=binary, rate=rate)
    finally:
        await asyncio.gather(*(server.stop() for server in servers))
    if nodes > 1:
        figures["nodes"] = nodes
    return figures


async def measure_service(database_url: str, users: int, jobs: int, max_batch: int) -> dict[str, Any]:
    """The recruiting core alone, in this process (no sockets): where the apply path's own limit is."""
    from recruiting.events.memory import MemoryEventLog
    from recruiting.numbers.simulated import SimulatedNumberProvider
    from recruiting.service import RecruitingService
    from store.engine import open_store

    job_ids = await seed(database_url, users, jobs)
    await reset_applications(database_url)
    store = await open_store(database_url)
    service = RecruitingService(store=store, events=MemoryEventLog(), numbers=SimulatedNumberProvider(),
                                max_batch=max_batch)
    await service.start()
    latencies: list[float] = []

    async def user(index: int) -> None:
        for job_id in job_ids:
            started = time.perf_counter()
            await service.apply(f"u{index}", job_id, ref=None, room=ROOM)
            latencies.append((time.perf_counter() - started) * 1000)

    try:
        began = time.perf_counter()
        cpu = time.process_time()
        await asyncio.gather(*(user(i) for i in range(users)))
        elapsed = time.perf_counter() - began
        cpu = time.process_time() - cpu
        batches, items = service.commit_stats
    finally:
        await service.close()
        await reset_applications(database_url)
        await store.close()
    return {
        "applies": items,
        "durable_applies_per_s": round(items / elapsed, 1),
        "commits": batches,
        "mean_batch": round(items / max(batches, 1), 1),
        "p50_ms": round(percentile(latencies, 0.5), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "cpu_us_per_apply": round(cpu / max(items, 1) * 1e6, 1),
    }


async def run_target(ctx: BenchContext, users: int, jobs: int) -> BenchResult:
    """Load an existing deployment: signed-in viewers with consenting profiles apply to its published jobs.

    Options: ``tokens`` (required: a file of viewer access tokens, one per line, e.g. minted by the
    deployment's operator with ``livehire token --role viewer --user bench-N --ttl 3600``; people sign in
    by SMS, so the bench cannot make accounts of its own), ``room`` (default ``demo``), ``org`` (only that
    org's jobs), ``office_token`` (a recruiter token of that org, for the click → back-office latency).
    The baseline needs a server of our own and is not measured here.
    """
    assert ctx.target is not None
    base = ctx.target.rstrip("/")
    org = ctx.options.get("org")
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{base}/api/v1/jobs", params={"org": org} if org else None) as response:
            published = await response.json()
        job_ids = [job["id"] for job in published][:jobs]
        org = org or (published[0]["org"] if published else "")

        tokens = _viewer_tokens(ctx.options.get("tokens"))[:users]

        async def signed_in(index: int, token: str) -> tuple[str, str]:
            headers = {"Authorization": "Bearer " + token}
            async with session.get(f"{base}/api/v1/auth/whoami", headers=headers) as response:
                response.raise_for_status()
                user = str((await response.json())["id"])
            profile = {"name": f"压测{index}", "phone": "13800000000", "resume": "bench", "consent_to_share": True}
            async with session.put(f"{base}/api/v1/me/profile", json=profile, headers=headers) as response:
                response.raise_for_status()
            return user, token

        viewers = list(await asyncio.gather(*(signed_in(i, t) for i, t in enumerate(tokens))))
        users = len(viewers)
    ctx.progress.start(users * len(job_ids), f"apply against {base}")
    room = ctx.options.get("room", "demo")
    office = ctx.options.get("office_token")
    if ctx.workers > 1:
        figures = await load_workers(base, viewers, job_ids, ctx.progress, workers=ctx.workers, room=room, org=org,
                                     office=office, binary=use_msgpack(ctx))
    else:
        figures = await load(base, viewers, job_ids, ctx.progress, room=room, org=org, office=office,
                             binary=use_msgpack(ctx))
    return BenchResult(figures={"target": figures}, baseline={}, ratios={},
                       notes=[f"target {base}: {users} signed-in viewers × {len(job_ids)} jobs; no baseline on a foreign server"])


def _viewer_tokens(path: str | None) -> list[str]:
    if not path:
        raise SystemExit("bench apply --target needs -o tokens=FILE: viewer access tokens, one per line "
                         "(livehire token --role viewer --user bench-N --ttl 3600 on the deployment)")
    with open(path, encoding="utf-8") as handle:
        return [line.strip() for line in handle if line.strip()]


async def run(ctx: BenchContext) -> BenchResult:
    users = int(ctx.options.get("viewers", 100 if ctx.quick else 800))
    jobs = int(ctx.options.get("jobs", 5 if ctx.quick else 10))
    if ctx.target:
        return await run_target(ctx, users, jobs)
    scratch = Path(tempfile.mkdtemp(prefix="livehire-bench-apply-"))
    pg = await postgres_database()
    notes = [f"{users} viewers × {jobs} jobs each over chat websockets ({'msgpack' if use_msgpack(ctx) else 'JSON'} frames, "
             f"{ctx.workers} load process(es), raw-socket clients on uvloop); server on uvloop in a subprocess",
             "<db>_core: the recruiting service alone in the bench process (no sockets, no chat), same store",
             "durable: committed before apply_result (SQLite WAL synchronous=FULL: survives SIGKILL and power loss; "
             "PostgreSQL synchronous_commit=on)"]
    if pg is None:
        notes.append("PostgreSQL not reachable: measured SQLite only")
    levels = sorted({min(LIGHT_VIEWERS, users), users})
    rate = float(ctx.options.get("rate", 2000 if ctx.quick else 10000))
    open_jobs = math.ceil(rate * float(ctx.options.get("seconds", 1 if ctx.quick else 5)) / users) if rate > 0 else 0
    if open_jobs:
        notes.append(f"<db>_open_loop: {rate:g} applies/s offered over {users} viewers × {open_jobs} jobs, each latency "
                     "from its scheduled send time (no coordinated omission); no baseline of its own (one commit "
                     "per apply cannot sustain that rate): compare with the closed-loop baseline")
    nodes = int(ctx.options.get("nodes", 1))
    freeze = ctx.options.get("gc_freeze", "1").lower() in ("1", "true", "yes")
    if not freeze:
        notes.append("gc_freeze=0: the servers kept the default collector (livehire serve freezes its start-up heap and sets serving thresholds)")
    redis = await redis_reachable() if nodes > 1 and pg is not None else None
    counted = ctx.options.get("instructions", "0").lower() in ("1", "true", "yes")
    counted_users = int(ctx.options.get("instructions_viewers", 100))
    counted_jobs = int(ctx.options.get("instructions_jobs", 10))
    if counted and missing_tools():
        notes.append(f"instructions=1 asked, but {', '.join(missing_tools())} not installed: not measured")
        counted = False
    elif counted:
        notes.append(f"<db>_instructions: server user-space instructions per apply under callgrind, closed loop "
                     f"{counted_users} viewers × {counted_jobs} jobs (kernel and database server not counted); "
                     "ratio = baseline / group commit")
    if nodes > 1:
        notes.append(f"postgresql_{nodes}_nodes: {nodes} server processes sharing PostgreSQL and Redis (events "
                     "through the Redis stream), viewers dealt out over them, the office page on the first: a "
                     "multi-node figure, not a single-node one" if redis else
                     f"nodes={nodes} asked, but PostgreSQL or Redis is not reachable: not measured")
    ctx.progress.start((sum(levels) * jobs * 2 + users * open_jobs + (2 * counted_users * counted_jobs if counted else 0))
                       * (2 if pg else 1)
                       + (users * (jobs + open_jobs) if redis else 0), "apply: group commit vs one commit per apply")
    figures: dict[str, Any] = {}
    baseline: dict[str, Any] = {}
    ratios: dict[str, float] = {}
    series: list[Series] = []
    try:
        targets = [("sqlite", f"sqlite:///{scratch / 'group.db'}", f"sqlite:///{scratch / 'single.db'}")]
        if pg is not None:
            targets.append(("postgresql", pg[0], pg[0]))
        for name, group_url, single_url in targets:
            core_users = min(users, 200) if name == "sqlite" else users
            figures[f"{name}_core"] = await measure_service(group_url, users, jobs, 2000)
            baseline[f"{name}_core"] = await measure_service(single_url, core_users, 2, 1)
            ratios[f"{name}_core_throughput"] = round(
                figures[f"{name}_core"]["durable_applies_per_s"]
                / max(baseline[f"{name}_core"]["durable_applies_per_s"], 1e-9), 2
            )
            grouped: list[float] = []
            single: list[float] = []
            for level in levels:
                key = name if level == users else f"{name}_{level}_viewers"
                figures[key] = await measure(group_url, level, jobs, 2000, ctx.progress, ctx.workers, use_msgpack(ctx),
                                             gc_freeze=freeze)
                baseline[key] = await measure(single_url, level, jobs, 1, ctx.progress, ctx.workers, use_msgpack(ctx),
                                              gc_freeze=freeze)
                ratios[f"{key}_throughput"] = round(
                    figures[key]["durable_applies_per_s"] / max(baseline[key]["durable_applies_per_s"], 1e-9), 2
                )
                grouped.append(figures[key]["durable_applies_per_s"])
                single.append(baseline[key]["durable_applies_per_s"])
            if counted:
                key = f"{name}_instructions"
                figures[key] = await measure_instructions(group_url, counted_users, counted_jobs, 2000, ctx.progress,
                                                          gc_freeze=freeze)
                baseline[key] = await measure_instructions(single_url, counted_users, counted_jobs, 1, ctx.progress,
                                                           gc_freeze=freeze)
                ratios[f"{key}_per_apply"] = round(baseline[key]["instructions_per_apply"]
                                                   / max(figures[key]["instructions_per_apply"], 1), 2)
            if open_jobs:
                figures[f"{name}_open_loop"] = await measure(group_url, users, open_jobs, 2000, ctx.progress,
                                                             ctx.workers, use_msgpack(ctx), rate=rate, gc_freeze=freeze)
            if name == "postgresql" and nodes > 1 and redis is not None:
                key = f"postgresql_{nodes}_nodes"
                figures[key] = await measure(group_url, users, jobs, 2000, ctx.progress, ctx.workers,
                                             use_msgpack(ctx), nodes=nodes, redis_url=redis, gc_freeze=freeze)
                ratios[f"{key}_throughput_vs_single_node_baseline"] = round(
                    figures[key]["durable_applies_per_s"] / max(baseline[name]["durable_applies_per_s"], 1e-9), 2
                )
                if open_jobs:
                    figures[f"{key}_open_loop"] = await measure(group_url, users, open_jobs, 2000, ctx.progress,
                                                                ctx.workers, use_msgpack(ctx), rate=rate, nodes=nodes,
                                                                redis_url=redis, gc_freeze=freeze)
            series.append(Series(f"{name}: group commit", [float(v) for v in levels], grouped))
            series.append(Series(f"{name}: one commit per apply", [float(v) for v in levels], single))
    finally:
        if pg is not None:
            await pg[1]()
        await asyncio.to_thread(shutil.rmtree, scratch, True)
    return BenchResult(
        figures=figures, baseline=baseline, ratios=ratios, notes=notes,
        plot_title="apply over websockets: durable applications per second", x_label="concurrent viewers",
        y_label="applications/s", series=series,
    )


