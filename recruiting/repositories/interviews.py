"""Interview invitations (standard 4.3.1 c) and virtual-number calls (5.1.5).

An invitation carries a time, a place or an online link and a contact
person; the candidate accepts, declines or asks for another time. Reminders
(24 h and 1 h before) are stored as rows when the invitation is made, so any
node's reminder sweep can send them. Calls go through an AXB binding; the
binding and every call record are stored, the real number never leaves here.

A of the binding is the recruiter's own phone (``members.phone``). Without one,
the embedded simulated provider binds the member id instead so the demo works,
and the answer carries a hint; any other (real) provider refuses with 409
``recruiter_phone_required``. Stored bindings and call records name the member
id (audit), never the recruiter's phone.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select, update

from common.clock import now_ms
from common.errors import Conflict, Forbidden, Malformed, NotFound, Unavailable
from recruiting.domain.records import Interview
from recruiting.domain.rules import INTERVIEW_ANSWERS, MAX_TIMESTAMP_MS, bounded_int
from recruiting.numbers.port import Binding, NumberError, NumberProvider
from store.engine import Store
from store.recruiting_tables import (
    application_log,
    applications,
    call_records,
    interview_reminders,
    interviews,
    jobs,
    number_bindings,
)

REMINDER_OFFSETS_MS = (24 * 3600 * 1000, 3600 * 1000)
BINDING_TTL_SECONDS = 3 * 24 * 3600
PHONE_HINT = "未设置本人手机号：模拟号码服务以成员账号代替 A 号码；接入真实隐私号服务前请先设置手机号"


def _interview_of(row: Any) -> Interview:
    return Interview(
        id=row.id, application_id=row.application_id, org=row.org_id, user_id=row.user_id, at=row.at,
        place=row.place, link=row.link, contact=row.contact, state=row.state,
        candidate_note=row.candidate_note, job_title=getattr(row, "title", None),
    )


def _interview_json(row: Any) -> dict[str, Any]:
    return _interview_of(row).as_json()


def _with_job_title() -> Select[Any]:
    """Interviews with the title of the job they are for (what the candidate and the office show)."""
    return (
        select(interviews, jobs.c.title)
        .join(applications, applications.c.id == interviews.c.application_id)
        .join(jobs, jobs.c.id == applications.c.job_id)
    )

class InterviewRepository:
    def __init__(self, store: Store, numbers: NumberProvider) -> None:
        self._store = store
        self._numbers = numbers

    async def invite(self, application_id: str, body: dict[str, Any], actor: str) -> dict[str, Any]:
        at = body.get("at")
        place = str(body.get("place") or "").strip()[:300]
        link = str(body.get("link") or "").strip()[:500]
        contact = str(body.get("contact") or "").strip()[:100]
        if not isinstance(at, int) or isinstance(at, bool) or at <= now_ms():
            raise Malformed("invalid_time", "面试时间 at 必须是将来的毫秒时间戳")
        bounded_int(at, "at", minimum=0, maximum=MAX_TIMESTAMP_MS)
        if not place and not link:
            raise Malformed("missing_place", "需要面试地点或线上链接")
        if not contact:
            raise Malformed("missing_contact", "需要联系人")
        now = now_ms()
        interview_id = uuid.uuid4().hex
        async with self._store.engine.begin() as connection:
            app = (
                await connection.execute(select(applications).where(applications.c.id == application_id))
            ).first()
            if app is None:
                raise NotFound("unknown_application", "没有这份投递")
            await connection.execute(
                interviews.insert().values(
                    id=interview_id,
                    application_id=application_id,
                    org_id=app.org_id,
                    user_id=app.user_id,
                    at=at,
                    place=place,
                    link=link,
                    contact=contact,
                    state="invited",
                    created_by=actor,
                    created_at=now,
                    updated_at=now,
                )
            )
            reminders = [{"interview_id": interview_id, "remind_at": at - o} for o in REMINDER_OFFSETS_MS if at - o > now]
            if reminders:
                await connection.execute(interview_reminders.insert(), reminders)
            if app.status in ("new", "viewed", "contacted"):
                await connection.execute(
                    update(applications)
                    .where(applications.c.id == application_id)
                    .values(status="interview", updated_at=now)
                )
            await connection.execute(
                application_log.insert().values(
                    application_id=application_id, actor=actor, kind="interview", detail=interview_id, created_at=now
                )
            )
        return await self.get(interview_id)

    async def find(self, interview_id: str) -> Interview:
        query = _with_job_title().where(interviews.c.id == interview_id)
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(query)).first()
        if row is None:
            raise NotFound("unknown_interview", "没有这场面试")
        return _interview_of(row)

    async def get(self, interview_id: str) -> dict[str, Any]:
        """:meth:`find` in the wire format."""
        return (await self.find(interview_id)).as_json()

    async def of_user(self, user_id: str) -> list[dict[str, Any]]:
        query = _with_job_title().where(interviews.c.user_id == user_id).order_by(interviews.c.at)
        async with self._store.engine.connect() as connection:
            return [_interview_json(row) for row in await connection.execute(query)]

    async def of_application(self, application_id: str) -> list[dict[str, Any]]:
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(
                select(interviews).where(interviews.c.application_id == application_id).order_by(interviews.c.at)
            )
            return [_interview_json(row) for row in rows]

    async def answer(self, interview_id: str, user_id: str, answer: str, note: str) -> dict[str, Any]:
        if answer not in INTERVIEW_ANSWERS:
            raise Malformed("invalid_answer", "answer 必须是 accept、decline 或 reschedule")
        current = await self.find(interview_id)
        if current.user_id != user_id:
            raise Forbidden("forbidden", "这不是你的面试邀请")
        now = now_ms()
        async with self._store.engine.begin() as connection:
            await connection.execute(
                update(interviews)
                .where(interviews.c.id == interview_id)
                .values(state=INTERVIEW_ANSWERS[answer], candidate_note=note.strip()[:1000], updated_at=now)
            )
            await connection.execute(
                application_log.insert().values(
                    application_id=current.application_id,
                    actor=user_id,
                    kind="interview",
                    detail=f"{interview_id}:{INTERVIEW_ANSWERS[answer]}",
                    created_at=now,
                )
            )
        return await self.get(interview_id)

    async def due_reminders(self, now: int) -> list[dict[str, Any]]:
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(
                select(interview_reminders).where(
                    interview_reminders.c.remind_at <= now, interview_reminders.c.sent_at.is_(None)
                )
            )
            return [{"id": r.id, "interview_id": r.interview_id, "remind_at": r.remind_at} for r in rows]

    async def mark_reminder_sent(self, reminder_id: int) -> bool:
        """Claims a reminder (true once, on one node only)."""
        async with self._store.engine.begin() as connection:
            result = await connection.execute(
                update(interview_reminders)
                .where(interview_reminders.c.id == reminder_id, interview_reminders.c.sent_at.is_(None))
                .values(sent_at=now_ms())
            )
        return bool(result.rowcount)

    def _a_side(self, recruiter: str, recruiter_phone: str | None) -> tuple[str, str | None]:
        """(A of the binding, hint or None): the recruiter's phone; the member id only in the simulation."""
        if recruiter_phone:
            return recruiter_phone, None
        if self._numbers.dials_member_ids:
            return recruiter, PHONE_HINT
        raise Conflict("recruiter_phone_required", "请先设置本人手机号（隐私号外呼需要）")

    async def bind_number(
        self, application_id: str, recruiter: str, candidate_phone: str, recruiter_phone: str | None = None
    ) -> dict[str, Any]:
        """An AXB binding A=recruiter's phone, B=candidate → X; the office sees X only (5.1.5)."""
        a, hint = self._a_side(recruiter, recruiter_phone)
        try:
            binding = await self._numbers.bind(a, candidate_phone, ttl_seconds=BINDING_TTL_SECONDS)
        except NumberError as exc:
            raise Unavailable("no_virtual_number", str(exc)) from exc
        async with self._store.engine.begin() as connection:
            existing = (
                await connection.execute(select(number_bindings).where(number_bindings.c.id == binding.binding_id))
            ).first()
            if existing is None:
                await connection.execute(
                    number_bindings.insert().values(
                        id=binding.binding_id,
                        application_id=application_id,
                        recruiter=recruiter,
                        number_x=binding.x,
                        created_at=now_ms(),
                        expires_at=binding.expires_at,
                    )
                )
        bound: dict[str, Any] = {"binding_id": binding.binding_id, "x": binding.x, "expires_at": binding.expires_at}
        if hint is not None:
            bound["hint"] = hint
        return bound

    async def call(
        self, application_id: str, recruiter: str, candidate_phone: str, recruiter_phone: str | None = None
    ) -> dict[str, Any]:
        bound = await self.bind_number(application_id, recruiter, candidate_phone, recruiter_phone)
        a, _ = self._a_side(recruiter, recruiter_phone)
        binding = Binding(bound["binding_id"], a, candidate_phone, bound["x"], bound["expires_at"])
        try:
            record = await self._numbers.call(binding, a)
        except NumberError as exc:
            raise Conflict("call_refused", str(exc)) from exc
        async with self._store.engine.begin() as connection:
            await connection.execute(
                call_records.insert().values(
                    id=record.call_id,
                    binding_id=record.binding_id,
                    caller=recruiter,
                    started_at=record.started_at,
                    answered_at=record.answered_at,
                    ended_at=record.ended_at,
                    release_cause=record.release_cause,
                )
            )
            await connection.execute(
                application_log.insert().values(
                    application_id=application_id,
                    actor=recruiter,
                    kind="call",
                    detail=f"{bound['x']}:{record.release_cause}",
                    created_at=record.started_at,
                )
            )
        answer: dict[str, Any] = {
            "x": bound["x"],
            "call_id": record.call_id,
            "started_at": record.started_at,
            "answered_at": record.answered_at,
            "ended_at": record.ended_at,
            "release_cause": record.release_cause,
        }
        if "hint" in bound:
            answer["hint"] = bound["hint"]
        return answer
