"""The composition root: ``create_app(settings)`` builds the whole server.

Only this module knows every layer. It opens the store, mints the token
signer, builds the chat, media and recruiting services, wires their routes
and metrics into one aiohttp application, and tears them down in reverse
order on shutdown (websockets and peers are closed with a reconnect hint,
the store is flushed last).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry

from livehire import keys
from livehire.api_rooms import OPENAPI_PATHS, install_room_api
from livehire.auth import TokenSigner
from livehire.http_auth import make_authenticate
from livehire.middleware import build_middlewares
from livehire.openapi import install_openapi
from livehire.ops import READINESS, install_ops
from livehire.pages import install_pages
from livehire.seed import seed_demo
from livehire.settings import Settings, with_secret
from recruiting.store.engine import open_store
from recruiting.store.orgs import OrgRepository
from recruiting.store.rooms import RoomRepository

log = logging.getLogger("livehire.app")


def _offline_state(_room: str) -> dict[str, Any]:
    return {"live": False, "viewers": 0, "bitrate_bps": 0}


def create_app(settings: Settings) -> web.Application:
    settings = with_secret(settings)
    assert settings.secret is not None
    registry = CollectorRegistry(auto_describe=True)
    app = web.Application(middlewares=build_middlewares(registry), client_max_size=settings.max_body_bytes)
    signer = TokenSigner(settings.secret)
    app[keys.SETTINGS] = settings
    app[keys.REGISTRY] = registry
    app[keys.SIGNER] = signer
    app[keys.AUTHENTICATE] = make_authenticate(signer)
    app[keys.ROOM_STATE] = _offline_state
    app[keys.OPENAPI_PATHS] = [OPENAPI_PATHS]
    app[READINESS] = {}
    app.cleanup_ctx.append(_store_context)
    install_ops(app)
    install_pages(app)
    install_room_api(app)
    install_openapi(app)
    return app


async def _store_context(app: web.Application) -> AsyncIterator[None]:
    settings = app[keys.SETTINGS]
    store = await open_store(settings.effective_database_url)
    app[keys.STORE] = store
    app[keys.ROOMS] = RoomRepository(store)
    app[keys.ORGS] = OrgRepository(store)
    app[READINESS]["store"] = store.ping
    if settings.seed_demo:
        assert settings.secret is not None
        await seed_demo(app[keys.ROOMS], app[keys.ORGS], settings.secret)
    log.info("store open", extra={"dialect": store.dialect})
    try:
        yield
    finally:
        await store.close()
        log.info("store closed")
