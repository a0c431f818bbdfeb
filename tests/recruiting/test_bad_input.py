"""Review L1: bad input is a 4xx with the JSON error body, never a 500 (over HTTP, SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from common.http import MAX_JSON_DEPTH
from recruiting.service import RecruitingService
from store.engine import Store
from tests.recruiting.conftest import job_body, make_candidate, make_org
from tests.recruiting.test_http import RECRUITER, VIEWER, bearer, client_for

pytestmark = pytest.mark.clause("4.4.1 a")

HUGE = 2**64  # past the store's BIGINT: an OverflowError in the driver before the fix
JSON = {"Content-Type": "application/json"}


async def refused(response: ClientResponse, status: int, *codes: str) -> dict[str, Any]:
    """The error body of a refusal with ``status`` and one of ``codes``."""
    body = await response.json()
    assert response.status == status, body
    assert set(body["error"]) >= {"code", "message"} and body["error"]["code"] in codes, body
    return dict(body["error"])


def nested_list(depth: int) -> str:
    return "[" * depth + "]" * depth


def nested_object(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


async def test_deeply_nested_json_to_login_is_a_400_without_a_token(client: TestClient) -> None:
    """On the whole server (the sign-in routes are identity's), with no credential at all."""
    for body in (nested_list(30_000), nested_object(10_000)):  # both under the 64 KiB body limit
        assert len(body) < 64 * 1024
        response = await client.post("/api/v1/auth/login", data=body, headers=JSON)
        await refused(response, 400, "too_deep", "malformed_json")


async def test_json_nested_past_the_bound_is_refused_after_parsing(
    aiohttp_client: Any, service: RecruitingService, store: Store
) -> None:
    """Depth 33 parses fine in Python, yet is refused so that no later walk recurses deeply."""
    await make_org(store)
    client, _ = await client_for(aiohttp_client, service)
    deep = job_body()
    deep["benefits"] = json.loads(nested_list(MAX_JSON_DEPTH))  # with the body object: one level too deep
    response = await client.post("/api/v1/orgs/acme/jobs", json=deep, headers=RECRUITER)
    await refused(response, 400, "too_deep")
    assert await service.jobs.of_org("acme") == []


async def test_login_json_nested_past_the_bound_is_refused(client: TestClient) -> None:
    login = await client.post("/api/v1/auth/login", data='{"org": ' + nested_object(MAX_JSON_DEPTH) + "}", headers=JSON)
    await refused(login, 400, "too_deep")
    shallow = await client.post("/api/v1/auth/login", json={"org": "acme", "user": "x", "password": "nope-nope"})
    await refused(shallow, 401, "invalid_credentials")


async def test_deeply_nested_json_on_an_authenticated_route(
    aiohttp_client: Any, service: RecruitingService, store: Store
) -> None:
    await make_org(store)
    client, _ = await client_for(aiohttp_client, service)
    for route in ("/api/v1/orgs/acme/jobs", "/api/v1/orgs/acme/sessions"):
        response = await client.post(route, data=nested_list(30_000), headers={**JSON, **RECRUITER})
        await refused(response, 400, "too_deep", "malformed_json")
    put = await client.put("/api/v1/me/profile", data=nested_object(10_000), headers={**JSON, **VIEWER})
    await refused(put, 400, "too_deep", "malformed_json")


async def test_inbox_query_integers_are_bounded(aiohttp_client: Any, service: RecruitingService, store: Store) -> None:
    await make_org(store)
    client, _ = await client_for(aiohttp_client, service)
    inbox = "/api/v1/orgs/acme/applications"
    for query in (f"since={HUGE}", f"until={HUGE}", f"limit={HUGE}", f"since=-{HUGE}", "limit=0", "limit=1001",
                  f"until={2**53 + 1}"):
        response = await client.get(f"{inbox}?{query}", headers=RECRUITER)
        error = await refused(response, 400, "out_of_range")
        assert error["message"]
    response = await client.get(f"{inbox}?since={'9' * 5000}", headers=RECRUITER)  # past int()'s digit limit
    await refused(response, 400, "invalid_query")
    ok = await client.get(f"{inbox}?since=0&until={2**53}&limit=1000", headers=RECRUITER)
    assert ok.status == 200 and await ok.json() == []


async def test_job_integers_are_bounded(aiohttp_client: Any, service: RecruitingService, store: Store) -> None:
    await make_org(store)
    client, _ = await client_for(aiohttp_client, service)
    jobs = "/api/v1/orgs/acme/jobs"
    for field, value in (("salary_min", HUGE), ("salary_max", HUGE), ("salary_max", 10**9 + 1), ("headcount", HUGE),
                         ("valid_until", HUGE), ("valid_from", HUGE), ("valid_until", 2**53 + 1)):
        response = await client.post(jobs, json=job_body(**{field: value}), headers=RECRUITER)
        error = await refused(response, 422, "out_of_range")
        assert error["field"] == field
    response = await client.post(jobs, json=job_body(salary_min=-HUGE), headers=RECRUITER)
    await refused(response, 400, "invalid_field")
    assert await service.jobs.of_org("acme") == []
    created = await client.post(jobs, json=job_body(salary_max=10**9), headers=RECRUITER)
    assert created.status == 201
    job = await created.json()
    patched = await client.patch(f"/api/v1/jobs/{job['id']}", json={"salary_max": HUGE}, headers=RECRUITER)
    await refused(patched, 422, "out_of_range")
    assert (await service.jobs.get(job["id"]))["salary_max"] == 10**9, "the accepted job is unchanged"


async def test_session_start_is_bounded(aiohttp_client: Any, service: RecruitingService, store: Store) -> None:
    await make_org(store)
    client, _ = await client_for(aiohttp_client, service)
    host = bearer("host", "h1", "acme")
    sessions = "/api/v1/orgs/acme/sessions"
    for starts_at in (HUGE, -HUGE, 2**53 + 1):
        response = await client.post(sessions, json={"room": "r", "title": "春招", "starts_at": starts_at}, headers=host)
        await refused(response, 422, "out_of_range")
    for body in ({"room": "r" * 65, "title": "t", "starts_at": 1}, {"room": "r", "title": "t", "starts_at": 1, "host": "h" * 65}):
        await refused(await client.post(sessions, json=body, headers=host), 422, "out_of_range")
    boolean = await client.post(sessions, json={"room": "r", "title": "t", "starts_at": True}, headers=host)
    await refused(boolean, 400, "invalid_session")
    ok = await client.post(sessions, json={"room": "r", "title": "春招", "starts_at": int(time.time() * 1000)}, headers=host)
    assert ok.status == 201


async def test_interview_time_is_bounded(aiohttp_client: Any, service: RecruitingService, store: Store) -> None:
    await make_org(store)
    await make_candidate(store, "v1")
    client, _ = await client_for(aiohttp_client, service)
    job = await service.jobs.create("acme", job_body(), created_by="rec1")
    applied = await client.post(f"/api/v1/jobs/{job['id']}/applications", json={}, headers=VIEWER)
    assert applied.status in (200, 201)
    app_id = (await applied.json())["application_id"]
    invite = f"/api/v1/applications/{app_id}/interviews"
    for at in (HUGE, 2**53 + 1):
        response = await client.post(invite, json={"at": at, "place": "3 号楼", "contact": "李经理"}, headers=RECRUITER)
        await refused(response, 422, "out_of_range")
    assert await service.interviews.of_application(app_id) == []
    at = int(time.time() * 1000) + 2 * 24 * 3600 * 1000
    ok = await client.post(invite, json={"at": at, "place": "3 号楼", "contact": "李经理"}, headers=RECRUITER)
    assert ok.status == 201


async def test_client_chosen_job_id_never_collides_into_a_500(
    aiohttp_client: Any, service: RecruitingService, store: Store
) -> None:
    await make_org(store)
    await make_org(store, "other")
    client, _ = await client_for(aiohttp_client, service)
    theirs = await service.jobs.create("other", job_body(title="别家岗位"), created_by="x")
    generated = await client.post("/api/v1/orgs/acme/jobs", json=job_body(), headers=RECRUITER)
    assert generated.status == 201
    ours = await generated.json()
    assert ours["id"] != theirs["id"] and len(ours["id"]) == 32, "the server generates ids"
    for taken in (theirs["id"], ours["id"]):
        response = await client.post("/api/v1/orgs/acme/jobs", json=job_body(id=taken), headers=RECRUITER)
        await refused(response, 409, "job_exists")
    for malformed in ("x" * 65, "a b", "", 7, ["j"], "../j"):
        response = await client.post("/api/v1/orgs/acme/jobs", json=job_body(id=malformed), headers=RECRUITER)
        if malformed == "":  # an empty id means "none": the server generates one
            assert response.status == 201
            continue
        await refused(response, 422, "invalid_id")
    assert (await service.jobs.get(theirs["id"]))["title"] == "别家岗位", "the other org's job is untouched"
    assert (await service.jobs.get(theirs["id"]))["org"] == "other"
    named = await client.post("/api/v1/orgs/acme/jobs", json=job_body(id="spring-2026_1"), headers=RECRUITER)
    assert named.status == 201 and (await named.json())["id"] == "spring-2026_1"
    assert len(await service.jobs.of_org("acme")) == 3


async def test_refusals_are_logged_as_refused(client: TestClient, caplog: Any) -> None:
    with caplog.at_level("INFO", logger="livehire.http"):
        response = await client.post("/api/v1/auth/login", data=nested_list(30_000), headers=JSON)
        await refused(response, 400, "too_deep", "malformed_json")
    assert [r.getMessage() for r in caplog.records if r.name == "livehire.http"] == ["request refused"]
