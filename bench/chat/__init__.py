"""``livehire bench chat``: chat fan-out to one room with growing audiences and send rates.

The server runs in its own process (``python -m bench.chat serve --mode fast|naive``)
so its CPU time can be read from ``/proc``; viewers are anonymous websocket clients
spread over client processes (``python -m bench.chat clients``). One host sends
timestamped chat messages at a fixed rate through the real path (token, moderation,
bus, fan-out). Figures per (audience, rate): deliveries/s, deliveries per server
CPU-second, latency p50/p99 (send → viewer, from probe viewers that decode every
frame), drops (messages a viewer never got, e.g. because it was closed as a slow
consumer). Baseline, same run: a naive aiohttp handler that JSON-encodes the frame
for each viewer and awaits ``send_str`` per viewer.

``--target URL`` loads an existing deployment (no baseline there): viewers join ``URL``'s
``/ws/rooms/{room}`` (``-o room=``, default ``bench``); the host sends with ``-o token=`` (a
host token of the room) or ``-o admin_token=`` (then the room is created if missing, ``POST
/api/v1/rooms``); ``-o server_pid=`` (a local deployment; several pids separated by commas for ``serve --workers N``)
adds the server's CPU and memory figures.

Counting viewers do not decode frames: TCP delivers in order and the server either
delivers every message or closes the socket, so the ``seq`` of the last chat frame in
each read tells how many messages arrived.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import math
import os
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from bench.apply.server import free_port  # the same helper, one copy
from bench.chat import trace
from bench.chat.clients import CHAT_MARK, Workers
from bench.collector import quiet_collector
from bench.registry import BenchContext, BenchResult, Series
from common.fdlimit import open_files, raise_open_files, require

ROOM = "bench"
PROBE_EVERY = 50  # 1 viewer in 50 decodes every frame and reports latency
#: Descriptors a process holds besides its viewer sockets (the server: listener, epoll, pipes, its host's
#: socket; 16 measured idle), with a margin: the plan must fit under the open-file limit.
SERVER_FILES = 64
CLIENT_FILES = 32
VIEWER_NICE = 10  # counting viewer processes yield the CPU to the server (they stand in for other machines)
PROBE_NICE = -5  # probes read at once: their own scheduling delay is not the server's latency (needs CAP_SYS_NICE)
SECRET = "bench-chat-secret-" + "x" * 32


def niceness(pid: int) -> int:
    """A process's nice value (what ``clients --nice`` achieved: raising priority needs privileges)."""
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[16])


def cpu_seconds(pids: tuple[int, ...]) -> float:
    """The CPU time (user + system) of the server's processes (several: ``livehire serve --workers N``)."""
    ticks = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_bytes(pids: tuple[int, ...]) -> int | None:
    """The server processes' resident memory (VmRSS, summed), or None without a local server."""
    if not pids:
        return None
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/status") as status:
            total += next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))
    return total


def socket_memory(pids: tuple[int, ...], before: int | None, audience: int) -> dict[str, Any]:
    """The server's RSS and its growth per viewer socket since before the first viewer connected."""
    now = rss_bytes(pids)
    if now is None or before is None:
        return {}
    return {"server_rss_mb": round(now / 2**20, 1), "server_fds": sum(open_files(pid) for pid in pids),
            "server_bytes_per_socket": round((now - before) / max(1, audience))}


def check_plan(audiences: list[int], counting: int, local_server: bool) -> None:
    """Refuses at once a plan whose sockets do not fit the open-file limit of a process (common.fdlimit)."""
    limit, audience = raise_open_files(), max(audiences)
    if local_server:
        require(audience + SERVER_FILES, limit, f"the chat server process with {audience} viewer sockets")
    share = math.ceil(audience / counting)
    require(share + CLIENT_FILES, limit, f"each of the {counting} viewer processes ({share} sockets)")


def serving_gc(ctx: BenchContext) -> bool:
    """``-o gc=serving`` (the default): every process of the bench collects as ``livehire serve`` does.

    The server is the product and runs with its collector (:func:`livehire.serve.prepare_collector` and the
    paced full collection); the viewer processes and the host freeze their heaps once connected, so a
    collection of the load generator's own heap is not timed as the server's latency (bench/collector.py).
    ``-o gc=default`` keeps CPython's defaults everywhere.
    """
    return ctx.options.get("gc", "serving") != "default"


def percentile_ms(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2) if ordered else None


class Sender:
    """The host: sends paced, timestamped chat messages and follows the room's ``seq``."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws, self.seq = ws, 0
        self.reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            head = message.data.encode()[:40] if message.type == aiohttp.WSMsgType.TEXT else b""
            if CHAT_MARK in head or b'"type":"welcome"' in head:  # a target's room may have history
                self.seq = max(self.seq, json.loads(message.data)["seq"])

    async def send(self, rate: float, duration: float) -> int:
        started, sent = time.monotonic(), 0
        while (elapsed := time.monotonic() - started) < duration:
            due = int(elapsed * rate) + 1
            for _ in range(due - sent):
                await self.ws.send_str(json.dumps({"type": "chat", "text": f"岗位讲解第{sent}条 t={time.time():.6f}"}))
                sent += 1
            await asyncio.sleep(0.005)
        return sent


async def measure_point(workers: Workers, sender: Sender, server_pid: tuple[int, ...], audience: int, rate: float,
                        duration: float, flushes: Callable[[], Awaitable[list[Any]]] | None = None) -> dict[str, Any]:
    """Send at ``rate`` for ``duration``, wait for the viewers to drain (bounded), read the figures.

    ``flushes``: the traced server's flush stamps (``-o trace=1``, :mod:`bench.chat.trace`)."""
    start_seq, samples = sender.seq, list[list[float]]()
    await workers.ask({"cmd": "report", "start": 0, "end": 0})  # drops earlier latency samples
    if flushes is not None:
        await flushes()  # and the earlier flush stamps
    cpu0, t0 = cpu_seconds(server_pid), time.time()
    sent = await sender.send(rate, duration)
    deadline = time.monotonic() + max(5.0, duration * 2)
    while True:
        reports = await workers.ask({"cmd": "report", "start": start_seq, "end": start_seq + sent})
        samples += [x for r in reports for x in r["samples"]]
        if sum(r["complete"] + r["closed"] for r in reports) >= audience or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)
    cpu = cpu_seconds(server_pid) - cpu0
    received = sum(r["received"] for r in reports)
    span = max(max(r["last_at"] for r in reports) - t0, duration)
    latencies = [latency for _, latency in samples]
    traced = trace.figures(await flushes(), samples) if flushes is not None else {}
    return {**traced, "clients": audience, "rate": rate, "sent": sent, "deliveries": received,
            "deliveries_per_s": round(received / span), "server_cpu_s": round(cpu, 3) if server_pid else None,
            "deliveries_per_cpu_s": round(received / cpu) if cpu > 0 else None,
            "p50_ms": percentile_ms(latencies, 0.5), "p99_ms": percentile_ms(latencies, 0.99),
            "drops": sent * audience - received, "closed": sum(r["closed"] for r in reports)}


def connect_plan(more: int, counting: int) -> list[list[dict[str, Any]]]:
    """Per round, what each viewer process connects: the probe process 1 probe, the counting ones the rest.

    Rounds of :data:`PROBE_EVERY` spread the probes evenly through the server's write order (probes
    connected all at once would sit together, e.g. first, in every flush)."""
    rounds = max(1, more // PROBE_EVERY) if more > 0 else 0
    plan = []
    for r in range(rounds):
        n = more // rounds + (r < more % rounds) - 1
        plan.append([{"n": 1, "probe": True}] + [{"n": n // counting + (i < n % counting)} for i in range(counting)])
    return plan


async def fetch_flushes(http: aiohttp.ClientSession, base: str) -> list[Any]:
    async with http.get(f"{base}/bench/flushes") as response:
        return list(await response.json())


async def drive(ctx: BenchContext, base: str, room: str, token: str, server_pid: tuple[int, ...], audiences: list[int],
                rates: list[float], duration: float, traced: bool = False) -> list[dict[str, Any]]:
    """The measurement itself, against the server at ``base`` (ours or a ``--target``)."""
    url = urlsplit(base)
    secure = url.scheme in ("https", "wss")
    where = {"host": url.hostname or "127.0.0.1", "port": url.port or (443 if secure else 80), "ssl": secure}
    nice = int(ctx.options.get("viewer_nice", VIEWER_NICE)), int(ctx.options.get("probe_nice", PROBE_NICE))
    workers, rows, connected = Workers(max(2, ctx.workers), *nice), list[dict[str, Any]](), 0
    try:
        async with aiohttp.ClientSession() as http:
            ws = await http.ws_connect(f"{base}/ws/rooms/{room}", params={"token": token}, max_msg_size=0)
            sender = Sender(ws)
            flushes = functools.partial(fetch_flushes, http, base) if traced else None
            await workers.start()
            rss_before = rss_bytes(server_pid)
            for audience in audiences:
                for share in connect_plan(audience - connected, workers.count):
                    answers = await workers.ask({"cmd": "connect", **where, "path": f"/ws/rooms/{room}"}, share)
                    if failed := sum(a["failed"] for a in answers):
                        errors = [e for a in answers for e in a["error"]]
                        raise RuntimeError(f"{failed} viewers could not connect (of {audience}): {errors[:2]}")
                connected = audience
                memory = socket_memory(server_pid, rss_before, audience)
                if serving_gc(ctx):
                    await workers.ask({"cmd": "settle"})
                with quiet_collector() if serving_gc(ctx) else contextlib.nullcontext():
                    for rate in rates:
                        await asyncio.sleep(0.5)
                        row = await measure_point(workers, sender, server_pid, audience, rate, duration, flushes)
                        nices = {"server": niceness(server_pid[0]) if server_pid else None,
                                 "probes": niceness(workers.procs[0].pid), "counting": niceness(workers.procs[-1].pid)}
                        rows.append({**row, **memory, "nice": nices})
                        ctx.progress.advance()
            sender.reader.cancel()
            await ws.close()
    finally:
        await workers.stop()
    return rows



async def wait_listening(port: int, attempts: int = 100) -> None:
    """Returns once 127.0.0.1:``port`` accepts a connection (a bench server started), or after 10 s."""
    for _ in range(attempts):
        with contextlib.suppress(OSError):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        await asyncio.sleep(0.1)

async def measure_mode(ctx: BenchContext, mode: str, audiences: list[int], rates: list[float], duration: float,
                       writer: str | None = None) -> list[dict[str, Any]]:
    """One server process measured; ``writer``: its send loop (``native``/``python``, default ``-o writer=``)."""
    from identity.tokens import TokenSigner

    port = free_port()
    threads = ["--write-threads", ctx.options["write_threads"]] if "write_threads" in ctx.options else []
    writer = writer or ctx.options.get("writer")
    threads += ["--writer", writer] if writer and mode == "fast" else []
    threads += ["--nice", ctx.options.get("server_nice", "0")]  # e.g. -5: other jobs on this machine wait
    traced = mode == "fast" and ctx.options.get("trace", "0") not in ("0", "")
    threads += ["--trace"] if traced else []
    threads += [] if serving_gc(ctx) else ["--default-gc"]
    server = await asyncio.create_subprocess_exec(sys.executable, "-m", "bench.chat", "serve", "--mode", mode, "--port", str(port),
                                                  *threads)
    try:
        await wait_listening(port)
        host_token = TokenSigner(SECRET).mint(session="test", role="host", user="bench-host", room=ROOM)
        return await drive(ctx, f"http://127.0.0.1:{port}", ROOM, host_token, (server.pid,), audiences, rates, duration, traced)
    finally:
        server.terminate()
        await server.wait()


async def target_room(base: str, options: dict[str, str]) -> tuple[str, str]:
    """The room and the sender's token on a ``--target``; creates the room with ``admin_token``."""
    room, admin = options.get("room", ROOM), options.get("admin_token")
    if not (token := options.get("token") or admin):
        raise ValueError("bench chat --target needs -o token=<host token of the room> or -o admin_token=<admin token>")
    if admin:
        headers = {"Authorization": "Bearer " + admin}
        async with aiohttp.ClientSession(headers=headers) as http, http.get(f"{base}/api/v1/rooms/{room}") as got:
            if got.status == 404:
                async with http.post(f"{base}/api/v1/rooms", json={"slug": room, "title": "压测直播间"}) as made:
                    if made.status not in (201, 409):
                        raise RuntimeError(f"could not create room {room!r}: {made.status} {await made.text()}")
    return room, token


def writer_ab(ours: list[dict[str, Any]], other: list[dict[str, Any]], writer: str) -> BenchResult:
    """Ours against the same server with another send loop (``-o baseline=python|native``), point by point."""
    ratios = {f"{a['clients']}x{a['rate']:g} {key}": round(a[key] / b[key], 3)
              for a, b in zip(ours, other, strict=True)
              for key in ("deliveries_per_s", "deliveries_per_cpu_s", "p50_ms", "p99_ms") if a[key] and b[key]}
    return BenchResult(figures=summary(ours), baseline=summary(other), ratios=ratios, notes=[
        f"baseline: the same chat server with chat.writers' {writer} send loop (writer={writer}), measured "
        "right after ours in the same run; a ratio < 1 for p50/p99 is ours faster"])


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    light = [r["p99_ms"] for r in rows if r["rate"] == rows[0]["rate"] and r["p99_ms"] is not None]
    heaviest = max(rows, key=lambda r: (r["clients"], r["rate"]))
    return {"max_deliveries_per_s": max(r["deliveries_per_s"] for r in rows),
            "max_deliveries_per_cpu_s": max(r["deliveries_per_cpu_s"] or 0 for r in rows),
            "p99_ms_light_load_max": max(light, default=None), "heaviest": heaviest,
            "drops": sum(r["drops"] for r in rows), "runs": rows}


async def run(ctx: BenchContext) -> BenchResult:
    options = ctx.options  # -o audiences=100,1000 -o rates=5,50 -o duration=4
    audiences = [int(x) for x in options["audiences"].split(",")] if "audiences" in options else (
        [100, 500] if ctx.quick else [100, 1000, 5000])
    rates = [float(x) for x in options["rates"].split(",")] if "rates" in options else (
        [5.0, 100.0] if ctx.quick else [5.0, 50.0, 200.0])
    duration = float(options.get("duration", 2.0 if ctx.quick else 4.0))
    check_plan(audiences, max(2, ctx.workers), ctx.target is None)
    if ctx.target:
        target = ctx.target.rstrip("/")
        room, token = await target_room(target, ctx.options)
        ctx.progress.start(len(audiences) * len(rates), f"chat fan-out against {target}")
        pid = tuple(int(x) for x in ctx.options.get("server_pid", "").split(",") if x)
        figures = summary(await drive(ctx, target, room, token, pid, audiences, rates, duration))
        return BenchResult(figures=figures, baseline={}, ratios={}, notes=[
            f"target {target}, room {room!r}: no baseline (the naive server cannot be put on a foreign deployment)"])
    # -o baseline=0: ours only (e.g. 20,000 sockets); baseline=python|native: ours again with that send loop
    kind = options.get("baseline", "1")
    with_baseline = kind != "0"
    ctx.progress.start((1 + with_baseline) * len(audiences) * len(rates), "chat fan-out: fast, then the baseline")
    fast = await measure_mode(ctx, "fast", audiences, rates, duration)
    if not with_baseline:
        return BenchResult(figures=summary(fast), baseline={}, ratios={}, notes=["no baseline (-o baseline=0)"])
    if kind in ("python", "native"):
        return writer_ab(fast, await measure_mode(ctx, "fast", audiences, rates, duration, writer=kind), kind)
    naive = await measure_mode(ctx, "naive", audiences, rates, duration)
    ours, base = summary(fast), summary(naive)
    heavy_f, heavy_n = ours["heaviest"], base["heaviest"]
    ratios = {"max_deliveries_per_s": ours["max_deliveries_per_s"] / max(1, base["max_deliveries_per_s"]),
              "max_deliveries_per_cpu_s": ours["max_deliveries_per_cpu_s"] / max(1, base["max_deliveries_per_cpu_s"]),
              "heaviest_deliveries_per_s": heavy_f["deliveries_per_s"] / max(1, heavy_n["deliveries_per_s"])}
    series = [Series(f"{name} {rate:g} msg/s", [r["clients"] for r in rows if r["rate"] == rate],
                     [r["deliveries_per_s"] for r in rows if r["rate"] == rate])
              for name, rows in (("encode-once", fast), ("naive", naive)) for rate in rates]
    notes = [f"server, 1 probe process and {max(2, ctx.workers)} counting viewer processes share this machine "
             f"({os.cpu_count()} cores); counting viewers run at lower priority (row 'nice'), probes at higher where "
             "allowed; viewer processes, not the server, may be the limit: compare deliveries per server CPU-second",
             "latency is send → probe viewer (1 in 50, spread through the write order), wall clock of one machine; "
             "-o trace=1 adds the server's flush times and the probes' receive times against them"]
    return BenchResult(figures=ours, baseline=base, ratios=ratios, notes=notes, series=series,
                       plot_title="Chat fan-out, one room", x_label="viewers", y_label="deliveries / s")
