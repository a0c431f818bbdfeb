"""Running the server: bind, start, print where to go, stop gracefully on SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import socket
from dataclasses import replace
from typing import Protocol

from aiohttp import web

from common.fdlimit import raise_open_files
from common.malloc_arenas import limit_malloc_arenas
from livehire import keys
from livehire.app import create_app
from livehire.connections import ConnectionGuard, ConnectionLimits
from livehire.seed import DEMO_ROOM, demo_sign_in_link, demo_stream_key
from livehire.settings import Settings, with_secret

log = logging.getLogger("livehire.serve")


class WorkerRole(Protocol):
    """What a worker process of ``serve --workers`` adds (livehire/workers.py): a second, loopback listener."""

    @property
    def private_port(self) -> int: ...

    @property
    def prints_banner(self) -> bool: ...

    def prepare(self, app: web.Application) -> None: ...
SHUTDOWN_GRACE_SECONDS = 5.0
LISTEN_BACKLOG = 1024


def bind_socket(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    """Binds before the app is built so port 0 resolves to the real port in every URL.

    ``reuse_port``: worker processes share the port (``livehire serve --workers``, livehire/workers.py).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(LISTEN_BACKLOG)
    sock.setblocking(False)
    return sock


def banner(settings: Settings, demo_link: str | None = None) -> str:
    base = settings.base_url
    lines = [
        f"livehire is serving on {base}",
        f"  rooms:         {base}/",
        f"  back office:   {base}/office",
    ]
    if settings.seed_demo and settings.secret:
        lines += [
            f"  viewer URL:    {base}/live/{DEMO_ROOM}",
            f"  host studio:   {base}/studio/{DEMO_ROOM}",
            f"  OBS WHIP URL:  {base}/whip/{DEMO_ROOM}",
            f"  stream key:    {demo_stream_key(settings.secret)}",
            f"  demo recruiter: {base}/auth/link/{demo_link} (one-time sign-in link, 15 minutes)",
            "  (OBS: Settings → Stream → Service: WHIP, Server: the WHIP URL, Bearer Token: the stream key)",
        ]
    return "\n".join(lines) + "\n"


async def serve(settings: Settings, worker: WorkerRole | None = None) -> None:
    log.info(raise_open_files().describe())  # each socket is a file: the limit bounds the connections
    log.info(limit_malloc_arenas().describe())  # before any thread: freed memory is reused, not spread
    settings = with_secret(settings)
    sock = bind_socket(settings.host, settings.port, reuse_port=worker is not None)
    settings = replace(settings, port=sock.getsockname()[1])
    app = create_app(settings)
    if worker is not None:
        worker.prepare(app)
    loop = asyncio.get_running_loop()
    # not a web.SockSite: every connection goes through the guard (per-IP cap, header timeout)
    guard = ConnectionGuard(
        ConnectionLimits(settings.max_connections_per_ip, settings.header_timeout_seconds), loop
    )
    runner = web.AppRunner(
        app, handle_signals=False, shutdown_timeout=SHUTDOWN_GRACE_SECONDS, **guard.runner_kwargs()
    )
    await runner.setup()
    assert runner.server is not None
    listener = await loop.create_server(guard.protocol_factory(runner.server), sock=sock, backlog=LISTEN_BACKLOG)
    listeners = [listener]
    if worker is not None:  # its own loopback port: sibling workers relay from it and forward session requests
        private = bind_socket("127.0.0.1", worker.private_port, reuse_port=True)
        listeners.append(await loop.create_server(guard.protocol_factory(runner.server), sock=private,
                                                  backlog=LISTEN_BACKLOG))
    prepare_collector()
    if worker is None or worker.prints_banner:
        demo_link = await demo_sign_in_link(app[keys.STORE]) if settings.seed_demo else None
        print(banner(settings, demo_link), flush=True)
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        log.info("shutting down: no new connections, closing peers and websockets, flushing the store")
        for each in listeners:
            each.close()
        await runner.cleanup()


#: ``gc.set_threshold`` while serving: young collections every 20 000 allocations instead of 700, the
#: middle one every 50 of those, a full one at most every 100 middle ones (and only when the 25 % rule
#: of CPython agrees). Objects of an apply in flight (until their commit) no longer survive into the
#: old generation, whose full passes were the apply tail under load (with the default (700, 10, 10));
#: with these none ran during the bench's loads (figures: docs/measurements/2026-11-29-apply-rounds.md).
SERVING_GC_THRESHOLDS = (20_000, 50, 100)


def prepare_collector() -> None:
    """After start-up: everything alive (modules, lexicon automata, app) moves out of the collector
    (``gc.freeze``), and the serving thresholds apply.

    A full collection otherwise walks that heap again and again, pausing the loop under apply
    load (figures: docs/measurements/2026-11-29-apply-rounds.md). Not in ``create_app``:
    tests build many apps in one process and would freeze each other's leftovers.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVING_GC_THRESHOLDS)


def run(settings: Settings, worker: WorkerRole | None = None) -> None:
    """Runs :func:`serve` on uvloop when it is installed."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(serve(settings, worker))
        return
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(serve(settings, worker))
