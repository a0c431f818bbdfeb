"""Two real ``livehire serve`` nodes sharing Redis and PostgreSQL: a viewer on B is served by relaying A.

ARCHITECTURE.md §1 "Scaling out": the room directory goes through Redis, and a
node that does not hold the publisher relays the room from the origin node.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.media.peers import Viewer, answer_into, publisher
from tests.server import ServerProcess, two_nodes

pytestmark = [pytest.mark.integration, pytest.mark.media, pytest.mark.redis, pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(name="two_nodes")
async def two_nodes_fixture(tmp_path: Path, redis_url: str, postgres_url: str) -> AsyncIterator[tuple[ServerProcess, ServerProcess]]:
    env = {
        "LIVEHIRE_REDIS_URL": redis_url,
        "LIVEHIRE_SECRET": secrets.token_urlsafe(48),  # multi-node deployments share the secret
        "LIVEHIRE_ICE_INCLUDE_LOOPBACK": "1",
    }
    async with two_nodes(tmp_path, postgres_url, env) as nodes:
        yield nodes


async def room(http: aiohttp.ClientSession, node: ServerProcess) -> dict[str, Any]:
    async with http.get(f"{node.base_url}/api/v1/rooms/demo") as response:
        assert response.status == 200
        body: dict[str, Any] = await response.json()
        return body


async def poll_room(http: aiohttp.ClientSession, node: ServerProcess, key: str, value: Any, limit: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while (await room(http, node)).get(key) != value:
        assert loop.time() < deadline, f"{node.base_url}: room {key} never became {value!r}"
        await asyncio.sleep(0.2)


async def go_live(http: aiohttp.ClientSession, node: ServerProcess, pub: Any, offer: str) -> str:
    """WHIP to ``node`` with the demo stream key printed in its banner; returns the session URL."""
    async with http.post(f"{node.base_url}/whip/demo", data=offer.encode(), headers={
            "Content-Type": "application/sdp", "Authorization": f"Bearer {node.banner_value('stream key')}"}) as response:
        assert response.status == 201, await response.text()
        await answer_into(pub, await response.text())
        location = node.base_url + response.headers["Location"]
    await poll_room(http, node, "live", True, 15)
    return location


async def watch(http: aiohttp.ClientSession, node: ServerProcess) -> Viewer:
    viewer = Viewer()
    async with http.post(f"{node.base_url}/whep/demo", data=(await viewer.offer()).encode(),
                         headers={"Content-Type": "application/sdp"}) as response:
        if response.status != 201:
            await viewer.close()
            raise AssertionError(f"{response.status}: {await response.text()}")
        await viewer.answer(await response.text())
    return viewer


async def test_viewers_on_node_b_watch_a_publisher_on_node_a(two_nodes: tuple[ServerProcess, ServerProcess]) -> None:
    a, b = two_nodes
    pub, offer = await publisher("video/VP8")
    viewers: list[Viewer] = []
    async with aiohttp.ClientSession() as http:
        try:
            whip_session = await go_live(http, a, pub, offer)
            for _ in range(2):
                viewers.append(await watch(http, b))
            for viewer in viewers:
                await viewer.wait_frames(5, limit=15)
                assert {(w, h) for _, w, h in viewer.frames} == {(160, 120)}
            assert (await room(http, b))["live"] is True
            assert (await room(http, b))["viewers"] == 2
            assert (await room(http, a))["viewers"] == 1  # one relay peer for all of B's viewers
            async with http.delete(whip_session) as response:
                assert response.status == 200
            await poll_room(http, a, "live", False, 10)
            await poll_room(http, b, "live", False, 10)  # the origin withdrew the room; B's relay ended
            await poll_room(http, a, "viewers", 0, 10)
        finally:
            for viewer in viewers:
                await viewer.close()
            await pub.close()


async def test_origin_crash_makes_the_relayed_room_idle(two_nodes: tuple[ServerProcess, ServerProcess]) -> None:
    """Node A dies without withdrawing: its directory entry expires (TTL 10 s) and B's room goes idle;
    the host reconnecting to B brings B's waiting viewer back."""
    a, b = two_nodes
    pub, offer = await publisher("video/VP8")
    viewer: Viewer | None = None
    async with aiohttp.ClientSession() as http:
        try:
            await go_live(http, a, pub, offer)
            viewer = await watch(http, b)
            await viewer.wait_frames(3, limit=15)
            await asyncio.to_thread(a.kill)
            await poll_room(http, b, "live", False, 20)
            assert (await room(http, b))["viewers"] == 1  # B's viewer stays connected, waiting for a host
            await pub.close()
            pub, offer = await publisher("video/VP8")  # the host reconnects, to whichever node it reaches
            await go_live(http, b, pub, offer)
            since = len(viewer.frames)
            await viewer.wait_frames(3, limit=15, since=since)
            assert viewer.frames[-1][1:] == (160, 120)
        finally:
            if viewer is not None:
                await viewer.close()
            await pub.close()
