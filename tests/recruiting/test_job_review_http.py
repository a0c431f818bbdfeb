"""The job review over HTTP (standard 5.1.3 c, b; 人力资源市场暂行条例 §26): who may review, what the poster sees,
bad input answered 4xx JSON with nothing lost, the decision in the service ledger, and pinning only published,
valid jobs. The whole app (create_app) on SQLite; the store parts run on both databases in test_job_review.py."""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest

from governance.web import GOVERNANCE
from livehire import keys
from recruiting.repositories.jobs import JobRepository
from tests.identity.helpers import bearer, error_of
from tests.recruiting.conftest import DAY_MS, job_body

pytestmark = pytest.mark.clause("5.1.3 c")

DOUBTFUL = "年龄35岁以下，押金可退"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def mandate(data: bytes = PNG, **extra: Any) -> dict[str, Any]:
    return {"name": "委托书.png", "content_type": "image/png", "data": base64.b64encode(data).decode(), **extra}


async def _world(client: Any) -> dict[str, dict[str, str]]:
    app = client.server.app
    await app[keys.ORGS].create_org("jr", "锦瑞物流有限公司")
    await app[keys.ORGS].create_org("other", "别家公司")
    repo = JobRepository(app[keys.STORE])
    for kind in ("business_licence", "hr_service_licence"):
        await repo.add_qualification("jr", kind, "91110000JR", state="verified")
    await app[keys.ROOMS].create("jr-room", title="锦瑞专场", org_id="jr")
    return {
        "recruiter": await bearer(app, "recruiter", "jr-rec", "jr"),
        "admin": await bearer(app, "admin", "jr-admin", "jr"),
        "host": await bearer(app, "host", "jr-host", "jr"),
        "other_admin": await bearer(app, "admin", "other-admin", "other"),
        "seeker": await bearer(app, "viewer", "seeker-1"),
        "reviewer": await bearer(app, "reviewer", "rev-1"),
        "platform_admin": await bearer(app, "admin", "pa-1"),
    }


async def _post(client: Any, who: dict[str, str], body: dict[str, Any], status: int = 201) -> dict[str, Any]:
    response = await client.post("/api/v1/orgs/jr/jobs", json=body, headers=who)
    assert response.status == status, await response.text()
    answer: dict[str, Any] = await response.json()
    return answer


async def test_a_doubtful_job_waits_and_only_platform_staff_decide(client: Any) -> None:
    who = await _world(client)
    job = await _post(client, who["recruiter"], job_body(requirements=DOUBTFUL))
    assert job["status"] == "pending_review" and "押＊" in job["review_message"]  # the poster sees why, masked
    assert {f["category"] for f in job["review_flags"]} == {"discrimination", "fee"}
    job_id = job["id"]
    assert job_id not in {j["id"] for j in await (await client.get("/api/v1/jobs")).json()}
    seen = await (await client.get(f"/api/v1/jobs/{job_id}", headers=who["recruiter"])).json()
    assert seen["status"] == "pending_review" and seen["review_message"] == job["review_message"]
    await error_of(await client.get(f"/api/v1/jobs/{job_id}"), 401)
    mine = {j["id"]: j for j in await (await client.get("/api/v1/orgs/jr/jobs", headers=who["recruiter"])).json()}
    assert mine[job_id]["status_label"] == "待平台审核"
    pinned = await client.post("/api/v1/rooms/jr-room/pins", json={"job_id": job_id}, headers=who["host"])
    assert (await error_of(pinned, 409))["code"] == "job_not_published"
    applied = await client.post(f"/api/v1/jobs/{job_id}/applications", json={}, headers=who["seeker"])
    assert applied.status in (200, 404) and (await applied.json()).get("status") != "delivered"

    queue_path, decide_path = "/api/v1/review/jobs", f"/api/v1/review/jobs/{job_id}"
    await error_of(await client.get(queue_path), 401)
    await error_of(await client.post(decide_path, json={"decision": "approve"}), 401)
    for name in ("seeker", "recruiter", "admin", "host", "other_admin"):
        await error_of(await client.get(queue_path, headers=who[name]), 403)
        await error_of(await client.post(decide_path, json={"decision": "approve"}, headers=who[name]), 403)
    queue = await (await client.get(queue_path, headers=who["reviewer"])).json()
    assert [j["id"] for j in queue["jobs"]] == [job_id] and queue["jobs"][0]["org_name"] == "锦瑞物流有限公司"
    assert queue["jobs"][0]["review_flags"] == job["review_flags"]

    approved = await client.post(decide_path, json={"decision": "approve", "reason": "已电话核实"},
                                 headers=who["reviewer"])
    assert approved.status == 200, await approved.text()
    assert (await approved.json())["status"] == "published" and (await approved.json())["version"] == 1
    assert (await error_of(await client.post(decide_path, json={"decision": "approve"}, headers=who["platform_admin"]),
                           409))["code"] == "not_pending"
    pinned = await client.post("/api/v1/rooms/jr-room/pins", json={"job_id": job_id}, headers=who["host"])
    assert pinned.status == 201, await pinned.text()
    card = await (await client.get("/api/v1/rooms/jr-room/job-card")).json()
    assert card["card"]["job"]["id"] == job_id
    waiting = await client.patch(f"/api/v1/jobs/{job_id}", json={"benefits": "保证金可退"}, headers=who["recruiter"])
    assert (await waiting.json())["status"] == "pending_review"  # a doubtful edit unpublishes it and ends its pin
    assert (await (await client.get("/api/v1/rooms/jr-room/job-card")).json())["card"] is None
    await client.post(decide_path, json={"decision": "approve"}, headers=who["reviewer"])

    ledger = client.server.app[GOVERNANCE].ledger
    assert (await ledger.verify()).problem is None
    entries = [e async for e in ledger.export(0, 2**53) if e.subject == f"job:{job_id}" and e.kind == "job.approved"]
    entry = entries[0]
    assert [e.body["version"] for e in entries] == [1, 2]
    assert entry.kind == "job.approved" and entry.body["version"] == 1 and entry.body["org"] == "jr"
    assert entry.body["reviewer"].startswith("p-") and "rev-1" not in str(entry.body)  # a pseudonym

    versions_path = f"/api/v1/jobs/{job_id}/versions"
    for name in ("recruiter", "admin", "host", "reviewer"):
        got = await client.get(versions_path, headers=who[name])
        assert got.status == 200 and [v["version"] for v in (await got.json())["versions"]] == [1, 2]
    for name in ("seeker", "other_admin"):
        await error_of(await client.get(versions_path, headers=who[name]), 403)
    await error_of(await client.get(versions_path), 401)


async def test_bad_decisions_are_refused_and_lose_nothing(client: Any) -> None:
    who = await _world(client)
    job = await _post(client, who["recruiter"], job_body(requirements=DOUBTFUL))
    path = f"/api/v1/review/jobs/{job['id']}"
    for body, status, code in (
        ({"decision": "reject"}, 422, "reason_required"),
        ({"decision": "reject", "reason": "   "}, 422, "reason_required"),
        ({"decision": "publish"}, 422, "invalid_decision"),
        ({"decision": "approve", "reason": ["x"]}, 422, "invalid_reason"),
        ({"decision": "reject", "reason": "长" * 501}, 422, "reason_too_long"),
    ):
        assert (await error_of(await client.post(path, json=body, headers=who["reviewer"]), status))["code"] == code
    broken = await client.post(path, data=b'{"decision": ', headers={**who["reviewer"],
                                                                     "Content-Type": "application/json"})
    assert (await error_of(broken, 400))["code"] == "malformed_json"
    await error_of(await client.post("/api/v1/review/jobs/no-such-job", json={"decision": "approve"},
                                     headers=who["reviewer"]), 404)
    assert (await error_of(await client.get("/api/v1/review/jobs?state=maybe", headers=who["reviewer"]),
                           400))["code"] == "invalid_query"
    queue = await (await client.get("/api/v1/review/jobs", headers=who["reviewer"])).json()
    assert [j["id"] for j in queue["jobs"]] == [job["id"]]  # still waiting, unchanged
    assert queue["jobs"][0]["status"] == "pending_review" and queue["jobs"][0]["review_reason"] is None

    rejected = await client.post(path, json={"decision": "reject", "reason": "年龄限制涉嫌就业歧视，请修改"},
                                 headers=who["reviewer"])
    assert rejected.status == 200
    seen = await (await client.get(f"/api/v1/jobs/{job['id']}", headers=who["recruiter"])).json()
    assert seen["status"] == "rejected" and seen["review_reason"] == "年龄限制涉嫌就业歧视，请修改"
    fixed = await client.patch(f"/api/v1/jobs/{job['id']}", json={"requirements": "能上夜班"}, headers=who["recruiter"])
    assert fixed.status == 200 and (await fixed.json())["status"] == "published"
    rejected_queue = await (await client.get("/api/v1/review/jobs?state=rejected", headers=who["reviewer"])).json()
    assert rejected_queue["jobs"] == []


async def test_posting_rules_industry_agency_and_validity(client: Any) -> None:
    who = await _world(client)
    before = len(await (await client.get("/api/v1/orgs/jr/jobs", headers=who["recruiter"])).json())
    refused = await client.post("/api/v1/orgs/jr/jobs", json=job_body(industry="gambling"), headers=who["recruiter"])
    assert (await error_of(refused, 403))["code"] == "industry_refused"
    body = job_body("agency", mandate_file=mandate())
    del body["mandate_ref"]
    missing = await client.post("/api/v1/orgs/jr/jobs", json=body, headers=who["recruiter"])
    assert (await error_of(missing, 422))["code"] == "mandate_required"
    for file, status, code in ((None, 422, "mandate_file_required"),
                               (mandate(b"<html>not a mandate</html>"), 422, "unsupported_file_type"),
                               (mandate(b"%PDF-1.7 pdf", content_type="image/png"), 422, "unsupported_file_type"),
                               ({"data": "%%% not base64"}, 400, "invalid_file")):
        answer = await client.post("/api/v1/orgs/jr/jobs", json=job_body("agency", mandate_file=file),
                                   headers=who["recruiter"])
        assert (await error_of(answer, status))["code"] == code
    bad = await client.post("/api/v1/orgs/jr/jobs", json=job_body(industry="no such!"), headers=who["recruiter"])
    assert (await error_of(bad, 400))["code"] == "invalid_industry"
    unknown = await client.post("/api/v1/orgs/jr/jobs", json=job_body(industry="mystery"), headers=who["recruiter"])
    assert (await error_of(unknown, 422))["code"] == "invalid_industry"
    assert len(await (await client.get("/api/v1/orgs/jr/jobs", headers=who["recruiter"])).json()) == before

    review = await _post(client, who["recruiter"], job_body(industry="finance"))  # a "review" industry
    assert review["status"] == "pending_review" and review["review_flags"][0]["source"] == "industry"
    agency = await _post(client, who["recruiter"], job_body("agency", client_company="华北精密电子有限公司",
                                                            mandate_file=mandate()))
    assert (agency["employer"], agency["mandate_ref"]) == ("华北精密电子有限公司", "WT-2026-001")
    assert agency["mandate_file"]["content_type"] == "image/png" and agency["mandate_file"]["size"] == len(PNG)
    path = f"/api/v1/jobs/{agency['id']}/mandate"
    for name in ("recruiter", "reviewer"):
        got = await client.get(path, headers=who[name])
        assert got.status == 200 and await got.read() == PNG and got.content_type == "image/png"
        assert got.headers["X-Content-Type-Options"] == "nosniff"
    for name in ("seeker", "other_admin"):
        await error_of(await client.get(path, headers=who[name]), 403)
    # a reviewer looks at each mandate document once: the new agency job waits, saying why
    assert agency["status"] == "pending_review" and [f["source"] for f in agency["review_flags"]] == ["mandate"]
    assert "委托书待平台核验" in agency["review_message"]
    edited = await client.patch(f"/api/v1/jobs/{agency['id']}", json={"headcount": 8}, headers=who["recruiter"])
    assert (await edited.json())["status"] == "pending_review"  # editing does not get round it
    approved = await client.post(f"/api/v1/review/jobs/{agency['id']}", json={"decision": "approve"},
                                 headers=who["reviewer"])
    assert (await approved.json())["status"] == "published"
    edited = await client.patch(f"/api/v1/jobs/{agency['id']}", json={"headcount": 9}, headers=who["recruiter"])
    assert edited.status == 200 and (await edited.json())["mandate_file"] == agency["mandate_file"]  # kept
    assert (await edited.json())["status"] == "published"  # the same, reviewed document: published at once
    versions = (await (await client.get(f"/api/v1/jobs/{agency['id']}/versions", headers=who["reviewer"])).json())
    assert [v["content"]["mandate_sha256"] for v in versions["versions"]] == [agency["mandate_file"]["sha256"]] * 2
    assert [v["approved_by"] for v in versions["versions"]] == ["rev-1", None]
    other = mandate(PNG + b"\x01")
    replaced = await client.patch(f"/api/v1/jobs/{agency['id']}", json={"mandate_file": other}, headers=who["recruiter"])
    assert (await replaced.json())["status"] == "pending_review"  # a new document waits for a reviewer again
    own = await _post(client, who["recruiter"], job_body(employer="别人家的公司"))
    assert own["employer"] == "锦瑞物流有限公司"  # an own job's employer is the organisation
    await error_of(await client.get(f"/api/v1/jobs/{own['id']}/mandate", headers=who["recruiter"]), 404)

    now = int(time.time() * 1000)
    expired = await _post(client, who["recruiter"], job_body(valid_from=now - 3 * DAY_MS, valid_until=now - DAY_MS))
    pinned = await client.post("/api/v1/rooms/jr-room/pins", json={"job_id": expired["id"]}, headers=who["host"])
    assert (await error_of(pinned, 409))["code"] == "job_expired"
    later = await _post(client, who["recruiter"], job_body(valid_from=now + DAY_MS, valid_until=now + 3 * DAY_MS))
    pinned = await client.post("/api/v1/rooms/jr-room/pins", json={"job_id": later["id"]}, headers=who["host"])
    assert (await error_of(pinned, 409))["code"] == "job_not_yet_valid"
    for job in (expired, later):  # nor applied to
        applied = await client.post(f"/api/v1/jobs/{job['id']}/applications", json={}, headers=who["seeker"])
        assert (await error_of(applied, 404))["code"] == "job_unavailable"
    default = job_body()
    del default["valid_until"]
    defaulted = await _post(client, who["recruiter"], default)
    assert defaulted["valid_until"] - defaulted["valid_from"] == 30 * DAY_MS  # job_validity_days
