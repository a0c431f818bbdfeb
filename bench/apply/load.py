"""The load: viewers applying over websockets, the office stream, and their figures.

``load`` runs in the bench process or, with ``--workers N``, in N load processes
(``python -m bench.apply load``) that connect first and start together; throughput is
measured over the union of their wall-clock windows.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench.apply.client import OpenLoopViewer, open_viewers, run_open_loop
from bench.apply.server import ORG, ROOM, _die_with_parent
from bench.collector import quiet_collector

USER_ID = re.compile(rb'"user_id": ?"([^"]*)"')
JOB_ID = re.compile(rb'"job_id": ?"([^"]*)"')


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def office_listener(base: str, org: str, token: str, sent: dict[tuple[str, str], float],
                          latencies: list[float], ready: asyncio.Event) -> None:
    """Reads the office stream in chunks; two regex searches per event instead of a JSON parse."""
    async with aiohttp.ClientSession() as session, session.get(
        f"{base}/api/v1/orgs/{org}/applications/stream",
        headers={"Authorization": "Bearer " + token},
        timeout=aiohttp.ClientTimeout(total=None),
    ) as response:
        ready.set()
        tail = b""
        async for chunk in response.content.iter_any():
            now = time.perf_counter()
            *events, tail = (tail + chunk).split(b"\n\n")
            for event in events:
                if b"event: application" not in event:
                    continue
                user, job = USER_ID.search(event), JOB_ID.search(event)
                if user is not None and job is not None:
                    key = (user.group(1).decode(), job.group(1).decode())
                else:  # another JSON layout: parse it
                    data = json.loads(event.split(b"data: ", 1)[1])
                    key = (data["user_id"], data["job_id"])
                started = sent.get(key)
                if started is not None:
                    latencies.append((now - started) * 1000)


async def load(
    base: str | list[str],
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
    binary: bool = False,
    rate: float | None = None,
) -> dict[str, Any]:
    """Every viewer (user id, token) applies to every job over its own websocket; returns the figures.

    Closed loop by default (a viewer's next apply leaves when the previous one is answered); with
    ``rate``, open loop: ``rate`` applies/s offered in total, spread evenly over the viewers, each
    latency counted from its scheduled send time. With ``go``, the sockets connect first and the
    applies start when it is set (workers start together); with ``raw`` the result also carries
    the samples and wall-clock start and end; with ``binary`` the sockets speak msgpack. Several
    ``base`` URLs (nodes sharing PostgreSQL and Redis): the viewers are dealt out over them in turn
    and the office page reads the first node (the others' events reach it through Redis).
    """
    bases = [base] if isinstance(base, str) else base
    sent: dict[tuple[str, str], float] = {}
    ack_ms: list[float] = []
    office_ms: list[float] = []
    statuses: dict[str, int] = {}
    ready = asyncio.Event()
    listener: asyncio.Task[None] | None = None
    if office is not None:
        listener = asyncio.create_task(office_listener(bases[0], org, office, sent, office_ms, ready))
        await asyncio.wait_for(ready.wait(), 30)

    def on_result(user: str, job_id: str, started: float, now: float, status: str) -> None:
        ack_ms.append((now - started) * 1000)
        statuses[status] = statuses.get(status, 0) + 1
        progress.advance()

    sockets = [
        socket
        for index, node in enumerate(bases)
        for socket in await open_viewers(node, room, viewers[index::len(bases)], job_ids, binary=binary, sent=sent,
                                         on_result=on_result, open_loop=rate is not None)
    ]
    if connected is not None:
        connected.set()
    if go is not None:
        await go.wait()
    lag: list[float] = []
    try:
        with quiet_collector():  # no collection of this process's heap inside the samples
            began_wall = time.time()
            began = time.perf_counter()
            for viewer in sockets:
                viewer.start()
            if rate is not None:
                lag = await run_open_loop([v for v in sockets if isinstance(v, OpenLoopViewer)], rate)
            await asyncio.gather(*(viewer.done for viewer in sockets))
            elapsed = time.perf_counter() - began
    finally:
        for viewer in sockets:
            viewer.close()
    ended_wall = began_wall + elapsed
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
                "began": began_wall, "ended": ended_wall, "lag_ms": lag}
    return summarise(ack_ms, office_ms, statuses, elapsed, rate=rate, lag_ms=lag)


def summarise(ack_ms: list[float], office_ms: list[float], statuses: dict[str, int], elapsed: float, *,
              rate: float | None = None, lag_ms: list[float] | None = None) -> dict[str, Any]:
    """``rate`` (open loop): the offered rate, and ``send_lag_p99_ms``: how late the client sent (it kept up
    if this is small; the latencies count from the scheduled time either way)."""
    figures: dict[str, Any] = {"mode": "closed loop"} if rate is None else {
        "mode": "open loop", "offered_per_s": rate, "send_lag_p99_ms": round(percentile(lag_ms or [], 0.99), 2),
    }
    return figures | {
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
    base: str | list[str], viewers: list[tuple[str, str]], job_ids: list[str], progress: Any, *, workers: int,
    room: str = ROOM, org: str = ORG, office: str | None = None, binary: bool = False, rate: float | None = None,
) -> dict[str, Any]:
    """The same load from ``workers`` processes (``python -m bench.apply load``), started together;
    with ``rate`` each offers its share of it."""
    spec = {"base": base, "viewers": viewers, "job_ids": job_ids, "room": room, "org": org, "office": office,
            "binary": binary, "rate": rate / workers if rate is not None else None}
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
                        statuses, elapsed, rate=rate, lag_ms=[x for p in parts for x in p["lag_ms"]])
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
        office=spec["office"], go=go, connected=connected, raw=True, binary=bool(spec.get("binary")),
        rate=spec.get("rate"),
    ))
    reader = asyncio.StreamReader()
    await asyncio.get_running_loop().connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    await connected.wait()
    print("CONNECTED", flush=True)
    await reader.readline()
    go.set()
    print(json.dumps(await task), flush=True)


