"""Candidate profiles and the back office's view of applications (standard 5.1.4, 4.4.1 b, c).

The inbox lists applications without contact data. Opening one shows the
resume and is written to ``resume_reads`` (who read which resume, when).
The candidate's real phone number is never returned to the office: calls go
through a virtual number (5.1.5), the office sees only a masked form.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from common.clock import now_ms
from common.errors import Conflict, Malformed, NotFound
from recruiting.domain.records import Application
from recruiting.domain.rules import STATUSES, ProfileInput, check_transition, mask_phone
from recruiting.repositories.access import Visibility
from recruiting.repositories.privacy import ERASED_NAME, is_erased
from store.engine import Store
from store.recruiting_tables import (
    application_log,
    applications,
    jobs,
    profiles,
    resume_reads,
)
from store.schema import members
from store.sealing import ContactCipher


def _application_of(row: Any) -> Application:
    return Application(
        id=row.id, job_id=row.job_id, job_title=row.title, org=row.org_id, user_id=row.user_id,
        name=ERASED_NAME if is_erased(row.user_id) else row.name, room=row.room, status=row.status,
        assigned_to=row.assigned_to, created_at=row.created_at, updated_at=row.updated_at,
        source=row.source,
    )


def _summary(row: Any) -> dict[str, Any]:
    return _application_of(row).as_json()


class OfficeRepository:
    def __init__(self, store: Store, cipher: ContactCipher | None = None) -> None:
        self._store = store
        self._cipher = cipher if cipher is not None else ContactCipher(None)

    async def put_profile(self, user_id: str, profile: ProfileInput) -> dict[str, Any]:
        now = now_ms()
        values = {
            "user_id": user_id,
            "name": profile.name,
            "phone": self._cipher.seal(profile.phone, user_id),
            "resume": profile.resume,
            "consent_to_share": profile.consent_to_share,
            "consent_at": now if profile.consent_to_share else None,
            "updated_at": now,
        }
        insert = (postgresql.insert if self._store.dialect == "postgresql" else sqlite.insert)(profiles)
        statement = insert.values(**values).on_conflict_do_update(
            index_elements=[profiles.c.user_id], set_={k: v for k, v in values.items() if k != "user_id"}
        )
        async with self._store.engine.begin() as connection:
            await connection.execute(statement)
        return await self.profile(user_id) or {}

    async def profile(self, user_id: str) -> dict[str, Any] | None:
        """The candidate's own view of their profile (full phone: it is theirs)."""
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(select(profiles).where(profiles.c.user_id == user_id))).first()
        if row is None:
            return None
        return {
            "name": row.name,
            "phone": self._cipher.open(row.phone, user_id),
            "resume": row.resume,
            "consent_to_share": bool(row.consent_to_share),
            "consent_at": row.consent_at,
        }

    async def inbox(
        self,
        org_id: str,
        *,
        job_id: str | None = None,
        status: str | None = None,
        room: str | None = None,
        since: int | None = None,
        until: int | None = None,
        limit: int = 200,
        visibility: Visibility | None = None,
    ) -> list[dict[str, Any]]:
        query = (
            select(applications, jobs.c.title, profiles.c.name)
            .join(jobs, jobs.c.id == applications.c.job_id)
            .outerjoin(profiles, profiles.c.user_id == applications.c.user_id)
            .where(applications.c.org_id == org_id)
        )
        if visibility is not None:
            query = query.where(visibility.clause())
        if job_id:
            query = query.where(applications.c.job_id == job_id)
        if status:
            if status not in STATUSES:
                raise Malformed("invalid_status", f"未知状态 {status}")
            query = query.where(applications.c.status == status)
        if room:
            query = query.where(applications.c.room == room)
        if since is not None:
            query = query.where(applications.c.created_at >= since)
        if until is not None:
            query = query.where(applications.c.created_at <= until)
        query = query.order_by(applications.c.created_at.desc()).limit(max(1, min(limit, 1000)))
        async with self._store.engine.connect() as connection:
            return [_summary(row) for row in await connection.execute(query)]

    async def _row(self, application_id: str) -> Any:
        query = (
            select(applications, jobs.c.title, profiles.c.name, profiles.c.phone, profiles.c.resume)
            .join(jobs, jobs.c.id == applications.c.job_id)
            .outerjoin(profiles, profiles.c.user_id == applications.c.user_id)
            .where(applications.c.id == application_id)
        )
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(query)).first()
        if row is None:
            raise NotFound("unknown_application", "没有这份投递")
        return row

    async def org_of(self, application_id: str) -> str:
        return str((await self._row(application_id)).org_id)

    async def access_info(self, application_id: str) -> tuple[str, str | None, str | None]:
        """(org, who posted the job, who the application is assigned to): input of the access rule."""
        query = (
            select(applications.c.org_id, applications.c.assigned_to, jobs.c.created_by)
            .join(jobs, jobs.c.id == applications.c.job_id)
            .where(applications.c.id == application_id)
        )
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(query)).first()
        if row is None:
            raise NotFound("unknown_application", "没有这份投递")
        return str(row.org_id), row.created_by, row.assigned_to

    async def open(self, application_id: str, reader: str, purpose: str = "screening") -> dict[str, Any]:
        """The full application with resume; the read is audited with its purpose (4.4.1 b)."""
        row = await self._row(application_id)
        now = now_ms()
        async with self._store.engine.begin() as connection:
            await connection.execute(
                resume_reads.insert().values(
                    application_id=application_id, org_id=row.org_id, reader=reader, read_at=now, purpose=purpose
                )
            )
            if row.status == "new":
                await connection.execute(
                    update(applications)
                    .where(applications.c.id == application_id, applications.c.status == "new")
                    .values(status="viewed", updated_at=now)
                )
                await connection.execute(
                    application_log.insert().values(
                        application_id=application_id, actor=reader, kind="status", detail="viewed", created_at=now
                    )
                )
        detail = _summary(row) | {
            "resume": row.resume,
            "phone_masked": mask_phone(self._cipher.open(row.phone, row.user_id) if row.phone else ""),
            "status": "viewed" if row.status == "new" else row.status,
        }
        detail["log"] = await self.log(application_id)
        return detail

    async def log(self, application_id: str) -> list[dict[str, Any]]:
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(
                select(application_log)
                .where(application_log.c.application_id == application_id)
                .order_by(application_log.c.id)
            )
            return [
                {"actor": r.actor, "kind": r.kind, "detail": r.detail, "created_at": r.created_at} for r in rows
            ]

    async def reads(self, org_id: str, *, limit: int = 200) -> list[dict[str, Any]]:
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(
                select(resume_reads)
                .where(resume_reads.c.org_id == org_id)
                .order_by(resume_reads.c.id.desc())
                .limit(limit)
            )
            return [
                {"application_id": r.application_id, "reader": r.reader, "read_at": r.read_at,
                 "purpose": r.purpose} for r in rows
            ]

    async def set_status(self, application_id: str, target: str, actor: str) -> None:
        row = await self._row(application_id)
        check_transition(row.status, target)
        now = now_ms()
        async with self._store.engine.begin() as connection:
            result = await connection.execute(
                update(applications)
                .where(applications.c.id == application_id, applications.c.status == row.status)
                .values(status=target, updated_at=now)
            )
            if result.rowcount == 0:
                raise Conflict("concurrent_change", "这份投递刚被别人改过，请刷新")
            await connection.execute(
                application_log.insert().values(
                    application_id=application_id, actor=actor, kind="status", detail=target, created_at=now
                )
            )

    async def assign(self, application_id: str, member: str, actor: str) -> None:
        org_id = await self.org_of(application_id)
        now = now_ms()
        async with self._store.engine.begin() as connection:
            is_member = (
                await connection.execute(
                    select(func.count()).where(members.c.org_id == org_id, members.c.user_id == member)
                )
            ).scalar_one()
            if not is_member:
                raise Malformed("not_a_member", f"{member} 不是本机构成员")
            await connection.execute(
                update(applications)
                .where(applications.c.id == application_id)
                .values(assigned_to=member, updated_at=now)
            )
            await connection.execute(
                application_log.insert().values(
                    application_id=application_id, actor=actor, kind="assign", detail=member, created_at=now
                )
            )

    async def note(self, application_id: str, text: str, actor: str) -> None:
        text = text.strip()
        if not text or len(text) > 2000:
            raise Malformed("invalid_note", "备注不能为空，且不超过 2000 字")
        await self._row(application_id)
        async with self._store.engine.begin() as connection:
            await connection.execute(
                application_log.insert().values(
                    application_id=application_id, actor=actor, kind="note", detail=text, created_at=now_ms()
                )
            )

    async def candidate_phone(self, application_id: str) -> tuple[str, str]:
        """(user id, real phone) for the number provider only; never sent to the office."""
        row = await self._row(application_id)
        if not row.phone:
            raise Conflict("no_phone", "候选人没有留下电话")
        return str(row.user_id), self._cipher.open(str(row.phone), str(row.user_id))

    async def mine(self, user_id: str) -> list[dict[str, Any]]:
        query = (
            select(applications, jobs.c.title, profiles.c.name)
            .join(jobs, jobs.c.id == applications.c.job_id)
            .outerjoin(profiles, profiles.c.user_id == applications.c.user_id)
            .where(applications.c.user_id == user_id)
            .order_by(applications.c.created_at.desc())
        )
        async with self._store.engine.connect() as connection:
            return [_summary(row) for row in await connection.execute(query)]
