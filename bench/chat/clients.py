"""bench chat's viewer processes (``python -m bench.chat clients``) and their driver.

Viewers are raw-socket :class:`asyncio.Protocol` objects (no task per viewer); counting
viewers only look for the last chat ``seq`` in each read, probes decode every frame.

The probes live in a process of their own at normal priority; the counting processes
may run at a lower one (``nice``). They stand in for browsers on other machines: on
this machine, their reads would otherwise take the CPU the server's flush needs, and
a probe that shares a process with 2500 counting sockets reports when *its process*
got round to reading, not when the server wrote (see
docs/measurements/2026-11-29-chat-fanout-rounds.md, "Run E and the earlier runs of the morning").
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import sys
import time
from typing import Any, cast

CHAT_MARK = b',"type":"chat"'
PING = b"\x89\x00"  # the server's ping: an empty control frame (chat.heartbeat)
PONG = b"\x8a\x80\x00\x00\x00\x00"  # its answer, masked with a zero key as a client must (RFC 6455 §5.3)
CONNECT_SECONDS = 30.0  # a viewer not upgraded by then is a failure (a server out of descriptors never answers)


class Viewer(asyncio.Protocol):
    """One anonymous viewer over a raw socket; probes decode every frame for latency."""

    def __init__(self, path: str, probe: bool, samples: list[tuple[float, float]]) -> None:
        self.path, self.probe, self.samples = path, probe, samples  # probes: (send time, latency)
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.head, self.tail, self.buf = b"", b"", bytearray()
        self.last_seq, self.last_at, self.closed = 0, 0.0, False
        self.transport: asyncio.WriteTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.transport = cast(asyncio.WriteTransport, transport)
        self.transport.write(request.encode())

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
        if PING in self.tail[-1:] + data and self.transport is not None:  # as a browser does (JSON has no 0 byte)
            self.transport.write(PONG)
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
            if buf[pos] & 0x0F == 0x9 and self.transport is not None:  # a ping: answered as a browser does
                self.transport.write(PONG)
            pos += head + n
            # the fields by byte search, far cheaper per frame than json.loads
            # (figures: docs/measurements/2026-11-29-chat-fanout-rounds.md)
            if CHAT_MARK in payload[:40]:
                k = payload.find(b'"seq":')
                self.last_seq, self.last_at = int(payload[k + 6:payload.index(b",", k)]), now
                t = payload.rfind(b' t=')  # the bench host's stamp; other people may chat in a target's room
                with contextlib.suppress(ValueError):
                    sent = float(payload[t + 3:payload.index(b'"', t)]) if t >= 0 else None
                    if sent is not None:
                        self.samples.append((sent, now - sent))
        del buf[:pos]

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True


async def clients_main() -> None:
    """Commands on stdin, one JSON line each; one JSON line answers each on stdout."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    viewers: list[Viewer] = []
    samples: list[tuple[float, float]] = []
    gate = asyncio.Semaphore(64)

    failures: list[str] = []

    async def open_one(host: str, port: int, secure: bool, path: str, probe: bool) -> None:
        """One viewer connected within CONNECT_SECONDS, or a failure said (never a silent wait)."""
        async with gate:
            viewer = Viewer(path, probe, samples)
            try:
                async with asyncio.timeout(CONNECT_SECONDS):
                    await loop.create_connection(lambda: viewer, host, port, ssl=secure or None)
                    await viewer.ready
            except (OSError, TimeoutError) as exc:  # EMFILE here, or a server that cannot accept (its own limit)
                failures.append(f"{type(exc).__name__}: {exc}"[:200])
                if viewer.transport is not None:
                    viewer.transport.abort()
                return
            viewers.append(viewer)

    while line := await reader.readline():
        cmd = json.loads(line)
        if cmd["cmd"] == "connect":
            where = cmd.get("host", "127.0.0.1"), cmd["port"], bool(cmd.get("ssl")), cmd["path"]
            probe = bool(cmd.get("probe"))
            failures.clear()
            await asyncio.gather(*(open_one(*where, probe) for _ in range(cmd["n"])))
            answer: dict[str, Any] = {"viewers": len(viewers), "failed": len(failures), "error": failures[:1]}
        elif cmd["cmd"] == "settle":  # all viewers connected: the collector as the server's (bench/collector.py)
            from livehire.serve import prepare_collector

            prepare_collector()
            answer = {"viewers": len(viewers)}
        elif cmd["cmd"] == "report":
            start, end = cmd["start"], cmd["end"]
            samples_now, samples[:] = list(samples), []
            answer = {
                "received": sum(max(0, min(v.last_seq, end) - start) for v in viewers),
                "complete": sum(v.last_seq >= end for v in viewers),
                "closed": sum(v.closed for v in viewers),
                "last_at": max((v.last_at for v in viewers), default=0.0),
                "samples": [(s, round(x, 5)) for s, x in samples_now[:: max(1, len(samples_now) // 20000)]],
            }
        else:
            break
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


class Workers:
    """Viewer processes driven over stdin/stdout: ``procs[0]`` holds the probes, the others count."""

    def __init__(self, count: int, nice: int = 0, probe_nice: int = 0) -> None:
        self.count, self.nice, self.probe_nice, self.procs = count, nice, probe_nice, list[asyncio.subprocess.Process]()

    async def start(self) -> None:
        for nice in [self.probe_nice] + [self.nice] * self.count:
            self.procs.append(await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bench.chat", "clients", "--nice", str(nice), stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE, limit=1 << 24))

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
