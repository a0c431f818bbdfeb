"""What every recruiting HTTP handler shares: the captured dependencies and query parsing.

Its own module so that the route modules (:mod:`recruiting.web.http`, ``http_live``,
``http_office``) all import it and none imports another.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from common.errors import Forbidden, Malformed
from identity.http import require
from identity.principal import Principal, Role
from recruiting.domain.rules import MAX_LIMIT, MAX_TIMESTAMP_MS, bounded_int
from recruiting.service import RecruitingService

Authenticate = Callable[[web.Request], Principal]
Broadcast = Callable[[str, Mapping[str, Any]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Deps:
    """What every recruiting handler needs, captured once at install time."""

    service: RecruitingService
    authenticate: Authenticate
    broadcast: Broadcast | None
    #: Whether the caller's sign-in session still holds (a long-lived feed stops when it ends).
    signed_in: Callable[[Principal], bool] = lambda _principal: True  # apps without sessions (tests)

    def caller(self, request: web.Request, *roles: Role) -> Principal:
        """The caller, who must hold a token with one of ``roles`` (4.4.1 a)."""
        return require(self.authenticate, request, *roles)

    def org_member(self, request: web.Request, org: str, *roles: Role) -> Principal:
        """A recruiter (or other role) of ``org``, or a platform admin (4.4.1 b)."""
        principal = self.caller(request, *(roles or ("recruiter", "admin")))
        if not principal.may_act_for_org(org):
            raise Forbidden("forbidden", "你不是这个机构的成员")
        return principal


def int_query(request: web.Request, name: str) -> int | None:
    """An integer query parameter within its bounds (a 64-bit overflow in the store was a 500)."""
    raw = request.query.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError as exc:
        raise Malformed("invalid_query", f"{name} 必须是整数") from exc
    minimum, maximum = (1, MAX_LIMIT) if name == "limit" else (0, MAX_TIMESTAMP_MS)
    return bounded_int(value, name, minimum=minimum, maximum=maximum, kind="malformed")
