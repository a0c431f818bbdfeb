"""A test-only aiohttp app: the chat service with a real Moderator and TokenSigner, nothing else.

Used in-process by the websocket tests and as a separate process (``python -m
tests.chat.app --port P --redis-url URL``) by the two-node integration test, so the
chat can be tested before and independently of the full ``livehire serve``.
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator, Mapping

from aiohttp import web
from prometheus_client import CollectorRegistry

from chat.bus.factory import create_bus
from chat.bus.ports import ChatBus
from chat.http import CHAT_SERVICE, chat_context, install_chat
from chat.protocol import Moderates
from chat.service import ChatService
from common.frames import FrameHandler
from identity.http import make_token_authenticate
from identity.policy import RoomFacts
from identity.tokens import TokenSigner
from moderation.engine import Moderator

SECRET = "chat-tests-secret-0123456789abcdef0123456789"
ROOMS = frozenset({"demo", "other", "bench"})
ORG = "chat-org"  # every test room belongs to it; hosts of other orgs do not moderate
BLOCKED_PHRASE = "你个傻逼"  # harassment: blocked for every role by the real filter
BLOCKED_CATEGORY = "harassment"


def make_moderator() -> Moderator:
    """The real filter with its shipped lexicons (standard 5.1.3 d)."""
    return Moderator()


def build_app(
    *,
    redis_url: str | None = None,
    extensions: Mapping[str, FrameHandler] | None = None,
    max_buffer: int = 1 << 20,
    moderator: Moderates | None = None,
    heartbeat: float = 30.0,
    bus: ChatBus | None = None,
) -> web.Application:
    """``bus``: ports built by the test (e.g. a Redis bus with its own reader back-off); else by ``redis_url``."""
    app = web.Application()
    signer = TokenSigner(SECRET)

    async def room_facts(room: str) -> RoomFacts | None:
        if room in ROOMS or room.startswith("t-"):  # t-<uuid>: fresh rooms on a shared Redis
            return RoomFacts(room, ORG, "public")
        return None

    service = ChatService(
        bus=bus or create_bus(redis_url),
        moderator=moderator or make_moderator(),
        authenticate=make_token_authenticate(signer),
        room_facts=room_facts,
        extensions=extensions or {},
        registry=CollectorRegistry(),
        max_buffer=max_buffer,
    )
    install_chat(app, service, heartbeat=heartbeat)
    app.cleanup_ctx.append(chat_context(service))

    async def stats(request: web.Request) -> web.Response:
        return web.json_response(request.app[CHAT_SERVICE].stats(request.match_info["room"]))

    app.router.add_get("/test/stats/{room}", stats)
    return app


def signer() -> TokenSigner:
    return TokenSigner(SECRET)


async def _ready(app: web.Application) -> AsyncIterator[None]:
    print("READY", flush=True)
    yield


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--redis-url")
    args = parser.parse_args()
    app = build_app(redis_url=args.redis_url)
    app.cleanup_ctx.append(_ready)
    web.run_app(app, host="127.0.0.1", port=args.port, print=None, handle_signals=True)


if __name__ == "__main__":
    main()
