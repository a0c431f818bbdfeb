"""Complaints in the store (4.4.1 e): each outcome and its ledger entry commit in one transaction.

The ledger gets the facts of an outcome only (target, deadline, status, a pseudonym of the staff member,
the sha256 of a reply), never the complaint's text or contact: those may hold personal data (4.4.1 c).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from common.clock import Clock, now_ms
from common.errors import Conflict, Invalid, NotFound
from governance.complaints import (
    OPEN_STATUSES,
    STATUSES,
    TARGET_TYPES,
    Complaint,
    Filing,
    deadline_after,
    next_status,
    parse_reply,
)
from governance.ledger import pseudonym
from governance.ledger_sql import StoreLedger
from store.engine import Store
from store.governance_tables import complaints
from store.recruiting_tables import applications, call_records, interviews, jobs, number_bindings
from store.schema import organisations, rooms

MAX_LIST = 200


class Sealer(Protocol):
    def seal(self, value: str, owner: str) -> str: ...

    def open(self, stored: str, owner: str) -> str: ...


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Filed:
    complaint: Complaint
    token: str  # shown once, in the follow-up link; only its hash is kept


def _complaint(row: Row[Any]) -> Complaint:
    return Complaint(row.id, row.target_type, row.target_id, row.target_org, row.text, row.status, row.assignee,
                     row.reply, row.created_at, row.deadline_at, row.answered_at, row.closed_at)


class ComplaintRepository:
    def __init__(self, store: Store, ledger: StoreLedger, sealer: Sealer, *, pseudonym_key: bytes,
                 working_days: int = 5, clock: Clock | None = None) -> None:
        self._store = store
        self._ledger = ledger
        self._sealer = sealer
        self._key = pseudonym_key
        self.working_days = working_days
        self._clock = clock

    def now(self) -> int:
        return now_ms(self._clock)

    def _who(self, user_id: str) -> str:
        return pseudonym(self._key, "user", user_id)

    async def _target_org(self, connection: AsyncConnection, filing: Filing) -> str | None:
        """The organisation a complaint is about (room, job, org): kept so it never handles it."""
        queries: dict[str, Callable[[], Any]] = {
            "org": lambda: select(organisations.c.id).where(organisations.c.id == filing.target_id),
            "job": lambda: select(jobs.c.org_id).where(jobs.c.id == filing.target_id),
            "room": lambda: select(rooms.c.org_id).where(rooms.c.slug == filing.target_id),
            # a chat message as ``<room>/<message id>`` (escalated reports): the room's organisation
            "message": lambda: select(rooms.c.org_id).where(rooms.c.slug == filing.target_id.partition("/")[0]),
            "interview": lambda: select(interviews.c.org_id).where(interviews.c.id == filing.target_id),
            "call": lambda: select(applications.c.org_id).select_from(call_records.join(
                number_bindings, number_bindings.c.id == call_records.c.binding_id).join(
                applications, applications.c.id == number_bindings.c.application_id)).where(
                call_records.c.id == filing.target_id),
        }
        if filing.target_type not in queries:
            return None
        found = (await connection.execute(queries[filing.target_type]())).scalar()
        return None if found is None else str(found)

    async def file(self, filing: Filing, text: str, filed_by: str | None, *, origin: str | None = None) -> Filed:
        """``text`` is the filing's text as stored (personal data masked by the caller); ``origin`` names
        where it came from when not the complaint form (``chat_report_timeout``, ``chat_report_reporter``)."""
        complaint_id = "c-" + secrets.token_hex(8)
        token = secrets.token_urlsafe(32)
        now = self.now()
        deadline = deadline_after(now, self.working_days)
        contact = None if filing.contact is None else self._sealer.seal(filing.contact, f"complaint:{complaint_id}")
        async with self._store.engine.begin() as connection:
            target_org = await self._target_org(connection, filing)
            await connection.execute(complaints.insert().values(
                id=complaint_id, target_type=filing.target_type, target_id=filing.target_id, target_org=target_org,
                text=text, contact=contact, filed_by=filed_by, status="received", follow_hash=token_hash(token),
                created_at=now, deadline_at=deadline, updated_at=now))
            await self._ledger.append_with(connection, "complaint.filed", f"complaint:{complaint_id}", {
                "target_type": filing.target_type, "target_id": filing.target_id, "target_org": target_org,
                "deadline": deadline, "anonymous": filed_by is None} | ({} if origin is None else {"origin": origin}))
        complaint = Complaint(complaint_id, filing.target_type, filing.target_id, target_org, text, "received", None,
                              None, now, deadline, None, None)
        return Filed(complaint, token)

    async def by_token(self, token: str) -> Complaint:
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(select(complaints).where(
                complaints.c.follow_hash == token_hash(token)))).first()
        if row is None:
            raise NotFound("complaint_not_found", "没有找到这条投诉，请检查链接")
        return _complaint(row)

    async def get(self, complaint_id: str) -> tuple[Complaint, str | None]:
        """The complaint and its contact (opened), for platform staff."""
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(select(complaints).where(complaints.c.id == complaint_id))).first()
        if row is None:
            raise NotFound("complaint_not_found", "投诉不存在")
        return _complaint(row), self.contact_of(row.id, row.contact)

    def contact_of(self, complaint_id: str, stored: str | None) -> str | None:
        return None if stored is None else self._sealer.open(stored, f"complaint:{complaint_id}")

    async def list(self, *, status: str | None = None, overdue: bool | None = None, limit: int = 100,
                   target_type: str | None = None) -> list[tuple[Complaint, str | None]]:
        """Oldest deadline first; ``overdue`` keeps only open complaints past (or within) their deadline."""
        if status is not None and status not in STATUSES:
            raise Invalid("invalid_status", f"状态须为 {', '.join(STATUSES)} 之一")
        query = select(complaints).order_by(complaints.c.deadline_at, complaints.c.id).limit(min(limit, MAX_LIST))
        if status is not None:
            query = query.where(complaints.c.status == status)
        if target_type is not None:
            if target_type not in TARGET_TYPES:
                raise Invalid("invalid_target_type", f"投诉对象类型须为 {', '.join(TARGET_TYPES)} 之一")
            query = query.where(complaints.c.target_type == target_type)
        now = self.now()
        if overdue is True:
            query = query.where(complaints.c.status.in_(OPEN_STATUSES), complaints.c.deadline_at < now)
        elif overdue is False:
            query = query.where((complaints.c.status.not_in(OPEN_STATUSES)) | (complaints.c.deadline_at >= now))
        async with self._store.engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [(_complaint(row), self.contact_of(row.id, row.contact)) for row in rows]

    async def act(self, complaint_id: str, action: str, actor: str, *, assignee: str | None = None,
                  reply: object = None, target_type: str | None = None,
                  facts_extra: dict[str, Any] | None = None) -> Complaint:
        """A staff member's step (assign, answer, close) and its ledger entry, in one transaction;
        ``target_type``: only a complaint of that type (else 404); ``facts_extra`` joins the entry."""
        now = self.now()
        async with self._store.engine.begin() as connection:
            row = (await connection.execute(select(complaints).where(complaints.c.id == complaint_id))).first()
            if row is None or target_type not in (None, row.target_type):
                raise NotFound("complaint_not_found", "投诉不存在")
            status = next_status(action, row.status)
            values: dict[str, Any] = {"status": status, "updated_at": now}
            facts: dict[str, Any] = {"by": self._who(actor), "from": row.status, "to": status,
                                     "overdue": now > row.deadline_at and row.status in OPEN_STATUSES,
                                     **(facts_extra or {})}
            if action == "assign":
                values["assignee"] = assignee or actor
                facts["assignee"] = self._who(values["assignee"])
            elif action == "answer":
                text = parse_reply(reply)
                values.update(reply=text, answered_at=now)
                facts["reply_sha256"] = hashlib.sha256(text.encode()).hexdigest()
            else:
                values["closed_at"] = now
            moved = await connection.execute(update(complaints).where(  # two staff at once: one step wins
                complaints.c.id == complaint_id, complaints.c.status == row.status).values(**values))
            if moved.rowcount != 1:
                raise Conflict("complaint_changed", "投诉状态刚被他人更新，请刷新后再试")
            await self._ledger.append_with(connection, f"complaint.{_PAST[action]}", f"complaint:{complaint_id}",
                                           facts)
            row = (await connection.execute(select(complaints).where(complaints.c.id == complaint_id))).one()
        return _complaint(row)

    async def forget_person(self, user_id: str) -> int:
        """§47: a deleted person's complaints stay (the platform's record) without their id or contact."""
        async with self._store.engine.begin() as connection:
            result = await connection.execute(update(complaints).where(complaints.c.filed_by == user_id)
                                              .values(filed_by=None, contact=None))
        return int(result.rowcount or 0)


_PAST = {"assign": "assigned", "answer": "answered", "close": "closed"}
