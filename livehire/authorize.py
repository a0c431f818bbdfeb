"""The authorisation middleware: every request passes :data:`identity.policy.ROUTES` before its handler.

It resolves the caller once (:mod:`identity.http`), finds the route's rule, resolves the rule's
target from the path (``{org}``, ``{room}``, or the organisation of ``{job_id}``, ``{application_id}``,
``{session_id}``), applies the rule's rate limits, and answers 401/403 itself. A route without a rule
cannot serve: :func:`check_policy_covers` runs at start-up and refuses to start the app.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from aiohttp.typedefs import Middleware
from sqlalchemy import select

from common.errors import Forbidden, Unauthenticated
from identity.http import COOKIE, DEAD_COOKIE, PRINCIPAL, resolve
from identity.policy import ROUTES, RoomFacts, Rule, audience, decide
from identity.sessions import Sessions
from store.engine import Store
from store.recruiting_tables import applications, jobs, live_sessions
from store.rooms import RoomRepository

log = logging.getLogger("livehire.authz")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Limit = Callable[[web.Request, Rule, str], Awaitable[None]]
#: Relations whose credential is not a session: the stream key (signaling checks it), the session URL, or
#: the metrics token (ops checks it).
_UNRESOLVED = frozenset({"publisher", "capability", "operator"})
_ORG_OF = {"job_id": (jobs.c.org_id, jobs.c.id), "application_id": (applications.c.org_id, applications.c.id),
           "session_id": (live_sessions.c.org_id, live_sessions.c.id)}


class PolicyGap(RuntimeError):
    """A registered route has no entry in the policy table (or an entry names no route)."""


def route_key(method: str, canonical: str) -> str:
    return f"{'GET' if method == 'HEAD' else method} {canonical}"


def check_policy_covers(app: web.Application) -> None:
    """Every route of ``app`` has a rule; raised at start-up, so an unguarded route never serves."""
    registered = {route_key(r.method, r.resource.canonical) for r in app.router.routes() if r.resource is not None}
    missing = sorted(k for k in registered if k not in ROUTES)
    if missing:
        raise PolicyGap(f"routes without an authorisation rule in identity.policy.ROUTES: {', '.join(missing)}")


@dataclass(frozen=True, slots=True)
class Targets:
    """Looks up what a rule's relation is about."""

    store: Store
    rooms: RoomRepository

    async def room(self, slug: str) -> RoomFacts | None:
        found = await self.rooms.get(slug)
        return None if found is None else RoomFacts(found.slug, found.org_id, found.visibility)

    async def org_of(self, param: str, value: str) -> str | None:
        column, key = _ORG_OF[param]
        async with self.store.engine.connect() as connection:
            found = (await connection.execute(select(column).where(key == value))).scalar()
        return None if found is None else str(found)


def build_authorize(
    sessions: Sessions, targets: Targets, *, public_origin: str | None = None, limit: Limit | None = None
) -> Middleware:
    @web.middleware
    async def authorize(request: web.Request, handler: Handler) -> web.StreamResponse:
        resource = request.match_info.route.resource
        if resource is None:  # no route matched: aiohttp's 404/405
            return await handler(request)
        rule = ROUTES.get(route_key(request.method, resource.canonical))
        if rule is None:
            log.error("route without a policy rule", extra={"route": resource.canonical})
            raise Forbidden("forbidden", "该接口未配置访问规则")
        if rule.relation in _UNRESOLVED:
            if limit is not None and rule.limits:
                await limit(request, rule, "")
            return await handler(request)
        principal = await resolve(request, sessions, public_origin=public_origin)
        request[PRINCIPAL] = principal
        params = request.match_info
        org = params.get("org")
        room = None
        if rule.relation in ("room_view", "room_manage") and "room" in params:
            room = await targets.room(params["room"])
        elif rule.relation == "org" and org is None:
            for param in ("job_id", "application_id", "session_id"):
                if param in params:
                    org = await targets.org_of(param, params[param])
                    if org is None and audience(rule, principal) == "allow":
                        return await handler(request)  # no such target: the handler's 404 names it
                    break
        verdict = audience(rule, principal) if rule.target == "body" else decide(rule, principal, org=org, room=room)
        if verdict == "unauthenticated":
            raise Unauthenticated("missing_token", "请先登录")
        if verdict == "forbidden":
            raise Forbidden("forbidden", "你没有权限访问这里")
        if limit is not None and rule.limits:
            await limit(request, rule, principal.user_id)
        response = await handler(request)
        if request.get(DEAD_COOKIE, False) and not response.prepared:
            response.del_cookie(COOKIE, path="/")
        return response

    return authorize
