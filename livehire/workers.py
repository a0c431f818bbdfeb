"""``livehire serve --workers N``: one node on all its cores (issue 17).

One Python process forwards media on one core. The supervisor (this module,
no event loop) holds the public port and one loopback port per worker, bound
with ``SO_REUSEPORT`` but never listening, so nobody else takes them while a
worker restarts, and runs N worker processes. Each worker is a whole node
(:func:`livehire.serve.serve`): it listens on the public port too (the kernel
spreads new connections over the workers) and on its loopback port, which is
its node URL. The workers are then nodes of one deployment (ARCHITECTURE.md
§1 "Scaling out"): the room directory in Redis names the worker holding a
room's publisher, and a worker with viewers of that room relays it from there
(signaling/relay.py); chat, apply and sign-in already share Redis and the
database. A session URL (PATCH, DELETE, layer) that reaches a worker other
than the session's is forwarded to the siblings over loopback, and ``/metrics``
answers for the whole node (livehire/worker_metrics.py).

A worker that dies is restarted; only its own sessions are lost, and their
clients reconnect (the player retries WHEP) to a live worker.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import re
import signal
import socket
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import aiohttp
from aiohttp import web

from livehire.middleware import Handler
from livehire.settings import Settings, SettingsError
from livehire.worker_metrics import node_metrics

log = logging.getLogger("livehire.workers")

SESSION_PATH = re.compile(r"^/(?:whip|whep)/[^/]+/[^/]+(?:/layer)?$")
HOP_HEADER = "X-Livehire-Worker-Hop"  # a forwarded request is never forwarded again
_NOT_COPIED = {"host", "content-length", "transfer-encoding", "connection", "keep-alive", "content-encoding"}
READY_TIMEOUT = 120.0  # the first worker migrates the database
RESTART_BACKOFF = 1.0
STOP_TIMEOUT = 20.0


def unshared(settings: Settings) -> str | None:
    """Why this configuration cannot run several workers, or None."""
    if not settings.redis_url:
        return "--redis-url (workers share the room directory and the chat bus through Redis, like nodes)"
    if settings.effective_database_url.startswith("sqlite"):
        return "a PostgreSQL --database-url (one SQLite file does not take writers in several processes)"
    return None


def worker_count(requested: int | None, settings: Settings) -> int:
    """``--workers`` or, by default, the number of cores when the configuration can share them (else 1)."""
    if requested is None:
        return 1 if unshared(settings) else max(1, os.cpu_count() or 1)
    if requested < 1:
        raise SettingsError(f"--workers must be at least 1, not {requested}")
    reason = unshared(settings) if requested > 1 else None
    if reason:
        raise SettingsError(f"--workers {requested} needs {reason}")
    return requested


@dataclass(frozen=True)
class Worker:
    """One worker's place (:class:`livehire.serve.WorkerRole`): its loopback port and its siblings'."""

    index: int
    private_port: int
    siblings: tuple[int, ...]
    prints_banner: bool

    def prepare(self, app: web.Application) -> None:
        forward, close = forward_to_siblings(self.siblings)
        # siblings are the other ports in worker order: the ones after this worker's are one index further
        numbered = [(j if j < self.index else j + 1, port) for j, port in enumerate(self.siblings)]
        node_wide, close_metrics = node_metrics(self.index, numbered, HOP_HEADER)
        app.middlewares.insert(0, node_wide)
        app.middlewares.insert(0, forward)  # outermost: sees the rendered 404 of an unknown session
        app.on_cleanup.append(lambda _: close())
        app.on_cleanup.append(lambda _: close_metrics())


def forward_to_siblings(ports: Sequence[int]) -> tuple[Any, Any]:
    """Middleware: a session URL this worker does not know is asked of each sibling in turn."""
    client: list[aiohttp.ClientSession] = []

    @web.middleware
    async def forward(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not ports or HOP_HEADER in request.headers or not SESSION_PATH.match(request.path):
            return await handler(request)
        body = await request.read()  # kept by aiohttp for the handler; needed again to forward
        raised: web.HTTPNotFound | None = None
        try:
            response = await handler(request)
            if response.status != 404:
                return response
        except web.HTTPNotFound as exc:  # (errors are normally rendered by the inner middleware)
            raised = exc
        if not client:
            client.append(aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)))
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _NOT_COPIED}
        headers[HOP_HEADER] = "1"
        for port in ports:
            try:
                async with client[0].request(request.method, f"http://127.0.0.1:{port}{request.rel_url}",
                                             data=body, headers=headers, allow_redirects=False) as answer:
                    if answer.status == 404:
                        continue
                    forwarded = web.Response(status=answer.status, body=await answer.read())
                    for key, value in answer.headers.items():
                        if key.lower() not in _NOT_COPIED:
                            forwarded.headers.add(key, value)
                    return forwarded
            except (aiohttp.ClientError, TimeoutError) as exc:  # that sibling is down or restarting
                log.info("forwarding %s %s to worker port %d failed: %s", request.method, request.path, port, exc)
        if raised is not None:
            raise raised
        return response

    async def close() -> None:
        if client:
            await client[0].close()

    return forward, close


def _hold(host: str, port: int) -> socket.socket:
    """Reserves a TCP port for the workers (bound with SO_REUSEPORT, not listening: it accepts nothing)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _worker_main(settings: Settings, worker: Worker) -> None:
    from livehire.logs import configure_logging
    from livehire.serve import run

    with contextlib.suppress(OSError, AttributeError):  # Linux: end with the supervisor, even a killed one
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    configure_logging(settings.log_level)
    run(replace(settings, node_url=f"http://127.0.0.1:{worker.private_port}"), worker)


def _ready(port: int, process: Any, timeout: float, stop: threading.Event) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.is_alive() and not stop.is_set():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False


def run_workers(settings: Settings, count: int) -> None:
    """Runs ``count`` workers until SIGTERM/SIGINT, restarting any that dies; one worker: plain ``serve``."""
    if count <= 1:
        from livehire.serve import run

        run(settings)
        return
    public = _hold(settings.host, settings.port)
    settings = replace(settings, port=public.getsockname()[1])
    held = [_hold("127.0.0.1", 0) for _ in range(count)]
    ports = [sock.getsockname()[1] for sock in held]
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no state of this one leaks in
    processes: list[Any] = [None] * count
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())

    def start(index: int, first: bool) -> bool:
        worker = Worker(index, ports[index], tuple(p for p in ports if p != ports[index]), first and index == 0)
        process = context.Process(target=_worker_main, args=(settings, worker), name=f"livehire-worker-{index}")
        process.start()
        processes[index] = process
        if _ready(ports[index], process, READY_TIMEOUT, stop):
            log.info("worker %d ready: pid %d, node URL http://127.0.0.1:%d", index, process.pid, ports[index])
            return True
        if not stop.is_set():
            log.error("worker %d (pid %d) did not become ready (exit code %s)", index, process.pid, process.exitcode)
        return False

    try:
        for index in range(count):  # one after the other: the first migrates and seeds the database
            if not stop.is_set() and not start(index, True):
                # as a single serve that cannot start: exit, rather than restart a broken configuration forever
                raise SystemExit(1)
        if not stop.is_set():
            log.info("%d workers serving %s", count, settings.base_url)
        while not stop.wait(0.5):
            for index, process in enumerate(processes):
                if process is not None and not process.is_alive() and not stop.is_set():
                    log.warning("worker %d (pid %d) exited with %s: restarting it", index, process.pid,
                                process.exitcode)
                    time.sleep(RESTART_BACKOFF)
                    start(index, False)
    finally:
        for process in processes:
            if process is not None and process.is_alive():
                process.terminate()  # SIGTERM: each worker drains like a single-process serve
        for process in processes:
            if process is not None:
                process.join(STOP_TIMEOUT)
                if process.is_alive():
                    process.kill()
                    process.join(5)
        for sock in [public, *held]:
            sock.close()
