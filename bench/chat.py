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

Counting viewers do not decode frames: TCP delivers in order and the server either
delivers every message or closes the socket, so the ``seq`` of the last chat frame in
each read tells how many messages arrived.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import socket
import sys
import time
from typing import Any

import aiohttp
from aiohttp import web

from bench.registry import BenchContext, BenchResult, Series

ROOM = "bench"
SECRET = "bench-chat-secret-" + "x" * 32
CHAT_MARK = b',"type":"chat"'



def fast_app() -> web.Application:
    """The real chat service: encode once, coalesced raw writes."""
    from prometheus_client import CollectorRegistry

    from chat.bus_memory import MemoryBus
    from chat.http import chat_context, install_chat
    from chat.service import ChatService
    from livehire.auth import TokenSigner
    from livehire.http_auth import make_authenticate
    from moderation.engine import Moderator

    async def room_exists(room: str) -> bool:
        return True

    service = ChatService(bus=MemoryBus(), moderator=Moderator(), authenticate=make_authenticate(TokenSigner(SECRET)),
                          room_exists=room_exists, registry=CollectorRegistry(), max_buffer=4 << 20)
    app = web.Application()
    install_chat(app, service)
    app.cleanup_ctx.append(chat_context(service))
    return app


def naive_app() -> web.Application:
    """The baseline: per viewer, ``json.dumps`` and ``await ws.send_str`` in the sender's handler."""
    from livehire.auth import TokenSigner
    from livehire.http_auth import make_authenticate
    from moderation.engine import Moderator

    authenticate = make_authenticate(TokenSigner(SECRET))
    moderator = Moderator()
    viewers: set[web.WebSocketResponse] = set()
    seq = [0]

    async def handler(request: web.Request) -> web.StreamResponse:
        principal = authenticate(request)
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"type": "welcome", "room": ROOM, "history": [], "seq": seq[0]}))
        viewers.add(ws)
        try:
            async for message in ws:
                data = json.loads(message.data)
                decision = moderator.moderate(data["text"], role=principal.role, context="chat")
                if decision.action not in ("allow", "mask"):
                    continue
                seq[0] += 1
                frame = {"id": f"m{seq[0]}", "seq": seq[0], "type": "chat",
                         "user": {"id": principal.user_id, "name": principal.user_id, "role": principal.role},
                         "text": decision.text, "ts": int(time.time() * 1000)}
                for viewer in list(viewers):
                    with contextlib.suppress(ConnectionError):
                        await viewer.send_str(json.dumps(frame, ensure_ascii=False, separators=(",", ":")))
        finally:
            viewers.discard(ws)
        return ws

    app = web.Application()
    app.router.add_get("/ws/rooms/{room}", handler)
    return app


def use_uvloop() -> None:
    """Server and viewers run on uvloop when installed, as ``livehire serve`` does."""
    with contextlib.suppress(ImportError):
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


def serve(mode: str, port: int) -> None:
    use_uvloop()
    app = fast_app() if mode == "fast" else naive_app()
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None, backlog=4096)



class Viewer(asyncio.Protocol):
    """One anonymous viewer over a raw socket; probes decode every frame for latency."""

    def __init__(self, path: str, probe: bool, latencies: list[float]) -> None:
        self.path, self.probe, self.latencies = path, probe, latencies
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.head, self.tail, self.buf = b"", b"", bytearray()
        self.last_seq, self.last_at, self.closed = 0, 0.0, False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        transport.write(request.encode())  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        now = time.time()
        if not self.ready.done():
            self.head += data
            end = self.head.find(b"\r\n\r\n")
            if end < 0:
                return
            if b" 101 " not in self.head[:end]:
                self.ready.set_exception(ConnectionError(self.head[:80].decode(errors="replace")))
                return
            data = self.head[end + 4:]
            self.ready.set_result(None)
        if self.probe:
            self._decode(data, now)
            return
        window = self.tail + data
        j = window.rfind(CHAT_MARK)
        if j >= 0:
            k = window.rfind(b'"seq":', 0, j)
            if k >= 0:
                self.last_seq, self.last_at = int(window[k + 6:j]), now
        self.tail = window[-96:]

    def _decode(self, data: bytes, now: float) -> None:
        buf = self.buf
        buf += data
        pos = 0
        while len(buf) - pos >= 2:
            n, head = buf[pos + 1] & 0x7F, 2
            if n == 126:
                n, head = int.from_bytes(buf[pos + 2:pos + 4], "big"), 4
            elif n == 127:
                n, head = int.from_bytes(buf[pos + 2:pos + 10], "big"), 10
            if len(buf) - pos < head + n:
                break
            payload = bytes(buf[pos + head:pos + head + n])
            pos += head + n
            if CHAT_MARK in payload[:40]:
                frame = json.loads(payload)
                self.last_seq, self.last_at = frame["seq"], now
                self.latencies.append(now - float(frame["text"].rsplit("t=", 1)[1]))
        del buf[:pos]

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True


async def clients_main() -> None:
    """Commands on stdin, one JSON line each; one JSON line answers each on stdout."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    viewers: list[Viewer] = []
    latencies: list[float] = []
    gate = asyncio.Semaphore(64)

    async def open_one(port: int, path: str, probe: bool) -> None:
        async with gate:
            viewer = Viewer(path, probe, latencies)
            await loop.create_connection(lambda: viewer, "127.0.0.1", port)
            await viewer.ready
            viewers.append(viewer)

    while line := await reader.readline():
        cmd = json.loads(line)
        if cmd["cmd"] == "connect":
            await asyncio.gather(*(open_one(cmd["port"], cmd["path"], i % cmd["probe_every"] == 0) for i in range(cmd["n"])))
            answer: dict[str, Any] = {"viewers": len(viewers)}
        elif cmd["cmd"] == "report":
            start, end = cmd["start"], cmd["end"]
            latencies_now, latencies[:] = list(latencies), []
            answer = {
                "received": sum(max(0, min(v.last_seq, end) - start) for v in viewers),
                "complete": sum(v.last_seq >= end for v in viewers),
                "closed": sum(v.closed for v in viewers),
                "last_at": max((v.last_at for v in viewers), default=0.0),
                "latencies": [round(x, 5) for x in latencies_now[:: max(1, len(latencies_now) // 20000)]],
            }
        else:
            break
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()



class Workers:
    """Viewer processes driven over stdin/stdout."""

    def __init__(self, count: int) -> None:
        self.count, self.procs = count, list[asyncio.subprocess.Process]()

    async def start(self) -> None:
        for _ in range(self.count):
            self.procs.append(await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bench.chat", "clients", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                limit=1 << 24))

    async def ask(self, command: dict[str, Any], per_worker: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        async def one(i: int, proc: asyncio.subprocess.Process) -> dict[str, Any]:
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write((json.dumps({**command, **(per_worker[i] if per_worker else {})}) + "\n").encode())
            await proc.stdin.drain()
            return dict(json.loads(await proc.stdout.readline()))
        return list(await asyncio.gather(*(one(i, p) for i, p in enumerate(self.procs))))

    async def stop(self) -> None:
        for proc in self.procs:
            if proc.stdin is not None:
                proc.stdin.close()
        for proc in self.procs:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(proc.wait(), 10)
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        self.procs = []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
            if message.type == aiohttp.WSMsgType.TEXT and CHAT_MARK in message.data.encode()[:40]:
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


async def measure_point(workers: Workers, sender: Sender, server_pid: int, audience: int, rate: float,
                        duration: float) -> dict[str, Any]:
    """Send at ``rate`` for ``duration``, wait for the viewers to drain (bounded), read the figures."""
    start_seq, latencies = sender.seq, list[float]()
    await workers.ask({"cmd": "report", "start": 0, "end": 0})  # drops earlier latency samples
    cpu0, t0 = cpu_seconds(server_pid), time.time()
    sent = await sender.send(rate, duration)
    deadline = time.monotonic() + max(5.0, duration * 2)
    while True:
        reports = await workers.ask({"cmd": "report", "start": start_seq, "end": start_seq + sent})
        latencies += [x for r in reports for x in r["latencies"]]
        if sum(r["complete"] + r["closed"] for r in reports) >= audience or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)
    cpu = cpu_seconds(server_pid) - cpu0
    received = sum(r["received"] for r in reports)
    span = max(max(r["last_at"] for r in reports) - t0, duration)
    return {"clients": audience, "rate": rate, "sent": sent, "deliveries": received,
            "deliveries_per_s": round(received / span), "server_cpu_s": round(cpu, 3),
            "deliveries_per_cpu_s": round(received / cpu) if cpu > 0 else None,
            "p50_ms": percentile_ms(latencies, 0.5), "p99_ms": percentile_ms(latencies, 0.99),
            "drops": sent * audience - received, "closed": sum(r["closed"] for r in reports)}


async def measure_mode(ctx: BenchContext, mode: str, audiences: list[int], rates: list[float], duration: float) -> list[dict[str, Any]]:
    from livehire.auth import TokenSigner

    port = free_port()
    server = await asyncio.create_subprocess_exec(sys.executable, "-m", "bench.chat", "serve", "--mode", mode, "--port", str(port))
    workers, rows, connected = Workers(max(2, ctx.workers)), [], 0
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(100):
                with contextlib.suppress(OSError):
                    _, writer = await asyncio.open_connection("127.0.0.1", port)
                    writer.close()
                    break
                await asyncio.sleep(0.1)
            host_token = TokenSigner(SECRET).mint(role="host", user="bench-host", room=ROOM)
            ws = await http.ws_connect(f"http://127.0.0.1:{port}/ws/rooms/{ROOM}", params={"token": host_token}, max_msg_size=0)
            sender = Sender(ws)
            await workers.start()
            for audience in audiences:
                more = audience - connected
                share = [{"n": more // workers.count + (i < more % workers.count)} for i in range(workers.count)]
                await workers.ask({"cmd": "connect", "port": port, "path": f"/ws/rooms/{ROOM}", "probe_every": 50}, share)
                connected = audience
                for rate in rates:
                    await asyncio.sleep(0.5)
                    rows.append(await measure_point(workers, sender, server.pid, audience, rate, duration))
                    ctx.progress.advance()
            sender.reader.cancel()
            await ws.close()
    finally:
        await workers.stop()
        server.terminate()
        await server.wait()
    return rows


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    light = [r["p99_ms"] for r in rows if r["rate"] == rows[0]["rate"] and r["p99_ms"] is not None]
    heaviest = max(rows, key=lambda r: (r["clients"], r["rate"]))
    return {"max_deliveries_per_s": max(r["deliveries_per_s"] for r in rows),
            "max_deliveries_per_cpu_s": max(r["deliveries_per_cpu_s"] or 0 for r in rows),
            "p99_ms_light_load_max": max(light, default=None), "heaviest": heaviest,
            "drops": sum(r["drops"] for r in rows), "runs": rows}


async def run(ctx: BenchContext) -> BenchResult:
    if ctx.target:
        raise ValueError("bench chat starts its own server; --target is not supported yet")
    audiences = [100, 500] if ctx.quick else [100, 1000, 5000]
    rates = [5.0, 100.0] if ctx.quick else [5.0, 50.0, 200.0]
    duration = 2.0 if ctx.quick else 4.0
    ctx.progress.start(2 * len(audiences) * len(rates), "chat fan-out: fast, then naive")
    fast = await measure_mode(ctx, "fast", audiences, rates, duration)
    naive = await measure_mode(ctx, "naive", audiences, rates, duration)
    ours, base = summary(fast), summary(naive)
    heavy_f, heavy_n = ours["heaviest"], base["heaviest"]
    ratios = {"max_deliveries_per_s": ours["max_deliveries_per_s"] / max(1, base["max_deliveries_per_s"]),
              "max_deliveries_per_cpu_s": ours["max_deliveries_per_cpu_s"] / max(1, base["max_deliveries_per_cpu_s"]),
              "heaviest_deliveries_per_s": heavy_f["deliveries_per_s"] / max(1, heavy_n["deliveries_per_s"])}
    series = [Series(f"{name} {rate:g} msg/s", [r["clients"] for r in rows if r["rate"] == rate],
                     [r["deliveries_per_s"] for r in rows if r["rate"] == rate])
              for name, rows in (("encode-once", fast), ("naive", naive)) for rate in rates]
    notes = [f"server and {max(2, ctx.workers)} viewer processes share this machine ({os.cpu_count()} cores); "
             "viewer processes, not the server, may be the limit: compare deliveries per server CPU-second",
             "latency is send → probe viewer (1 in 50 decodes every frame), wall clock of one machine"]
    return BenchResult(figures=ours, baseline=base, ratios=ratios, notes=notes, series=series,
                       plot_title="Chat fan-out, one room", x_label="viewers", y_label="deliveries / s")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.chat", description="bench chat's server and viewer processes")
    parser.add_argument("command", choices=["serve", "clients"])
    parser.add_argument("--mode", choices=["fast", "naive"], default="fast")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    if args.command == "serve":
        serve(args.mode, args.port)
    else:
        use_uvloop()
        asyncio.run(clients_main())


if __name__ == "__main__":
    main()
