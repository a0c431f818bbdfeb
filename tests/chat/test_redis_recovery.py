"""Chat recovery by offset and epoch against a Redis that drops subscriptions or restarts empty.

Each test starts its own ``redis-server`` (never the shared one) and two chat nodes in this process.
Node A's pub/sub reader waits 1 s before subscribing again, so messages published meanwhile surely
miss its subscription: there is no race to win, what the node does next is what is tested.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import uuid
from typing import Any

import pytest
import redis.asyncio as aioredis
from aiohttp import ClientWebSocketResponse, WSMsgType
from aiohttp.test_utils import TestClient

from chat.bus.factory import redis_bus
from chat.frames import CLOSE_RESYNC
from tests.chat.app import build_app
from tests.chat.helpers import connect, frame, token
from tests.chat.redis_process import RedisProcess

pytestmark = [
    pytest.mark.redis,
    pytest.mark.slow,  # starts and stops its own redis-server
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs the redis-server binary"),
]
Client = TestClient[Any, Any]


@pytest.fixture
def room() -> str:
    return "t-" + uuid.uuid4().hex[:8]


async def two_nodes(aiohttp_client: Any, url: str) -> tuple[Client, Client]:
    """Node A subscribes again 1 s after a failure (a window for the test), node B at once (the default)."""
    a = await aiohttp_client(build_app(bus=redis_bus(url, backoff=(1.0, 1.0))))
    b = await aiohttp_client(build_app(redis_url=url))
    return a, b


async def drop_subscriptions(url: str) -> None:
    """Redis closes every pub/sub connection (as after an output-buffer overflow or a network cut)."""
    raw = aioredis.Redis.from_url(url)
    try:
        assert await raw.client_kill_filter(_type="pubsub") >= 2
    finally:
        await raw.aclose()


async def say(ws: ClientWebSocketResponse, text: str, ref: str) -> dict[str, Any]:
    await ws.send_json({"type": "chat", "text": text, "ref": ref})
    return await frame(ws, "ack", wait=10)


async def closed_with(ws: ClientWebSocketResponse, wait: float = 15) -> tuple[int | None, list[dict[str, Any]]]:
    """Reads until the server closes the socket: the close code and the chat frames read before it."""
    chats: list[dict[str, Any]] = []
    async with asyncio.timeout(wait):
        while True:
            message = await ws.receive()
            if message.type is WSMsgType.CLOSE:
                return int(message.data), chats  # the server's code (the client's own reply may fail after it)
            if message.type in (WSMsgType.CLOSING, WSMsgType.CLOSED):
                return ws.close_code, chats
            if message.type == WSMsgType.TEXT and '"type":"chat"' in message.data:
                chats.append(message.json())


async def test_messages_sent_while_a_nodes_subscription_was_down_reach_its_sockets_once_and_in_order(
    aiohttp_client: Any, redis_server: RedisProcess, room: str, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="chat.streams")
    a, b = await two_nodes(aiohttp_client, redis_server.url)
    viewer = await connect(a, room)
    await frame(viewer, "welcome")
    sender = await connect(b, room, tok=token("alice"))
    await frame(sender, "welcome")
    assert (await say(sender, "开场", "c0"))["seq"] == 1
    assert (await frame(viewer, "chat"))["seq"] == 1

    await drop_subscriptions(redis_server.url)
    for n in range(1, 6):  # node A hears none of these through pub/sub
        await say(sender, f"第{n}条", f"c{n}")
    got = [await frame(viewer, "chat", wait=10) for _ in range(5)]
    assert [m["seq"] for m in got] == [2, 3, 4, 5, 6] and [m["text"] for m in got] == [f"第{n}条" for n in range(1, 6)]
    assert any("5 messages after seq 1 read from history" in line for line in caplog.messages)
    await say(sender, "之后", "c6")
    assert (await frame(viewer, "chat", wait=10))["text"] == "之后", "nothing twice: the next frame is the next message"


async def test_redis_restarted_empty_resyncs_every_node_and_tells_the_sender_of_a_lost_message(
    aiohttp_client: Any, redis_server: RedisProcess, room: str,
) -> None:
    a, b = await two_nodes(aiohttp_client, redis_server.url)
    viewer = await connect(b, room)
    first = await frame(viewer, "welcome")
    sender = await connect(a, room, tok=token("alice"))
    await frame(sender, "welcome")
    await say(sender, "开场", "c0")
    assert (await frame(viewer, "chat"))["text"] == "开场"

    await drop_subscriptions(redis_server.url)
    accepted = await say(sender, "没赶上", "lost")  # stored; node A's subscription is down for a second
    assert accepted["seq"] == 2
    await redis_server.kill()
    await redis_server.start()  # empty: the room's history, its seq and its epoch are gone
    restarted = asyncio.get_running_loop().time()

    told = await frame(sender, "error", wait=15)
    assert (told["code"], told["ref"]) == ("not_delivered", "lost") and told["message"]
    (sender_code, _), (viewer_code, _) = await asyncio.gather(closed_with(sender), closed_with(viewer))
    assert sender_code == CLOSE_RESYNC
    assert viewer_code == CLOSE_RESYNC, "node B lost the room's stream too: its sockets start again"

    epoch = str(first["epoch"])
    back = await connect(b, room, since="2", epoch=epoch)
    welcome = await frame(back, "welcome")
    assert welcome["recovered"] is False and welcome["epoch"] != epoch, "the page reloads its history"
    again = await connect(a, room, tok=token("alice"), since="2", epoch=epoch)
    assert (await frame(again, "welcome"))["recovered"] is False
    await say(again, "恢复了", "c1")
    message = await frame(back, "chat", wait=10)
    assert (message["text"], message["seq"]) == ("恢复了", 1)
    assert asyncio.get_running_loop().time() - restarted < 5, "chat resumed on both nodes within 5 s"


async def test_a_client_offset_of_another_epoch_is_not_recovered(aiohttp_client: Any, redis_server: RedisProcess,
                                                                 room: str) -> None:
    a, _ = await two_nodes(aiohttp_client, redis_server.url)
    sender = await connect(a, room, tok=token("alice"))
    welcome = await frame(sender, "welcome")
    await say(sender, "一", "c1")
    await say(sender, "二", "c2")
    same = await connect(a, room, since="1", epoch=str(welcome["epoch"]))
    recovered = await frame(same, "welcome")
    assert recovered["recovered"] is True and [m["text"] for m in recovered["history"]] == ["二"]
    other = await connect(a, room, since="1", epoch="e0ther")
    assert (await frame(other, "welcome"))["recovered"] is False
    bad = await a.get(f"/ws/rooms/{room}", params={"since": "1", "epoch": "not/valid"})
    assert bad.status == 400 and (await bad.json())["error"]["code"] == "bad_epoch"
