"""Every other Redis user survives Redis killed (SIGKILL) and restarted empty: rate limits, the room
directory, presence across nodes, and session revocations (docs/operations.md "Redis is killed").

Each test owns its ``redis-server`` (tests/chat/redis_process.py), never the shared one; waits are
deadlines polled on the real processes.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import WSMsgType
from redis.exceptions import RedisError

from chat.frames import CLOSE_RESYNC
from identity.limits import RETRY_STORAGE_SECONDS
from livehire import keys
from livehire.app import create_app
from livehire.settings import load_settings
from signaling.directory import OriginAnnouncer, RedisRoomDirectory
from tests.chat.helpers import frame
from tests.chat.redis_process import RedisProcess

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs the redis-server binary"),
]
NODE = "http://10.0.0.1:8080"


async def until(check: Callable[[], Awaitable[bool]], seconds: float, what: str) -> float:
    """Polls ``check`` every 50 ms until it holds; the seconds it took (fails after ``seconds``)."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while not await check():
        assert loop.time() - started < seconds, f"{what}: not within {seconds} s"
        await asyncio.sleep(0.05)
    return loop.time() - started


async def test_a_live_room_is_announced_again_after_redis_restarts_empty(redis_server: RedisProcess) -> None:
    """Before: the announcer's loop ended on the first failed refresh, so the room stayed out of the
    directory (no other node could relay it) until the host published again."""
    directory, reader = RedisRoomDirectory(redis_server.url), RedisRoomDirectory(redis_server.url)
    announcer = OriginAnnouncer(directory, NODE, ttl=0.3)
    try:
        announcer.live("fair")
        await until(lambda: _is(reader, "fair", NODE), 3, "first announce")
        await redis_server.kill()
        await asyncio.sleep(0.3)  # a few refreshes fail meanwhile
        await redis_server.start()  # empty: the entry is gone
        took = await until(lambda: _is(reader, "fair", NODE), 3, "announced again")
        assert took < 1.5  # within a refresh interval (ttl / 3) of Redis answering, plus reconnecting
    finally:
        await announcer.close()
        await reader.close()


async def _is(directory: RedisRoomDirectory, room: str, origin: str) -> bool:
    try:
        return await directory.lookup(room) == origin
    except (OSError, RedisError):  # Redis still starting
        return False


async def test_rate_limits_fail_open_while_redis_is_away_and_count_again_after_it_restarts_empty(
    aiohttp_client: Any, tmp_path: Path, redis_server: RedisProcess,
) -> None:
    settings = load_settings({"data_dir": tmp_path / "data", "redis_url": redis_server.url,
                              "rate_limits": "login_account=3/minute"}, environ={})
    client = await aiohttp_client(create_app(settings))

    async def attempt() -> int:
        answer = await client.post("/api/v1/auth/login", json={"org": "demo-org", "user": "nobody", "password": "wrong-password"})
        return int(answer.status)

    assert [await attempt() for _ in range(4)] == [401, 401, 401, 429]
    await redis_server.kill()
    assert {await attempt() for _ in range(5)} == {401}  # admitted (each node's guard gone for now), never a 500
    await redis_server.start()  # empty: the counts are gone too
    await asyncio.sleep(RETRY_STORAGE_SECONDS)  # the limiter skips Redis this long after a failure, then tries it
    assert [await attempt() for _ in range(4)] == [401, 401, 401, 429]


async def test_presence_across_nodes_and_revocations_survive_redis_restarted_empty(
    aiohttp_client: Any, tmp_path: Path, redis_server: RedisProcess,
) -> None:
    """Two nodes on one store and one Redis: a viewer on A counts on B's presence again after Redis returns
    empty; a session revoked on A while Redis is dead stops working on B (revocations go through the store)."""
    shared = {"data_dir": tmp_path / "data", "redis_url": redis_server.url, "revocation_sync_seconds": "0.2"}
    node_a = await aiohttp_client(create_app(load_settings(shared, environ={})))
    node_b = await aiohttp_client(create_app(load_settings(shared, environ={})))
    sessions = node_a.server.app[keys.SESSIONS]
    grant = await sessions.open(user_id="viewer-1", role="viewer", name="小王")
    other = await sessions.open(user_id="viewer-2", role="viewer", name="小李")
    on_a = await node_a.ws_connect("/ws/rooms/demo", params={"token": grant.access_token})
    on_b = await node_b.ws_connect("/ws/rooms/demo", params={"token": other.access_token})
    await frame(on_a, "welcome")
    welcome = await frame(on_b, "welcome")

    async def b_sees(viewers: int, seconds: float, since: dict[str, Any] | None = None) -> None:
        """B's sockets are told the room's viewers across nodes: in a welcome (``since``), then presence frames."""
        told = since["viewers"] if since else None
        async with asyncio.timeout(seconds):
            while told != viewers:
                told = (await frame(on_b, "presence", wait=seconds))["viewers"]

    await b_sees(2, 10, welcome)
    await redis_server.kill()
    bearer = {"Authorization": "Bearer " + grant.access_token}
    assert (await node_b.get("/api/v1/auth/whoami", headers=bearer)).status == 200
    assert (await node_a.post("/api/v1/auth/logout", headers=bearer)).status in (200, 204)  # Redis is dead
    await until(lambda: _status(node_b, bearer, 401), 5, "the revocation reached node B through the store")
    await redis_server.start()  # empty: the room's history is gone, so each node closes its sockets with 4002
    closed = await on_b.receive(timeout=10)
    assert (closed.type, closed.data) == (WSMsgType.CLOSE, CLOSE_RESYNC)
    on_b = await node_b.ws_connect("/ws/rooms/demo", params={"token": other.access_token})  # as the page does
    more = []
    for user in ("viewer-3", "viewer-4"):  # A's count (2) is news to B only if A's presence crosses the new Redis
        grant_more = await sessions.open(user_id=user, role="viewer", name=user)
        more.append(await node_a.ws_connect("/ws/rooms/demo", params={"token": grant_more.access_token}))
        await frame(more[-1], "welcome", wait=10)
    await b_sees(3, 15, await frame(on_b, "welcome", wait=10))  # within a presence heartbeat (5 s) or sooner
    for ws in (on_a, on_b, *more):
        await ws.close()


async def _status(client: Any, headers: dict[str, str], wanted: int) -> bool:
    return bool((await client.get("/api/v1/auth/whoami", headers=headers)).status == wanted)
