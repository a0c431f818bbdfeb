"""Resolving the caller of an HTTP request or websocket (standard 4.4.1 a, b).

A credential comes from ``Authorization: Bearer`` or, for websockets and
EventSource that cannot set headers, from ``?token=``. A missing credential
is an anonymous viewer; a forged or expired one is an error (401).
"""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from identity.principal import ANONYMOUS, Principal, Role
from identity.tokens import TokenError, TokenSigner, bearer_from_header
from livehire.errors import ApiError

Authenticate = Callable[[web.Request], Principal]


def credential_of(request: web.Request) -> str | None:
    return bearer_from_header(request.headers.get("Authorization")) or request.query.get("token") or None


def make_authenticate(signer: TokenSigner) -> Authenticate:
    """The one function every part of the server uses to learn who is calling."""

    def authenticate(request: web.Request) -> Principal:
        credential = credential_of(request)
        if credential is None:
            return ANONYMOUS
        return signer.verify(credential)

    return authenticate


def caller(authenticate: Authenticate, request: web.Request) -> Principal:
    """The caller, anonymous when no credential was sent; a forged or expired one is a 401."""
    try:
        return authenticate(request)
    except TokenError as exc:
        raise ApiError(401, "invalid_token", str(exc), headers={"WWW-Authenticate": "Bearer"}) from exc


def require(authenticate: Authenticate, request: web.Request, *roles: Role) -> Principal:
    """The caller, who must hold a token with one of ``roles`` (401 / 403 otherwise)."""
    principal = caller(authenticate, request)
    if principal.anonymous:
        raise ApiError(401, "missing_token", "this endpoint needs a bearer token", headers={"WWW-Authenticate": "Bearer"})
    if roles and principal.role not in roles:
        raise ApiError(403, "forbidden", f"this endpoint needs one of the roles: {', '.join(roles)}")
    return principal
