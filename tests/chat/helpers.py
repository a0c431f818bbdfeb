"""Websocket helpers for the chat tests."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import msgpack
from aiohttp import ClientWebSocketResponse, WSMsgType
from aiohttp.test_utils import TestClient

from identity.tokens import MAX_TTL_SECONDS
from tests.chat.app import signer


def token(user: str, role: str = "viewer", room: str | None = None, name: str | None = None) -> str:
    """A day's token: some are module constants, minted at collection, and a slow suite outlives 15 minutes."""
    return signer().mint(session="test", role=role, user=user, room=room, name=name or user,  # type: ignore[arg-type]
                         ttl_seconds=MAX_TTL_SECONDS)


async def connect(client: TestClient[Any, Any], room: str = "demo", tok: str | None = None, **query: str) -> ClientWebSocketResponse:
    params = dict(query)
    if tok is not None:
        params["token"] = tok
    ws = await client.ws_connect(f"/ws/rooms/{room}", params=params)
    return ws


async def frame(ws: ClientWebSocketResponse, kind: str | None = None, wait: float = 5.0) -> dict[str, Any]:
    """The next frame (of ``kind``), skipping presence updates and other kinds."""
    async with asyncio.timeout(wait):
        while True:
            msg = await ws.receive()
            if msg.type == WSMsgType.TEXT:
                data = json.loads(msg.data)
            elif msg.type == WSMsgType.BINARY:
                data = msgpack.unpackb(msg.data)
            else:
                raise AssertionError(f"socket ended: {msg.type} {msg.data} {msg.extra}")
            if (kind is None and data["type"] != "presence") or data["type"] == kind:
                return dict(data)


async def nothing_of(ws: ClientWebSocketResponse, kind: str, wait: float = 0.3) -> None:
    try:
        got = await frame(ws, kind, wait=wait)
    except TimeoutError:
        return
    raise AssertionError(f"unexpected {kind} frame: {got}")
