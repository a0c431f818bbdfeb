"""The job review queue (standard 5.1.3 c; 人力资源市场暂行条例 §26), on SQLite and PostgreSQL: a doubtful post
waits with the filter's reasons; a reviewer approves (a new published version) or rejects with a reason; every
published version is kept; an own job's employer is the organisation, an agency job names its client and
mandate; the industry list applies; only a published job within its validity can be pinned."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Mapping
from typing import Any

import pytest
from sqlalchemy import select, update

from common.clock import ManualClock
from common.errors import Forbidden, Invalid, LivehireError
from moderation.engine import Moderator
from recruiting.domain.review import flags_of, mask_term, parse_decision, review_message
from recruiting.repositories.job_review import JobReview
from recruiting.repositories.jobs import JobRepository
from store.engine import Store
from store.orgs import OrgRepository
from store.recruiting_tables import job_pins, job_versions, qualifications
from store.schema import organisations
from tests.recruiting.conftest import DAY_MS, job_body, make_org

pytestmark = pytest.mark.clause("5.1.3 c")

DOUBTFUL = "年龄35岁以下，押金可退"  # the filter's "review" action (discrimination, fee): not a refusal


class Decisions:
    """The ledger as recruiting sees it (:class:`recruiting.ports.JobDecisions`)."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, str, dict[str, Any], str]] = []

    async def __call__(self, kind: str, job_id: str, facts: Mapping[str, Any], reviewer: str,
                       connection: Any = None) -> None:
        self.entries.append((kind, job_id, dict(facts), reviewer))


def _repos(store: Store, **kwargs: Any) -> tuple[JobRepository, JobReview, Decisions]:
    decisions = Decisions()
    jobs = JobRepository(store, Moderator(), **kwargs)
    return jobs, JobReview(store, jobs, decisions), decisions


def test_the_reasons_are_masked_and_explained() -> None:
    decision = Moderator().moderate(DOUBTFUL, role="recruiter", context="job")
    assert decision.action == "review"
    flags = flags_of(decision)
    assert {f["category"] for f in flags} == {"discrimination", "fee"}
    assert all(f["source"] == "filter" and f["label"] for f in flags)
    terms = [t for f in flags for t in f["terms"]]
    assert "押＊" in terms and "押金" not in terms and all("＊" in t for t in terms)
    assert mask_term("押金") == "押＊" and mask_term("x") == "＊"
    assert review_message(flags).startswith("岗位信息需平台人工审核后才会发布")
    assert parse_decision({"decision": "approve"}) == ("approve", None)
    for bad in ({"decision": "reject"}, {"decision": "reject", "reason": "  "}, {"decision": "maybe"},
                {"decision": "approve", "reason": 3}, {"decision": "reject", "reason": "x" * 501}):
        with pytest.raises(Invalid):
            parse_decision(bad)


async def test_a_doubtful_job_waits_and_the_reviewer_approves_it(store: Store) -> None:
    await make_org(store)
    jobs, review, decisions = _repos(store)
    job = await jobs.create("acme", job_body(requirements=DOUBTFUL), created_by="r1")
    assert job["status"] == "pending_review" and job["version"] == 0 and job["status_label"] == "待平台审核"
    assert {f["category"] for f in job["review_flags"]} == {"discrimination", "fee"}
    assert "押＊" in job["review_message"] and "押金" not in job["review_message"]
    assert await jobs.published() == [] and await review.versions(job["id"]) == []
    assert [j["id"] for j in await review.queue()] == [job["id"]]
    assert (await review.queue())[0]["org_name"] == "acme 公司"

    approved = await review.decide(job["id"], {"decision": "approve", "reason": "核实无误"}, "rev-1")
    assert approved["status"] == "published" and approved["version"] == 1 and approved["review_message"] is None
    assert [j["id"] for j in await jobs.published()] == [job["id"]] and await review.queue() == []
    [version] = await review.versions(job["id"])
    assert version["version"] == 1 and version["approved_by"] == "rev-1"
    assert version["content"]["requirements"] == DOUBTFUL and version["content"]["employer"] == "acme 公司"
    [(kind, job_id, facts, reviewer)] = decisions.entries
    assert (kind, job_id, reviewer) == ("job.approved", job["id"], "rev-1")
    assert facts["version"] == 1 and facts["flags"] == ["discrimination", "fee"] and len(facts["content_sha256"]) == 64
    with pytest.raises(LivehireError) as again:
        await review.decide(job["id"], {"decision": "reject", "reason": "晚了"}, "rev-2")
    assert again.value.code == "not_pending" and again.value.kind == "conflict"
    assert len(decisions.entries) == 1


async def test_a_rejection_is_explained_and_a_clean_edit_publishes(store: Store) -> None:
    await make_org(store)
    jobs, review, decisions = _repos(store)
    job = await jobs.create("acme", job_body(requirements=DOUBTFUL), created_by="r1")
    with pytest.raises(Invalid):
        await review.decide(job["id"], {"decision": "reject"}, "rev-1")  # a rejection needs its reason
    assert (await jobs.get(job["id"]))["status"] == "pending_review"
    rejected = await review.decide(job["id"], {"decision": "reject", "reason": "年龄限制涉嫌就业歧视"}, "rev-1")
    assert rejected["status"] == "rejected" and rejected["review_reason"] == "年龄限制涉嫌就业歧视"
    assert decisions.entries[0][0] == "job.rejected" and "content" not in decisions.entries[0][2]
    assert await review.versions(job["id"]) == []
    fixed = await jobs.update(job["id"], {"requirements": "能上夜班"})
    assert fixed["status"] == "published" and fixed["version"] == 1 and fixed["review_reason"] is None
    assert [v["approved_by"] for v in await review.versions(job["id"])] == [None]  # the filter passed it


async def test_every_published_version_is_kept_and_a_doubtful_edit_unpublishes(store: Store) -> None:
    await make_org(store)
    jobs, review, _ = _repos(store)
    job = await jobs.create("acme", job_body(), created_by="r1")
    assert job["status"] == "published" and job["version"] == 1
    assert (await jobs.update(job["id"], {"salary_max": 9000}))["version"] == 2
    assert (await jobs.update(job["id"], {"salary_max": 9000}))["version"] == 2  # nothing changed: no version
    async with store.engine.begin() as connection:
        await connection.execute(job_pins.insert().values(id="pin-1", room="r", job_id=job["id"], pinned_by="h",
                                                          pinned_at=1, impressions=0))
    waiting = await jobs.update(job["id"], {"benefits": "押金可退"})
    assert waiting["status"] == "pending_review" and waiting["version"] == 2
    async with store.engine.connect() as connection:
        assert (await connection.execute(select(job_pins.c.unpinned_at))).scalar() is not None  # its pin ended
    assert await jobs.published() == []
    approved = await review.decide(job["id"], {"decision": "approve"}, "rev-1")
    assert approved["version"] == 3
    versions = await review.versions(job["id"])
    assert [(v["version"], v["content"]["salary_max"], v["approved_by"]) for v in versions] == [
        (1, 8000, None), (2, 9000, None), (3, 9000, "rev-1")]
    assert versions[2]["content"]["benefits"] == "押金可退"


async def test_a_job_whose_licence_lapsed_while_it_waited_is_not_approved(store: Store) -> None:
    await make_org(store)
    jobs, review, decisions = _repos(store)
    job = await jobs.create("acme", job_body(requirements=DOUBTFUL), created_by="r1")
    async with store.engine.begin() as connection:
        await connection.execute(update(qualifications).values(state="revoked"))
    with pytest.raises(Forbidden) as refused:
        await review.decide(job["id"], {"decision": "approve"}, "rev-1")
    assert refused.value.code == "qualification_required" and decisions.entries == []
    assert (await jobs.get(job["id"]))["status"] == "pending_review"
    rejected = await review.decide(job["id"], {"decision": "reject", "reason": "资质已失效"}, "rev-1")
    assert rejected["status"] == "rejected"


async def test_two_reviewers_at_once_make_one_decision(store: Store) -> None:
    await make_org(store)
    jobs, review, decisions = _repos(store)
    job = await jobs.create("acme", job_body(requirements=DOUBTFUL), created_by="r1")
    results = await asyncio.gather(
        review.decide(job["id"], {"decision": "approve"}, "rev-1"),
        review.decide(job["id"], {"decision": "reject", "reason": "不通过"}, "rev-2"), return_exceptions=True)
    assert sum(isinstance(r, dict) for r in results) == 1
    assert all(isinstance(r, dict) or r.kind == "conflict" for r in results)  # type: ignore[union-attr]
    assert len(decisions.entries) == 1


async def test_the_employer_is_the_organisation_or_the_named_client(store: Store) -> None:
    await make_org(store, licences=("business_licence", "hr_service_licence"))
    jobs, review, _ = _repos(store)
    own = await jobs.create("acme", job_body(employer="冒名大厂"), created_by="r1")
    assert own["employer"] == "acme 公司" and own["client_company"] is None  # own recruitment: the org itself
    body = job_body("agency")
    del body["mandate_ref"]
    with pytest.raises(LivehireError) as missing:
        await jobs.create("acme", body, created_by="r1")
    assert missing.value.code == "mandate_required" and missing.value.kind == "invalid"
    agency = await jobs.create("acme", job_body("agency", client_company="华北精密电子有限公司",
                                                mandate_ref="WT-2026-009"), created_by="r1")
    assert (agency["employer"], agency["client_company"], agency["mandate_ref"]) == (
        "华北精密电子有限公司", "华北精密电子有限公司", "WT-2026-009")
    assert (await review.versions(agency["id"]))[0]["content"]["mandate_ref"] == "WT-2026-009"
    async with store.engine.begin() as connection:
        await connection.execute(update(organisations).where(organisations.c.id == "acme").values(state="pending"))
    with pytest.raises(Forbidden) as pending:
        await jobs.create("acme", job_body(), created_by="r1")
    assert pending.value.code == "org_not_approved"
    assert len(await jobs.of_org("acme")) == 2  # nothing stored by the refusals


async def test_an_agency_job_cannot_outlive_its_mandate(store: Store) -> None:
    """人力资源市场暂行条例 §26: an agency recruits only while its client's mandate lasts."""
    await make_org(store, licences=("business_licence", "hr_service_licence"))
    jobs, review, _ = _repos(store)
    body = job_body("agency")
    until = int(body["valid_until"])  # type: ignore[call-overload]
    with pytest.raises(LivehireError) as outlives:
        await jobs.create("acme", {**body, "mandate_valid_until": until - DAY_MS}, created_by="r1")
    assert outlives.value.code == "mandate_expires_first" and outlives.value.kind == "invalid"
    with pytest.raises(LivehireError) as expired:
        await jobs.create("acme", {**body, "mandate_valid_until": 1000}, created_by="r1")
    assert expired.value.kind == "malformed"  # a mandate that already ended
    job = await jobs.create("acme", {**body, "mandate_valid_until": until + DAY_MS}, created_by="r1")
    assert job["mandate_valid_until"] == until + DAY_MS
    assert (await review.versions(job["id"]))[0]["content"]["mandate_valid_until"] == until + DAY_MS
    longer = await jobs.update(job["id"], {"mandate_valid_until": until + 2 * DAY_MS})
    assert longer["mandate_valid_until"] == until + 2 * DAY_MS
    with pytest.raises(LivehireError):
        await jobs.update(job["id"], {"valid_until": until + 3 * DAY_MS})
    assert len(await jobs.of_org("acme")) == 1


@pytest.mark.clause("5.1.3 b")
async def test_the_industry_list_applies_to_jobs(store: Store) -> None:
    await make_org(store)
    asked: list[tuple[str, str | None]] = []

    async def industry(org_id: str, code: str | None) -> str:
        asked.append((org_id, code))
        if code == "gambling":
            raise Forbidden("industry_refused", "不接受")
        return "review" if code == "finance" else "allowed"

    jobs, _, _ = _repos(store, industry=industry)
    with pytest.raises(Forbidden):
        await jobs.create("acme", job_body(industry="gambling"), created_by="r1")
    waiting = await jobs.create("acme", job_body(industry="finance"), created_by="r1")
    assert waiting["status"] == "pending_review" and waiting["industry"] == "finance"
    assert [f["source"] for f in waiting["review_flags"]] == ["industry"]
    clean = await jobs.create("acme", job_body(), created_by="r1")
    assert clean["status"] == "published" and ("acme", None) in asked  # the org's own industry is asked
    assert [j["id"] for j in await jobs.of_org("acme")] and len(await jobs.of_org("acme")) == 2


async def test_validity_defaults_and_expiry(store: Store) -> None:
    await make_org(store)
    clock = ManualClock(time.time())
    jobs, _, _ = _repos(store, validity_days=10, clock=clock)
    body = job_body()
    del body["valid_from"], body["valid_until"]
    job = await jobs.create("acme", body, created_by="r1")
    assert job["valid_until"] - job["valid_from"] == 10 * DAY_MS
    assert [j["id"] for j in await jobs.published()] == [job["id"]]
    clock.advance(10 * DAY_MS / 1000)
    assert await jobs.published() == []  # past its validity: listed nowhere, pinned nowhere (test_job_review_http)
    async with store.engine.connect() as connection:
        assert (await connection.execute(select(job_versions.c.version))).scalar() == 1


async def test_a_new_org_has_no_jobs_until_approved(store: Store) -> None:
    await OrgRepository(store).create_org("fresh", "新公司")
    async with store.engine.begin() as connection:
        await connection.execute(update(organisations).where(organisations.c.id == "fresh").values(state="rejected"))
    with pytest.raises(LivehireError):
        await JobRepository(store, Moderator()).create("fresh", job_body(), created_by="r1")


class Mandates:
    """Governance's blob store as recruiting sees it (:class:`recruiting.ports.MandateFiles`)."""

    mandate_max_bytes = 1024

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    async def store_mandate(self, raw: Any) -> Mapping[str, Any]:
        data = str(raw["data"]).encode()
        sha = hashlib.sha256(data).hexdigest()
        self.files[sha] = data
        return {"sha256": sha, "content_type": "application/pdf", "size": len(data), "name": "委托书.pdf"}

    async def mandate(self, sha256: str) -> bytes | None:
        return self.files.get(sha256)


async def test_each_mandate_document_is_reviewed_once(store: Store) -> None:
    await make_org(store, licences=("hr_service_licence",))
    mandates = Mandates()
    jobs, review, _ = _repos(store, mandates=mandates)
    body = job_body("agency")
    with pytest.raises(Invalid) as missing:
        await jobs.create("acme", body, created_by="r1")
    assert missing.value.code == "mandate_file_required"
    job = await jobs.create("acme", job_body("agency", mandate_file={"data": "doc-1"}), created_by="r1")
    assert job["status"] == "pending_review" and [f["source"] for f in job["review_flags"]] == ["mandate"]
    assert (await review.mandate(job["id"]))[0] == b"doc-1"
    await review.decide(job["id"], {"decision": "approve"}, "rev-1")
    kept = await jobs.update(job["id"], {"headcount": 3})
    assert kept["status"] == "published" and kept["mandate_file"] == job["mandate_file"]
    renewed = await jobs.update(job["id"], {"mandate_file": {"data": "doc-2"}})
    assert renewed["status"] == "pending_review" and renewed["mandate_file"]["sha256"] != job["mandate_file"]["sha256"]
    versions = await review.versions(job["id"])
    assert [(v["version"], v["approved_by"]) for v in versions] == [(1, "rev-1"), (2, None)]
