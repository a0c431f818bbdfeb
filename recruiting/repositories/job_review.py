"""The job review queue (standard 5.1.3 c; 人力资源市场暂行条例 §26): jobs waiting for a platform reviewer,
and the reviewer's decisions. Approving publishes the job as a new version (kept in ``job_versions`` with the
reviewer); rejecting keeps it unpublished with the reason the poster reads. Each decision is reported to the
:class:`~recruiting.ports.JobDecisions` port (the service ledger), after its transaction commits."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select, update

from common.errors import Conflict, Malformed, NotFound
from recruiting.domain.review import QUEUE_STATES, check_pending, content, content_json, parse_decision
from recruiting.domain.rules import check_kind_allowed
from recruiting.ports import JobDecisions
from recruiting.repositories.jobs import JobRepository, job_json
from recruiting.repositories.versions import publish_version, versions_of
from store.engine import Store
from store.recruiting_tables import jobs
from store.schema import organisations


class JobReview:
    def __init__(self, store: Store, jobs_: JobRepository, decisions: JobDecisions | None = None) -> None:
        self._store = store
        self._jobs = jobs_
        self._decisions = decisions

    async def queue(self, state: str = "pending_review", *, limit: int = 200) -> list[dict[str, Any]]:
        """Jobs in ``state`` (``all``: every one), oldest change first, with the organisation's name and the
        filter's reasons."""
        if state not in QUEUE_STATES:
            raise Malformed("invalid_query", f"state 必须是 {'、'.join(QUEUE_STATES)} 之一")
        query = select(jobs, organisations.c.name.label("org_name")).join(
            organisations, organisations.c.id == jobs.c.org_id)
        if state != "all":
            query = query.where(jobs.c.status == state)
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(query.order_by(jobs.c.updated_at, jobs.c.id).limit(limit))
            return [job_json(row) | {"org_name": row.org_name, "created_by": row.created_by,
                                     "updated_at": row.updated_at, "reviewed_at": row.reviewed_at}
                    for row in rows]

    async def decide(self, job_id: str, body: dict[str, Any], reviewer: str) -> dict[str, Any]:
        """``approve`` → published (a new version, approved by ``reviewer``); ``reject`` → rejected with the
        reason. Only a pending job; the state is checked again in the ``UPDATE``, so of two reviewers acting
        at once one decides and the other gets 409 ``job_changed``."""
        decision, reason = parse_decision(body)
        if decision == "approve":  # the licence may have lapsed while the job waited (5.1.1)
            job = await self._jobs.find(job_id)
            check_kind_allowed(job.kind, await self._jobs.verified_licences(job.org))
        now = self._jobs.now()
        async with self._store.engine.begin() as connection:
            row = (await connection.execute(select(jobs).where(jobs.c.id == job_id))).first()
            if row is None:
                raise NotFound("unknown_job", f"没有岗位 {job_id}")
            check_pending(row.status)
            status = "published" if decision == "approve" else "rejected"
            changed = await connection.execute(
                update(jobs).where(jobs.c.id == job_id, jobs.c.status == "pending_review", jobs.c.updated_at ==
                                   row.updated_at)
                .values(status=status, review_reason=reason, reviewed_by=reviewer, reviewed_at=now))
            if changed.rowcount == 0:
                raise Conflict("job_changed", "岗位已被修改或已由其他审核人员处理，请刷新")
            version = row.version
            if decision == "approve":
                version = await publish_version(connection, job_id, row.version, content(row), now,
                                                approved_by=reviewer)
            if self._decisions is not None:  # the decision and its ledger entry commit together (4.4.1 f)
                facts: dict[str, Any] = {
                    "org": row.org_id, "kind": row.kind, "reason": reason,
                    "flags": sorted({str(flag.get("category")) for flag in job_json(row)["review_flags"]}),
                    "content_sha256": hashlib.sha256(content_json(row).encode()).hexdigest(),
                }
                if decision == "approve":
                    facts |= {"version": version, "content": content(row)}
                await self._decisions("job.approved" if decision == "approve" else "job.rejected", job_id, facts,
                                      reviewer, connection)
        return await self._jobs.get(job_id)

    async def mandate(self, job_id: str) -> tuple[bytes, str, str]:
        """An agency job's mandate document: (bytes, checked type, name); 404 when it has none."""
        job = await self._jobs.find(job_id)
        mandates = self._jobs.mandates
        data = None if job.mandate_file is None or mandates is None else await mandates.mandate(
            str(job.mandate_file["sha256"]))
        if data is None or job.mandate_file is None:
            raise NotFound("no_mandate", "这个岗位没有委托书文件")
        return data, str(job.mandate_file["content_type"]), str(job.mandate_file["name"])

    async def versions(self, job_id: str) -> list[dict[str, Any]]:
        await self._jobs.find(job_id)  # 404 for an unknown job
        return await versions_of(self._store, job_id)
