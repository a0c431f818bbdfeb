"""Two ``livehire serve`` processes sharing PostgreSQL and Redis: a session started and ended on node A
counts the viewers and the chat of both nodes (standard 5.2 数据分析), each once, including the viewers
already in the room on node B when it starts."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from identity.tokens import MAX_TTL_SECONDS, TokenSigner
from store.engine import open_store
from store.rooms import RoomRepository
from tests import services
from tests.recruiting.conftest import make_org
from tests.server import ServerProcess

pytestmark = [pytest.mark.integration, pytest.mark.redis, pytest.mark.postgres, pytest.mark.clause("5.2")]
SECRET = "two-nodes-stats-" + "x" * 32
SIGNER = TokenSigner(SECRET)
# minted at collection: a day's token, so a slow suite does not outlive it
HOST = {"Authorization": "Bearer " + SIGNER.mint(session="test", role="host", user="host1", org="acme",
                                                ttl_seconds=MAX_TTL_SECONDS)}
TICK = 1.0  # RoomMonitor's sample tick; the refresh that writes a node's share is every 2 s


async def _frame(ws: aiohttp.ClientWebSocketResponse, kind: str) -> dict[str, Any]:
    async with asyncio.timeout(10):
        while True:
            message = await ws.receive()
            assert message.type == aiohttp.WSMsgType.TEXT, f"socket ended: {message.type}"
            data: dict[str, Any] = json.loads(message.data)
            if data["type"] == kind:
                return data


async def _join(http: aiohttp.ClientSession, base: str, user: str | None) -> aiohttp.ClientWebSocketResponse:
    params = {} if user is None else {"token": SIGNER.mint(session="test", role="viewer", user=user, name=user)}
    ws = await http.ws_connect(base.replace("http://", "ws://") + "/ws/rooms/fair", params=params)
    await _frame(ws, "welcome")
    return ws


async def _say(ws: aiohttp.ClientWebSocketResponse, *texts: str) -> None:
    for index, text in enumerate(texts):
        await ws.send_str(json.dumps({"type": "chat", "text": text, "ref": f"r{index}"}))
        await _frame(ws, "ack")


async def _stats(http: aiohttp.ClientSession, base: str, session: str) -> dict[str, Any]:
    async with http.get(f"{base}/api/v1/sessions/{session}/stats", headers=HOST) as response:
        assert response.status == 200
        return dict(await response.json())


@asynccontextmanager
async def _two_nodes(tmp_path: Path, redis_url: str, postgres_url: str) -> AsyncIterator[tuple[str, str]]:
    """Node A's and node B's base URLs, on a scratch database with org ``acme`` and room ``fair``."""
    database = await services.create_scratch_database(postgres_url)
    nodes: list[ServerProcess] = []
    try:
        store = await open_store(database)  # migrated once here, so the two nodes do not race on it
        try:
            await make_org(store)
            await RoomRepository(store).create("fair", title="双节点专场", org_id="acme")
        finally:
            await store.close()
        # the host plans sessions in every run; the limit's day window would count earlier runs on this Redis
        env = {"LIVEHIRE_SECRET": SECRET, "LIVEHIRE_SEED_DEMO": "false",
               "LIVEHIRE_RATE_LIMITS": "session_create_user=1000/minute"}
        args = ["--database-url", database, "--redis-url", redis_url]
        for name in ("a", "b"):
            (tmp_path / name).mkdir()
            nodes.append(await asyncio.to_thread(ServerProcess(tmp_path / name, env=env, args=args).start))
        yield nodes[0].base_url, nodes[1].base_url
    finally:
        for node in nodes:
            await asyncio.to_thread(node.stop)
        await services.drop_scratch_database(postgres_url, database)


async def _plan(http: aiohttp.ClientSession, base: str) -> str:
    async with http.post(
        f"{base}/api/v1/orgs/acme/sessions", headers=HOST,
        json={"room": "fair", "title": "双节点专场", "starts_at": int(time.time() * 1000)},
    ) as planned:
        return str((await planned.json())["id"])


async def _set_state(http: aiohttp.ClientSession, base: str, session: str, state: str) -> None:
    async with http.post(f"{base}/api/v1/sessions/{session}/state", json={"state": state}, headers=HOST) as r:
        assert r.status == 200, await r.text()


async def _until(
    http: aiohttp.ClientSession, base: str, session: str, done: Callable[[dict[str, Any]], bool]
) -> None:
    """Reads the session's statistics until ``done`` holds (the nodes write every refresh), at most 20 s."""
    deadline = time.monotonic() + 20
    stats = await _stats(http, base, session)
    while not done(stats):
        assert time.monotonic() < deadline, stats
        await asyncio.sleep(0.5)
        stats = await _stats(http, base, session)


async def test_stats_count_viewers_and_chat_of_both_nodes(tmp_path: Path, redis_url: str, postgres_url: str) -> None:
    async with _two_nodes(tmp_path, redis_url, postgres_url) as (node_a, node_b), aiohttp.ClientSession() as http:
        session = await _plan(http, node_a)
        await _set_state(http, node_a, session, "live")
        u1_a = await _join(http, node_a, "u1")
        await _say(u1_a, "A 节点你好", "几点面试")
        u2_b = await _join(http, node_b, "u2")
        u3_b = await _join(http, node_b, "u3")
        anonymous_b = await _join(http, node_b, None)
        u1_b = await _join(http, node_b, "u1")  # the same viewer on the other node: counted once
        await _say(u2_b, "B 节点你好", "包住吗", "有夜班吗")
        await u3_b.close()
        # both nodes have written their shares of the live session (B samples once a tick, writes every refresh)
        await _until(http, node_a, session, lambda s: (s["total_viewers"], s["chat_messages"]) == (4, 5))
        await _set_state(http, node_a, session, "ended")
        await _say(u2_b, "结束后的话")  # after the end: not counted
        deadline = time.monotonic() + 20
        stats = await _stats(http, node_a, session)
        while (stats["total_viewers"], stats["chat_messages"]) != (4, 5) and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            stats = await _stats(http, node_a, session)
        assert stats["total_viewers"] == 4, stats  # u1, u2, u3 and one anonymous socket
        assert stats["chat_messages"] == 5, stats  # 2 on A + 3 on B
        await asyncio.sleep(3 * TICK + 2)  # a few more refreshes of both nodes: nothing is added twice
        again = await _stats(http, node_b, session)
        assert (again["total_viewers"], again["chat_messages"]) == (4, 5), again
        for ws in (u1_a, u2_b, anonymous_b, u1_b):
            await ws.close()


async def test_viewers_on_node_b_before_a_start_on_node_a_count(
    tmp_path: Path, redis_url: str, postgres_url: str
) -> None:
    """The audience gathers before the host presses "start" (5.2); nobody rejoins, each node counts its own."""
    async with _two_nodes(tmp_path, redis_url, postgres_url) as (node_a, node_b), aiohttp.ClientSession() as http:
        session = await _plan(http, node_a)
        early_a = await _join(http, node_a, "u1")
        early_b = [await _join(http, node_b, "u2"), await _join(http, node_b, None), await _join(http, node_b, "u1")]
        gone_b = await _join(http, node_b, "gone")  # left before the start: not a viewer
        await gone_b.close()
        await _set_state(http, node_a, session, "live")
        late_b = [await _join(http, node_b, "u4"), await _join(http, node_b, None)]  # likely before B's refresh:
        # the anonymous socket is both a join and present there, one viewer by its serial
        # B learns of the session at its next refresh (every 2 s) and counts who is there
        await _until(http, node_a, session, lambda s: s["total_viewers"] == 5)
        await _set_state(http, node_a, session, "ended")
        deadline = time.monotonic() + 20
        stats = await _stats(http, node_a, session)
        while stats["total_viewers"] != 5 and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            stats = await _stats(http, node_a, session)
        assert stats["total_viewers"] == 5, stats  # u1 (on both nodes), u2, u4, two anonymous sockets on B
        await asyncio.sleep(3 * TICK + 2)  # more refreshes: nobody is counted again
        assert (await _stats(http, node_b, session))["total_viewers"] == 5
        for ws in (early_a, *early_b, *late_b):
            await ws.close()
