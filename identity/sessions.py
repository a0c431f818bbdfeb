"""Server-side sessions behind every credential, so any of them can be ended at once (4.4.1 a; M8).

Theory of operation. Signing in opens a *session*: a row naming the person, the capacity they act in
(role, organisation, optionally one room) and an expiry. The client gets two things:

* a **session credential** ``<id>.<secret>`` (the browser's HttpOnly cookie, or an API client's refresh
  token); only a SHA-256 of the secret is stored, compared in constant time;
* short-lived **access tokens** (JWT, at most 15 minutes) that name the session (``sid``).

Revoking a session (log out, log out everywhere, member removed, password changed, account deleted,
admin) marks the row. Every node keeps the set of revoked session ids in memory, fills it at start and
polls the store for newer revocations (``sync``), so a revoked token stops working on every node within
one poll interval, and immediately on the node that revoked it. Listeners (the chat, the media plane)
are told which sessions ended, so open websockets close too.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final, Literal

from sqlalchemy import and_, select, update

from common.clock import now_ms
from common.errors import Unauthenticated
from identity.principal import Principal, Role
from identity.tokens import MAX_TTL_SECONDS, TokenError, TokenSigner
from store.engine import Store
from store.identity_tables import sessions

log = logging.getLogger("livehire.identity")

SessionKind = Literal["browser", "api", "operator", "link"]
#: How long a session lives without a new sign-in, by kind (milliseconds).
LIFETIMES_MS: Final[dict[str, int]] = {
    "browser": 30 * 24 * 3600 * 1000,
    "api": 30 * 24 * 3600 * 1000,
    "operator": MAX_TTL_SECONDS * 1000,
    "link": 12 * 3600 * 1000,
}
STAFF_LIFETIME_MS: Final = 12 * 3600 * 1000  # back-office and platform staff sign in again every day
ACCESS_TOKEN_SECONDS: Final = 15 * 60
CACHE_MS: Final = 30_000  # a resolved credential is trusted this long unless revoked meanwhile
TOUCH_MS: Final = 5 * 60 * 1000  # last_seen_at is written at most this often per session
REVOKED_KEEP_MS: Final = MAX_TTL_SECONDS * 1000  # after this, no token of a revoked session is valid anyway

Revoked = Callable[[frozenset[str]], object]


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Grant:
    """What signing in gives the client: the credential (cookie / refresh token) and an access token."""

    principal: Principal
    credential: str
    access_token: str
    expires_at: int  # ms, the session's end
    access_expires_in: int  # seconds


@dataclass(slots=True)
class _Cached:
    principal: Principal
    secret_hash: str
    expires_at: int
    until: int
    touched: int


class Sessions:
    """Opens, resolves and revokes sessions; mints the access tokens that name them."""

    def __init__(self, store: Store, signer: TokenSigner, *, clock: Callable[[], int] = now_ms) -> None:
        self._store = store
        self._signer = signer
        self._clock = clock
        self._revoked: dict[str, int] = {}  # session id → when to forget it (ms)
        self._synced_to = 0
        self._cache: dict[str, _Cached] = {}
        self._listeners: list[Revoked] = []

    # ---- signing in -------------------------------------------------------------------------

    async def open(
        self,
        *,
        user_id: str,
        role: Role,
        org: str | None = None,
        room: str | None = None,
        name: str | None = None,
        kind: SessionKind = "browser",
        lifetime_ms: int | None = None,
        ip: str | None = None,
        user_agent: str | None = None,
    ) -> Grant:
        now = self._clock()
        session_id = secrets.token_hex(16)
        secret = secrets.token_urlsafe(32)
        if lifetime_ms is None:
            lifetime_ms = LIFETIMES_MS[kind] if role == "viewer" or kind == "operator" else STAFF_LIFETIME_MS
        expires_at = now + lifetime_ms
        async with self._store.engine.begin() as connection:
            await connection.execute(
                sessions.insert().values(
                    id=session_id, secret_hash=_hash(secret), user_id=user_id, role=role, org_id=org, room=room,
                    name=name, kind=kind, created_at=now, last_seen_at=now, expires_at=expires_at,
                    ip=(ip or "")[:64] or None, user_agent=(user_agent or "")[:200] or None,
                )
            )
        principal = Principal(user_id=user_id, role=role, org=org, room=room, name=name, session=session_id)
        ttl = min(ACCESS_TOKEN_SECONDS, max(1, lifetime_ms // 1000))
        return Grant(principal, f"{session_id}.{secret}", self.access_token(principal, ttl), expires_at, ttl)

    def access_token(self, principal: Principal, ttl_seconds: int = ACCESS_TOKEN_SECONDS) -> str:
        if principal.session is None:
            raise ValueError("an access token must name a session")
        return self._signer.mint(
            role=principal.role, user=principal.user_id, room=principal.room, org=principal.org,
            name=principal.name, session=principal.session, ttl_seconds=ttl_seconds, now=self._clock() / 1000,
        )

    # ---- who is calling ---------------------------------------------------------------------

    def verify_token(self, token: str) -> Principal:
        """A valid access token of a live session; :class:`TokenError` otherwise."""
        principal = self._signer.verify(token)
        if principal.session is None:
            raise TokenError("登录凭证没有对应的会话，请重新登录")
        if principal.session in self._revoked:
            raise TokenError("会话已结束，请重新登录")
        return principal

    async def resolve(self, credential: str) -> Principal:
        """The principal of a session credential (cookie or refresh token); :class:`TokenError` otherwise."""
        session_id, _, secret = credential.partition(".")
        if not session_id or not secret or len(credential) > 200:
            raise TokenError("会话凭证格式不正确")
        if session_id in self._revoked:
            raise TokenError("会话已结束，请重新登录")
        now = self._clock()
        cached = self._cache.get(session_id)
        if cached is None or cached.until < now:
            cached = await self._load(session_id, now)
        if not hmac.compare_digest(cached.secret_hash, _hash(secret)):
            raise TokenError("会话凭证无效")
        if cached.expires_at <= now:
            raise TokenError("会话已过期，请重新登录")
        if now - cached.touched > TOUCH_MS:
            cached.touched = now
            async with self._store.engine.begin() as connection:
                await connection.execute(update(sessions).where(sessions.c.id == session_id).values(last_seen_at=now))
        return cached.principal

    async def _load(self, session_id: str, now: int) -> _Cached:
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(select(sessions).where(sessions.c.id == session_id))).first()
        if row is None:
            raise TokenError("会话凭证无效")
        if row.revoked_at is not None:
            self._remember({session_id}, now)
            raise TokenError("会话已结束，请重新登录")
        principal = Principal(user_id=row.user_id, role=row.role, org=row.org_id, room=row.room, name=row.name,
                              session=row.id)
        cached = _Cached(principal, row.secret_hash, int(row.expires_at), now + CACHE_MS, int(row.last_seen_at))
        self._cache[session_id] = cached
        if len(self._cache) > 100_000:  # bounded: drop the oldest half
            for key in list(self._cache)[:50_000]:
                del self._cache[key]
        return cached

    async def refresh(self, credential: str) -> Grant:
        """A new access token for a session credential (API clients; pages use the cookie itself)."""
        try:
            principal = await self.resolve(credential)
        except TokenError as exc:
            raise Unauthenticated("invalid_session", "登录已失效，请重新登录") from exc
        cached = self._cache[principal.session or ""]
        return Grant(principal, credential, self.access_token(principal), cached.expires_at, ACCESS_TOKEN_SECONDS)

    # ---- ending sessions --------------------------------------------------------------------

    def on_revoked(self, listener: Revoked) -> None:
        """``listener(session_ids)`` runs on the event loop whenever sessions end (locally or on another node)."""
        self._listeners.append(listener)

    async def revoke(self, session_ids: Iterable[str], reason: str) -> frozenset[str]:
        ids = frozenset(session_ids)
        if not ids:
            return ids
        now = self._clock()
        async with self._store.engine.begin() as connection:
            await connection.execute(
                update(sessions)
                .where(sessions.c.id.in_(ids), sessions.c.revoked_at.is_(None))
                .values(revoked_at=now, revoked_reason=reason[:32])
            )
        log.info("sessions revoked", extra={"count": len(ids), "reason": reason})
        self._remember(ids, now)
        return ids

    async def revoke_user(
        self, user_id: str, reason: str, *, org: str | None = None, keep: str | None = None,
        roles: Iterable[str] | None = None,
    ) -> frozenset[str]:
        """Ends the live sessions of ``user_id`` (only those in ``org`` / with ``roles`` when given), but ``keep``."""
        conditions = [sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None),
                      sessions.c.expires_at > self._clock()]
        if org is not None:
            conditions.append(sessions.c.org_id == org)
        if roles is not None:
            conditions.append(sessions.c.role.in_(list(roles)))
        async with self._store.engine.connect() as connection:
            ids = {str(r.id) for r in await connection.execute(select(sessions.c.id).where(and_(*conditions)))}
        ids.discard(keep or "")
        return await self.revoke(ids, reason)

    async def rename(self, user_id: str, name: str) -> None:
        """A new display name reaches the person's live sessions (chat shows the session's name)."""
        async with self._store.engine.begin() as connection:
            await connection.execute(update(sessions).where(sessions.c.user_id == user_id,
                                                            sessions.c.revoked_at.is_(None)).values(name=name))
        for session_id in [k for k, c in self._cache.items() if c.principal.user_id == user_id]:
            del self._cache[session_id]

    async def of_user(self, user_id: str) -> list[dict[str, object]]:
        """The person's live sessions (for "where am I signed in")."""
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(
                select(sessions.c.id, sessions.c.role, sessions.c.org_id, sessions.c.kind, sessions.c.created_at,
                       sessions.c.last_seen_at, sessions.c.expires_at, sessions.c.user_agent)
                .where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None),
                       sessions.c.expires_at > self._clock())
                .order_by(sessions.c.created_at)
            )
            return [dict(row._mapping) for row in rows]

    def _remember(self, ids: Iterable[str], now: int) -> None:
        fresh = frozenset(i for i in ids if i not in self._revoked)
        for session_id in ids:
            self._revoked[session_id] = now + REVOKED_KEEP_MS
            self._cache.pop(session_id, None)
        if fresh:
            for listener in self._listeners:
                try:
                    listener(fresh)
                except Exception:
                    log.exception("a revocation listener failed")

    async def sync(self) -> None:
        """Learns revocations made on other nodes since the last sync (and forgets very old ones)."""
        now = self._clock()
        since = self._synced_to - 5_000 if self._synced_to else now - REVOKED_KEEP_MS
        async with self._store.engine.connect() as connection:
            rows = (await connection.execute(
                select(sessions.c.id, sessions.c.revoked_at).where(sessions.c.revoked_at >= since)
            )).all()
        self._synced_to = max([now, *(int(r.revoked_at) for r in rows)]) if rows else now
        self._remember([str(r.id) for r in rows], now)
        for session_id in [k for k, until in self._revoked.items() if until < now]:
            del self._revoked[session_id]

    def is_revoked(self, session_id: str | None) -> bool:
        return session_id is not None and session_id in self._revoked
