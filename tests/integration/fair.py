"""What the two-node fault tests share: a fair seeded in a scratch database and the recruiter's office feed."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
from sqlalchemy import select

from identity.tokens import TokenSigner
from recruiting.repositories.jobs import JobRepository
from store.engine import open_store
from store.recruiting_tables import applications
from store.rooms import RoomRepository
from tests.recruiting.conftest import job_body, make_candidate, make_org

SECRET = "two-nodes-" + "x" * 32  # the nodes' shared LIVEHIRE_SECRET
SIGNER = TokenSigner(SECRET)


async def seed_fair(database: str, title: str, users: list[str]) -> dict[str, Any]:
    """Organisation ``acme``, room ``fair``, one open job (returned) and a candidate per user."""
    store = await open_store(database)
    try:
        await make_org(store)
        await RoomRepository(store).create("fair", title=title, org_id="acme")
        job = await JobRepository(store).create("acme", job_body(), created_by="rec1")
        for user in users:
            await make_candidate(store, user)
        return job
    finally:
        await store.close()


async def committed_applications(database: str) -> set[str]:
    """The ids of every application the store holds: what an acknowledgement promised."""
    store = await open_store(database)
    try:
        async with store.engine.connect() as connection:
            return set((await connection.execute(select(applications.c.id))).scalars().all())
    finally:
        await store.close()


async def feed(http: aiohttp.ClientSession, base: str, events: list[dict[str, Any]], ready: asyncio.Event) -> None:
    """The recruiter's live feed on ``base``: every ``application`` event's data, in order."""
    office = {"Authorization": "Bearer " + SIGNER.mint(session="test", role="recruiter", user="rec1", org="acme")}
    async with http.get(f"{base}/api/v1/orgs/acme/applications/stream", headers=office,
                        timeout=aiohttp.ClientTimeout(total=None, sock_read=None)) as response:
        assert response.status == 200
        kind = ""
        async for raw in response.content:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                kind = line[7:]
                ready.set() if kind == "ready" else None
            elif line.startswith("data: ") and kind == "application":
                events.append(json.loads(line[6:]))
