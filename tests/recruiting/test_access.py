"""Who may read which jobs' resumes (standard 5.1.2): the member tree decides, admins see all."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from recruiting.repositories.access import subordinates
from recruiting.service import RecruitingService
from store.engine import Store
from store.orgs import OrgRepository
from tests.recruiting.conftest import job_body, make_candidate, make_org
from tests.recruiting.test_http import bearer, client_for

pytestmark = pytest.mark.clause("5.1.2")


def test_subordinates_follow_the_tree_and_survive_cycles() -> None:
    tree = {"boss": None, "alice": "boss", "carol": "alice", "bob": None, "x": "y", "y": "x"}
    assert subordinates(tree, "boss") == {"boss", "alice", "carol"}
    assert subordinates(tree, "alice") == {"alice", "carol"}
    assert subordinates(tree, "bob") == {"bob"}
    assert subordinates(tree, "x") == {"x", "y"}


@pytest.mark.clause("4.4.1 b", "4.4.2", "5.1.4")
async def test_recruiters_see_their_teams_jobs_and_assigned_applications(
    aiohttp_client: Any, service: RecruitingService, store: Store
) -> None:
    await make_org(store)
    orgs = OrgRepository(store)
    for user, boss in (("boss", None), ("alice", "boss"), ("bob", None)):
        await orgs.ensure_user(user, user)
        await orgs.add_member("acme", user, "recruiter", reports_to=boss)
    job_a = (await service.jobs.create("acme", job_body(title="A"), created_by="alice"))["id"]
    job_b = (await service.jobs.create("acme", job_body(title="B"), created_by="bob"))["id"]
    job_s = (await service.jobs.create("acme", job_body(title="S"), created_by="seed"))["id"]
    client, _ = await client_for(aiohttp_client, service)
    alice, bob, boss = (bearer("recruiter", u, "acme") for u in ("alice", "bob", "boss"))
    admin = bearer("admin", "owner", "acme")

    stream = await client.get("/api/v1/orgs/acme/applications/stream", headers=alice)
    await stream.content.readuntil(b"\n\n")
    await make_candidate(store, "c1")
    ids = {}
    for job in (job_b, job_a, job_s):
        ids[job] = (await service.apply("c1", job, ref=None, room=None)).application_id
    seen = []
    while len(seen) < 2:
        chunk = await asyncio.wait_for(stream.content.readuntil(b"\n\n"), 5)
        seen.append(json.loads(chunk.decode().split("data: ", 1)[1])["job_id"])
    assert seen == [job_a, job_s], "bob's job never reaches alice's live inbox"
    stream.close()

    async def inbox(headers: dict[str, str]) -> set[str]:
        return {row["job_id"] for row in await (await client.get("/api/v1/orgs/acme/applications", headers=headers)).json()}

    assert await inbox(alice) == {job_a, job_s}
    assert await inbox(bob) == {job_b, job_s}
    assert await inbox(boss) == {job_a, job_s}
    assert await inbox(admin) == {job_a, job_b, job_s}
    refused = await client.get(f"/api/v1/applications/{ids[job_b]}", headers=alice)
    assert refused.status == 403 and (await refused.json())["error"]["code"] == "not_your_job"
    assert (await client.post(f"/api/v1/applications/{ids[job_b]}/notes", json={"text": "x"}, headers=alice)).status == 403
    assigned = await client.post(f"/api/v1/applications/{ids[job_b]}/assign", json={"member": "alice"}, headers=admin)
    assert assigned.status == 200
    assert (await client.get(f"/api/v1/applications/{ids[job_b]}", headers=alice)).status == 200
    assert await inbox(alice) == {job_a, job_b, job_s}
