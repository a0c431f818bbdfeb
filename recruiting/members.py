"""Member accounts of an organisation: invitations, passwords, login (standard 5.1.2).

An org admin creates an invitation code for a role (admin, recruiter, host)
and whom the new member reports to; the invitee redeems it from a phone or a
PC with a user id and a password. Passwords are hashed with argon2id
(argon2-cffi); hashing runs in a thread so the event loop never blocks.

A member may store their own mobile number: it is A of the AXB virtual-number
binding (5.1.5). It is sealed with the same :class:`ContactCipher` as
candidates' phones, bound to ``org/user`` so a copied value does not decrypt,
and listed only masked.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update

from livehire.errors import ApiError
from recruiting.contact import ContactCipher
from recruiting.domain import MEMBER_ROLES, mask_phone
from store.clock import now_ms
from store.engine import Store
from store.orgs import OrgError, OrgRepository
from store.recruiting_tables import invitations
from store.schema import members, users

INVITATION_TTL_MS = 7 * 24 * 3600 * 1000
#: A mainland China mobile number: 11 digits, 1 then 3-9 (what an AXB carrier binds as A).
MOBILE = re.compile(r"1[3-9]\d{9}")


def mobile_number(raw: object) -> str:
    """The member's number without spaces or dashes; 422 naming the problem otherwise."""
    if not isinstance(raw, str):
        raise ApiError(422, "invalid_phone", "phone 必须是字符串，例如 13812341234")
    phone = raw.replace(" ", "").replace("-", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if not MOBILE.fullmatch(phone):
        raise ApiError(422, "invalid_phone", "手机号须为 11 位大陆手机号（1 开头，第二位 3-9）")
    return phone


def phone_owner(org_id: str, user_id: str) -> str:
    """Associated data of a member's sealed phone: the value is only valid on its own row."""
    return f"member:{org_id}/{user_id}"


class MemberRepository:
    def __init__(self, store: Store, cipher: ContactCipher | None = None) -> None:
        self._store = store
        self._orgs = OrgRepository(store)
        self._hasher = PasswordHasher()
        self._cipher = cipher if cipher is not None else ContactCipher(None)

    async def hash_password(self, password: str) -> str:
        if len(password) < 8:
            raise ApiError(400, "weak_password", "密码至少 8 位")
        return await asyncio.to_thread(self._hasher.hash, password)

    async def invite(self, org_id: str, role: str, created_by: str, reports_to: str | None) -> dict[str, Any]:
        if role not in MEMBER_ROLES:
            raise ApiError(400, "invalid_role", f"角色必须是 {', '.join(MEMBER_ROLES)} 之一")
        code = secrets.token_urlsafe(12)
        now = now_ms()
        async with self._store.engine.begin() as connection:
            await connection.execute(
                invitations.insert().values(
                    code=code,
                    org_id=org_id,
                    role=role,
                    reports_to=reports_to,
                    created_by=created_by,
                    created_at=now,
                    expires_at=now + INVITATION_TTL_MS,
                )
            )
        return {"code": code, "org": org_id, "role": role, "expires_at": now + INVITATION_TTL_MS}

    async def redeem(self, code: str, user_id: str, display_name: str, password: str) -> dict[str, Any]:
        password_hash = await self.hash_password(password)
        async with self._store.engine.begin() as connection:
            row = (await connection.execute(select(invitations).where(invitations.c.code == code))).first()
            if row is None or row.used_by is not None or row.expires_at < now_ms():
                raise ApiError(404, "invalid_invitation", "邀请码无效或已过期")
            claimed = await connection.execute(
                update(invitations)
                .where(invitations.c.code == code, invitations.c.used_by.is_(None))
                .values(used_by=user_id)
            )
            if claimed.rowcount == 0:
                raise ApiError(404, "invalid_invitation", "邀请码已被使用")
        await self._orgs.ensure_user(user_id, display_name or user_id, password_hash=password_hash)
        await self.set_password(user_id, password_hash)
        try:
            await self._orgs.add_member(row.org_id, user_id, row.role, reports_to=row.reports_to)
        except OrgError as exc:
            raise ApiError(409, exc.code, str(exc)) from exc
        return {"org": row.org_id, "user": user_id, "role": row.role}

    async def set_password(self, user_id: str, password_hash: str) -> None:
        async with self._store.engine.begin() as connection:
            await connection.execute(update(users).where(users.c.id == user_id).values(password_hash=password_hash))

    async def login(self, org_id: str, user_id: str, password: str) -> tuple[str, str]:
        """(member role, display name) when the password matches; 401 otherwise."""
        async with self._store.engine.connect() as connection:
            row = (
                await connection.execute(
                    select(users.c.password_hash, users.c.display_name, members.c.role)
                    .join(members, members.c.user_id == users.c.id)
                    .where(users.c.id == user_id, members.c.org_id == org_id)
                )
            ).first()
        refused = ApiError(401, "invalid_credentials", "机构、账号或密码不正确")
        if row is None or not row.password_hash:
            raise refused
        try:
            await asyncio.to_thread(self._hasher.verify, row.password_hash, password)
        except (VerificationError, InvalidHashError) as exc:
            raise refused from exc
        return str(row.role), str(row.display_name)

    async def role_of(self, org_id: str, user_id: str) -> str | None:
        async with self._store.engine.connect() as connection:
            row = (
                await connection.execute(
                    select(members.c.role).where(members.c.org_id == org_id, members.c.user_id == user_id)
                )
            ).first()
        return None if row is None else str(row.role)

    async def set_phone(self, org_id: str, user_id: str, raw: object) -> dict[str, Any]:
        """Stores the member's own number sealed; the answer holds only the masked form."""
        phone = mobile_number(raw)
        async with self._store.engine.begin() as connection:
            result = await connection.execute(
                update(members)
                .where(members.c.org_id == org_id, members.c.user_id == user_id)
                .values(phone=self._cipher.seal(phone, phone_owner(org_id, user_id)))
            )
        if result.rowcount == 0:
            raise ApiError(404, "not_a_member", "你不是这个机构的成员")
        return {"user": user_id, "phone_set": True, "phone_masked": mask_phone(phone)}

    async def phone_of(self, org_id: str, user_id: str) -> str | None:
        """The member's real number (for the number provider only), or None when not set."""
        async with self._store.engine.connect() as connection:
            stored = (
                await connection.execute(
                    select(members.c.phone).where(members.c.org_id == org_id, members.c.user_id == user_id)
                )
            ).scalar()
        return None if not stored else self._cipher.open(str(stored), phone_owner(org_id, user_id))

    async def list(self, org_id: str) -> list[dict[str, Any]]:
        """Members; one whose phone is set also has ``phone_set`` and ``phone_masked``, never the number.

        ``phone_masked`` is ``None`` when no phone is set.
        """
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(
                select(members.c.user_id, members.c.phone).where(members.c.org_id == org_id)
            )
            phones = {str(row.user_id): row.phone for row in rows}
        listed = []
        for m in await self._orgs.members(org_id):
            stored = phones.get(m.user_id)
            masked = mask_phone(self._cipher.open(stored, phone_owner(org_id, m.user_id))) if stored else None
            listed.append({"user": m.user_id, "name": m.display_name, "role": m.role, "reports_to": m.reports_to,
                           "phone_set": masked is not None, "phone_masked": masked})
        return listed
