"""``livehire serve --workers 2`` (issue 17): both workers serve the same stream; one dying loses only its viewers.

The workers are nodes of one deployment sharing Redis and PostgreSQL; the
supervisor logs each worker's loopback node URL and pid, which is how the test
puts a viewer on each worker and kills one of them.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from signaling.directory import RedisRoomDirectory
from tests import services
from tests.integration.test_media_relay import go_live, room
from tests.media.peers import Viewer, publisher
from tests.server import ServerProcess

pytestmark = [pytest.mark.integration, pytest.mark.media, pytest.mark.redis, pytest.mark.postgres, pytest.mark.slow]

READY = re.compile(r"worker (\d+) ready: pid (\d+), node URL (http://[0-9.]+:[0-9]+)")


@dataclass(frozen=True)
class Node:
    """A worker as the test sees it: its loopback URL (where ``room()`` reads its state) and pid."""

    pid: int
    base_url: str


async def workers_ready(log: Path, count: int, after: int = 0,
                        limit: float = 60) -> dict[int, Node]:
    """Each worker's latest ready line in the supervisor's log (after ``after`` bytes)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while True:
        found: dict[int, Node] = {}
        text = await asyncio.to_thread(log.read_text, encoding="utf-8")
        for match in READY.finditer(text[after:]):
            found[int(match.group(1))] = Node(int(match.group(2)), match.group(3))
        if len(found) == count:
            return found
        assert loop.time() < deadline, f"workers ready: {sorted(found)}"
        await asyncio.sleep(0.2)


@pytest.fixture
async def two_workers(tmp_path: Path, redis_url: str, postgres_url: str) -> AsyncIterator[tuple[ServerProcess, Path, str]]:
    database = await services.create_scratch_database(postgres_url)
    env = {"LIVEHIRE_DATABASE_URL": database, "LIVEHIRE_REDIS_URL": redis_url,
           "LIVEHIRE_SECRET": secrets.token_urlsafe(48), "LIVEHIRE_ICE_INCLUDE_LOOPBACK": "1"}
    (tmp_path / "node").mkdir()
    server = ServerProcess(tmp_path / "node", env=env, args=["--workers", "2"])
    try:
        await asyncio.to_thread(server.start)
        yield server, tmp_path / "node-server.log", redis_url
    finally:
        await asyncio.to_thread(server.stop)
        await services.drop_scratch_database(postgres_url, database)


async def watch(http: aiohttp.ClientSession, base_url: str) -> tuple[Viewer, str]:
    viewer = Viewer()
    async with http.post(f"{base_url}/whep/demo", data=(await viewer.offer()).encode(),
                         headers={"Content-Type": "application/sdp"}) as response:
        if response.status != 201:
            await viewer.close()
            raise AssertionError(f"{response.status}: {await response.text()}")
        await viewer.answer(await response.text())
        return viewer, response.headers["Location"]


async def test_two_workers_serve_one_stream_and_survive_one_death(two_workers: tuple[ServerProcess, Path, str]) -> None:
    server, log, redis_url = two_workers
    workers = await workers_ready(log, 2)
    pub, offer = await publisher("video/VP8")
    viewers: list[Viewer] = []
    async with aiohttp.ClientSession() as http:
        try:
            await go_live(http, server, pub, offer)  # the public port: whichever worker the kernel picks
            directory = RedisRoomDirectory(redis_url)
            try:
                origin_url = await directory.lookup("demo")  # the worker holding the publisher
            finally:
                await directory.close()
            origin = next((i for i, w in workers.items() if w.base_url == origin_url), None)
            assert origin is not None, f"the room directory names {origin_url!r}, no worker of {workers}"  # say which
            other = 1 - origin
            for worker in workers.values():  # the other worker says live too: its viewers would be relayed
                assert (await room(http, worker))["live"] is True  # type: ignore[arg-type]
            on_origin, _ = await watch(http, workers[origin].base_url)
            on_other, other_session = await watch(http, workers[other].base_url)  # relayed from the origin worker
            viewers += [on_origin, on_other]
            for viewer in viewers:
                await viewer.wait_frames(5, limit=15)
                assert {(w, h) for _, w, h in viewer.frames} == {(160, 120)}
            # a session URL reaching the wrong worker is forwarded to the one holding it
            async with http.patch(workers[origin].base_url + other_session, data=b"a=ice-ufrag:zz\r\n",
                                  headers={"Content-Type": "application/trickle-ice-sdpfrag"}) as response:
                assert response.status == 428, await response.text()  # the holder's answer: If-Match missing
            async with http.get(server.base_url + "/metrics") as response:  # whichever worker: the whole node
                scrape = await response.text()
            assert response.status == 200
            for index in workers:
                assert f'livehire_worker_scrape_up{{worker="{index}"}} 1.0' in scrape
                assert f'worker="{index}"' in scrape.split("livehire_worker_scrape_up")[0]  # its own samples too

            size = len(await asyncio.to_thread(log.read_text, encoding="utf-8"))
            os.kill(workers[other].pid, signal.SIGKILL)  # the worker without the publisher dies
            since = len(on_origin.frames)
            await on_origin.wait_frames(10, limit=15, since=since)  # the origin's viewer never noticed
            restarted = await workers_ready(log, 1, after=size)
            assert restarted[other].pid != workers[other].pid
            await on_other.close()  # its server side is gone: the player reconnects, through the public port
            again, session = await watch(http, server.base_url)
            viewers.append(again)
            await again.wait_frames(5, limit=15)
            assert again.frames[-1][1:] == (160, 120)
            async with http.delete(server.base_url + session) as response:  # whichever worker it reaches
                assert response.status == 200
            async with http.delete(workers[origin].base_url + session) as response:  # gone on every worker
                assert response.status == 404
        finally:
            for viewer in viewers:
                await viewer.close()
            await pub.close()
