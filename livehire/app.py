"""The composition root: ``create_app(settings)`` builds the whole server.

Only this module knows every layer. It builds the store, the token signer,
the moderation engine, the chat service, the recruiting service and the media
signaling service, wires their routes and metrics into one aiohttp
application, and starts them in ``cleanup_ctx`` order: store (migrated and
seeded) → recruiting → chat → media. Shutdown runs in reverse: peers and chat
sockets are closed with a reconnect hint first, accepted applications are
flushed, and the store is closed last.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web
from prometheus_client import CollectorRegistry

from chat import openapi as chat_openapi
from chat.bus import create_bus
from chat.http import chat_context, install_chat
from chat.service import ChatService
from identity.tokens import TokenSigner
from livehire import keys
from livehire.api_moderation import OPENAPI_PATHS as MODERATION_OPENAPI_PATHS
from livehire.api_moderation import TermSync, install_moderation_api
from livehire.api_rooms import OPENAPI_PATHS, install_room_api
from livehire.http_auth import make_authenticate
from livehire.middleware import build_middlewares
from livehire.openapi import install_openapi
from livehire.ops import READINESS, ReadinessCheck, install_ops
from livehire.pages import install_pages
from livehire.room_access import StoreRoomAccess
from livehire.security_headers import install_security_headers
from livehire.seed import DEMO_ORG, seed_demo
from livehire.settings import Settings, with_secret
from moderation.engine import Moderator
from recruiting import openapi as recruiting_openapi
from recruiting.contact import derive_contact_key
from recruiting.events import event_log_for
from recruiting.http import install_recruiting
from recruiting.numbers import SimulatedNumberProvider
from recruiting.seed import seed_demo_jobs
from recruiting.service import RecruitingService
from signaling.directory import RedisRoomDirectory
from signaling.http import install_signaling
from signaling.service import SignalingService
from store.engine import create_store, migrate
from store.orgs import OrgRepository
from store.rooms import RoomRepository
from store.terms import TermRepository

log = logging.getLogger("livehire.app")

CHAT = web.AppKey("chat", ChatService)
RECRUITING = web.AppKey("recruiting", RecruitingService)
MODERATOR = web.AppKey("moderator", Moderator)
SIGNALING = web.AppKey("signaling", SignalingService)


def create_app(settings: Settings) -> web.Application:
    settings = with_secret(settings)
    assert settings.secret is not None
    registry = CollectorRegistry(auto_describe=True)
    app = web.Application(middlewares=build_middlewares(registry), client_max_size=settings.max_body_bytes)
    signer = TokenSigner(settings.secret)
    authenticate = make_authenticate(signer)
    store = create_store(settings.effective_database_url)
    rooms = RoomRepository(store)
    app[keys.SETTINGS] = settings
    app[keys.REGISTRY] = registry
    app[keys.SIGNER] = signer
    app[keys.AUTHENTICATE] = authenticate
    app[keys.STORE] = store
    app[keys.ROOMS] = rooms
    app[keys.ORGS] = OrgRepository(store)
    app[keys.OPENAPI_PATHS] = [
        OPENAPI_PATHS, MODERATION_OPENAPI_PATHS, chat_openapi.paths(), recruiting_openapi.paths()
    ]
    readiness: dict[str, ReadinessCheck] = {"store": store.ping}
    if settings.redis_url:
        readiness["redis"] = _redis_ping(settings.redis_url)
    app[READINESS] = readiness

    moderator = Moderator()
    recruiting = RecruitingService(
        store=store,
        events=event_log_for(settings.redis_url),
        numbers=SimulatedNumberProvider(),
        registry=registry,
        contact_key=derive_contact_key(settings.secret),  # phone numbers encrypted at rest (4.4.1 c)
        moderator=moderator,  # job texts pass the same filter as chat (5.1.3 c)
        outbox_lease_ms=settings.outbox_lease_ms,
        outbox_sweep_seconds=settings.outbox_sweep_seconds,
    )
    chat = ChatService(
        bus=create_bus(settings.redis_url),
        moderator=moderator,
        authenticate=authenticate,
        room_exists=_room_exists(rooms),
        extensions=recruiting.frame_handlers(),
        registry=registry,
    )
    recruiting.attach_room_probes(viewers=chat.viewers, chat_stats=chat.stats)
    recruiting.privacy.add_eraser("chat_messages", chat.bus.erase_user)  # §47: DELETE /api/v1/me reaches the chat
    recruiting.privacy.add_exporter("chat_messages", chat.bus.user_messages)  # §45: and the copy lists them
    recruiting.privacy.add_exporter("chat_review_queue", chat.bus.user_held)  # §45: held messages, reports
    chat.on_join = recruiting.monitor.on_join  # distinct viewers per live session, on every node (5.2)
    recruiting.monitor.attach_presence(chat.present)  # and those already in the room when it starts
    # several nodes: the room directory in Redis names each room's origin; other nodes relay from it
    directory = RedisRoomDirectory(settings.redis_url) if settings.redis_url else None
    signaling = SignalingService(
        access=StoreRoomAccess(rooms, signer),
        ice_servers=settings.ice_servers,
        udp_ports=settings.udp_ports,
        registry=registry,
        on_live_change=_announce_live_state(chat),
        include_loopback=settings.ice_include_loopback,
        directory=directory,
        node_url=settings.base_url,
        relay_secret=settings.secret,
    )
    app[keys.ROOM_STATE] = signaling.room_state
    app[keys.ROOM_STATS] = signaling.room_stats
    app[SIGNALING] = signaling
    app[MODERATOR] = moderator
    app[RECRUITING] = recruiting
    app[CHAT] = chat

    app.cleanup_ctx.append(_store_context)
    app.cleanup_ctx.append(_recruiting_context)
    app.cleanup_ctx.append(chat_context(chat))
    app.cleanup_ctx.append(_signaling_context)
    install_security_headers(app)  # CSP, frame, referrer and permissions headers on every response
    install_ops(app)
    install_pages(app)
    install_room_api(app)
    install_chat(app, chat)
    install_recruiting(
        app, recruiting, authenticate=authenticate, push=chat.send_to_user, signer=signer, broadcast=chat.broadcast
    )
    install_moderation_api(app, TermSync(TermRepository(store), moderator))
    install_signaling(app, signaling)
    install_openapi(app)
    return app


def _announce_live_state(chat: ChatService) -> Callable[[str, bool], None]:
    """Tells every chat client of a room when its stream goes live or stops (pages switch the player)."""
    pending: set[asyncio.Task[None]] = set()

    def announce(room: str, live: bool) -> None:
        task = asyncio.get_running_loop().create_task(chat.broadcast(room, {"type": "live_state", "live": live}))
        pending.add(task)
        task.add_done_callback(pending.discard)

    return announce


async def _signaling_context(app: web.Application) -> AsyncIterator[None]:
    """Closes every WebRTC peer on shutdown, before chat sockets and the store."""
    try:
        yield
    finally:
        await app[SIGNALING].close()


def _room_exists(rooms: RoomRepository) -> Callable[[str], Awaitable[bool]]:
    async def room_exists(slug: str) -> bool:
        return await rooms.get(slug) is not None

    return room_exists


def _redis_ping(url: str) -> ReadinessCheck:
    async def ping() -> None:
        from redis.asyncio import Redis

        client = Redis.from_url(url, socket_connect_timeout=1.5)
        try:
            await client.ping()
        finally:
            await client.aclose()

    return ping


async def _store_context(app: web.Application) -> AsyncIterator[None]:
    settings = app[keys.SETTINGS]
    store = app[keys.STORE]
    try:
        await migrate(store)
        if settings.seed_demo:
            assert settings.secret is not None
            await seed_demo(app[keys.ROOMS], app[keys.ORGS], settings.secret)
            await seed_demo_jobs(store, DEMO_ORG)
        log.info("store open", extra={"dialect": store.dialect})
        yield
    finally:
        await store.close()
        log.info("store closed")


async def _recruiting_context(app: web.Application) -> AsyncIterator[None]:
    service = app[RECRUITING]
    await service.start()
    try:
        yield
    finally:
        await service.close()
