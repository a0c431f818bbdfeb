"""The chat against a Redis that dies and comes back (security review M10).

Each test starts its OWN ``redis-server`` on a free port (never the shared one), kills it with
SIGKILL and starts it again on the same port. Waiting is bounded by deadlines on the real
process, not fixed sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import uuid
from typing import Any

import pytest
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient

from chat.bus.factory import redis_bus
from chat.bus.ports import BusUnavailable, ChatBus, Envelope
from chat.bus.redis_common import READ_TIMEOUT_SECONDS
from chat.frames import CLOSE_RESYNC
from tests.chat.app import build_app
from tests.chat.helpers import connect, frame, token
from tests.chat.redis_process import RedisProcess

pytestmark = [
    pytest.mark.redis,
    pytest.mark.slow,  # starts and stops its own redis-server
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs the redis-server binary"),
]

UNAVAILABLE = "聊天服务暂时不可用，请稍后再试"


@pytest.fixture
def room() -> str:
    return "t-" + uuid.uuid4().hex[:8]


class Watcher:
    def __init__(self) -> None:
        self.got: list[Envelope] = []
        self.arrived = asyncio.Event()

    def deliver(self, envelope: Envelope) -> None:
        self.got.append(envelope)
        self.arrived.set()

    async def texts(self, wait: float) -> set[str]:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(wait):
                self.arrived.clear()
                await self.arrived.wait()
        return {str(e.data.get("text")) for e in self.got if e.kind == "message"}


async def test_a_watching_bus_hears_messages_again_after_redis_restarts(redis_server: RedisProcess, room: str) -> None:
    watcher, sender = Watcher(), redis_bus(redis_server.url)
    watching = redis_bus(redis_server.url)
    await watching.start(watcher.deliver)
    await sender.start(lambda e: None)
    try:
        await watching.broker.watch(room)
        await sender.broker.append(room, {"type": "chat", "text": "before"})
        assert "before" in await watcher.texts(5)

        await redis_server.kill()
        with pytest.raises(BusUnavailable) as down:
            await sender.broker.append(room, {"type": "chat", "text": "lost"})
        assert down.value.code == "unavailable" and down.value.message == UNAVAILABLE
        with pytest.raises(BusUnavailable):
            await sender.review.hold(room, {"id": "h1", "kind": "message", "ts": 1})

        await redis_server.start()
        await messages_flow_again(watcher, sender, room)
    finally:
        await sender.close()
        await watching.close()


class LogSeen(logging.Handler):
    """Sets ``fired`` when a log record containing ``text`` is emitted (on the event loop's thread)."""

    def __init__(self, text: str) -> None:
        super().__init__(logging.DEBUG)
        self.text = text
        self.fired = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if self.text in record.getMessage():
            self.fired.set()


async def messages_flow_again(watcher: Watcher, sender: ChatBus, room: str) -> None:
    """Within 5 s a message appended by ``sender`` reaches ``watcher`` (its reader subscribed again)."""
    loop = asyncio.get_running_loop()
    since, sent = loop.time(), 0
    while f"after{sent}" not in await watcher.texts(0.3):
        assert loop.time() - since < 5, "no message reached the watching bus within 5 s"
        sent += 1
        with contextlib.suppress(BusUnavailable):  # the sender's pool may still hold a dead socket
            await sender.broker.append(room, {"type": "chat", "text": f"after{sent}"})


async def test_a_blackholed_redis_costs_one_read_timeout_and_the_watchdog_restarts_the_reader(
    redis_server: RedisProcess, room: str,
) -> None:
    watchdog = LogSeen("no answer to a PING")
    logging.getLogger("chat.bus.redis_broker").addHandler(watchdog)
    watcher, sender = Watcher(), redis_bus(redis_server.url)
    watching = redis_bus(redis_server.url, ping_interval=0.3, ping_timeout=0.5)
    await watching.start(watcher.deliver)
    await sender.start(lambda e: None)
    loop = asyncio.get_running_loop()
    try:
        await watching.broker.watch(room)
        await sender.broker.append(room, {"type": "chat", "text": "before"})
        assert "before" in await watcher.texts(5)

        redis_server.pause()
        started = loop.time()
        with pytest.raises(BusUnavailable):
            await sender.broker.append(room, {"type": "chat", "text": "stalled"})
        assert loop.time() - started < READ_TIMEOUT_SECONDS + 1.5  # a timeout, not a hang
        async with asyncio.timeout(10):  # the idle reader notices the silence by itself
            await watchdog.fired.wait()

        redis_server.pause(False)
        await messages_flow_again(watcher, sender, room)
    finally:
        logging.getLogger("chat.bus.redis_broker").removeHandler(watchdog)
        await sender.close()
        await watching.close()


async def test_a_send_while_redis_is_down_gets_unavailable_and_the_socket_stays(
    aiohttp_client: Any, redis_server: RedisProcess, room: str,
) -> None:
    client: TestClient[Any, Any] = await aiohttp_client(build_app(redis_url=redis_server.url))
    ws = await connect(client, room, tok=token("alice"))
    welcome = await frame(ws, "welcome")
    await ws.send_json({"type": "chat", "text": "请问还招人吗", "ref": "c1"})
    assert (await frame(ws, "ack"))["ref"] == "c1"
    assert (await frame(ws, "chat"))["text"] == "请问还招人吗"

    await redis_server.kill()
    await ws.send_json({"type": "chat", "text": "在吗", "ref": "c2"})
    assert await frame(ws, "error", wait=10) == {"type": "error", "code": "unavailable", "message": UNAVAILABLE, "ref": "c2"}
    await ws.send_json({"type": "report", "message_id": "m1", "reason": "骚扰", "ref": "r1"})
    assert (await frame(ws, "error", wait=10))["code"] == "unavailable"
    await ws.send_json({"type": "ping", "ref": "p1"})
    assert (await frame(ws, "pong"))["ref"] == "p1"  # the socket stayed open

    await redis_server.start()  # empty: the node's reader subscribes again and finds the history gone
    loop = asyncio.get_running_loop()
    restarted = loop.time()
    async with asyncio.timeout(10):
        while (await ws.receive()).type is WSMsgType.TEXT:
            pass
    assert ws.close_code == CLOSE_RESYNC, "a new epoch: the socket starts again (docs/chat-protocol.md)"
    back = await connect(client, room, tok=token("alice"), since="1", epoch=str(welcome["epoch"]))
    assert (await frame(back, "welcome"))["recovered"] is False
    await back.send_json({"type": "chat", "text": "又来了", "ref": "again"})
    ack = await frame(back, "ack", wait=10)
    assert (await frame(back, "chat", wait=10))["id"] == ack["id"] == "m1"
    assert loop.time() - restarted < 5, "messages flow again within 5 s of the restart"
    await back.close()
