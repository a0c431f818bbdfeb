"""A candidate's own data: export and deletion (standard 4.4.1 c; 个人信息保护法 §45, §47).

``export`` is the copy the person may ask for (§45): everything this store
holds that is linked to the caller's user id, phone decrypted because it is
theirs, and what the other holders of personal data given by the composition root return (the
chat's messages still in history). ``erase`` is deletion on request (§47): the profile (name, phone,
resume, consent) is deleted; the applications stay as the employer's records
but are cut off from the person (``user_id`` replaced by a per-application
tombstone, so the inbox shows :data:`ERASED_NAME` and no contact data), the
candidate's interview notes are cleared, unsent reminders deleted, live
virtual-number bindings released at the provider, and not yet relayed outbox
events (they carry the name) deleted; after the commit, the events already
published are forgotten by the event log and every holder the composition root
gave erases its part (the chat's: the person's messages, held items and reports;
recruiting never imports chat). Kept: the application rows (id, job, org,
status, times), the audit trail (``application_log``, ``resume_reads``:
application id and the employer's staff, not the person), interview and call
records of the employer without the candidate's id, the chat's moderation
audit log (moderators' actions).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select, update

from common.clock import now_ms
from recruiting.events.port import EventLog
from recruiting.numbers.port import NumberProvider
from recruiting.ports import PersonalData
from recruiting.repositories.members import phone_owner
from store.engine import Store
from store.outbox_tables import event_outbox
from store.recruiting_tables import (
    applications,
    interview_reminders,
    interviews,
    jobs,
    number_bindings,
    profiles,
    resume_reads,
)
from store.schema import members
from store.sealing import ContactCipher

ERASED_NAME = "已注销用户"
ERASED_PREFIX = "erased:"

KEPT = [
    "投递记录（岗位、单位、状态、时间）保留给招聘单位，但已与您的账号断开，不含姓名、电话、简历",
    "操作与简历查阅审计记录（只含投递编号和招聘方人员，不含您的身份）",
    "招聘方写下的备注和面试安排（不含您的账号和您的回复备注）",
    "您在招聘单位的成员身份（由该单位管理；您本人的手机号已删除）",
    "直播间管理操作记录（主播、管理员的禁言、删除等操作，可能含有您的账号编号；您的聊天消息已删除）",
]

_OWN_COUNTS = frozenset({"profile", "unsent_reminders", "unpublished_events", "member_phones", "events"})
_OWN_SECTIONS = frozenset({"user_id", "exported_at", "profile", "consents", "applications", "interviews",
                           "virtual_numbers", "resume_reads", "memberships"})


def is_erased(user_id: str | None) -> bool:
    return user_id is not None and user_id.startswith(ERASED_PREFIX)


class PrivacyRepository:
    """Export and deletion of one candidate's data; one idea, its own SQL."""

    def __init__(self, store: Store, cipher: ContactCipher, numbers: NumberProvider, events: EventLog | None = None,
                 holders: Sequence[PersonalData] = ()) -> None:
        """``holders``: the other parts of the platform that keep data about a person (the chat, sessions,
        the account), given by the composition root, so recruiting reaches them without importing them
        (ARCHITECTURE.md §1); erased in this order, after recruiting's own rows."""
        self._store = store
        self._cipher = cipher
        self._numbers = numbers
        self._events = events
        self._holders = tuple(holders)

    async def _sections_elsewhere(self, user_id: str) -> dict[str, list[dict[str, Any]]]:
        """The holders' parts of the §45 copy; a section name may appear once."""
        sections: dict[str, list[dict[str, Any]]] = {}
        for holder in self._holders:
            for name, items in (await holder.export(user_id)).items():
                if name in sections or name in _OWN_SECTIONS:
                    raise ValueError(f"section {name!r} exported twice")
                sections[name] = items
        return sections

    async def _erase_elsewhere(self, user_id: str) -> dict[str, int]:
        """The holders' deletions (§47): ``deleted[name]`` in the answer."""
        counts: dict[str, int] = {}
        for holder in self._holders:
            for name, count in (await holder.erase(user_id)).items():
                if name in counts or name in _OWN_COUNTS:
                    raise ValueError(f"count {name!r} erased twice")
                counts[name] = count
        return counts

    async def export(self, user_id: str) -> dict[str, Any]:
        """Everything linked to ``user_id`` (§45: access and copy)."""
        async with self._store.engine.connect() as connection:
            profile = (await connection.execute(select(profiles).where(profiles.c.user_id == user_id))).first()
            apps = (
                await connection.execute(
                    select(applications, jobs.c.title, jobs.c.employer)
                    .join(jobs, jobs.c.id == applications.c.job_id)
                    .where(applications.c.user_id == user_id)
                    .order_by(applications.c.created_at)
                )
            ).all()
            app_ids = [row.id for row in apps]
            invites = (
                await connection.execute(
                    select(interviews).where(interviews.c.user_id == user_id).order_by(interviews.c.at)
                )
            ).all()
            bindings = (
                await connection.execute(
                    select(number_bindings).where(number_bindings.c.application_id.in_(app_ids))
                )
            ).all() if app_ids else []
            memberships = (
                await connection.execute(select(members).where(members.c.user_id == user_id).order_by(members.c.org_id))
            ).all()
            reads = (
                await connection.execute(
                    select(resume_reads.c.application_id, resume_reads.c.org_id, resume_reads.c.read_at)
                    .where(resume_reads.c.application_id.in_(app_ids))
                    .order_by(resume_reads.c.read_at)
                )
            ).all() if app_ids else []
        return {
            "user_id": user_id,
            "exported_at": now_ms(),
            "profile": None if profile is None else {
                "name": profile.name,
                "phone": self._cipher.open(profile.phone, user_id),
                "resume": profile.resume,
                "updated_at": profile.updated_at,
            },
            "consents": [] if profile is None else [{
                "kind": "share_profile_with_employers",  # 个人信息保护法 §23 separate consent
                "given": bool(profile.consent_to_share),
                "at": profile.consent_at,
            }],
            "applications": [{
                "id": r.id, "job_id": r.job_id, "job_title": r.title, "employer": r.employer, "org": r.org_id,
                "room": r.room, "status": r.status, "created_at": r.created_at, "updated_at": r.updated_at,
            } for r in apps],
            "interviews": [{
                "id": r.id, "application_id": r.application_id, "org": r.org_id, "at": r.at, "place": r.place,
                "link": r.link, "contact": r.contact, "state": r.state, "candidate_note": r.candidate_note,
            } for r in invites],
            "virtual_numbers": [{
                "application_id": r.application_id, "x": r.number_x, "created_at": r.created_at,
                "expires_at": r.expires_at, "released_at": r.released_at,
            } for r in bindings],
            "resume_reads": [{"application_id": r.application_id, "org": r.org_id, "read_at": r.read_at} for r in reads],
            "memberships": [{  # as an organisation's member: the own phone used as A of virtual numbers
                "org": m.org_id, "role": m.role, "reports_to": m.reports_to, "created_at": m.created_at,
                "phone": self._cipher.open(m.phone, phone_owner(m.org_id, user_id)) if m.phone else None,
            } for m in memberships],
            **await self._sections_elsewhere(user_id),
        }

    async def _application_ids(self, user_id: str) -> set[str]:
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(select(applications.c.id).where(applications.c.user_id == user_id))
            return {row.id for row in rows}

    async def _forget_events(self, app_ids: set[str]) -> tuple[set[str], int]:
        """The published events of these applications (delivery events carry the name, §47)."""
        if self._events is None or not app_ids:
            return app_ids, 0
        return app_ids, await self._events.forget(app_ids)

    async def erase(self, user_id: str) -> dict[str, Any]:
        """Deletes and de-identifies (§47); a second call finds nothing and removes nothing."""
        now = now_ms()
        # Published events first, outside the transaction (no write lock held while the stream is
        # read): once an application is de-identified nothing ties its events to the person, so a
        # failure here must leave everything to a repeated call.
        forgotten = await self._forget_events(await self._application_ids(user_id))
        async with self._store.engine.begin() as connection:
            app_ids = [
                row.id for row in await connection.execute(
                    select(applications.c.id).where(applications.c.user_id == user_id)
                )
            ]
            live = [
                row.id for row in await connection.execute(
                    select(number_bindings.c.id).where(
                        number_bindings.c.application_id.in_(app_ids), number_bindings.c.released_at.is_(None)
                    )
                )
            ] if app_ids else []
            profile_rows = (await connection.execute(delete(profiles).where(profiles.c.user_id == user_id))).rowcount
            member_phones = (await connection.execute(
                update(members).where(members.c.user_id == user_id, members.c.phone.is_not(None)).values(phone=None)
            )).rowcount
            interview_ids = [
                row.id for row in await connection.execute(
                    select(interviews.c.id).where(interviews.c.user_id == user_id)
                )
            ]
            reminders = 0
            if interview_ids:
                reminders = (await connection.execute(
                    delete(interview_reminders).where(
                        interview_reminders.c.interview_id.in_(interview_ids), interview_reminders.c.sent_at.is_(None)
                    )
                )).rowcount
            for app_id in app_ids:
                tombstone = ERASED_PREFIX + app_id
                await connection.execute(
                    update(applications).where(applications.c.id == app_id)
                    .values(user_id=tombstone, ref=None, updated_at=now)
                )
                await connection.execute(
                    update(interviews).where(interviews.c.application_id == app_id, interviews.c.user_id == user_id)
                    .values(user_id=tombstone, candidate_note="", updated_at=now)
                )
            outbox = 0
            if app_ids:
                outbox = (await connection.execute(
                    delete(event_outbox).where(event_outbox.c.id.in_(app_ids))
                )).rowcount
            if live:
                await connection.execute(
                    update(number_bindings).where(number_bindings.c.id.in_(live)).values(released_at=now)
                )
        for binding_id in live:  # after the commit: the carrier call is not transactional
            await self._numbers.unbind(binding_id)
        events = forgotten[1] + (await self._forget_events(set(app_ids) - forgotten[0]))[1]  # applied meanwhile
        # By user id, after the commit: a failure answers 500 and a repeated call finishes them.
        elsewhere = await self._erase_elsewhere(user_id)
        return {
            "deleted": {
                "profile": profile_rows > 0,
                "unsent_reminders": reminders,
                "unpublished_events": outbox,
                "member_phones": member_phones,
                "events": events,
                **elsewhere,
            },
            "deidentified": {"applications": len(app_ids), "interviews": len(interview_ids)},
            "released_virtual_numbers": len(live),
            "kept": KEPT,
        }
