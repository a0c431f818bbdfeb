"""A node of two is SIGKILLed while applications pour in: the office feed of the surviving node gets every
application the dead node acknowledged, before and around the kill (the outbox hands its orphaned events
over after their lease); every acknowledged application is in the store, none twice in the feed."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests import services
from tests.integration.fair import SECRET, SIGNER, committed_applications, feed, seed_fair
from tests.server import ServerProcess

pytestmark = [pytest.mark.integration, pytest.mark.redis, pytest.mark.postgres, pytest.mark.timeout(120)]
USERS = [f"cand{i}" for i in range(40)]
LEASE_MS = 1000  # a dead node's unpublished events are taken over this long after their commit (plus a sweep)


async def test_the_survivors_office_feed_misses_no_application_acknowledged_by_a_node_killed_with_sigkill(
    tmp_path: Path, redis_url: str, postgres_url: str,
) -> None:
    database = await services.create_scratch_database(postgres_url)
    nodes: list[ServerProcess] = []
    try:
        job = await seed_fair(database, "双节点专场", USERS)
        env = {"LIVEHIRE_SECRET": SECRET, "LIVEHIRE_SEED_DEMO": "false", "LIVEHIRE_RATE_LIMITS": "apply_user=1000/minute",
               "LIVEHIRE_OUTBOX_LEASE_MS": str(LEASE_MS), "LIVEHIRE_OUTBOX_SWEEP_SECONDS": "0.2"}
        args = ["--database-url", database, "--redis-url", redis_url]
        for name in ("a", "b"):
            (tmp_path / name).mkdir()
            nodes.append(await asyncio.to_thread(ServerProcess(tmp_path / name, env=env, args=args).start))
        node_a, node_b = nodes
        events: list[dict[str, Any]] = []
        ready = asyncio.Event()
        async with aiohttp.ClientSession() as http:
            watcher = asyncio.create_task(feed(http, node_b.base_url, events, ready))
            async with asyncio.timeout(10):
                await ready.wait()
            acknowledged: dict[str, str] = {}

            async def apply(user: str) -> None:
                token = SIGNER.mint(session="test", role="viewer", user=user, name=user)
                try:
                    async with http.post(f"{node_a.base_url}/api/v1/jobs/{job['id']}/applications", json={"room": "fair"},
                                         headers={"Authorization": f"Bearer {token}"}) as answer:
                        if answer.status == 201:
                            acknowledged[user] = (await answer.json())["application_id"]
                except aiohttp.ClientError:  # in flight when the node died: not acknowledged, may or may not be kept
                    pass

            async def applies_then_kill() -> None:
                first = [asyncio.create_task(apply(user)) for user in USERS[:20]]
                await asyncio.gather(*first)  # acknowledged before the kill
                around = [asyncio.create_task(apply(user)) for user in USERS[20:]]
                await asyncio.sleep(0.02)  # some of these are being committed right now
                await asyncio.to_thread(node_a.kill)  # SIGKILL: no shutdown, no flush, no publish
                await asyncio.gather(*around)

            await applies_then_kill()
            assert len(acknowledged) >= 20, acknowledged
            wanted = set(acknowledged.values())
            loop = asyncio.get_running_loop()
            deadline = loop.time() + LEASE_MS / 1000 + 8
            while not wanted <= {e["application_id"] for e in events}:
                assert loop.time() < deadline, f"missing from B's feed: {wanted - {e['application_id'] for e in events}}"
                await asyncio.sleep(0.1)
            ids = [e["application_id"] for e in events]
            assert len(ids) == len(set(ids)), "an application twice in the feed"
            watcher.cancel()
        kept = await committed_applications(database)
        assert wanted <= kept, "every acknowledged application is committed"
        assert {e["application_id"] for e in events} <= kept, "the feed shows only committed applications"
    finally:
        for node in nodes:
            await asyncio.to_thread(node.stop)
        await services.drop_scratch_database(postgres_url, database)
