"""Signed access tokens (standard 4.4.1 a).

Tokens are HS256 JWTs signed with the deployment secret. A token names a role, a subject (user id),
optionally the room and organisation it is scoped to, and the server-side session (``sid``) that
backs it. The signature and expiry are checked here; whether the session is still alive is the
:class:`identity.sessions.Sessions`' question, so a revoked session ends its tokens at once.
"""

from __future__ import annotations

import time
from typing import Any, Final, cast

import jwt

from identity.principal import ROLES, Principal, Role

DEFAULT_TTL_SECONDS: Final = 15 * 60  # access tokens are short; the session behind them is revocable
MAX_TTL_SECONDS: Final = 24 * 3600  # operator tokens (`livehire token --ttl`) at most a day
_ALGORITHM: Final = "HS256"
_ISSUER: Final = "livehire"


class TokenError(Exception):
    """A token was missing, malformed, forged or expired (maps to HTTP 401)."""


class TokenSigner:
    """Mints and verifies tokens with one secret; holds no other state."""

    def __init__(self, secret: str) -> None:
        if len(secret) < 32:
            raise ValueError("the token secret must be at least 32 characters")
        self._secret = secret

    def mint(
        self,
        *,
        role: Role,
        user: str,
        room: str | None = None,
        org: str | None = None,
        name: str | None = None,
        session: str | None = None,
        ttl_seconds: int = DEFAULT_TTL_SECONDS,
        now: float | None = None,
    ) -> str:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
        if not user:
            raise ValueError("a token needs a user id")
        issued = int(now if now is not None else time.time())
        claims: dict[str, Any] = {
            "iss": _ISSUER,
            "sub": user,
            "role": role,
            "iat": issued,
            "exp": issued + ttl_seconds,
        }
        if room is not None:
            claims["room"] = room
        if org is not None:
            claims["org"] = org
        if name is not None:
            claims["name"] = name
        if session is not None:
            claims["sid"] = session
        return jwt.encode(claims, self._secret, algorithm=_ALGORITHM)

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[_ALGORITHM],
                issuer=_ISSUER,
                options={"require": ["exp", "sub", "iss"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise TokenError("登录凭证已过期") from exc
        except jwt.PyJWTError as exc:
            raise TokenError("登录凭证无效") from exc
        role = claims.get("role")
        if role not in ROLES:
            raise TokenError("登录凭证中的角色无效")
        return Principal(
            user_id=str(claims["sub"]),
            role=cast(Role, role),
            room=_optional_str(claims.get("room")),
            org=_optional_str(claims.get("org")),
            name=_optional_str(claims.get("name")),
            session=_optional_str(claims.get("sid")),
        )


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


def bearer_from_header(header: str | None) -> str | None:
    """The credential of an ``Authorization: Bearer`` header, if any."""
    if not header:
        return None
    scheme, _, credential = header.partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        return None
    return credential.strip()
