"""Rolling restart: node A of two is stopped (SIGTERM) and started again while chat and applications flow
through both; no acknowledged chat message and no acknowledged application is lost, and A's SIGTERM
finishes in under 2 s with a chat socket, an office feed and applies open on it."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests import services
from tests.integration.fair import SECRET, SIGNER, committed_applications, feed, seed_fair
from tests.server import ServerProcess

pytestmark = [pytest.mark.integration, pytest.mark.redis, pytest.mark.postgres, pytest.mark.timeout(150)]
USERS = [f"cand{i}" for i in range(60)]


async def viewer(http: aiohttp.ClientSession, bases: list[str], seen: list[int], stop: asyncio.Event,
                 joined: asyncio.Event) -> None:
    """A page's chat: on a close it reconnects to the next node with ``since`` and ``epoch`` and takes the
    recovered history (``recovered`` must be true), then the live messages; records every chat seq."""
    since: int | None = None
    epoch: str | None = None
    turn = 0
    while not stop.is_set():
        params = {} if since is None else {"since": str(since), "epoch": str(epoch)}
        try:
            ws = await http.ws_connect(f"{bases[turn % len(bases)]}/ws/rooms/fair", params=params)
        except aiohttp.ClientError:
            turn += 1
            await asyncio.sleep(0.05)
            continue
        async for message in ws:
            data = json.loads(message.data)
            if data["type"] == "welcome":
                joined.set()  # messages sent from now on are this page's to see
                assert since is None or data["recovered"] is True, data
                epoch = data["epoch"]
                messages = data["history"] if since is not None else []
                seen.extend(m["seq"] for m in messages)
                since = max([since or data["seq"], *(m["seq"] for m in messages)])
            elif data["type"] == "chat":
                seen.append(data["seq"])
                since = data["seq"]
            if stop.is_set():
                break
        await ws.close()
        turn += 1


async def test_a_rolling_restart_loses_no_chat_message_and_no_application(
    tmp_path: Path, redis_url: str, postgres_url: str,
) -> None:
    database = await services.create_scratch_database(postgres_url)
    nodes: list[ServerProcess] = []
    try:
        job = await seed_fair(database, "滚动重启专场", USERS)
        env = {"LIVEHIRE_SECRET": SECRET, "LIVEHIRE_SEED_DEMO": "false", "LIVEHIRE_RATE_LIMITS": "apply_user=1000/minute"}
        args = ["--database-url", database, "--redis-url", redis_url]
        for name in ("a", "b"):
            (tmp_path / name).mkdir()
            nodes.append(await asyncio.to_thread(ServerProcess(tmp_path / name, env=env, args=args).start))
        node_a, node_b = nodes
        tasks: list[asyncio.Task[None]] = []
        async with aiohttp.ClientSession() as http:
            stop, joined, seen, acked_seqs = asyncio.Event(), asyncio.Event(), list[int](), list[int]()
            reading = asyncio.create_task(viewer(http, [node_a.base_url, node_b.base_url], seen, stop, joined))
            tasks.append(reading)
            events: list[dict[str, Any]] = []
            ready = asyncio.Event()
            office_on_a = asyncio.create_task(feed(http, node_a.base_url, events, ready))
            tasks.append(office_on_a)
            async with asyncio.timeout(10):
                await ready.wait()
                await joined.wait()  # else the first messages are in its welcome's history, before its offset
            sender = await http.ws_connect(f"{node_b.base_url}/ws/rooms/fair", params={
                "token": SIGNER.mint(session="test", role="host", user="host1", room="fair", org="acme", name="主播")})

            async def chat(count: int) -> None:
                for n in range(count):
                    await sender.send_json({"type": "chat", "text": f"第{len(acked_seqs)}条", "ref": f"r{n}"})
                    while (answer := json.loads((await sender.receive(timeout=10)).data))["type"] != "ack":
                        assert answer["type"] != "error", answer
                    acked_seqs.append(answer["seq"])
                    await asyncio.sleep(0.02)

            acknowledged: set[str] = set()

            async def apply(user: str, base: str) -> None:
                token = SIGNER.mint(session="test", role="viewer", user=user, name=user)
                try:
                    async with http.post(f"{base}/api/v1/jobs/{job['id']}/applications", json={"room": "fair"},
                                         headers={"Authorization": f"Bearer {token}"}) as answer:
                        if answer.status == 201:
                            acknowledged.add((await answer.json())["application_id"])
                except aiohttp.ClientError:  # the node was stopping: not acknowledged, the page tries again
                    pass

            await chat(10)
            applies = [asyncio.create_task(apply(user, node_a.base_url)) for user in USERS[:30]]
            talking = asyncio.create_task(chat(40))
            await asyncio.sleep(0.1)
            started = time.monotonic()
            code = await asyncio.to_thread(node_a.stop)  # SIGTERM, with the chat socket, a feed and applies open
            took = time.monotonic() - started
            assert code == 0 and took < 2.0, f"exit {code} after {took:.2f} s"
            await asyncio.gather(*applies)
            await asyncio.to_thread(node_a.start)  # back on a new port, same store and Redis
            await asyncio.gather(*(apply(user, node_b.base_url) for user in USERS[30:]))
            await talking
            await chat(5)
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 10
            while sorted(set(seen)) != sorted(acked_seqs):
                assert loop.time() < deadline, f"missing {sorted(set(acked_seqs) - set(seen))}"
                await asyncio.sleep(0.05)
            assert len(seen) == len(set(seen)), "a chat message twice"
            stop.set()
            await sender.close()
        kept = await committed_applications(database)
        assert len(acknowledged) >= 30 and acknowledged <= kept, "every acknowledged application is committed"
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for node in nodes:
            await asyncio.to_thread(node.stop)
        await services.drop_scratch_database(postgres_url, database)
