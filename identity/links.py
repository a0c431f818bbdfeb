"""One-time sign-in links: the operator's way to hand someone a session without a token in a URL for long.

A link's code is random, stored as a SHA-256, works once and expires (default 15 minutes); opening it
starts a browser session (HttpOnly cookie) and redirects to a page. The demo seed prints one instead of
a reusable token (review L7).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from sqlalchemy import select, update

from common.clock import now_ms
from common.errors import NotFound
from identity.principal import Role
from store.engine import Store
from store.identity_tables import login_links

LINK_TTL_MS: Final = 15 * 60 * 1000


@dataclass(frozen=True, slots=True)
class LinkGrant:
    user_id: str
    role: Role
    org: str | None
    name: str | None
    next_path: str


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def safe_next(path: object) -> str:
    """Only a path on this site (no scheme, no //host), so a link cannot redirect elsewhere."""
    if isinstance(path, str) and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path[:200]
    return "/"


class LoginLinks:
    def __init__(self, store: Store, *, clock: Callable[[], int] = now_ms) -> None:
        self._store = store
        self._clock = clock

    async def create(
        self, *, user_id: str, role: Role, org: str | None = None, name: str | None = None, next_path: str = "/",
        ttl_ms: int = LINK_TTL_MS,
    ) -> str:
        code = secrets.token_urlsafe(24)
        now = self._clock()
        async with self._store.engine.begin() as connection:
            await connection.execute(login_links.insert().values(
                code_hash=_hash(code), user_id=user_id, role=role, org_id=org, name=name,
                next_path=safe_next(next_path), created_at=now, expires_at=now + ttl_ms))
        return code

    async def consume(self, code: str) -> LinkGrant:
        now = self._clock()
        async with self._store.engine.begin() as connection:
            used = await connection.execute(
                update(login_links)
                .where(login_links.c.code_hash == _hash(code), login_links.c.used_at.is_(None),
                       login_links.c.expires_at > now)
                .values(used_at=now))
            if used.rowcount != 1:
                raise NotFound("invalid_link", "登录链接无效、已使用或已过期")
            row = (await connection.execute(
                select(login_links).where(login_links.c.code_hash == _hash(code)))).one()
        return LinkGrant(row.user_id, row.role, row.org_id, row.name, row.next_path)
