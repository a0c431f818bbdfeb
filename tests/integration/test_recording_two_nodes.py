"""A running recording watched through another node (issue 16): two real ``livehire serve`` nodes sharing Redis
and PostgreSQL; the live is published to A, whose disk holds the growing file, and B serves its byte ranges by
forwarding them to A with the viewer's credentials, so A checks who may watch as for a direct request."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from identity.tokens import TokenSigner
from recording.forward import HOP_HEADER
from tests.integration.test_media_relay import go_live
from tests.media.peers import publisher
from tests.server import ServerProcess, two_nodes

pytestmark = [pytest.mark.integration, pytest.mark.media, pytest.mark.redis, pytest.mark.postgres, pytest.mark.slow]
SECRET = secrets.token_urlsafe(48)


@pytest.fixture
async def nodes(tmp_path: Path, redis_url: str, postgres_url: str) -> AsyncIterator[tuple[ServerProcess, ServerProcess]]:
    env = {"LIVEHIRE_REDIS_URL": redis_url, "LIVEHIRE_SECRET": SECRET, "LIVEHIRE_ICE_INCLUDE_LOOPBACK": "1"}
    async with two_nodes(tmp_path, postgres_url, env) as started:
        yield started


async def fetch(http: aiohttp.ClientSession, url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    async with http.get(url, headers=headers) as response:
        return response.status, dict(response.headers), await response.read()


@pytest.mark.clause("4.3.1 a")
@pytest.mark.timeout(120)
async def test_node_b_serves_the_growing_recording_written_on_node_a(
        nodes: tuple[ServerProcess, ServerProcess]) -> None:
    a, b = nodes
    host = "Bearer " + TokenSigner(SECRET).mint(role="host", user="demo-host", org="demo-org", session="t")
    pub, offer = await publisher("video/VP8")
    async with aiohttp.ClientSession() as http:
        try:
            await go_live(http, a, pub, offer)
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 20
            while True:  # B sees the replay in the shared database and its file grows on A
                async with http.get(f"{b.base_url}/api/v1/rooms/demo/recordings") as response:
                    rows: list[dict[str, Any]] = await response.json()
                if rows and rows[0]["recording"]:
                    status, _, head = await fetch(http, a.base_url + rows[0]["url"], Range="bytes=0-999")
                    if status == 206 and len(head) == 1000:
                        break
                assert loop.time() < deadline, rows
                await asyncio.sleep(0.3)
            media = rows[0]["url"]
            assert not list((b.data_dir / "recordings").rglob("*.webm"))  # nothing of it on B's disk

            status, headers, part = await fetch(http, b.base_url + media, Range="bytes=0-999")
            assert status == 206 and part == head, (status, headers)
            assert headers["Content-Type"] == "video/webm" and headers["Content-Range"].startswith("bytes 0-999/")
            status, _, whole = await fetch(http, b.base_url + media)
            assert status == 200 and whole[:1000] == head and len(whole) >= 1000
            # a forwarded request is not forwarded again
            assert (await fetch(http, b.base_url + media, **{HOP_HEADER: "1"}))[0] == 404

            # who may watch is checked by the writing node on the viewer's own credentials
            async with http.patch(f"{b.base_url}/api/v1/recordings/{rows[0]['id']}", json={"visibility": "org"},
                                  headers={"Authorization": host}) as response:
                assert response.status == 200, await response.text()
            assert (await fetch(http, b.base_url + media, Range="bytes=0-99"))[0] == 401
            status, _, part = await fetch(http, b.base_url + media, Range="bytes=0-99", Authorization=host)
            assert status == 206 and part == head[:100]
        finally:
            await pub.close()
