"""A cheap apply client: one raw websocket per viewer, callbacks only, frames built in advance.

The load generator shares the machine's cores with the server, so every microsecond it
spends per apply is taken from the server. Each viewer is an :class:`asyncio.Protocol`
(no task, no ``await`` per frame): the handshake is written by hand, every ``apply``
frame is built and masked before the run starts (RFC 6455 §5.3 allows any masking key;
the all-zero key makes the masked payload equal the payload, so no XOR per frame), and
replies are decoded only when they are ``apply_result`` or ``error`` frames. With
``binary=True`` the socket asks for msgpack (``?format=msgpack``, ARCHITECTURE.md §2).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import ssl
import struct
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import msgpack

OP_TEXT = 0x1
OP_BINARY = 0x2
APPLY_RESULT = b'"apply_result"'
ERROR = b'"error"'


def client_frame(payload: bytes, opcode: int) -> bytes:
    """A complete masked client frame with the zero masking key."""
    length = len(payload)
    if length < 126:
        head = bytes((0x80 | opcode, 0x80 | length))
    elif length < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
    return head + b"\0\0\0\0" + payload


def apply_frame(job_id: str, ref: str, *, binary: bool) -> bytes:
    frame = {"type": "apply", "job_id": job_id, "ref": ref}
    if binary:
        return client_frame(msgpack.packb(frame, use_bin_type=True), OP_BINARY)
    return client_frame(json.dumps(frame, separators=(",", ":")).encode(), OP_TEXT)


class ApplyViewer(asyncio.Protocol):
    """Applies to ``jobs`` one after another: the next apply leaves when the previous one is answered."""

    def __init__(self, path: str, host: str, user: str, jobs: list[str], *, binary: bool,
                 sent: dict[tuple[str, str], float], on_result: Callable[[str, str, float, float, str], None]) -> None:
        self.path, self.host, self.user, self.binary, self.on_result = path, host, user, binary, on_result
        self.sent = sent
        self.refs = [f"{user}:{job}" for job in jobs]
        self.jobs = jobs
        self.frames = [apply_frame(job, ref, binary=binary) for job, ref in zip(jobs, self.refs, strict=True)]
        loop = asyncio.get_running_loop()
        self.ready: asyncio.Future[None] = loop.create_future()
        self.done: asyncio.Future[None] = loop.create_future()
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.upgraded = False
        self.index = 0
        self.started = 0.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        writer: asyncio.Transport = transport  # type: ignore[assignment]  # uvloop's are not asyncio.Transport
        self.transport = writer
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write((f"GET {self.path} HTTP/1.1\r\nHost: {self.host}\r\nUpgrade: websocket\r\n"
                         f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())

    def start(self) -> None:
        if not self.frames:
            self.done.set_result(None)
            return
        self._send()

    def _send(self) -> None:
        assert self.transport is not None
        self.started = time.perf_counter()
        self.sent[(self.user, self.jobs[self.index])] = self.started
        self.transport.write(self.frames[self.index])

    def data_received(self, data: bytes) -> None:
        buf = self.buf
        buf += data
        if not self.upgraded:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            if b" 101 " not in buf[:end]:
                self.ready.set_exception(ConnectionError(bytes(buf[:120]).decode(errors="replace")))
                return
            del buf[:end + 4]
            self.upgraded = True
            self.ready.set_result(None)
        pos = 0
        size = len(buf)
        while size - pos >= 2:
            length, head = buf[pos + 1] & 0x7F, 2
            if length == 126:
                length, head = int.from_bytes(buf[pos + 2:pos + 4], "big"), 4
            elif length == 127:
                length, head = int.from_bytes(buf[pos + 2:pos + 10], "big"), 10
            if size - pos < head + length:
                break
            start = pos + head
            pos = start + length
            self._frame(bytes(buf[start:pos]))
        del buf[:pos]

    def _answer(self, payload: bytes) -> dict[str, Any] | None:
        """The frame if it is an ``apply_result`` or ``error`` (anything else is skipped unparsed)."""
        if self.binary:
            if APPLY_RESULT[1:-1] not in payload and ERROR[1:-1] not in payload:
                return None
            frame: Any = msgpack.unpackb(payload, raw=False)
        else:
            if APPLY_RESULT not in payload and ERROR not in payload:
                return None
            frame = json.loads(payload)
        if not isinstance(frame, dict) or frame.get("type") not in ("apply_result", "error"):
            return None
        return frame

    def _frame(self, payload: bytes) -> None:
        if self.index >= len(self.frames):
            return
        frame = self._answer(payload)
        if frame is None or frame.get("ref") != self.refs[self.index]:
            return
        now = time.perf_counter()
        status = str(frame.get("status", frame.get("code")))
        self.on_result(self.user, self.jobs[self.index], self.started, now, status)
        self.index += 1
        if self.index < len(self.frames):
            self._send()
        elif not self.done.done():
            self.done.set_result(None)

    def connection_lost(self, exc: Exception | None) -> None:
        error = exc or ConnectionError("the server closed the socket")
        if not self.ready.done():
            self.ready.set_exception(error)
        if not self.done.done():
            self.done.set_exception(error)

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(client_frame(struct.pack("!H", 1000), 0x8))
            self.transport.close()


class OpenLoopViewer(ApplyViewer):
    """Sends each apply at its scheduled time, answered or not (open loop, as wrk2 does).

    Latency counts from the *scheduled* send time, so a server (or client) that falls behind
    shows it in the figures instead of quietly slowing the offered load (coordinated omission).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scheduled: dict[str, tuple[int, float]] = {}  # ref → (index, scheduled time)
        self.answered = 0

    def start(self) -> None:
        if not self.frames and not self.done.done():
            self.done.set_result(None)

    def send(self, index: int, scheduled: float) -> None:
        """Called by the scheduler (:func:`run_open_loop`) when apply ``index`` is due."""
        assert self.transport is not None
        self.scheduled[self.refs[index]] = (index, scheduled)
        self.sent[(self.user, self.jobs[index])] = scheduled
        self.transport.write(self.frames[index])

    def _frame(self, payload: bytes) -> None:
        frame = self._answer(payload)
        if frame is None:
            return
        entry = self.scheduled.pop(str(frame.get("ref")), None)
        if entry is None:
            return
        now = time.perf_counter()
        self.on_result(self.user, self.jobs[entry[0]], entry[1], now, str(frame.get("status", frame.get("code"))))
        self.answered += 1
        if self.answered == len(self.frames) and not self.done.done():
            self.done.set_result(None)


async def run_open_loop(viewers: list[OpenLoopViewer], rate: float) -> list[float]:
    """Offers ``rate`` applies/s spread evenly over the viewers (viewer ``v`` at ``v / rate`` past
    each of its slots); returns how late each frame left the client (ms), to show the client kept up."""
    slots = max(len(viewer.frames) for viewer in viewers) if viewers else 0
    count = len(viewers)
    lag: list[float] = []
    began = time.perf_counter()
    for slot in range(slots):
        for number, viewer in enumerate(viewers):
            if slot >= len(viewer.frames):
                continue
            due = began + (slot * count + number) / rate
            now = time.perf_counter()
            if due > now + 0.001:
                await asyncio.sleep(due - now)
                now = time.perf_counter()
            lag.append(max(0.0, (now - due) * 1000))
            viewer.send(slot, due)
    return lag


async def open_viewers(base: str, room: str, viewers: list[tuple[str, str]], jobs: list[str], *, binary: bool,
                       sent: dict[tuple[str, str], float], on_result: Callable[[str, str, float, float, str], None],
                       open_loop: bool = False) -> list[ApplyViewer]:
    """Connects every viewer (64 handshakes at a time) and waits for every upgrade; ``open_loop``:
    viewers of :class:`OpenLoopViewer`, driven by :func:`run_open_loop`."""
    url = urlsplit(base)
    secure = url.scheme in ("https", "wss")
    host = url.hostname or "127.0.0.1"
    port = url.port or (443 if secure else 80)
    context = ssl.create_default_context() if secure else None
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(64)
    fmt = "&format=msgpack" if binary else ""

    async def one(user: str, token: str) -> ApplyViewer:
        async with gate:
            kind = OpenLoopViewer if open_loop else ApplyViewer
            viewer = kind(f"/ws/rooms/{room}?token={token}{fmt}", url.netloc or host, user, jobs,
                          binary=binary, sent=sent, on_result=on_result)
            await loop.create_connection(lambda: viewer, host, port, ssl=context)
            await viewer.ready
            return viewer

    return list(await asyncio.gather(*(one(user, token) for user, token in viewers)))
