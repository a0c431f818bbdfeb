"""Organisation registration and review in the store (5.1.3 a): each decision and its ledger entry commit
together; approving a new organisation makes its registrant the admin member (5.1.2).

Enterprise information (name, credit code, industry) is not personal data and goes into the ledger as is;
people (registrant, reviewer) appear as pseudonyms. A credit code may be registered again only once the
earlier registration was rejected.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from common.clock import Clock, now_ms
from common.errors import Conflict, Invalid, NotFound
from governance.ledger import pseudonym
from governance.ledger_sql import StoreLedger
from governance.orgs import Decision, Registration
from store.engine import Store
from store.governance_tables import org_profiles
from store.recruiting_tables import qualifications
from store.schema import members, organisations, users

STATES = ("pending", "approved", "rejected")
MAX_LIST = 200
_PROFILE = (org_profiles.c.credit_code, org_profiles.c.address, org_profiles.c.website, org_profiles.c.contact_phone,
            org_profiles.c.industry, org_profiles.c.industry_access, org_profiles.c.flags, org_profiles.c.change,
            org_profiles.c.registered_by, org_profiles.c.reason, org_profiles.c.decided_at)


def _view(row: Row[Any]) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "kind": row.kind, "state": row.state, "credit_code": row.credit_code,
            "address": row.address, "website": row.website, "contact_phone": row.contact_phone,
            "industry": row.industry, "industry_access": row.industry_access,
            "flags": json.loads(row.flags) if row.flags else [],
            "change": json.loads(row.change) if row.change else None, "reason": row.reason,
            "registered_by": row.registered_by, "created_at": row.created_at, "decided_at": row.decided_at}


class OrgReview:
    def __init__(self, store: Store, ledger: StoreLedger, *, pseudonym_key: bytes, clock: Clock | None = None) -> None:
        self._store = store
        self._ledger = ledger
        self._key = pseudonym_key
        self._clock = clock

    def _who(self, user_id: str) -> str:
        return pseudonym(self._key, "user", user_id)

    def _query(self) -> Any:
        return select(organisations.c.id, organisations.c.name, organisations.c.kind, organisations.c.state,
                      organisations.c.created_at, *_PROFILE).select_from(
            organisations.outerjoin(org_profiles, org_profiles.c.org_id == organisations.c.id))

    async def _credit_code_free(self, connection: AsyncConnection, code: str, org_id: str | None = None) -> None:
        query = (select(organisations.c.id).join(org_profiles, org_profiles.c.org_id == organisations.c.id)
                 .where(org_profiles.c.credit_code == code, organisations.c.state != "rejected"))
        if org_id is not None:
            query = query.where(organisations.c.id != org_id)
        if (await connection.execute(query)).first() is not None:
            raise Conflict("credit_code_registered", "该统一社会信用代码已有机构注册；如有疑问请联系平台")

    async def register(self, registration: Registration, user_id: str, flags: list[str]) -> str:
        now = now_ms(self._clock)
        org_id = "o-" + secrets.token_hex(6)
        async with self._store.engine.begin() as connection:
            await self._credit_code_free(connection, registration.credit_code)
            await connection.execute(organisations.insert().values(
                id=org_id, name=registration.name, kind=registration.kind, created_at=now, state="pending"))
            fields = registration.fields()
            del fields["name"]
            await connection.execute(org_profiles.insert().values(
                org_id=org_id, **fields, industry_access=registration.access, flags=json.dumps(flags),
                registered_by=user_id, created_at=now, updated_at=now))
            await self._ledger.append_with(connection, "org.registered", f"org:{org_id}", {
                "name": registration.name, "credit_code": registration.credit_code, "kind": registration.kind,
                "industry": registration.industry, "industry_access": registration.access, "flags": flags,
                "by": self._who(user_id)})
        return org_id

    async def get(self, org_id: str) -> dict[str, Any]:
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(self._query().where(organisations.c.id == org_id))).first()
        if row is None:
            raise NotFound("org_not_found", "机构不存在")
        return _view(row)

    async def industry_of(self, org_id: str) -> str | None:
        """The organisation's registered industry (approved profile), None when it registered none."""
        async with self._store.engine.connect() as connection:
            return (await connection.execute(select(org_profiles.c.industry)
                                             .where(org_profiles.c.org_id == org_id))).scalar()

    async def public(self, org_id: str) -> dict[str, Any]:
        """What the public may see of an approved organisation (§32) and the licences verified for it; an
        approved organisation whose change waits for review shows its approved information meanwhile. Pending
        and rejected registrations do not exist for the public (NotFound)."""
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(self._query().where(organisations.c.id == org_id))).first()
            if row is None or not (row.state == "approved" or (row.state == "pending" and row.change)):
                raise NotFound("org_not_found", "机构不存在或尚未通过审核")
            held = (await connection.execute(
                select(qualifications.c.kind, qualifications.c.number, qualifications.c.decided_at)
                .where(qualifications.c.org_id == org_id, qualifications.c.state == "verified",
                       or_(qualifications.c.valid_until.is_(None), qualifications.c.valid_until > now_ms(self._clock)))
                .order_by(qualifications.c.created_at))).all()
        return {"id": row.id, "name": row.name, "kind": row.kind, "credit_code": row.credit_code,
                "address": row.address, "website": row.website, "industry": row.industry,
                "licences": [{"kind": q.kind, "number": q.number, "verified_at": q.decided_at} for q in held]}

    async def queue(self, state: str | None = "pending", limit: int = 100) -> list[dict[str, Any]]:
        if state is not None and state not in STATES:
            raise Invalid("invalid_state", f"state 须为 {', '.join(STATES)} 之一")
        query = self._query().order_by(organisations.c.created_at, organisations.c.id).limit(min(limit, MAX_LIST))
        if state is not None:
            query = query.where(organisations.c.state == state)
        async with self._store.engine.connect() as connection:
            return [_view(row) for row in await connection.execute(query)]

    async def of_registrant(self, user_id: str) -> list[dict[str, Any]]:
        """The organisations a person registered: state and the reviewer's reason (their own follow-up)."""
        query = self._query().where(org_profiles.c.registered_by == user_id).order_by(organisations.c.created_at)
        async with self._store.engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [{"id": r.id, "name": r.name, "state": r.state, "reason": r.reason, "created_at": r.created_at}
                for r in rows]

    async def change(self, org_id: str, change: dict[str, str | None], user_id: str, flags: list[str]) -> dict[str, Any]:
        """An admin's change of enterprise information: the organisation is pending until it is reviewed."""
        now = now_ms(self._clock)
        async with self._store.engine.begin() as connection:
            row = (await connection.execute(self._query().where(organisations.c.id == org_id))).first()
            if row is None:
                raise NotFound("org_not_found", "机构不存在")
            if row.state == "rejected" or (row.state == "pending" and not row.change):
                raise Conflict("org_not_approved", "机构注册尚未通过审核，不能修改企业信息")
            if "credit_code" in change:
                await self._credit_code_free(connection, str(change["credit_code"]), org_id)
            merged = {**(json.loads(row.change) if row.change else {}), **change}
            missing = [f for f in ("credit_code", "address", "contact_phone", "industry")
                       if f not in merged and getattr(row, f) is None]
            if missing:
                raise Invalid("incomplete_profile", f"首次提交企业信息须包括：{', '.join(missing)}")
            values = {"change": json.dumps(merged, ensure_ascii=False), "flags": json.dumps(flags), "updated_at": now}
            has_profile = (await connection.execute(select(org_profiles.c.org_id)
                                                    .where(org_profiles.c.org_id == org_id))).first() is not None
            if not has_profile:  # an organisation made before the review: its first profile comes with the change
                await connection.execute(org_profiles.insert().values(org_id=org_id, created_at=now, **values))
            else:
                await connection.execute(update(org_profiles).where(org_profiles.c.org_id == org_id).values(**values))
            await connection.execute(update(organisations).where(organisations.c.id == org_id).values(state="pending"))
            await self._ledger.append_with(connection, "org.change_requested", f"org:{org_id}", {
                "fields": sorted(change), "flags": flags, "by": self._who(user_id)})
            row = (await connection.execute(self._query().where(organisations.c.id == org_id))).one()
        return _view(row)

    async def decide(self, org_id: str, decision: Decision, reason: str | None, reviewer: str) -> dict[str, Any]:
        now = now_ms(self._clock)
        async with self._store.engine.begin() as connection:
            row = (await connection.execute(self._query().where(organisations.c.id == org_id))).first()
            if row is None:
                raise NotFound("org_not_found", "机构不存在")
            if row.state != "pending":
                raise Conflict("not_pending", f"该机构不在待审核状态（{row.state}）")
            change = json.loads(row.change) if row.change else None
            fields = sorted(change) if change else None
            profile: dict[str, Any] = {"change": None, "reason": reason, "decided_by": reviewer, "decided_at": now,
                                       "updated_at": now}
            org: dict[str, Any] = {"state": "approved"}
            if change is None:
                kind = "org.approved" if decision == "approve" else "org.rejected"
                if decision == "reject":
                    org["state"] = "rejected"
            else:
                kind = "org.change_approved" if decision == "approve" else "org.change_rejected"
                if decision == "approve":
                    if "name" in change:
                        org["name"] = change.pop("name")
                    profile.update(change)  # industry_access comes with a changed industry (web.py)
            decided = await connection.execute(update(organisations).where(  # two reviewers at once: one wins
                organisations.c.id == org_id, organisations.c.state == "pending").values(**org))
            if decided.rowcount != 1:
                raise Conflict("not_pending", "该机构已由其他审核员处理")
            if change is None and decision == "approve" and row.registered_by is not None:
                await self._make_admin(connection, org_id, str(row.registered_by), now)
            await connection.execute(update(org_profiles).where(org_profiles.c.org_id == org_id).values(**profile))
            await self._ledger.append_with(connection, kind, f"org:{org_id}", {
                "by": self._who(reviewer), "reason": reason, "fields": fields,
                **({"name": org["name"]} if "name" in org else {})})
            row = (await connection.execute(self._query().where(organisations.c.id == org_id))).one()
        return _view(row)

    async def _make_admin(self, connection: AsyncConnection, org_id: str, user_id: str, now: int) -> None:
        """The registrant becomes the organisation's admin member, if the account still exists (§47)."""
        if (await connection.execute(select(users.c.id).where(users.c.id == user_id))).first() is None:
            return
        member = await connection.execute(select(members.c.role).where(members.c.org_id == org_id,
                                                                       members.c.user_id == user_id))
        if member.first() is None:
            await connection.execute(members.insert().values(org_id=org_id, user_id=user_id, role="admin",
                                                             created_at=now))
