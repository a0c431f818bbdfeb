"""Organisations, users and members with roles (standard 5.1.2)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from common.clock import now_ms
from store.engine import Store, StoreError
from store.schema import members, organisations, users

MemberRole = Literal["admin", "recruiter", "host"]
MEMBER_ROLES: Final[tuple[MemberRole, ...]] = ("admin", "recruiter", "host")


class OrgError(StoreError):
    """An organisation or member request that cannot be carried out."""


@dataclass(frozen=True, slots=True)
class Organisation:
    id: str
    name: str
    kind: str
    created_at: int


@dataclass(frozen=True, slots=True)
class Member:
    org_id: str
    user_id: str
    display_name: str
    role: MemberRole
    reports_to: str | None


class OrgRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def create_org(self, org_id: str, name: str, *, kind: str = "employer") -> Organisation:
        created = now_ms()
        try:
            async with self._store.engine.begin() as connection:
                await connection.execute(
                    organisations.insert().values(id=org_id, name=name, kind=kind, created_at=created)
                )
        except IntegrityError as exc:
            raise OrgError("org_exists", f"an organisation {org_id!r} already exists") from exc
        return Organisation(id=org_id, name=name, kind=kind, created_at=created)

    async def get_org(self, org_id: str) -> Organisation | None:
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(select(organisations).where(organisations.c.id == org_id))).first()
        if row is None:
            return None
        return Organisation(id=row.id, name=row.name, kind=row.kind, created_at=row.created_at)

    async def ensure_user(self, user_id: str, display_name: str, *, password_hash: str | None = None) -> None:
        """Creates the user unless it exists (idempotent, for seeding and first login)."""
        async with self._store.engine.begin() as connection:
            exists = (await connection.execute(select(users.c.id).where(users.c.id == user_id))).first()
            if exists is None:
                await connection.execute(
                    users.insert().values(
                        id=user_id, display_name=display_name, password_hash=password_hash, created_at=now_ms()
                    )
                )

    async def add_member(
        self, org_id: str, user_id: str, role: MemberRole, *, reports_to: str | None = None
    ) -> None:
        if role not in MEMBER_ROLES:
            raise OrgError("invalid_role", f"a member role is one of {', '.join(MEMBER_ROLES)}")
        try:
            async with self._store.engine.begin() as connection:
                await connection.execute(
                    members.insert().values(
                        org_id=org_id, user_id=user_id, role=role, reports_to=reports_to, created_at=now_ms()
                    )
                )
        except IntegrityError as exc:
            raise OrgError("member_exists_or_unknown", f"cannot add {user_id!r} to {org_id!r}") from exc

    async def members(self, org_id: str) -> list[Member]:
        query = (
            select(members, users.c.display_name)
            .join(users, users.c.id == members.c.user_id)
            .where(members.c.org_id == org_id)
            .order_by(members.c.created_at, members.c.user_id)
        )
        async with self._store.engine.connect() as connection:
            result = await connection.execute(query)
            return [
                Member(
                    org_id=row.org_id,
                    user_id=row.user_id,
                    display_name=row.display_name,
                    role=row.role,
                    reports_to=row.reports_to,
                )
                for row in result
            ]
