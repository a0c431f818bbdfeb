"""``livehire bench apply``: durable applications per second and click → back-office latency.

Many viewers, each on its own chat websocket, press apply on a series of jobs
(every apply is a new, delivered application). A back-office stream
(``/api/v1/orgs/{org}/applications/stream``) is open during the run; the
latency from sending the ``apply`` frame to that office event arriving is the
click → back-office latency. The server runs in a subprocess (``python -m
bench.apply serve``) composed of the real chat service, the recruiting service
and the store (the real ``create_app``), on SQLite (WAL, ``synchronous=FULL``) and PostgreSQL when
reachable. Baseline, measured in the same run: the same server with
``max_batch=1`` — one commit per apply.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from bench.registry import BenchContext, BenchResult, Series

ORG = "bench-org"
ROOM = "bench"
SECRET = "bench-secret-" + "x" * 32
DAY_MS = 24 * 3600 * 1000
LIGHT_VIEWERS = 50  # a lighter load, where latency rather than throughput is the figure


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def seed(database_url: str, users: int, jobs: int) -> list[str]:
    """Creates the org, its room, ``jobs`` published jobs and ``users`` consenting profiles."""
    from recruiting.jobs import JobRepository
    from recruiting.store.engine import open_store
    from recruiting.store.orgs import OrgRepository
    from recruiting.store.recruiting_tables import profiles
    from recruiting.store.rooms import RoomRepository

    store = await open_store(database_url)
    try:
        orgs = OrgRepository(store)
        if await orgs.get_org(ORG) is None:
            await orgs.create_org(ORG, "压测机构")
            await RoomRepository(store).create(ROOM, title="压测直播间", org_id=ORG)
        repo = JobRepository(store)
        if not await repo.verified_licences(ORG):
            await repo.add_qualification(ORG, "business_licence", "BENCH", state="verified")
        now = int(time.time() * 1000)
        job_ids = [j["id"] for j in await repo.of_org(ORG)]
        for index in range(len(job_ids), jobs):
            body = {
                "id": f"bench-job-{index}",
                "title": f"压测岗位 {index}",
                "employer": "压测公司",
                "kind": "own",
                "location": "北京",
                "salary_min": 5000,
                "salary_max": 9000,
                "headcount": 100,
                "valid_from": now - 1000,
                "valid_until": now + 30 * DAY_MS,
            }
            job_ids.append((await repo.create(ORG, body, created_by="bench"))["id"])
        rows = [
            {"user_id": f"u{i}", "name": f"用户{i}", "phone": "13800000000", "resume": "r",
             "consent_to_share": True, "consent_at": now, "updated_at": now}
            for i in range(users)
        ]
        async with store.engine.begin() as connection:
            await connection.execute(profiles.delete())
            await connection.execute(profiles.insert(), rows)
        return sorted(job_ids)[:jobs]
    finally:
        await store.close()


async def serve(database_url: str, port: int, *, redis_url: str | None, max_batch: int) -> None:
    """The real server (``livehire.app.create_app``) with the apply batch limit set (1 = baseline)."""
    import signal

    from aiohttp import web

    from livehire.app import RECRUITING, create_app
    from livehire.settings import Settings

    data_dir = Path(tempfile.mkdtemp(prefix="livehire-bench-serve-"))
    settings = Settings(port=port, data_dir=data_dir, database_url=database_url, redis_url=redis_url,
                        secret=SECRET, seed_demo=False, log_level="WARNING")
    app = create_app(settings)
    app[RECRUITING].set_max_batch(max_batch)
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=2.0)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"READY {port}", flush=True)
    await stop.wait()
    await runner.cleanup()
    await asyncio.to_thread(shutil.rmtree, data_dir, True)


@dataclass
class ServerProcess:
    process: asyncio.subprocess.Process
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.terminate()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.process.wait(), 15)
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


async def start_server(
    database_url: str, *, redis_url: str | None = None, max_batch: int = 2000, port: int | None = None
) -> ServerProcess:
    port = port or free_port()
    args = [sys.executable, "-m", "bench.apply", "serve", "--database-url", database_url,
            "--port", str(port), "--max-batch", str(max_batch)]
    if redis_url:
        args += ["--redis-url", redis_url]
    process = await asyncio.create_subprocess_exec(
        *args, stdout=asyncio.subprocess.PIPE, stderr=None, preexec_fn=_die_with_parent
    )
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), 60)
    if not line.startswith(b"READY"):
        process.kill()
        await process.wait()
        raise RuntimeError(f"the bench server did not start: {line!r}")
    return ServerProcess(process, port)


def _die_with_parent() -> None:
    """Linux: the server gets SIGTERM when the bench or test process dies, so none is left behind."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def viewer_token(user: str) -> str:
    from livehire.auth import TokenSigner

    return TokenSigner(SECRET).mint(role="viewer", user=user)


def office_token() -> str:
    from livehire.auth import TokenSigner

    return TokenSigner(SECRET).mint(role="recruiter", user="bench-recruiter", org=ORG)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def office_listener(base: str, org: str, token: str, sent: dict[tuple[str, str], float],
                          latencies: list[float], ready: asyncio.Event) -> None:
    async with aiohttp.ClientSession() as session, session.get(
        f"{base}/api/v1/orgs/{org}/applications/stream",
        headers={"Authorization": "Bearer " + token},
        timeout=aiohttp.ClientTimeout(total=None),
    ) as response:
        ready.set()
        async for raw in response.content:
            line = raw.decode()
            if line.startswith("data: ") and '"application"' in line:
                event = json.loads(line[6:])
                started = sent.get((event["user_id"], event["job_id"]))
                if started is not None:
                    latencies.append((time.perf_counter() - started) * 1000)


async def load(
    base: str,
    viewers: list[tuple[str, str]],
    job_ids: list[str],
    progress: Any,
    *,
    room: str = ROOM,
    org: str = ORG,
    office: str | None = None,
    go: asyncio.Event | None = None,
    connected: asyncio.Event | None = None,
    raw: bool = False,
) -> dict[str, Any]:
    """Every viewer (user id, token) applies to every job over its own websocket; returns the figures.

    With ``go``, the sockets connect first and the applies start when it is set (workers start
    together); with ``raw`` the result also carries the samples and wall-clock start and end.
    """
    sent: dict[tuple[str, str], float] = {}
    ack_ms: list[float] = []
    office_ms: list[float] = []
    statuses: dict[str, int] = {}
    ready = asyncio.Event()
    listener: asyncio.Task[None] | None = None
    if office is not None:
        listener = asyncio.create_task(office_listener(base, org, office, sent, office_ms, ready))
        await asyncio.wait_for(ready.wait(), 30)
    ws_base = base.replace("http://", "ws://").replace("https://", "wss://")
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        sockets = await asyncio.gather(*(
            session.ws_connect(f"{ws_base}/ws/rooms/{room}?token={token}", heartbeat=None) for _, token in viewers
        ))

        async def viewer(index: int, ws: aiohttp.ClientWebSocketResponse) -> None:
            user = viewers[index][0]
            for job_id in job_ids:
                ref = f"{user}:{job_id}"
                started = time.perf_counter()
                sent[(user, job_id)] = started
                await ws.send_str(json.dumps({"type": "apply", "job_id": job_id, "ref": ref}))
                while True:
                    frame = json.loads((await ws.receive()).data)
                    if frame.get("type") in ("apply_result", "error") and frame.get("ref") == ref:
                        break
                ack_ms.append((time.perf_counter() - started) * 1000)
                status = str(frame.get("status", frame.get("code")))
                statuses[status] = statuses.get(status, 0) + 1
                progress.advance()

        if connected is not None:
            connected.set()
        if go is not None:
            await go.wait()
        began_wall = time.time()
        began = time.perf_counter()
        await asyncio.gather(*(viewer(i, ws) for i, ws in enumerate(sockets)))
        elapsed = time.perf_counter() - began
        ended_wall = began_wall + elapsed
        await asyncio.gather(*(ws.close() for ws in sockets))
    expected = statuses.get("delivered", 0) if listener is not None else 0
    for _ in range(200):  # up to 10 s for the last office events
        if len(office_ms) >= expected:
            break
        await asyncio.sleep(0.05)
    if listener is not None:
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError, aiohttp.ClientError):
            await listener
    if raw:
        return {"ack_ms": ack_ms, "office_ms": office_ms, "statuses": statuses,
                "began": began_wall, "ended": ended_wall}
    return summarise(ack_ms, office_ms, statuses, elapsed)


def summarise(ack_ms: list[float], office_ms: list[float], statuses: dict[str, int], elapsed: float) -> dict[str, Any]:
    return {
        "applies": len(ack_ms),
        "statuses": statuses,
        "seconds": round(elapsed, 3),
        "durable_applies_per_s": round(statuses.get("delivered", 0) / elapsed, 1),
        "ack_p50_ms": round(percentile(ack_ms, 0.5), 2),
        "ack_p99_ms": round(percentile(ack_ms, 0.99), 2),
        "office_events": len(office_ms),
        "office_p50_ms": round(percentile(office_ms, 0.5), 2),
        "office_p99_ms": round(percentile(office_ms, 0.99), 2),
    }


async def load_workers(
    base: str, viewers: list[tuple[str, str]], job_ids: list[str], progress: Any, *, workers: int,
    room: str = ROOM, org: str = ORG, office: str | None = None,
) -> dict[str, Any]:
    """The same load from ``workers`` processes (``python -m bench.apply load``), started together."""
    spec = {"base": base, "viewers": viewers, "job_ids": job_ids, "room": room, "org": org, "office": office}
    handle = await asyncio.to_thread(tempfile.NamedTemporaryFile, "w", suffix=".json", delete=False)
    await asyncio.to_thread(handle.write, json.dumps(spec))
    await asyncio.to_thread(handle.close)
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.apply", "load", "--spec", handle.name, "--index", str(index),
            "--workers", str(workers), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            preexec_fn=_die_with_parent,
        )
        for index in range(workers)
    ]
    try:
        for process in processes:
            assert process.stdout is not None
            line = await asyncio.wait_for(process.stdout.readline(), 120)
            if not line.startswith(b"CONNECTED"):
                raise RuntimeError(f"a load worker failed to connect: {line!r}")
        for process in processes:
            assert process.stdin is not None
            process.stdin.write(b"GO\n")
            await process.stdin.drain()
        parts = []
        for process in processes:
            output, _ = await process.communicate()
            parts.append(json.loads(output.decode().strip().splitlines()[-1]))
            progress.advance(sum(parts[-1]["statuses"].values()))
    finally:
        os.unlink(handle.name)
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()
    statuses: dict[str, int] = {}
    for part in parts:
        for status, count in part["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    elapsed = max(p["ended"] for p in parts) - min(p["began"] for p in parts)
    figures = summarise([x for p in parts for x in p["ack_ms"]], [x for p in parts for x in p["office_ms"]],
                        statuses, elapsed)
    figures["workers"] = workers
    return figures


async def worker_main(spec_path: str, index: int, workers: int) -> None:
    """One load worker: its slice of the viewers; connects, waits for GO on stdin, prints raw results."""
    spec = json.loads(await asyncio.to_thread(Path(spec_path).read_text, encoding="utf-8"))
    viewers: list[tuple[str, str]] = [(str(v[0]), str(v[1])) for v in spec["viewers"]][index::workers]
    go = asyncio.Event()
    connected = asyncio.Event()

    class Silent:
        def start(self, total: int, description: str) -> None: ...

        def advance(self, steps: int = 1) -> None: ...

    task = asyncio.create_task(load(
        spec["base"], viewers, spec["job_ids"], Silent(), room=spec["room"], org=spec["org"],
        office=spec["office"], go=go, connected=connected, raw=True,
    ))
    reader = asyncio.StreamReader()
    await asyncio.get_running_loop().connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    await connected.wait()
    print("CONNECTED", flush=True)
    await reader.readline()
    go.set()
    print(json.dumps(await task), flush=True)


async def measure(
    database_url: str, users: int, jobs: int, max_batch: int, progress: Any, workers: int = 1
) -> dict[str, Any]:
    job_ids = await seed(database_url, users, jobs)
    await _reset_applications(database_url)
    server = await start_server(database_url, max_batch=max_batch)
    viewers = [(f"u{i}", viewer_token(f"u{i}")) for i in range(users)]
    try:
        if workers > 1:
            return await load_workers(server.base, viewers, job_ids, progress, workers=workers, office=office_token())
        return await load(server.base, viewers, job_ids, progress, office=office_token())
    finally:
        await server.stop()


async def measure_service(database_url: str, users: int, jobs: int, max_batch: int) -> dict[str, Any]:
    """The recruiting core alone, in this process (no sockets): where the apply path's own limit is."""
    from recruiting.events import MemoryEventLog
    from recruiting.numbers import SimulatedNumberProvider
    from recruiting.service import RecruitingService
    from recruiting.store.engine import open_store

    job_ids = await seed(database_url, users, jobs)
    await _reset_applications(database_url)
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
        await _reset_applications(database_url)
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


async def postgres_database() -> tuple[str, Any] | None:
    """A scratch PostgreSQL database on 127.0.0.1 (DATABASE_URL), or None when there is none."""
    import asyncpg
    from sqlalchemy.engine import make_url

    base = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    url = make_url(base)
    name = f"bench_apply_{os.getpid()}"
    try:
        admin = await asyncpg.connect(
            host=url.host or "127.0.0.1", port=url.port or 5432, user=url.username or "postgres",
            password=url.password, database=url.database or "postgres", timeout=3,
        )
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return None
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    await admin.execute(f'CREATE DATABASE "{name}"')

    async def drop() -> None:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()

    return url.set(database=name).render_as_string(hide_password=False), drop


async def run_target(ctx: BenchContext, users: int, jobs: int) -> BenchResult:
    """Load an existing deployment: guest viewers with consenting profiles apply to its published jobs.

    Options: ``room`` (default ``demo``), ``org`` (only that org's jobs), ``office_token`` (a
    recruiter token of that org, for the click → back-office latency). The baseline needs a
    server of our own and is not measured here.
    """
    assert ctx.target is not None
    base = ctx.target.rstrip("/")
    org = ctx.options.get("org")
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{base}/api/v1/jobs", params={"org": org} if org else None) as response:
            published = await response.json()
        job_ids = [job["id"] for job in published][:jobs]
        org = org or (published[0]["org"] if published else "")

        async def guest(index: int) -> tuple[str, str]:
            async with session.post(f"{base}/api/v1/auth/guest", json={"name": f"压测{index}"}) as response:
                data = await response.json()
            headers = {"Authorization": "Bearer " + data["token"]}
            profile = {"name": f"压测{index}", "phone": "13800000000", "resume": "bench", "consent_to_share": True}
            async with session.put(f"{base}/api/v1/me/profile", json=profile, headers=headers) as response:
                response.raise_for_status()
            return data["user"]["id"], data["token"]

        viewers = list(await asyncio.gather(*(guest(i) for i in range(users))))
    ctx.progress.start(users * len(job_ids), f"apply against {base}")
    room = ctx.options.get("room", "demo")
    office = ctx.options.get("office_token")
    if ctx.workers > 1:
        figures = await load_workers(base, viewers, job_ids, ctx.progress, workers=ctx.workers, room=room, org=org,
                                     office=office)
    else:
        figures = await load(base, viewers, job_ids, ctx.progress, room=room, org=org, office=office)
    return BenchResult(figures={"target": figures}, baseline={}, ratios={},
                       notes=[f"target {base}: {users} guest viewers × {len(job_ids)} jobs; no baseline on a foreign server"])


async def run(ctx: BenchContext) -> BenchResult:
    users = int(ctx.options.get("viewers", 100 if ctx.quick else 800))
    jobs = int(ctx.options.get("jobs", 5 if ctx.quick else 10))
    if ctx.target:
        return await run_target(ctx, users, jobs)
    scratch = Path(tempfile.mkdtemp(prefix="livehire-bench-apply-"))
    pg = await postgres_database()
    notes = [f"{users} viewers × {jobs} jobs each over chat websockets; server in a subprocess on 127.0.0.1",
             "<db>_core: the recruiting service alone in the bench process (no sockets, no chat), same store",
             "durable: committed before apply_result (SQLite WAL synchronous=FULL: survives SIGKILL and power loss; "
             "PostgreSQL synchronous_commit=on)"]
    if pg is None:
        notes.append("PostgreSQL not reachable: measured SQLite only")
    levels = sorted({min(LIGHT_VIEWERS, users), users})
    ctx.progress.start(sum(levels) * jobs * 2 * (2 if pg else 1), "apply: group commit vs one commit per apply")
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
                figures[key] = await measure(group_url, level, jobs, 2000, ctx.progress, ctx.workers)
                baseline[key] = await measure(single_url, level, jobs, 1, ctx.progress, ctx.workers)
                ratios[f"{key}_throughput"] = round(
                    figures[key]["durable_applies_per_s"] / max(baseline[key]["durable_applies_per_s"], 1e-9), 2
                )
                grouped.append(figures[key]["durable_applies_per_s"])
                single.append(baseline[key]["durable_applies_per_s"])
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


async def _reset_applications(database_url: str) -> None:
    from recruiting.store.engine import open_store
    from recruiting.store.recruiting_tables import applications

    store = await open_store(database_url)
    try:
        async with store.engine.begin() as connection:
            await connection.execute(applications.delete())
    finally:
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.apply")
    sub = parser.add_subparsers(dest="command", required=True)
    serve_cmd = sub.add_parser("serve", help="run the chat + recruiting server used by the bench")
    serve_cmd.add_argument("--database-url", required=True)
    serve_cmd.add_argument("--port", type=int, required=True)
    serve_cmd.add_argument("--redis-url")
    serve_cmd.add_argument("--max-batch", type=int, default=2000)
    load_cmd = sub.add_parser("load", help="one load worker (started by the bench with --workers)")
    load_cmd.add_argument("--spec", required=True)
    load_cmd.add_argument("--index", type=int, required=True)
    load_cmd.add_argument("--workers", type=int, required=True)
    args = parser.parse_args()
    if args.command == "load":
        asyncio.run(worker_main(args.spec, args.index, args.workers))
    else:
        asyncio.run(serve(args.database_url, args.port, redis_url=args.redis_url, max_batch=args.max_batch))


if __name__ == "__main__":
    main()
