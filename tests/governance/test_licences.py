"""Licences with evidence (standard 5.1.1, 4.2.3): submission, review, expiry and revocation suspend the jobs
they allowed, and going live needs the licence. Store tests run on SQLite and PostgreSQL; time moves on a
ManualClock, never by sleeping."""

from __future__ import annotations

import base64
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from common.clock import ManualClock
from common.errors import Conflict, Forbidden
from governance.blobs import MemoryBlobStore
from governance.ledger import pseudonym_key
from governance.ledger_sql import StoreLedger
from governance.licences import DEFAULT_LIVE_LICENCES, parse_live_licences, parse_submission
from governance.licences_sql import LicenceReview
from governance.web import GOVERNANCE
from livehire import keys
from livehire.settings import Settings, load_settings
from recruiting.repositories.jobs import JobRepository
from store.engine import Store, open_store
from store.orgs import OrgRepository
from store.recruiting_tables import job_pins, jobs
from tests.identity.helpers import bearer, error_of
from tests.recruiting.conftest import job_body

pytestmark = pytest.mark.clause("5.1.1")  # licences: review, expiry, the gate on going live

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
DAY_S = 24 * 3600


def _until(days: int = 30) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def licence_body(kind: str = "business_licence", data: bytes = PDF, until: str | None = None,
                 **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "number": "91110105MA01LIC01X", "authority": "北京市市场监督管理局",
            "valid_from": "2024-01-01", "valid_until": until or _until(),
            "file": {"name": "执照.pdf", "content_type": "application/pdf", "data": base64.b64encode(data).decode()},
            **extra}


def _review(store: Store, clock: ManualClock | None = None, ledger: StoreLedger | None = None) -> LicenceReview:
    return LicenceReview(store, ledger or StoreLedger(store, clock=clock), MemoryBlobStore(),
                         pseudonym_key=pseudonym_key("s" * 40), reverify_days=182,
                         live_licences=parse_live_licences(DEFAULT_LIVE_LICENCES), clock=clock)


async def _closed(store: Store, job_id: str) -> tuple[str, str | None]:
    async with store.engine.connect() as connection:
        row = (await connection.execute(select(jobs.c.status, jobs.c.status_reason).where(jobs.c.id == job_id))).one()
    return str(row.status), row.status_reason


async def test_expiry_suspends_the_jobs_it_allowed_and_going_live(store_url: str) -> None:
    store = await open_store(store_url)
    try:
        await OrgRepository(store).create_org("lic", "持证公司")
        clock = ManualClock(time.time())
        review = _review(store, clock)
        submitted = await review.submit("lic", parse_submission(licence_body(until=_until(10)), review.today()), "u-1")
        assert submitted["state"] == "pending" and submitted["file"]["content_type"] == "application/pdf"
        with pytest.raises(Forbidden):
            await review.check_live("lic")  # pending counts for nothing
        approved = await review.decide(submitted["id"], "approve", None, "rev-1")
        assert approved["state"] == "verified" and approved["decided_at"] is not None
        await review.check_live("lic")  # an employer's own business licence (the default setting)
        repo = JobRepository(store)
        own = await repo.create("lic", job_body("own"), created_by="r-1")
        async with store.engine.begin() as connection:
            await connection.execute(job_pins.insert().values(id="pin-1", room="r", job_id=own["id"], pinned_by="h",
                                                              pinned_at=1))
        assert await review.sweep() == {"expired": 0, "lapsed": 0, "closed_jobs": 0, "due": 0}

        clock.advance(11 * DAY_S)  # past valid-until
        assert (await review.sweep())["expired"] == 1
        status, reason = await _closed(store, own["id"])
        assert status == "closed" and reason is not None and "过有效期" in reason
        async with store.engine.connect() as connection:
            assert (await connection.execute(select(job_pins.c.unpinned_at))).scalar() is not None
        [view] = await review.of_org("lic")
        assert view["state"] == "expired" and [j["id"] for j in view["suspended_jobs"]] == [own["id"]]
        with pytest.raises(Forbidden) as refused:
            await review.check_live("lic")
        assert refused.value.code == "licence_required"
        with pytest.raises(Conflict):
            await review.decide(submitted["id"], "approve", None, "rev-1")  # an expired licence stays expired
        assert (await review.sweep())["expired"] == 0  # once
        renewed = await review.submit("lic", parse_submission(licence_body(until=_until(400)), review.today()), "u-1")
        await review.decide(renewed["id"], "approve", None, "rev-1")  # the renewed licence: its jobs come back
        assert tuple(await _closed(store, own["id"])) == ("published", None)
        ledger = StoreLedger(store)
        entries = [e async for e in ledger.export(0, 2**62)]
        assert [e.kind for e in entries] == ["licence.submitted", "licence.approved", "licence.expired",
                                             "licence.submitted", "licence.approved"]
        assert entries[-1].body["reopened_jobs"] == [own["id"]]
        assert (await ledger.verify()).ok
    finally:
        await store.close()


async def test_revocation_reverification_and_a_second_licence(store_url: str) -> None:
    store = await open_store(store_url)
    try:
        await OrgRepository(store).create_org("agency", "中介公司")
        clock = ManualClock(time.time())
        review = _review(store, clock)
        repo = JobRepository(store)
        # a licence filed before the review (migrated, verified, no validity) still counts
        await repo.add_qualification("agency", "hr_service_licence", "旧证", state="verified")
        first = await review.submit("agency", parse_submission(licence_body("hr_service_licence"), review.today()), "u")
        await review.decide(first["id"], "approve", None, "rev-1")
        agency_job = await repo.create("agency", job_body("agency"), created_by="r-1")
        with pytest.raises(Conflict):
            await review.decide(first["id"], "reject", "不符", "rev-1")  # only pending ones are rejected
        revoked = await review.decide(first["id"], "revoke", "证照已被注销", "rev-2")
        assert revoked["state"] == "revoked" and revoked["reason"] == "证照已被注销"
        assert (await _closed(store, agency_job["id"]))[0] == "published"  # the older licence still allows it
        [legacy] = [v for v in await review.of_org("agency") if v["number"] == "旧证"]
        await review.decide(legacy["id"], "revoke", "核查不实", "rev-2")
        status, reason = await _closed(store, agency_job["id"])
        assert status == "closed" and reason is not None and "吊销" in reason and "核查不实" in reason
        with pytest.raises(Exception) as refused:
            await repo.create("agency", job_body("agency"), created_by="r-1")
        assert getattr(refused.value, "code", "") == "qualification_required"

        third = await review.submit("agency", parse_submission(licence_body("hr_service_licence", until=_until(400)),
                                                               review.today()), "u")
        await review.decide(third["id"], "approve", "复印件清晰", "rev-1")
        assert (await _closed(store, agency_job["id"]))[0] == "closed"  # closed by a revocation: stays closed
        assert await review.queue("due") == []
        clock.advance(183 * DAY_S)  # re-verification falls due after the interval
        due = await review.queue("due")
        assert [v["id"] for v in due] == [third["id"]] and due[0]["reverify_due"]
        again = await review.decide(third["id"], "approve", "复核通过", "rev-1")
        assert again["state"] == "verified" and not again["reverify_due"] and await review.queue("due") == []
        kinds = [e.kind async for e in StoreLedger(store).export(0, 2**62)]
        assert kinds.count("licence.revoked") == 2 and kinds[-1] == "licence.reverified"
    finally:
        await store.close()


# ---- HTTP ---------------------------------------------------------------------------------------


@pytest.fixture
def app_settings(tmp_path: Path) -> Settings:
    return load_settings({"data_dir": tmp_path / "data", "port": 0, "licence_max_bytes": 64 * 1024}, environ={})


async def _world(client: Any) -> dict[str, dict[str, str]]:
    app = client.server.app
    await app[keys.ORGS].create_org("lic", "持证公司")
    await app[keys.ORGS].create_org("other", "别家公司")
    return {
        "admin": await bearer(app, "admin", "lic-admin", "lic"),
        "recruiter": await bearer(app, "recruiter", "lic-rec", "lic"),
        "other_admin": await bearer(app, "admin", "other-admin", "other"),
        "seeker": await bearer(app, "viewer", "seeker-1"),
        "reviewer": await bearer(app, "reviewer", "rev-1"),
    }


async def test_who_may_submit_follow_and_review(client: Any) -> None:
    who = await _world(client)
    path = "/api/v1/orgs/lic/licences"
    await error_of(await client.post(path, json=licence_body()), 401)
    await error_of(await client.get(path), 401)
    for name in ("seeker", "recruiter", "other_admin", "reviewer"):
        await error_of(await client.post(path, json=licence_body(), headers=who[name]), 403)
    for name in ("seeker", "recruiter", "other_admin"):
        await error_of(await client.get(path, headers=who[name]), 403)
        await error_of(await client.get("/api/v1/review/licences", headers=who[name]), 403)
    await error_of(await client.get("/api/v1/review/licences", headers=who["admin"]), 403)
    created = await client.post(path, json=licence_body(), headers=who["admin"])
    assert created.status == 201, await created.text()
    licence = await created.json()
    assert licence["state"] == "pending" and licence["kind"] == "business_licence"

    queue = await (await client.get("/api/v1/review/licences", headers=who["reviewer"])).json()
    assert [item["id"] for item in queue["licences"]] == [licence["id"]] and queue["licences"][0]["org_name"] == "持证公司"
    file_path = f"/api/v1/orgs/lic/licences/{licence['id']}/file"
    for name in ("reviewer", "admin"):
        got = await client.get(file_path, headers=who[name])
        assert got.status == 200 and await got.read() == PDF and got.content_type == "application/pdf"
        assert got.headers["X-Content-Type-Options"] == "nosniff"
    for name in ("seeker", "recruiter", "other_admin"):
        await error_of(await client.get(file_path, headers=who[name]), 403)
    await error_of(await client.get(f"/api/v1/orgs/other/licences/{licence['id']}/file", headers=who["other_admin"]),
                   404)  # another org's path never reaches this file

    decide = f"/api/v1/review/licences/{licence['id']}"
    for name in ("seeker", "admin", "other_admin", "recruiter"):
        await error_of(await client.post(decide, json={"decision": "approve"}, headers=who[name]), 403)
    assert (await error_of(await client.post(decide, json={"decision": "reject"}, headers=who["reviewer"]),
                           422))["code"] == "reason_required"
    rejected = await client.post(decide, json={"decision": "reject", "reason": "证照照片不清晰"}, headers=who["reviewer"])
    assert rejected.status == 200 and (await rejected.json())["state"] == "rejected"
    mine = (await (await client.get(path, headers=who["admin"])).json())["licences"]
    assert mine[0]["state"] == "rejected" and mine[0]["reason"] == "证照照片不清晰"
    assert (await client.get(path, headers=who["reviewer"])).status == 200


async def test_bad_uploads_are_refused_and_lose_nothing(client: Any) -> None:
    who = await _world(client)
    path = "/api/v1/orgs/lic/licences"
    assert (await client.post(path, json=licence_body(), headers=who["admin"])).status == 201
    html = licence_body(data=b"<html><script>alert(1)</script>")
    html["file"]["content_type"] = "application/pdf"  # the declared type does not decide
    cases: list[tuple[Any, int, str]] = [
        (html, 422, "unsupported_file_type"),
        (licence_body(data=b"GIF89a" + b"x" * 10), 422, "unsupported_file_type"),
        (licence_body(data=b"%PDF-" + b"x" * (65 * 1024)), 413, "file_too_large"),
        (licence_body(file={"data": "%%% not base64"}), 400, "invalid_file"),
        (licence_body(kind="fishing_licence"), 422, "invalid_kind"),
        (licence_body(valid_from="2019-01-01", until="2020-01-01"), 422, "licence_expired"),
    ]
    for body, status, code in cases:
        assert (await error_of(await client.post(path, json=body, headers=who["admin"]), status))["code"] == code
    broken = await client.post(path, data=b'{"kind": "business_licence", "file": {', headers={
        **who["admin"], "Content-Type": "application/json"})
    assert (await error_of(broken, 400))["code"] == "malformed_json"
    huge = await client.post(path, data=b"{" + b" " * (200 * 1024) + b"}", headers={
        **who["admin"], "Content-Type": "application/json"})
    assert (await error_of(huge, 413))["code"] == "body_too_large"
    listed = (await (await client.get(path, headers=who["admin"])).json())["licences"]
    assert len(listed) == 1 and listed[0]["state"] == "pending"  # the one accepted is still there, alone


async def test_expiry_with_a_moved_clock_unpublishes_jobs_and_blocks_going_live(client: Any) -> None:
    app = client.server.app
    who = await _world(client)
    gov = app[GOVERNANCE]
    # the org has only the licence it submits here: an employer's business licence, valid 10 more days
    created = await (await client.post("/api/v1/orgs/lic/licences", json=licence_body(until=_until(10)),
                                       headers=who["admin"])).json()
    job = await client.post("/api/v1/orgs/lic/jobs", json=job_body("own"), headers=who["recruiter"])
    assert (await error_of(job, 403))["code"] == "qualification_required"  # pending counts for nothing
    _, key = await app[keys.ROOMS].create("lic-room", title="持证专场", org_id="lic")
    whip = {"Authorization": f"Bearer {key}", "Content-Type": "application/sdp"}
    refused = await client.post("/whip/lic-room", data=b"v=0\r\njunk\r\n", headers=whip)
    assert refused.status == 403 and "营业执照" in (await refused.json())["error"]["message"]

    await client.post(f"/api/v1/review/licences/{created['id']}", json={"decision": "approve"}, headers=who["reviewer"])
    job = await client.post("/api/v1/orgs/lic/jobs", json=job_body("own"), headers=who["recruiter"])
    assert job.status == 201, await job.text()
    job_id = (await job.json())["id"]
    assert (await client.post("/whip/lic-room", data=b"v=0\r\njunk\r\n", headers=whip)).status not in (401, 403)
    plan = await client.post("/api/v1/orgs/lic/sessions", headers=who["admin"],
                             json={"room": "lic-room", "title": "春招", "starts_at": int(time.time() * 1000)})
    session = (await plan.json())["id"]

    clock = ManualClock(time.time() + 11 * DAY_S)  # the licence's valid-until has passed
    swept = await LicenceReview(app[keys.STORE], gov.ledger, MemoryBlobStore(), pseudonym_key=gov.pseudonym_key,
                                clock=clock).sweep()
    assert swept["expired"] == 1 and swept["closed_jobs"] == 1
    assert job_id not in {j["id"] for j in await (await client.get("/api/v1/jobs")).json()}
    mine = (await (await client.get("/api/v1/orgs/lic/licences", headers=who["admin"])).json())["licences"]
    assert mine[0]["state"] == "expired" and mine[0]["suspended_jobs"][0]["id"] == job_id
    start = await client.post(f"/api/v1/sessions/{session}/state", json={"state": "live"}, headers=who["admin"])
    error = await error_of(start, 403)
    assert error["code"] == "licence_required" and "人力资源服务许可证" in error["message"]
    refused = await client.post("/whip/lic-room", data=b"v=0\r\njunk\r\n", headers=whip)
    assert refused.status == 403 and (await refused.json())["error"]["code"] == "licence_required"
    again = await client.post("/api/v1/orgs/lic/jobs", json=job_body("own"), headers=who["recruiter"])
    assert (await error_of(again, 403))["code"] == "qualification_required"
    kinds = [e.kind async for e in gov.ledger.export(0, 2**62)]
    assert [k for k in kinds if k.startswith("licence.")][-3:] == ["licence.submitted", "licence.approved",
                                                                   "licence.expired"]
    assert "job.published" in kinds  # recruiting's feed: the job the licence allowed (4.4.1 f)


async def test_the_server_sweeps_expired_licences_periodically(aiohttp_client: Any, tmp_path: Path) -> None:
    """The wiring: ``_governance_context`` runs the sweep every ``licence_sweep_seconds`` (here 50 ms; the
    licence's validity ended yesterday, written directly as a licence approved before would be)."""
    import asyncio

    from livehire.app import create_app
    from store.recruiting_tables import qualifications

    settings = load_settings({"data_dir": tmp_path / "data", "port": 0, "licence_sweep_seconds": 0.05}, environ={})
    client = await aiohttp_client(create_app(settings))
    store = client.server.app[keys.STORE]
    await client.server.app[keys.ORGS].create_org("old", "老机构")
    async with store.engine.begin() as connection:
        await connection.execute(qualifications.insert().values(
            id="q-old", org_id="old", kind="business_licence", number="B-1", state="verified", created_at=1,
            decided_at=1, valid_until=int(time.time() * 1000) - DAY_S * 1000))
    for _ in range(200):  # polls the store; the sweep itself reads the clock, it is not timed here
        async with store.engine.connect() as connection:
            state = (await connection.execute(select(qualifications.c.state)
                                              .where(qualifications.c.id == "q-old"))).scalar()
        if state == "expired":
            break
        await asyncio.sleep(0.05)
    assert state == "expired"
