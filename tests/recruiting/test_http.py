"""REST endpoints over a real aiohttp server (pytest-aiohttp), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from prometheus_client import CollectorRegistry

from identity.http import make_token_authenticate
from identity.tokens import MAX_TTL_SECONDS, TokenSigner
from livehire.middleware import build_middlewares
from recruiting.service import RecruitingService
from recruiting.web.http import install_recruiting
from store.engine import Store
from store.orgs import OrgRepository
from tests.recruiting.conftest import FakeAudience, job_body, make_org

SECRET = "s" * 40
SIGNER = TokenSigner(SECRET)


def bearer(role: str, user: str, org: str | None = None) -> dict[str, str]:
    """A day's token: module constants are minted at collection, and a slow suite outlives the default 15 minutes."""
    return {"Authorization": "Bearer " + SIGNER.mint(session="test", role=role, user=user, org=org,  # type: ignore[arg-type]
                                                      ttl_seconds=MAX_TTL_SECONDS)}


RECRUITER = bearer("recruiter", "rec1", "acme")
VIEWER = bearer("viewer", "v1")


async def client_for(
    aiohttp_client: Any, service: RecruitingService, audience: FakeAudience | None = None
) -> tuple[TestClient, list[Any]]:
    """The pushes to users land in ``audience.pushed`` (the service's audience), broadcasts there too."""
    pushed: list[Any] = audience.pushed if audience is not None else []

    async def broadcast(room: str, frame: Mapping[str, Any]) -> None:
        pushed.append((room, "*", dict(frame)))

    app = web.Application(middlewares=build_middlewares(CollectorRegistry()))
    install_recruiting(
        app, service, authenticate=make_token_authenticate(SIGNER), broadcast=broadcast
    )
    return await aiohttp_client(app), pushed


@pytest.mark.clause("5.1.1")
async def test_agency_job_needs_hr_service_licence(aiohttp_client: Any, service: RecruitingService, store: Store) -> None:
    """Standard 5.1.1: business licence → own jobs only; agency needs an HR service licence."""
    await make_org(store)
    client, _ = await client_for(aiohttp_client, service)
    refused = await client.post("/api/v1/orgs/acme/jobs", json=job_body("agency"), headers=RECRUITER)
    assert refused.status == 403
    assert (await refused.json())["error"]["code"] == "qualification_required"
    assert (await client.post("/api/v1/orgs/acme/jobs", json=job_body("own"), headers=RECRUITER)).status == 201
    await service.jobs.add_qualification("acme", "hr_service_licence", "HR-1", state="pending")
    assert (await client.post("/api/v1/orgs/acme/jobs", json=job_body("agency"), headers=RECRUITER)).status == 403
    # the decision is governance's review (tests/governance/test_licences.py); recruiting's old routes are gone
    pending = next(q for q in await service.jobs.qualifications("acme") if q["kind"] == "hr_service_licence")
    gone = await client.post(f"/api/v1/qualifications/{pending['id']}/decision", json={"state": "verified"},
                             headers=bearer("admin", "ops"))
    assert gone.status == 404
    await service.jobs.add_qualification("acme", "hr_service_licence", "HR-2", state="verified")
    assert (await client.post("/api/v1/orgs/acme/jobs", json=job_body("agency"), headers=RECRUITER)).status == 201


@pytest.mark.clause("5.1.3 c")
async def test_job_without_base_pay_is_refused(aiohttp_client: Any, service: RecruitingService, store: Store) -> None:
    """人力资源市场暂行条例 §24: base pay is a required part of job information."""
    await make_org(store)
    client, _ = await client_for(aiohttp_client, service)
    body = job_body()
    del body["salary_min"]
    response = await client.post("/api/v1/orgs/acme/jobs", json=body, headers=RECRUITER)
    assert response.status == 400


@pytest.mark.clause("4.3.1 b", "4.3.1 c", "4.4.1 b", "4.4.1 c", "5.1.4", "5.1.5")
async def test_public_jobs_profile_apply_inbox_and_office_flow(
    aiohttp_client: Any, service: RecruitingService, store: Store, audience: FakeAudience
) -> None:
    await make_org(store)
    client, pushed = await client_for(aiohttp_client, service, audience)
    job = await (await client.post("/api/v1/orgs/acme/jobs", json=job_body(), headers=RECRUITER)).json()
    jobs = await (await client.get("/api/v1/jobs")).json()
    assert [{k: j[k] for k in ("id", "title", "org", "kind")} for j in jobs] == [
        {"id": job["id"], "title": "仓库分拣员", "org": "acme", "kind": "own"}
    ]
    url = f"/api/v1/jobs/{job['id']}/applications"
    assert (await (await client.post(url, json={"ref": "a"}, headers=VIEWER)).json())["status"] == "needs_profile"
    profile = {"name": "赵六", "phone": "13912345678", "resume": "叉车证", "consent_to_share": False}
    assert (await client.put("/api/v1/me/profile", json=profile, headers=VIEWER)).status == 200
    assert (await (await client.post(url, json={"ref": "a"}, headers=VIEWER)).json())["status"] == "needs_consent"
    assert (await client.put("/api/v1/me/profile", json=profile | {"consent_to_share": True}, headers=VIEWER)).status == 200
    first = await client.post(url, json={"ref": "a"}, headers=VIEWER)
    assert first.status == 201
    delivered = await first.json()
    assert delivered["status"] == "delivered"
    again = await (await client.post(url, json={"ref": "b"}, headers=VIEWER)).json()
    assert again == delivered | {"status": "duplicate", "ref": "b"}

    assert (await client.get("/api/v1/orgs/acme/applications", headers=VIEWER)).status == 403
    assert (await client.get("/api/v1/orgs/acme/applications", headers=bearer("recruiter", "x", "other"))).status == 403
    inbox = await (await client.get("/api/v1/orgs/acme/applications", headers=RECRUITER)).json()
    assert [row["id"] for row in inbox] == [delivered["application_id"]]
    assert "phone" not in inbox[0] and "resume" not in inbox[0]

    app_id = delivered["application_id"]
    detail = await (await client.get(f"/api/v1/applications/{app_id}", headers=RECRUITER)).json()
    assert detail["resume"] == "叉车证" and detail["status"] == "viewed"
    assert "13912345678" not in json.dumps(detail), "the office never sees the real number (5.1.5)"
    reads = await (await client.get("/api/v1/orgs/acme/resume-reads", headers=bearer("admin", "boss", "acme"))).json()
    assert reads[0]["reader"] == "rec1" and reads[0]["application_id"] == app_id
    assert reads[0]["purpose"] == "screening"  # why, when the reader names nothing (4.4.1 b)
    refused = await client.get(f"/api/v1/applications/{app_id}?purpose=curiosity", headers=RECRUITER)
    assert refused.status == 422 and (await refused.json())["error"]["code"] == "invalid_purpose"
    again = await client.get(f"/api/v1/applications/{app_id}?purpose=interview", headers=RECRUITER)
    assert again.status == 200
    reads = await (await client.get("/api/v1/orgs/acme/resume-reads", headers=bearer("admin", "boss", "acme"))).json()
    assert [r["purpose"] for r in reads[:2]] == ["interview", "screening"] and len(reads) == 2  # the refusal: no read

    bad = await client.post(f"/api/v1/applications/{app_id}/status", json={"status": "hired"}, headers=RECRUITER)
    assert bad.status == 409
    ok = await client.post(f"/api/v1/applications/{app_id}/status", json={"status": "contacted"}, headers=RECRUITER)
    assert ok.status == 200
    assert (await client.post(f"/api/v1/applications/{app_id}/notes", json={"text": "周三再联系"}, headers=RECRUITER)).status == 201
    await OrgRepository(store).ensure_user("rec2", "小王")
    await OrgRepository(store).add_member("acme", "rec2", "recruiter")
    assert (await client.post(f"/api/v1/applications/{app_id}/assign", json={"member": "rec2"}, headers=RECRUITER)).status == 200
    assert (await client.post(f"/api/v1/applications/{app_id}/assign", json={"member": "zz"}, headers=RECRUITER)).status == 400

    call = await (await client.post(f"/api/v1/applications/{app_id}/calls", headers=RECRUITER)).json()
    assert call["x"].startswith("170") and call["answered_at"] is not None
    assert call["release_cause"] == "normal_clearing"

    at = int(time.time() * 1000) + 2 * 24 * 3600 * 1000
    invite = await client.post(
        f"/api/v1/applications/{app_id}/interviews",
        json={"at": at, "place": "大兴区物流园 3 号楼", "contact": "李经理"},
        headers=RECRUITER,
    )
    assert invite.status == 201
    interview = await invite.json()
    assert ("v1", "interview") in [(user, frame["type"]) for _, user, frame in pushed]
    mine = await (await client.get("/api/v1/me/interviews", headers=VIEWER)).json()
    assert [i["id"] for i in mine] == [interview["id"]]
    stranger = await client.post(f"/api/v1/interviews/{interview['id']}/answer", json={"answer": "accept"}, headers=bearer("viewer", "v2"))
    assert stranger.status == 403
    answered = await client.post(f"/api/v1/interviews/{interview['id']}/answer", json={"answer": "accept"}, headers=VIEWER)
    assert (await answered.json())["state"] == "accepted"
    assert len(await service.interviews.due_reminders(at)) == 2, "24 h and 1 h reminders are stored"
    final = await (await client.get(f"/api/v1/applications/{app_id}", headers=RECRUITER)).json()
    assert final["status"] == "interview"
    assert [entry["kind"] for entry in final["log"]][:3] == ["status", "status", "note"]


@pytest.mark.clause("5.1.4", "4.4.1 b")
async def test_office_stream_shows_applies_of_its_org_only(
    aiohttp_client: Any, service: RecruitingService, store: Store
) -> None:
    await make_org(store)
    await make_org(store, "other")
    client, _ = await client_for(aiohttp_client, service)
    ours = await service.jobs.create("acme", job_body(), created_by="rec1")
    theirs = await service.jobs.create("other", job_body(), created_by="x")
    await client.put("/api/v1/me/profile", json={"name": "钱七", "phone": "13700000000", "resume": "r", "consent_to_share": True}, headers=VIEWER)
    response = await client.get("/api/v1/orgs/acme/applications/stream", headers=RECRUITER)
    assert response.status == 200
    assert await response.content.readuntil(b"\n\n") == b"event: ready\ndata: {}\n\n"
    await client.post(f"/api/v1/jobs/{theirs['id']}/applications", json={}, headers=VIEWER)
    await client.post(f"/api/v1/jobs/{ours['id']}/applications", json={}, headers=VIEWER)
    chunk = await asyncio.wait_for(response.content.readuntil(b"\n\n"), 5)
    event = json.loads(chunk.decode().split("data: ", 1)[1])
    assert event["job_id"] == ours["id"] and event["name"] == "钱七"
    response.close()


@pytest.mark.clause("3.1", "5.2")
async def test_session_plan_start_end_and_stats_over_rest(
    aiohttp_client: Any, service: RecruitingService, store: Store
) -> None:
    from store.rooms import RoomRepository

    await make_org(store)
    await RoomRepository(store).create("live1", title="专场", org_id="acme")
    client, pushed = await client_for(aiohttp_client, service)
    job = await service.jobs.create("acme", job_body(), created_by="rec1")
    host = bearer("host", "h1", "acme")
    planned = await client.post(
        "/api/v1/orgs/acme/sessions",
        json={"room": "live1", "title": "春招", "starts_at": int(time.time() * 1000), "jobs": [job["id"]]},
        headers=host,
    )
    session = await planned.json()
    assert planned.status == 201
    state = f"/api/v1/sessions/{session['id']}/state"
    assert (await client.post(state, json={"state": "ended"}, headers=host)).status == 409
    assert (await (await client.post(state, json={"state": "live"}, headers=host)).json())["state"] == "live"
    pin = await client.post("/api/v1/rooms/live1/pins", json={"job_id": job["id"]}, headers=host)
    assert pin.status == 201 and pushed[-1][1] == "*" and pushed[-1][2]["type"] == "job_card"
    assert (await client.post("/api/v1/rooms/live1/pins", json={"job_id": job["id"]}, headers=VIEWER)).status == 403
    assert (await client.post(state, json={"state": "ended"}, headers=host)).status == 200
    stats = await (await client.get(f"/api/v1/sessions/{session['id']}/stats", headers=host)).json()
    assert stats["jobs"][0]["job_id"] == job["id"] and stats["applications"] == 0
    listed = await (await client.get("/api/v1/rooms/live1/sessions")).json()
    assert [s["state"] for s in listed] == ["ended"]
