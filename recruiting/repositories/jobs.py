"""Qualifications and jobs (standard 5.1.1, 4.3.1 b).

An organisation's verified licences decide which job kinds it may post; the
verification workflow belongs to the governance issue, so here a
qualification is stored with its state and a platform admin may decide it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, Final

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from common.clock import Clock, now_ms
from common.errors import Conflict, Forbidden, Invalid, LivehireError, Malformed, NotFound
from moderation.engine import Moderator
from recruiting.domain.records import Job
from recruiting.domain.review import (
    CONTENT,
    content_json,
    dump_flags,
    flags_of,
    industry_flag,
    load_flags,
    mandate_flag,
)
from recruiting.domain.rules import (
    DEFAULT_VALIDITY_DAYS,
    QUALIFICATION_KINDS,
    JobDraft,
    check_kind_allowed,
    parse_job,
)
from recruiting.ports import JobIndustry, MandateFiles
from recruiting.repositories.versions import publish_version, reviewed_mandates
from store.engine import Store
from store.recruiting_tables import job_pins, jobs, qualifications
from store.schema import organisations

#: Told of a job's creation, change or closing inside its transaction: (connection, change, the job as the API
#: shows it, the actor).
JobChanged = Callable[[AsyncConnection, str, dict[str, Any], str | None], Awaitable[None]]


def job_of(row: Any) -> Job:
    return Job(
        id=row.id, org=row.org_id, title=row.title, employer=row.employer, kind=row.kind, location=row.location,
        salary_min=row.salary_min, salary_max=row.salary_max, headcount=row.headcount,
        requirements=row.requirements, benefits=row.benefits, valid_from=row.valid_from,
        valid_until=row.valid_until, status=row.status, industry=row.industry, client_company=row.client_company,
        mandate_ref=row.mandate_ref, mandate_valid_until=row.mandate_valid_until, version=row.version, review_flags=tuple(load_flags(row.review_flags)),
        review_reason=row.review_reason, status_reason=row.status_reason,
        mandate_file=None if row.mandate_sha256 is None else {
            "sha256": row.mandate_sha256, "content_type": row.mandate_type, "size": row.mandate_size,
            "name": row.mandate_name},
    )


def job_json(row: Any) -> dict[str, Any]:
    """A job as its organisation sees it: the content and the review (reasons, decision)."""
    job = job_of(row)
    return job.as_json() | job.review_json()


#: What a caller-chosen job id may look like (the demo seed and the bench name their jobs).
_JOB_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def _chosen_id(body: dict[str, Any]) -> str | None:
    """The job id the body names, if any; the server generates one otherwise (preferred)."""
    chosen = body.get("id")
    if chosen is None or chosen == "":
        return None
    if not isinstance(chosen, str) or _JOB_ID.fullmatch(chosen) is None:
        raise Invalid("invalid_id", "岗位 id 只能由字母、数字、- 和 _ 组成，最长 64 个字符；省略时由服务器生成")
    return chosen


def _job_exists() -> LivehireError:
    return Conflict("job_exists", "该岗位 id 已被占用；省略 id 时由服务器生成")


def _job_changed() -> LivehireError:
    return Conflict("job_changed", "岗位刚被修改或审核过，请刷新后重试")


def _qualification_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "org": row.org_id,
        "kind": row.kind,
        "number": row.number,
        "state": row.state,
        "created_at": row.created_at,
        "decided_at": row.decided_at,
    }


class JobRepository:
    def __init__(self, store: Store, moderator: Moderator | None = None, *, industry: JobIndustry | None = None,
                 validity_days: int = DEFAULT_VALIDITY_DAYS, clock: Clock | None = None,
                 mandates: MandateFiles | None = None, on_change: JobChanged | None = None) -> None:
        """``industry`` applies the platform's industry list (5.1.3 b; None: every industry allowed);
        ``validity_days`` is a job's validity when the poster names no end; ``mandates`` keeps agency jobs'
        mandate documents (None: not asked for); ``on_change`` is told of each creation, change and closing
        inside its transaction (the service ledger, 4.4.1 f)."""
        self._on_change = on_change
        self._store = store
        self.mandates = mandates
        self._moderator = moderator
        self._industry = industry
        self._validity_days = validity_days
        self._clock = clock

    def now(self) -> int:
        return now_ms() if self._clock is None else int(self._clock.now() * 1000)

    async def _changed(self, connection: AsyncConnection, change: str, job_id: str, actor: str | None) -> None:
        if self._on_change is not None:
            job = job_of((await connection.execute(select(jobs).where(jobs.c.id == job_id))).one())
            await self._on_change(connection, change, job.as_json() | job.review_json(), actor)

    async def add_qualification(
        self, org_id: str, kind: str, number: str, *, state: str = "pending"
    ) -> dict[str, Any]:
        if kind not in QUALIFICATION_KINDS:
            raise Malformed("invalid_kind", f"资质类型必须是 {', '.join(QUALIFICATION_KINDS)} 之一")
        row = {
            "id": uuid.uuid4().hex,
            "org_id": org_id,
            "kind": kind,
            "number": number[:100],
            "state": state,
            "created_at": now_ms(),
            "decided_at": now_ms() if state != "pending" else None,
        }
        async with self._store.engine.begin() as connection:
            if (await connection.execute(select(organisations.c.id).where(organisations.c.id == org_id))).first() is None:
                raise NotFound("unknown_org", f"没有机构 {org_id}")
            await connection.execute(qualifications.insert().values(**row))
        return {"org": org_id} | {k: v for k, v in row.items() if k != "org_id"}

    async def qualifications(self, org_id: str) -> list[dict[str, Any]]:
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(
                select(qualifications).where(qualifications.c.org_id == org_id).order_by(qualifications.c.created_at)
            )
            return [_qualification_json(row) for row in rows]

    async def verified_licences(self, org_id: str) -> set[str]:
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(
                select(qualifications.c.kind).where(  # approved and unexpired (governance: licences)
                    qualifications.c.org_id == org_id, qualifications.c.state == "verified",
                    or_(qualifications.c.valid_until.is_(None), qualifications.c.valid_until > now_ms()),
                )
            )
            return {row.kind for row in rows}

    async def _screen(self, draft: JobDraft, org_id: str) -> tuple[JobDraft, list[dict[str, Any]]]:
        """Standard 5.1.3 c / 4.4.1 d: the job text passes the same filter as live chat, its industry the
        platform's list (5.1.3 b).

        A blocked text (fees, diversion, discrimination…: 人力资源市场暂行条例 §24, 就业促进法 §26-31) is
        refused with the categories and terms named; a refused industry too (the port raises). What the
        filter or the list only doubts is returned as flags: a post asked to be published then waits for a
        reviewer (``pending_review``, :mod:`recruiting.domain.review`).
        """
        flags: list[dict[str, Any]] = []
        if self._moderator is not None:
            text = "\n".join((draft.title, draft.employer, draft.location, draft.requirements, draft.benefits,
                              draft.client_company or ""))
            decision = self._moderator.moderate(text, role="recruiter", context="job", org=org_id)
            if decision.action == "block":
                terms = "、".join(sorted({m.term for m in decision.matches}))
                raise Invalid(
                    "job_text_refused",
                    f"岗位信息含有禁止内容（{', '.join(decision.categories)}）：{terms}。{decision.message}",
                    details={"categories": list(decision.categories)},
                )
            if decision.action == "review":
                flags.extend(flags_of(decision))
        if self._industry is not None and await self._industry(org_id, draft.industry) == "review":
            flags.append(industry_flag(draft.industry))
        if flags and draft.status == "published":
            draft = replace(draft, status="pending_review")
        return draft, flags

    async def _employer(self, org_id: str, draft: JobDraft) -> JobDraft:
        """The organisation must be approved (5.1.3 a); an own-recruitment job's employer is the organisation
        itself (its registered name), an agency job's its client company (``parse_job``)."""
        async with self._store.engine.connect() as connection:
            org = (await connection.execute(select(organisations.c.name, organisations.c.state)
                                            .where(organisations.c.id == org_id))).first()
        if org is None:
            raise NotFound("unknown_org", f"没有机构 {org_id}")
        if org.state != "approved":
            raise Forbidden("org_not_approved", "机构尚未通过平台审核，不能发布岗位（标准 5.1.3 a）")
        return replace(draft, employer=org.name) if draft.kind == "own" else draft

    async def _prepare(self, org_id: str, body: dict[str, Any]) -> tuple[JobDraft, list[dict[str, Any]]]:
        draft = parse_job(body, now_ms=self.now(), validity_days=self._validity_days)
        check_kind_allowed(draft.kind, await self.verified_licences(org_id))
        return await self._screen(await self._employer(org_id, draft), org_id)

    @property
    def body_limit(self) -> int:
        """The largest job body: 64 KiB, plus a base64 mandate document when they are kept."""
        return 64 * 1024 + (0 if self.mandates is None else self.mandates.mandate_max_bytes * 4 // 3)

    async def _mandate(self, draft: JobDraft, body: dict[str, Any], row: Any = None) -> dict[str, Any]:
        """The mandate document's columns: an agency job carries one (the file sent, else the one it has);
        other kinds none. Stored in the blob store before the row is written (a refused row leaves an
        unreferenced blob, never a row without its file)."""
        columns = ("mandate_sha256", "mandate_type", "mandate_size", "mandate_name")
        if draft.kind != "agency" or self.mandates is None:
            return dict.fromkeys(columns) if draft.kind != "agency" else {}
        raw = body.get("mandate_file")
        if raw is None:
            if row is not None and row.mandate_sha256 is not None:
                return {column: getattr(row, column) for column in columns}
            raise Invalid("mandate_file_required", "代招岗位需要上传委托招聘单位的委托书（PDF、PNG 或 JPEG）",
                          details={"field": "mandate_file"})
        stored = await self.mandates.store_mandate(raw)
        return {"mandate_sha256": stored["sha256"], "mandate_type": stored["content_type"],
                "mandate_size": stored["size"], "mandate_name": stored["name"]}

    async def _mandate_review(self, job_id: str, draft: JobDraft, flags: list[dict[str, Any]],
                              mandate: dict[str, Any]) -> tuple[JobDraft, list[dict[str, Any]]]:
        """A reviewer looks at each mandate document once: an agency job whose document is in no version a
        reviewer approved waits for review (§26: the agency answers for its client's mandate)."""
        sha = mandate.get("mandate_sha256")
        if draft.kind != "agency" or self.mandates is None or sha is None:
            return draft, flags
        if sha in await reviewed_mandates(self._store, job_id):
            return draft, flags
        return (replace(draft, status="pending_review") if draft.status == "published" else draft), [
            *flags, mandate_flag()]

    async def create(self, org_id: str, body: dict[str, Any], *, created_by: str) -> dict[str, Any]:
        now = self.now()
        draft, flags = await self._prepare(org_id, body)
        job_id = _chosen_id(body) or uuid.uuid4().hex
        mandate = await self._mandate(draft, body)
        draft, flags = await self._mandate_review(job_id, draft, flags, mandate)
        values = self._values(draft) | mandate | {
            "id": job_id,
            "org_id": org_id,
            "created_by": created_by,
            "created_at": now,
            "updated_at": now,
            "review_flags": dump_flags(flags),
            "version": 0,
        }
        try:
            async with self._store.engine.begin() as connection:
                await connection.execute(jobs.insert().values(**values))
                if draft.status == "published":
                    await publish_version(connection, job_id, 0, values, now, approved_by=None)
                await self._changed(connection, "created", job_id, created_by)
        except IntegrityError as exc:  # the id is taken (by any org), or a concurrent create won the race
            if not await self._exists(job_id):
                raise
            raise _job_exists() from exc
        return await self.get(job_id)

    async def _exists(self, job_id: str) -> bool:
        async with self._store.engine.connect() as connection:
            return (await connection.execute(select(jobs.c.id).where(jobs.c.id == job_id))).first() is not None

    async def update(self, job_id: str, body: dict[str, Any], actor: str | None = None) -> dict[str, Any]:
        """An edit is screened again. A published job whose content changes becomes a new version at once when
        the filter passes it; a doubtful edit takes it out of publication until a reviewer approves it (its
        pins end). A rejected or pending job edited clean is published."""
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(select(jobs).where(jobs.c.id == job_id))).first()
        if row is None:
            raise NotFound("unknown_job", f"没有岗位 {job_id}")
        current = job_json(row)
        merged = {key: value for key, value in current.items() if key in CONTENT} | body
        if "status" not in body:  # an edit of a post meant for publication asks to be (re)published
            merged["status"] = "published" if row.status in ("published", "pending_review", "rejected") else row.status
        draft, flags = await self._prepare(row.org_id, merged)
        now = self.now()
        mandate = await self._mandate(draft, body, row)
        draft, flags = await self._mandate_review(job_id, draft, flags, mandate)
        values = self._values(draft) | mandate | {
            "updated_at": now, "review_flags": dump_flags(flags)}
        if content_json(values) == content_json(row) and draft.status == row.status == "published":
            return current  # nothing changed: no new version
        if draft.status in ("published", "pending_review"):
            values |= {"review_reason": None, "reviewed_by": None, "reviewed_at": None}
        try:
            async with self._store.engine.begin() as connection:
                # the row as read: a reviewer's decision or another edit in between → 409, nothing written
                changed = await connection.execute(update(jobs).where(jobs.c.id == job_id,
                                                                      jobs.c.updated_at == row.updated_at)
                                                   .values(**values))
                if changed.rowcount == 0:
                    raise _job_changed()
                if draft.status != "published" and row.status == "published":
                    await connection.execute(update(job_pins).where(job_pins.c.job_id == job_id,
                                                                    job_pins.c.unpinned_at.is_(None))
                                             .values(unpinned_at=now))
                if draft.status == "published":
                    await publish_version(connection, job_id, row.version, values, now, approved_by=None)
                await self._changed(connection, "changed", job_id, actor)
        except IntegrityError as exc:  # a concurrent publication took the version number
            raise _job_changed() from exc
        return await self.get(job_id)

    @staticmethod
    def _values(draft: JobDraft) -> dict[str, Any]:
        return {
            "title": draft.title,
            "employer": draft.employer,
            "kind": draft.kind,
            "location": draft.location,
            "salary_min": draft.salary_min,
            "salary_max": draft.salary_max,
            "headcount": draft.headcount,
            "requirements": draft.requirements,
            "benefits": draft.benefits,
            "valid_from": draft.valid_from,
            "valid_until": draft.valid_until,
            "status": draft.status,
            "industry": draft.industry,
            "client_company": draft.client_company,
            "mandate_ref": draft.mandate_ref,
            "mandate_valid_until": draft.mandate_valid_until,
        }

    async def find(self, job_id: str) -> Job:
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(select(jobs).where(jobs.c.id == job_id))).first()
        if row is None:
            raise NotFound("unknown_job", f"没有岗位 {job_id}")
        return job_of(row)

    async def get(self, job_id: str) -> dict[str, Any]:
        """:meth:`find` in the wire format, with the review (reasons, decision)."""
        job = await self.find(job_id)
        return job.as_json() | job.review_json()

    async def close_job(self, job_id: str, actor: str | None = None) -> None:
        async with self._store.engine.begin() as connection:
            result = await connection.execute(update(jobs).where(jobs.c.id == job_id).values(status="closed"))
            if result.rowcount == 0:
                raise NotFound("unknown_job", f"没有岗位 {job_id}")
            await self._changed(connection, "closed", job_id, actor)

    async def published(self, *, org_id: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
        now = self.now()
        query = select(jobs).where(jobs.c.status == "published", jobs.c.valid_until > now, jobs.c.valid_from <= now)
        if org_id is not None:
            query = query.where(jobs.c.org_id == org_id)
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(query.order_by(jobs.c.created_at.desc()).limit(limit))
            return [job_of(row).as_json() for row in rows]

    async def of_org(self, org_id: str) -> list[dict[str, Any]]:
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(
                select(jobs).where(jobs.c.org_id == org_id).order_by(jobs.c.created_at.desc())
            )
            return [job_json(row) for row in rows]
