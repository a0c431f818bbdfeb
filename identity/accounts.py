"""People and what they may act as: phone accounts, members, invitations, passwords (5.1.2; 4.4.1 a).

* A **person** signs in with a phone number and an SMS code; the first sign-in creates the account
  (``users`` row keyed by a keyed hash of the phone, the phone itself sealed for the person's own copy).
* A **member** acts for one organisation as admin, recruiter or host. An invitation creates a new account
  with a password, or attaches the *signed-in* person who redeems it; it never touches the password or
  data of an existing account (the takeover of review finding C1).
* **Platform staff** (admin, reviewer) are added by the operator (``livehire staff add``).
* Passwords are argon2id, hashed off the event loop. Login costs the same whether or not the account
  exists (a dummy hash is verified), so timing does not tell which accounts exist (M6).
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final, Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from common.clock import now_ms
from common.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from identity.principal import Principal, Role
from store.engine import Store
from store.identity_tables import platform_staff
from store.orgs import MEMBER_ROLES
from store.recruiting_tables import invitations
from store.schema import members, users

INVITATION_TTL_MS: Final = 7 * 24 * 3600 * 1000
MIN_PASSWORD: Final = 8
MAX_PASSWORD: Final = 256
USER_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{1,63}")
STAFF_ROLES: Final = ("admin", "reviewer")


class Sealer(Protocol):
    """Seals personal data at rest (``store.sealing.ContactCipher``)."""

    def seal(self, value: str, owner: str) -> str: ...

    def open(self, stored: str, owner: str) -> str: ...


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    created: bool = False


@dataclass(frozen=True, slots=True)
class Membership:
    org: str
    user: str
    role: Role
    name: str


def user_id_of(raw: object) -> str:
    if not isinstance(raw, str) or not USER_ID.fullmatch(raw.strip()):
        raise Invalid("invalid_user", "账号须为 2-64 位字母、数字、点、下划线或连字符")
    return raw.strip()


def _password(raw: object) -> str:
    if not isinstance(raw, str) or not MIN_PASSWORD <= len(raw) <= MAX_PASSWORD:
        raise Invalid("weak_password", f"密码须为 {MIN_PASSWORD}-{MAX_PASSWORD} 位")
    return raw


class Accounts:
    def __init__(
        self, store: Store, sealer: Sealer, *, clock: Callable[[], int] = now_ms, hasher: PasswordHasher | None = None
    ) -> None:
        self._store = store
        self._sealer = sealer
        self._clock = clock
        self._hasher = hasher or PasswordHasher()
        self._dummy: str | None = None  # verified when an account is unknown, so timing says nothing

    # ---- people (phone sign-in) ---------------------------------------------------------------

    async def has_phone(self, phone_hash: str) -> bool:
        async with self._store.engine.connect() as connection:
            return (await connection.execute(select(users.c.id).where(users.c.phone_hash == phone_hash))).first() \
                is not None

    async def person_for_phone(self, phone: str, phone_hash: str, name: str | None = None) -> Person:
        """The account of this phone, created on first sign-in."""
        async with self._store.engine.begin() as connection:
            row = (await connection.execute(
                select(users.c.id, users.c.display_name).where(users.c.phone_hash == phone_hash))).first()
            if row is not None:
                return Person(str(row.id), str(row.display_name))
        user_id = "u-" + secrets.token_hex(8)
        display = name or f"求职者{secrets.token_hex(2).upper()}"
        try:
            async with self._store.engine.begin() as connection:
                await connection.execute(users.insert().values(
                    id=user_id, display_name=display, created_at=self._clock(), phone_hash=phone_hash,
                    phone=self._sealer.seal(phone, f"user:{user_id}")))
        except IntegrityError:  # the same phone signed in twice at once: the other request created it
            return await self.person_for_phone(phone, phone_hash, name)
        return Person(user_id, display, created=True)

    async def set_name(self, user_id: str, name: str) -> None:
        async with self._store.engine.begin() as connection:
            await connection.execute(update(users).where(users.c.id == user_id).values(display_name=name))

    async def account(self, user_id: str) -> dict[str, object] | None:
        """The person's account for their own copy (§45): id, name, phone, created."""
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(select(users).where(users.c.id == user_id))).first()
        if row is None:
            return None
        phone = self._sealer.open(row.phone, f"user:{user_id}") if row.phone else None
        return {"id": row.id, "name": row.display_name, "phone": phone, "created_at": row.created_at,
                "has_password": row.password_hash is not None}

    async def forget(self, user_id: str) -> int:
        """§47: the account row goes (memberships and staff rows with it); returns rows deleted."""
        async with self._store.engine.begin() as connection:
            result = await connection.execute(delete(users).where(users.c.id == user_id))
        return int(result.rowcount or 0)

    # ---- invitations and members (5.1.2) ---------------------------------------------------------

    async def invite(self, org: str, role: str, created_by: str, reports_to: str | None) -> dict[str, object]:
        if role not in MEMBER_ROLES:
            raise Invalid("invalid_role", f"角色必须是 {', '.join(MEMBER_ROLES)} 之一")
        code = secrets.token_urlsafe(16)
        now = self._clock()
        async with self._store.engine.begin() as connection:
            await connection.execute(invitations.insert().values(
                code=code, org_id=org, role=role, reports_to=reports_to, created_by=created_by, created_at=now,
                expires_at=now + INVITATION_TTL_MS))
        return {"code": code, "org": org, "role": role, "expires_at": now + INVITATION_TTL_MS}

    async def redeem(
        self, code: str, user_id: str, name: str, password: object, caller: Principal,
        *, before_create: Callable[[], Awaitable[None]] | None = None,
    ) -> Membership:
        """New account with a password, or the signed-in caller joins; an existing id of anyone else is 409.
        ``before_create`` runs once the code is known to be valid and a new account is about to be made (a
        rate limit on account creation)."""
        user_id = user_id_of(user_id)
        now = self._clock()
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(select(invitations).where(invitations.c.code == code))).first()
        if row is None or row.used_by is not None or row.expires_at < now:
            raise NotFound("invalid_invitation", "邀请码无效、已使用或已过期")
        joining_self = not caller.anonymous and caller.user_id == user_id
        if not joining_self and before_create is not None:
            await before_create()
        password_hash = None if joining_self else await self.hash_password(_password(password))
        async with self._store.engine.begin() as connection:
            exists = (await connection.execute(select(users.c.id).where(users.c.id == user_id))).first()
            if exists is not None and not joining_self:
                raise Conflict("user_exists", "该账号已存在；如是本人，请先登录该账号再接受邀请")
            claimed = await connection.execute(
                update(invitations).where(invitations.c.code == code, invitations.c.used_by.is_(None))
                .values(used_by=user_id))
            if claimed.rowcount == 0:
                raise NotFound("invalid_invitation", "邀请码已被使用")
            if exists is None:
                await connection.execute(users.insert().values(
                    id=user_id, display_name=name or user_id, password_hash=password_hash, created_at=now,
                    password_changed_at=now))
            try:
                await connection.execute(members.insert().values(
                    org_id=row.org_id, user_id=user_id, role=row.role, reports_to=row.reports_to, created_at=now))
            except IntegrityError as exc:
                raise Conflict("already_member", "你已是该机构成员") from exc
            display = name or user_id
            if exists is not None:
                display = str((await connection.execute(
                    select(users.c.display_name).where(users.c.id == user_id))).scalar())
        return Membership(str(row.org_id), user_id, row.role, display)

    async def remove_member(self, org: str, user_id: str) -> None:
        async with self._store.engine.begin() as connection:
            result = await connection.execute(delete(members).where(members.c.org_id == org, members.c.user_id == user_id))
            await connection.execute(update(members).where(members.c.org_id == org, members.c.reports_to == user_id)
                                     .values(reports_to=None))
        if not result.rowcount:
            raise NotFound("not_a_member", "该用户不是本机构成员")

    async def set_role(self, org: str, user_id: str, role: object) -> None:
        if role not in MEMBER_ROLES:
            raise Invalid("invalid_role", f"角色必须是 {', '.join(MEMBER_ROLES)} 之一")
        async with self._store.engine.begin() as connection:
            result = await connection.execute(update(members).where(members.c.org_id == org,
                                                                    members.c.user_id == user_id).values(role=role))
        if not result.rowcount:
            raise NotFound("not_a_member", "该用户不是本机构成员")

    # ---- passwords ---------------------------------------------------------------------------------

    async def hash_password(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def _verify(self, stored: str | None, password: str) -> bool:
        if stored is None:
            if self._dummy is None:
                self._dummy = await self.hash_password(secrets.token_urlsafe(12))
            stored = self._dummy
            password = "\x00" + password  # never matches
        try:
            return await asyncio.to_thread(self._hasher.verify, stored, password)
        except (VerificationError, InvalidHashError):
            return False

    async def login(self, org: str | None, user_id: str, password: str) -> Membership:
        """A member of ``org`` (or platform staff when ``org`` is empty) whose password matches."""
        async with self._store.engine.connect() as connection:
            if org:
                query = (select(users.c.password_hash, users.c.display_name, members.c.role)
                         .join(members, members.c.user_id == users.c.id)
                         .where(users.c.id == user_id, members.c.org_id == org))
            else:
                query = (select(users.c.password_hash, users.c.display_name, platform_staff.c.role)
                         .join(platform_staff, platform_staff.c.user_id == users.c.id).where(users.c.id == user_id))
            row = (await connection.execute(query)).first()
        matches = await self._verify(None if row is None else row.password_hash, password[:MAX_PASSWORD])
        if row is None or not matches:
            raise Unauthenticated("invalid_credentials", "机构、账号或密码不正确")
        return Membership(org or "", user_id, row.role, str(row.display_name))

    async def change_password(self, user_id: str, old: object, new: object) -> None:
        """Needs the old password when one is set (staff added by the operator may set a first one)."""
        new_password = _password(new)
        async with self._store.engine.connect() as connection:
            stored = (await connection.execute(select(users.c.password_hash).where(users.c.id == user_id))).first()
        if stored is None:
            raise NotFound("unknown_user", "账号不存在")
        if stored.password_hash is not None and not await self._verify(stored.password_hash, str(old or "")):
            raise Forbidden("wrong_password", "原密码不正确")
        hashed = await self.hash_password(new_password)
        async with self._store.engine.begin() as connection:
            await connection.execute(update(users).where(users.c.id == user_id)
                                     .values(password_hash=hashed, password_changed_at=self._clock()))

    # ---- organisations and platform staff (operators) ------------------------------------------------

    async def add_staff(self, user_id: str, role: str, name: str) -> None:
        if role not in STAFF_ROLES:
            raise Invalid("invalid_role", "平台角色须为 admin 或 reviewer")
        user_id = user_id_of(user_id)
        now = self._clock()
        async with self._store.engine.begin() as connection:
            if (await connection.execute(select(users.c.id).where(users.c.id == user_id))).first() is None:
                await connection.execute(users.insert().values(id=user_id, display_name=name or user_id, created_at=now))
            await connection.execute(delete(platform_staff).where(platform_staff.c.user_id == user_id))
            await connection.execute(platform_staff.insert().values(user_id=user_id, role=role, created_at=now))
