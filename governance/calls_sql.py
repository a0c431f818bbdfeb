"""Call records flagged for review (standard 5.1.3 d, 5.1.5): either party of a virtual-number call — the
candidate, or a recruiter or admin of the organisation that called — asks the platform to look at it.

A flag is a complaint against the call (target ``call``, the complaints queue of 4.4.1 e) filed by that
party, so it has a deadline, an assignee, a follow-up link and ledger entries like any complaint, and the
organisation never settles it (platform staff only). Only a party may flag (403 ``not_a_party``): the call's
record is read from recruiting's tables in the store (``call_records`` → ``number_bindings`` →
``applications``); the numbers themselves are never shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from sqlalchemy import Select, select

from common.errors import Forbidden, Invalid, NotFound
from governance.complaints import Complaint, Filing, iso, parse_filing, parse_reply
from governance.complaints_sql import ComplaintRepository, Filed
from identity.principal import Principal
from store.engine import Store
from store.recruiting_tables import applications, call_records, jobs, number_bindings

Side = Literal["candidate", "organisation"]
SIDE_LABEL: Final[Mapping[Side, str]] = {"candidate": "求职者", "organisation": "招聘方"}
VERDICTS: Final[Mapping[str, str]] = {"uphold": "属实，平台已处理", "dismiss": "未发现违规"}
ORG_SIDE_ROLES: Final = ("recruiter", "admin")


@dataclass(frozen=True, slots=True)
class CallFacts:
    id: str
    org: str
    candidate: str
    caller: str
    application_id: str
    job_title: str | None
    started_at: int
    answered_at: int | None
    ended_at: int | None
    release_cause: str

    def json(self) -> dict[str, Any]:
        """What a party and a reviewer see of a call: times, outcome, job; never a number."""
        return {"call_id": self.id, "org": self.org, "application_id": self.application_id,
                "job_title": self.job_title, "started_at": iso(self.started_at),
                "answered_at": None if self.answered_at is None else iso(self.answered_at),
                "ended_at": None if self.ended_at is None else iso(self.ended_at), "release_cause": self.release_cause}


def side_of(facts: CallFacts, principal: Principal) -> Side:
    """Which party of the call ``principal`` is; anyone else is refused."""
    if not principal.anonymous and principal.org is None and principal.user_id == facts.candidate:
        return "candidate"
    if not principal.anonymous and principal.org == facts.org and principal.role in ORG_SIDE_ROLES:
        return "organisation"
    raise Forbidden("not_a_party", "只有通话双方（求职者或该机构的招聘人员）可以申请复核这条通话记录")


def parse_settlement(body: Mapping[str, Any]) -> tuple[str, str]:
    """``{"decision": "uphold"|"dismiss", "reason"}``: the reason is required, the flagger reads it."""
    decision = body.get("decision")
    if not isinstance(decision, str) or decision not in VERDICTS:
        raise Invalid("invalid_decision", "decision 须为 uphold 或 dismiss")
    return str(decision), parse_reply(body.get("reason"))


def _calls() -> Select[Any]:
    return (select(call_records, applications.c.org_id, applications.c.user_id, applications.c.id.label("app_id"),
                   jobs.c.title)
            .join(number_bindings, number_bindings.c.id == call_records.c.binding_id)
            .join(applications, applications.c.id == number_bindings.c.application_id)
            .join(jobs, jobs.c.id == applications.c.job_id, isouter=True))


def _facts(row: Any) -> CallFacts:
    return CallFacts(row.id, row.org_id, row.user_id, row.caller, row.app_id, row.title, row.started_at,
                     row.answered_at, row.ended_at, row.release_cause)


class CallFlags:
    def __init__(self, store: Store, complaints: ComplaintRepository, mask: Callable[[str], str]) -> None:
        self._store = store
        self._complaints = complaints
        self._mask = mask

    async def facts(self, call_id: str) -> CallFacts:
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(_calls().where(call_records.c.id == call_id))).first()
        if row is None:
            raise NotFound("unknown_call", "没有这条通话记录")
        return _facts(row)

    async def of_candidate(self, user_id: str, limit: int = 100) -> list[dict[str, Any]]:
        """The calls made to a person's applications (so they can flag one)."""
        query = _calls().where(applications.c.user_id == user_id).order_by(call_records.c.started_at.desc())
        async with self._store.engine.connect() as connection:
            rows = (await connection.execute(query.limit(limit))).all()
        return [_facts(row).json() for row in rows]

    async def flag(self, call_id: str, principal: Principal, body: Mapping[str, Any]) -> Filed:
        """``{"reason"}`` from a party of the call → a complaint against the call (its text masked)."""
        facts = await self.facts(call_id)
        side = side_of(facts, principal)
        reason = parse_filing({"target_type": "call", "target_id": call_id, "text": body.get("reason")}).text
        text = f"通话记录复核申请（{SIDE_LABEL[side]}发起，通话 {call_id}）：{reason}"[:2000]
        return await self._complaints.file(Filing("call", call_id, text, None), self._mask(text), principal.user_id,
                                           origin=f"call_flag_{side}")

    async def queue(self, *, status: str | None, limit: int) -> list[dict[str, Any]]:
        """Flagged calls (complaints against calls), oldest deadline first, each with its call's record."""
        found = await self._complaints.list(status=status, limit=limit, target_type="call")
        ids = [complaint.target_id for complaint, _ in found]
        async with self._store.engine.connect() as connection:
            rows = (await connection.execute(_calls().where(call_records.c.id.in_(ids)))).all() if ids else []
        calls = {row.id: _facts(row).json() for row in rows}
        now = self._complaints.now()
        return [{**complaint.review_json(now, contact), "call": calls.get(complaint.target_id)}
                for complaint, contact in found]

    async def settle(self, complaint_id: str, body: Mapping[str, Any], reviewer: str) -> Complaint:
        """A reviewer's conclusion with a reason: the flag is answered (the flagger reads it by the link) and
        the ledger records the decision (``complaint.answered``)."""
        decision, reason = parse_settlement(body)
        reply = f"平台复核结论：{VERDICTS[decision]}。理由：{reason}"[:2000]
        return await self._complaints.act(complaint_id, "answer", reviewer, reply=reply, target_type="call",
                                          facts_extra={"decision": decision})
