"""Real server processes: SIGKILL during an apply storm loses no acknowledged application;
two nodes sharing Redis and PostgreSQL show an apply on node A live on node B's office; a node dying
between commit and publish still gets its delivery to the office (the outbox)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from bench.apply import ORG, ROOM, office_token, seed, start_server, viewer_token
from governance.ledger_sql import StoreLedger
from recruiting.service import EXIT_AFTER_COMMIT_ENV
from store.engine import open_store
from store.recruiting_tables import applications

pytestmark = [pytest.mark.integration, pytest.mark.slow]


async def _storm(base: str, users: int, job_ids: list[str], acked: dict[str, str], stop: asyncio.Event) -> None:
    """Each viewer fires all its applies at once and records every acknowledged id by ref."""
    ws_base = base.replace("http://", "ws://")
    async with aiohttp.ClientSession() as session:

        async def viewer(index: int) -> None:
            with contextlib.suppress(aiohttp.ClientError, ConnectionError, asyncio.TimeoutError):
                async with session.ws_connect(f"{ws_base}/ws/rooms/{ROOM}?token={viewer_token(f'u{index}')}") as ws:
                    for job_id in job_ids:
                        await ws.send_str(json.dumps({"type": "apply", "job_id": job_id, "ref": f"u{index}:{job_id}"}))
                    answered = 0
                    async for message in ws:
                        if message.type != aiohttp.WSMsgType.TEXT:
                            break
                        frame = json.loads(message.data)
                        answered += frame.get("type") in ("apply_result", "error")
                        if answered == len(job_ids):
                            await ws.close()
                        if frame.get("type") == "apply_result" and frame["status"] in ("delivered", "duplicate"):
                            acked[frame["ref"]] = frame["application_id"]
                            if len(acked) >= users:
                                stop.set()

        await asyncio.gather(*(viewer(i) for i in range(users)))


@pytest.mark.clause("4.3.1 b")
async def test_sigkill_during_apply_storm_loses_no_acknowledged_application(store_url: str) -> None:
    users, jobs = 60, 10
    job_ids = await seed(store_url, users, jobs)
    server = await start_server(store_url)
    acked: dict[str, str] = {}
    enough = asyncio.Event()
    storm = asyncio.create_task(_storm(server.base, users, job_ids, acked, enough))
    await asyncio.wait_for(enough.wait(), 60)
    server.process.send_signal(signal.SIGKILL)
    await server.process.wait()
    snapshot = dict(acked)
    await asyncio.wait_for(storm, 30)
    assert users <= len(snapshot) < users * jobs, "the kill must land in the middle of the storm"

    store = await open_store(store_url)
    try:
        async with store.engine.connect() as connection:
            stored = {row.ref: row.id for row in await connection.execute(select(applications.c.ref, applications.c.id))}
    finally:
        await store.close()
    lost = {ref for ref in snapshot if stored.get(ref) != snapshot[ref]}
    assert not lost, f"{len(lost)} acknowledged applications lost after SIGKILL"

    restarted = await start_server(store_url)
    try:
        again: dict[str, str] = {}
        await asyncio.wait_for(_storm(restarted.base, users, job_ids, again, asyncio.Event()), 60)
    finally:
        await restarted.stop()
    assert len(again) == users * jobs
    assert all(again[ref] == application_id for ref, application_id in snapshot.items()), "retries are duplicates"
    store = await open_store(store_url)
    try:
        async with store.engine.connect() as connection:
            count = (await connection.execute(select(func.count()).select_from(applications))).scalar_one()
    finally:
        await store.close()
    assert count == users * jobs, "exactly once per (user, job) across the crash"


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.clause("5.1.4")
async def test_apply_on_node_a_appears_live_on_node_b(redis_url: str, postgres_url: str) -> None:
    from tests import services

    database = await services.create_scratch_database(postgres_url)
    nodes: list[Any] = []
    try:
        job_ids = await seed(database, 1, 1)
        nodes = [await start_server(database, redis_url=redis_url) for _ in range(2)]
        node_a, node_b = nodes
        async with aiohttp.ClientSession() as session:
            office = await session.get(
                f"{node_b.base}/api/v1/orgs/{ORG}/applications/stream",
                headers={"Authorization": "Bearer " + office_token()},
            )
            assert await office.content.readuntil(b"\n\n") == b"event: ready\ndata: {}\n\n"
            applied = await session.post(
                f"{node_a.base}/api/v1/jobs/{job_ids[0]}/applications",
                json={"ref": "cross-node", "room": ROOM},
                headers={"Authorization": "Bearer " + viewer_token("u0")},
            )
            result = await applied.json()
            assert result["status"] == "delivered"
            chunk = await asyncio.wait_for(office.content.readuntil(b"\n\n"), 10)
            while chunk.startswith(b":"):
                chunk = await asyncio.wait_for(office.content.readuntil(b"\n\n"), 10)
            event = json.loads(chunk.decode().split("data: ", 1)[1])
            assert event["application_id"] == result["application_id"]
            office.close()
    finally:
        for node in nodes:
            await node.stop()
        await services.drop_scratch_database(postgres_url, database)


@pytest.mark.clause("5.1.4")
@pytest.mark.clause("4.4.1 f")
async def test_a_node_dying_between_commit_and_publish_still_reaches_the_office_via_another_node(
    store_url: str,
) -> None:
    """Standard 5.1.4 with the transactional outbox: node A commits an apply and ``os._exit``\\ s before
    publishing (the test-only fault switch); node B's relay publishes the orphaned event once its lease
    runs out, and B's office page gets it exactly once; the delivery is in the service ledger once (the
    batch's row in ``ledger_queue`` committed with it, drained by B)."""
    job_ids = await seed(store_url, 1, 1)
    node_b = await start_server(store_url)
    node_a = await start_server(store_url, env={EXIT_AFTER_COMMIT_ENV: "1"})
    try:
        async with aiohttp.ClientSession() as session:
            office = await session.get(
                f"{node_b.base}/api/v1/orgs/{ORG}/applications/stream",
                headers={"Authorization": "Bearer " + office_token()},
            )
            assert await office.content.readuntil(b"\n\n") == b"event: ready\ndata: {}\n\n"
            with pytest.raises(aiohttp.ClientError):
                await session.post(
                    f"{node_a.base}/api/v1/jobs/{job_ids[0]}/applications",
                    json={"ref": "died-after-commit", "room": ROOM},
                    headers={"Authorization": "Bearer " + viewer_token("u0")},
                )
            assert await asyncio.wait_for(node_a.process.wait(), 10) == 17, "A died right after the commit"
            store = await open_store(store_url)
            try:
                async with store.engine.connect() as connection:
                    committed = (await connection.execute(
                        select(applications.c.id).where(applications.c.ref == "died-after-commit")
                    )).scalar_one()
            finally:
                await store.close()

            async def next_event() -> dict[str, Any]:
                while True:
                    chunk = await office.content.readuntil(b"\n\n")
                    if not chunk.startswith(b":"):
                        return dict(json.loads(chunk.decode().split("data: ", 1)[1]))

            event = await asyncio.wait_for(next_event(), 30)  # lease (5 s) + sweep interval (2 s)
            assert event["application_id"] == committed and event["event_id"] == committed
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(next_event(), 3)
            office.close()
        await node_b.stop()  # B drained the ledger queue while it ran and once more on its way out
        store = await open_store(store_url)
        try:  # 4.4.1 f: the delivery A committed and never handed on is in the service ledger, once
            ledger = StoreLedger(store)
            delivered = [row[0] async for e in ledger.export(0, 2**62) if e.kind == "application.delivered"
                         for row in e.body["rows"]]
            assert delivered.count(committed) == 1 and (await ledger.verify()).ok
        finally:
            await store.close()
    finally:
        if node_b.process.returncode is None:
            await node_b.stop()
        if node_a.process.returncode is None:
            await node_a.stop()
