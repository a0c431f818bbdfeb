"""Signed access tokens and the one place that checks them (standard 4.4.1 a).

Tokens are HS256 JWTs signed with the deployment secret. A token names a
role, a subject (user id) and optionally the room and organisation it is
scoped to. Every HTTP endpoint and the chat websocket resolve the caller
through :func:`principal_from_request`, so there is one rule for what a
token means.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Final, Literal, cast

import jwt

Role = Literal["viewer", "host", "recruiter", "reviewer", "admin"]
ROLES: Final[tuple[Role, ...]] = ("viewer", "host", "recruiter", "reviewer", "admin")
DEFAULT_TTL_SECONDS: Final = 7 * 24 * 3600
_ALGORITHM: Final = "HS256"
_ISSUER: Final = "livehire"


class TokenError(Exception):
    """A token was missing, malformed, forged or expired (maps to HTTP 401)."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the claims of a verified token, or an anonymous viewer."""

    user_id: str
    role: Role
    room: str | None = None
    org: str | None = None
    name: str | None = None
    anonymous: bool = False

    def may_act_in_room(self, room: str) -> bool:
        """A token scoped to a room is valid only there; an unscoped one everywhere."""
        return self.room is None or self.room == room

    def may_act_for_org(self, org: str) -> bool:
        return (self.role == "admin" and self.org is None) or self.org == org


ANONYMOUS: Final = Principal(user_id="anonymous", role="viewer", anonymous=True)


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
            raise TokenError("the token has expired") from exc
        except jwt.PyJWTError as exc:
            raise TokenError("the token is not valid") from exc
        role = claims.get("role")
        if role not in ROLES:
            raise TokenError("the token names no valid role")
        return Principal(
            user_id=str(claims["sub"]),
            role=cast(Role, role),
            room=_optional_str(claims.get("room")),
            org=_optional_str(claims.get("org")),
            name=_optional_str(claims.get("name")),
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
