"""A signaling app on an in-process aiohttp server, and WHIP/WHEP client calls for tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient
from prometheus_client import CollectorRegistry

from signaling.access import MemoryRoomAccess, RoomEntry
from signaling.admission import Admission
from signaling.http import ClientKey, install_signaling, remote_address
from signaling.service import SignalingService

KEY = "demo-stream-key"
PRIVATE_KEY = "private-stream-key"
VIEWER_TOKEN = "viewer-token-1"


def make_service(**kwargs: Any) -> SignalingService:
    access = MemoryRoomAccess({
        "demo": RoomEntry(KEY),
        "other": RoomEntry("other-key"),
        "private": RoomEntry(PRIVATE_KEY, private=True, viewer_tokens=frozenset({VIEWER_TOKEN})),
    })
    kwargs.setdefault("registry", CollectorRegistry())
    if "admission" not in kwargs:  # every viewer of these tests is the one loopback client: no per-client shares
        unlimited = 10**6  # (tests/signaling/test_fair_shares.py tests them)
        kwargs["admission"] = Admission(max_sessions=kwargs.get("max_sessions", 1000), per_client_room=unlimited,
                                        per_client_node=unlimited, pending_per_client=unlimited)
    return SignalingService(access=access, **kwargs)


TEST_CLIENT_HEADER = "X-Test-Client"


def header_client_key(request: web.Request) -> str | None:
    """Tests only: the fair-share key from a header, so one loopback test client can play several IPs.

    Production keys on ``request.remote`` (:func:`signaling.http.remote_address`) and trusts no header.
    """
    return request.headers.get(TEST_CLIENT_HEADER) or request.remote


def make_app(service: SignalingService, client_key: ClientKey = remote_address) -> web.Application:
    app = web.Application()
    install_signaling(app, service, client_key)

    async def cleanup(app: web.Application) -> AsyncIterator[None]:
        yield
        await service.close()

    app.cleanup_ctx.append(cleanup)
    return app


@dataclass
class Created:
    status: int
    location: str
    etag: str
    sdp: str
    headers: Any
    body: Any = None


async def post_sdp(client: TestClient[Any, Any], path: str, sdp: str, token: str | None = KEY,
                   content_type: str = "application/sdp", as_client: str | None = None) -> Created:
    headers = {"Content-Type": content_type}
    if as_client is not None:
        headers[TEST_CLIENT_HEADER] = as_client
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    response = await client.post(path, data=sdp.encode(), headers=headers)
    text = await response.text()
    body = None
    if response.content_type == "application/json":
        import json

        body = json.loads(text)
    return Created(response.status, response.headers.get("Location", ""), response.headers.get("ETag", ""),
                   text, response.headers, body)
