"""Licences in the store (5.1.1, 4.2.3): submission with evidence, review, expiry, revocation and what they
suspend. Each decision and its ledger entry commit together.

The licences are rows of recruiting's ``qualifications`` table (so recruiting's job check, "a verified
licence of the kind", keeps working unchanged); the evidence file is a blob named by its sha256. When an
approved licence expires or is revoked and the organisation holds no other valid one of that kind, the
jobs it allowed are closed with the reason recorded (``jobs.status_reason``), their pins end, and the
ledger records which.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from common.clock import Clock, now_ms
from common.errors import Conflict, Invalid, NotFound
from governance.blobs import BlobStore
from governance.complaints import CHINA
from governance.ledger import pseudonym
from governance.ledger_sql import StoreLedger
from governance.licences import (
    DAY_MS,
    DEFAULT_GRACE_DAYS,
    STATES,
    Decision,
    Submission,
    check_live,
    job_kind_of,
    label,
    reverify_due,
)
from store.engine import Store
from store.recruiting_tables import job_pins, jobs, qualifications
from store.schema import organisations

MAX_LIST = 200
log = logging.getLogger("livehire.governance.licences")
Q = qualifications


def _view(row: Row[Any], now: int, interval_days: int) -> dict[str, Any]:
    due = reverify_due(row.decided_at, row.created_at, interval_days) if row.state in ("verified", "lapsed") else None
    return {"id": row.id, "org": row.org_id, "kind": row.kind, "kind_name": label(row.kind), "number": row.number,
            "authority": row.authority, "valid_from": row.valid_from, "valid_until": row.valid_until,
            "state": row.state, "reason": row.reason, "created_at": row.created_at, "decided_at": row.decided_at,
            "reverify_at": due, "reverify_due": due is not None and due <= now,
            "file": None if row.file_sha256 is None else {
                "sha256": row.file_sha256, "content_type": row.file_type, "size": row.file_size,
                "name": row.file_name}}


class LicenceReview:
    def __init__(self, store: Store, ledger: StoreLedger, blobs: BlobStore, *, pseudonym_key: bytes,
                 reverify_days: int = 182, live_licences: tuple[tuple[str, str | None], ...] = (),
                 clock: Clock | None = None, grace_days: int = DEFAULT_GRACE_DAYS) -> None:
        self._store = store
        self._ledger = ledger
        self._blobs = blobs
        self._key = pseudonym_key
        self._clock = clock
        self.reverify_days = reverify_days
        self.grace_days = grace_days  # re-verification overdue this long: the licence lapses
        self.live_licences = live_licences
        self._lapse_listeners: list[Callable[[str], Awaitable[object]]] = []

    def on_lapse(self, listener: Callable[[str], Awaitable[object]]) -> None:
        """``listener(org)`` runs after a licence of ``org`` stopped counting (expired, revoked, lapsed), e.g. to
        end its rooms' running live streams (4.2.3; the composition root's, governance knows no media)."""
        self._lapse_listeners.append(listener)

    async def _lapsed(self, orgs: Iterable[str]) -> None:
        for org in sorted(set(orgs)):
            for listener in self._lapse_listeners:
                try:
                    await listener(org)
                except Exception:  # a listener's failure must not undo or hide the committed lapse
                    log.exception("licence lapse listener failed for org %s", org)

    def now(self) -> int:
        return now_ms(self._clock)

    def today(self) -> Any:
        return datetime.fromtimestamp(self.now() / 1000, tz=CHINA).date()

    def _who(self, user_id: str) -> str:
        return pseudonym(self._key, "user", user_id)

    async def submit(self, org_id: str, submission: Submission, user_id: str) -> dict[str, Any]:
        """Stores the evidence, then the pending licence and its ledger entry (one transaction)."""
        now = self.now()
        async with self._store.engine.connect() as connection:
            if (await connection.execute(select(organisations.c.id).where(organisations.c.id == org_id))).first() \
                    is None:
                raise NotFound("unknown_org", f"没有机构 {org_id}")
        evidence = submission.evidence
        sha = await self._blobs.put(evidence.data)
        licence_id = "l-" + secrets.token_hex(8)
        async with self._store.engine.begin() as connection:
            await connection.execute(Q.insert().values(
                id=licence_id, org_id=org_id, kind=submission.kind, number=submission.number, state="pending",
                created_at=now, authority=submission.authority, valid_from=submission.valid_from,
                valid_until=submission.valid_until, file_sha256=sha, file_type=evidence.content_type,
                file_size=len(evidence.data), file_name=evidence.name, submitted_by=user_id))
            await self._ledger.append_with(connection, "licence.submitted", f"licence:{licence_id}", {
                "org": org_id, "kind": submission.kind, "number": submission.number,
                "authority": submission.authority, "valid_from": submission.valid_from,
                "valid_until": submission.valid_until, "file_sha256": sha, "by": self._who(user_id)})
        return await self.get(licence_id)

    async def get(self, licence_id: str) -> dict[str, Any]:
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(select(Q).where(Q.c.id == licence_id))).first()
        if row is None:
            raise NotFound("unknown_licence", "没有这项证照")
        return _view(row, self.now(), self.reverify_days)

    async def of_org(self, org_id: str) -> list[dict[str, Any]]:
        async with self._store.engine.connect() as connection:
            rows = (await connection.execute(select(Q).where(Q.c.org_id == org_id)
                                             .order_by(Q.c.created_at, Q.c.id))).all()
            closed = (await connection.execute(select(jobs.c.id, jobs.c.title, jobs.c.status_reason).where(
                jobs.c.org_id == org_id, jobs.c.status == "closed", jobs.c.status_reason.is_not(None)))).all()
        now = self.now()
        return [_view(row, now, self.reverify_days) | {"suspended_jobs": [
            {"id": j.id, "title": j.title, "reason": j.status_reason} for j in closed
            if str(j.status_reason).startswith(f"licence:{row.id}")]} for row in rows]

    async def queue(self, state: str = "pending", limit: int = 100) -> list[dict[str, Any]]:
        """``pending``, ``due`` (approved and due for re-verification), a state, or ``all``."""
        if state not in (*STATES, "due", "all"):
            raise Invalid("invalid_state", f"state 须为 {', '.join((*STATES, 'due', 'all'))} 之一")
        query = (select(Q, organisations.c.name.label("org_name"), organisations.c.kind.label("org_kind"))
                 .join(organisations, organisations.c.id == Q.c.org_id).order_by(Q.c.created_at, Q.c.id))
        if state == "due":
            query = query.where(Q.c.state == "verified")
        elif state != "all":
            query = query.where(Q.c.state == state)
        async with self._store.engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        now = self.now()
        views = [_view(row, now, self.reverify_days) | {"org_name": row.org_name, "org_kind": row.org_kind}
                 for row in rows]
        if state == "due":
            views = [v for v in views if v["reverify_due"]]
        return views[:min(limit, MAX_LIST)]

    async def file(self, org_id: str, licence_id: str) -> tuple[bytes, str, str]:
        """The evidence: (bytes, content type, file name); only through its own organisation's path."""
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(select(Q.c.file_sha256, Q.c.file_type, Q.c.file_name).where(
                Q.c.id == licence_id, Q.c.org_id == org_id))).first()
        data = None if row is None or row.file_sha256 is None else await self._blobs.get(row.file_sha256)
        if row is None or data is None:
            raise NotFound("unknown_licence", "没有这项证照的文件")
        return data, str(row.file_type), str(row.file_name)

    async def decide(self, licence_id: str, decision: Decision, reason: str | None, reviewer: str) -> dict[str, Any]:
        """approve (pending, or an approved one re-verified), reject (pending), revoke (approved)."""
        now = self.now()
        allowed = {"approve": ("pending", "verified", "lapsed"), "reject": ("pending",),
                   "revoke": ("verified", "lapsed")}[decision]
        async with self._store.engine.begin() as connection:
            row = (await connection.execute(select(Q).where(Q.c.id == licence_id))).first()
            if row is None:
                raise NotFound("unknown_licence", "没有这项证照")
            if row.state not in allowed:
                raise Conflict("invalid_transition", f"该证照当前为 {row.state}，不能 {decision}")
            if decision == "approve" and row.valid_until is not None and row.valid_until <= now:
                raise Conflict("licence_expired", "该证照已过有效期，不能通过审核")
            state = {"approve": "verified", "reject": "rejected", "revoke": "revoked"}[decision]
            changed = await connection.execute(update(Q).where(Q.c.id == licence_id, Q.c.state == row.state).values(
                state=state, decided_at=now, decided_by=reviewer, reason=reason))
            if changed.rowcount != 1:
                raise Conflict("licence_changed", "该证照已由其他审核员处理")
            kind = {"approve": "licence.reverified" if row.state in ("verified", "lapsed") else "licence.approved",
                    "reject": "licence.rejected", "revoke": "licence.revoked"}[decision]
            closed: list[str] = []
            facts: dict[str, Any] = {}
            if decision == "revoke":
                closed = await self._suspend(connection, row, f"licence:{licence_id} 证照已被平台吊销：{reason}", now)
            elif decision == "approve":
                facts["reopened_jobs"] = await self._reopen(connection, row, now)
            await self._ledger.append_with(connection, kind, f"licence:{licence_id}", {
                "org": row.org_id, "kind": row.kind, "number": row.number, "by": self._who(reviewer),
                "reason": reason, "closed_jobs": closed, **facts})
        if decision == "revoke":
            await self._lapsed([row.org_id])
        return await self.get(licence_id)

    async def _suspend(self, connection: AsyncConnection, row: Any, reason: str, now: int) -> list[str]:
        """Closes the organisation's published jobs of the kind this licence allowed, unless another valid
        approved licence of the same kind still allows them; ends their pins. Returns the closed job ids."""
        other = (await connection.execute(select(Q.c.id).where(
            Q.c.org_id == row.org_id, Q.c.kind == row.kind, Q.c.state == "verified", Q.c.id != row.id,
            or_(Q.c.valid_until.is_(None), Q.c.valid_until > now)))).first()
        job_kind = job_kind_of(row.kind)
        if other is not None or job_kind is None:
            return []
        ids = [r.id for r in await connection.execute(select(jobs.c.id).where(
            jobs.c.org_id == row.org_id, jobs.c.kind == job_kind, jobs.c.status == "published"))]
        if ids:
            await connection.execute(update(jobs).where(jobs.c.id.in_(ids), jobs.c.status == "published").values(
                status="closed", status_reason=reason[:400], updated_at=now))
            await connection.execute(update(job_pins).where(job_pins.c.job_id.in_(ids),
                                                            job_pins.c.unpinned_at.is_(None)).values(unpinned_at=now))
        return sorted(ids)

    async def _reopen(self, connection: AsyncConnection, row: Any, now: int) -> list[str]:
        """An approval of a licence puts back the jobs of its kind that an expiry or a lapse of this organisation's
        licences of that kind closed (not those a revocation closed: a reviewer reposts those case by case),
        while they are still valid; unchanged, so their published version stands. Returns their ids."""
        job_kind = job_kind_of(row.kind)
        if job_kind is None:
            return []
        lapsed = [r.id for r in await connection.execute(select(Q.c.id).where(
            Q.c.org_id == row.org_id, Q.c.kind == row.kind, or_(Q.c.state.in_(("expired", "lapsed")), Q.c.id == row.id)))]
        ids = [r.id for r in await connection.execute(select(jobs.c.id, jobs.c.status_reason).where(
            jobs.c.org_id == row.org_id, jobs.c.kind == job_kind, jobs.c.status == "closed",
            jobs.c.valid_until > now, jobs.c.status_reason.is_not(None)))
               if any(str(r.status_reason).startswith(f"licence:{lid} ") for lid in lapsed)
               and "吊销" not in str(r.status_reason)]
        if ids:
            await connection.execute(update(jobs).where(jobs.c.id.in_(ids), jobs.c.status == "closed").values(
                status="published", status_reason=None, updated_at=now))
        return sorted(ids)

    async def sweep(self) -> dict[str, int]:
        """The periodic task: approved licences past their validity expire, and those whose re-verification is
        overdue by the grace period lapse (5.1.1); both suspend what they allowed, like a revocation."""
        now = self.now()
        overdue_before = now - (self.reverify_days + self.grace_days) * DAY_MS
        async with self._store.engine.connect() as connection:
            expiring = [r.id for r in await connection.execute(select(Q.c.id).where(
                Q.c.state == "verified", Q.c.valid_until.is_not(None), Q.c.valid_until <= now))]
            lapsing = [r.id for r in await connection.execute(select(Q.c.id).where(
                Q.c.state == "verified", func.coalesce(Q.c.decided_at, Q.c.created_at) <= overdue_before))
                       if r.id not in expiring]
        counts = {"expired": 0, "lapsed": 0, "closed_jobs": 0}
        orgs: list[str] = []
        for licence_id, state in [(i, "expired") for i in expiring] + [(i, "lapsed") for i in lapsing]:
            closed = await self._stop(licence_id, state, now)
            if closed is not None:
                counts[state] += 1
                counts["closed_jobs"] += len(closed[1])
                orgs.append(closed[0])
        await self._lapsed(orgs)
        return {**counts, "due": len(await self.queue("due", MAX_LIST))}

    async def _stop(self, licence_id: str, state: str, now: int) -> tuple[str, list[str]] | None:
        """One licence expired or lapsed, its suspension and ledger entry in one transaction; None when another
        node's sweep or a reviewer got there first. Returns (org, closed job ids)."""
        expired = state == "expired"
        async with self._store.engine.begin() as connection:
            row = (await connection.execute(select(Q).where(Q.c.id == licence_id))).first()
            changed = await connection.execute(update(Q).where(Q.c.id == licence_id, Q.c.state == "verified")
                                               .values(state=state, reason="超过有效期" if expired else "逾期未复核"))
            if row is None or changed.rowcount != 1:
                return None
            why = "证照已过有效期" if expired else "证照逾期未复核，已暂停"
            jobs_closed = await self._suspend(connection, row, f"licence:{licence_id} {why}", now)
            facts: dict[str, Any] = {"org": row.org_id, "kind": row.kind, "number": row.number,
                                     "closed_jobs": jobs_closed}
            if expired:
                facts["valid_until"] = row.valid_until
            else:
                facts.update(reverify_at=reverify_due(row.decided_at, row.created_at, self.reverify_days),
                             grace_days=self.grace_days)
            await self._ledger.append_with(connection, f"licence.{state}", f"licence:{licence_id}", facts)
        return str(row.org_id), jobs_closed

    async def held(self, org_id: str) -> set[str]:
        """The licence kinds approved for the organisation and valid now."""
        now = self.now()
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(select(Q.c.kind).where(and_(
                Q.c.org_id == org_id, Q.c.state == "verified", or_(Q.c.valid_until.is_(None), Q.c.valid_until > now))))
            return {r.kind for r in rows}

    async def check_live(self, org_id: str) -> None:
        """Raises ``licence_required`` (403) unless the organisation may recruit live (4.2.3)."""
        async with self._store.engine.connect() as connection:
            org_kind = (await connection.execute(select(organisations.c.kind)
                                                 .where(organisations.c.id == org_id))).scalar()
        check_live(self.live_licences, str(org_kind or "employer"), await self.held(org_id))
