"""The processes of ``livehire bench chat``: its servers (the real chat service and the naive
baseline) and the entry point ``python -m bench.chat serve|clients``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import time
from typing import Final

from aiohttp import web

from bench.apply.server import use_uvloop
from bench.chat import ROOM, SECRET, trace
from bench.chat.clients import clients_main

WRITERS: Final = ("native", "python")  # chat.writers' send loops: chat/_rawsend.c, the pure-Python one


def fast_app(write_threads: int | None = None, writer: str | None = None) -> web.Application:
    """The real chat service: encode once, coalesced raw writes (``write_threads``, ``writer``: see chat.writers)."""
    from prometheus_client import CollectorRegistry

    from chat.bus.factory import memory_bus
    from chat.http import chat_context, install_chat
    from chat.service import ChatService
    from identity.http import make_token_authenticate
    from identity.policy import RoomFacts
    from identity.tokens import TokenSigner
    from moderation.engine import Moderator

    async def room_facts(room: str) -> RoomFacts:
        return RoomFacts(room, None, "public")

    service = ChatService(bus=memory_bus(), moderator=Moderator(), authenticate=make_token_authenticate(TokenSigner(SECRET)),
                          room_facts=room_facts, registry=CollectorRegistry(), max_buffer=4 << 20,
                          write_threads=write_threads, write_native=None if writer is None else writer == "native")
    app = web.Application()
    install_chat(app, service)
    app.cleanup_ctx.append(chat_context(service))
    return app


def naive_app() -> web.Application:
    """The baseline: per viewer, ``json.dumps`` and ``await ws.send_str`` in the sender's handler."""
    from identity.http import make_token_authenticate
    from identity.tokens import TokenSigner
    from moderation.engine import Moderator

    authenticate = make_token_authenticate(TokenSigner(SECRET))
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


def serve(mode: str, port: int, write_threads: int | None = None, traced: bool = False,
          writer: str | None = None, serving_gc: bool = True) -> None:
    """``serving_gc``: the collector as ``livehire serve`` runs it (frozen start-up heap, serving
    thresholds, a paced full collection), for both modes; without it CPython's defaults."""
    use_uvloop()
    app = fast_app(write_threads, writer) if mode == "fast" else naive_app()
    if traced and mode == "fast":
        trace.install(app)
    if serving_gc:
        from livehire.collector import collector_context
        from livehire.serve import prepare_collector

        app.cleanup_ctx.append(collector_context)
        prepare_collector()
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None, backlog=4096)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.chat", description="bench chat's server and viewer processes")
    parser.add_argument("command", choices=["serve", "clients"])
    parser.add_argument("--mode", choices=["fast", "naive"], default="fast")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--trace", action="store_true", help="serve: stamp flushes, GET /bench/flushes (bench.chat.trace)")
    parser.add_argument("--nice", type=int, default=0, help="lower this process's CPU priority by this much")
    parser.add_argument("--write-threads", type=int, default=None, help="threads sharing a big flush (default: per core, ≤ 4)")
    parser.add_argument("--default-gc", action="store_true",
                        help="serve: CPython's collector settings instead of livehire serve's")
    parser.add_argument("--writer", choices=WRITERS, default=None,
                        help="serve: the send loop of big flushes (default: native where built)")
    args = parser.parse_args()
    with contextlib.suppress(PermissionError):  # a negative nice needs CAP_SYS_NICE: then as it is
        os.nice(args.nice)
    if args.command == "serve":
        serve(args.mode, args.port, args.write_threads, args.trace, args.writer, not args.default_gc)
    else:
        use_uvloop()
        asyncio.run(clients_main())
