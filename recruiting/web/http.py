"""REST endpoints of recruiting under ``/api/v1`` (standard 4.3.1 b, c, 5.1.x).

:func:`install_recruiting` adds every route to the app; the handlers only
resolve the caller, check the role and hand over to :class:`RecruitingService`.
This module holds the public and candidate endpoints; the back office and
the live/studio endpoints are in :mod:`recruiting.web.http_office` and
:mod:`recruiting.web.http_live`.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import replace

from aiohttp import web

from common.errors import Invalid, LivehireError, Malformed, NotFound
from common.http import read_json_object
from identity.principal import Principal
from recruiting.domain.rules import parse_profile
from recruiting.service import RecruitingService
from recruiting.web.deps import Authenticate, Broadcast, Deps
from recruiting.web.http_live import live_routes
from recruiting.web.http_office import Feeds, end_feeds, office_routes
from recruiting.web.http_review import review_routes


def public_routes(deps: Deps) -> list[web.RouteDef]:
    service = deps.service

    async def list_jobs(request: web.Request) -> web.Response:
        return web.json_response(await service.published_jobs(request.query.get("org") or None))

    async def get_job(request: web.Request) -> web.Response:
        job = await service.job(request.match_info["job_id"])
        if job.status != "published":  # a draft, a job waiting for review or rejected: its org sees why
            deps.org_member(request, job.org)
            return web.json_response(job.as_json() | job.review_json())
        return web.json_response(job.as_json())

    async def room_card(request: web.Request) -> web.Response:
        card = await service.current_card(request.match_info["room"])
        return web.json_response({"card": card})

    async def get_profile(request: web.Request) -> web.Response:
        principal = deps.caller(request)
        return web.json_response({"profile": await service.profile(principal.user_id)})

    async def put_profile(request: web.Request) -> web.Response:
        """个人信息保护法 §6, §23: the minimum data, and a separate consent flag."""
        principal = deps.caller(request)
        profile = parse_profile(await read_json_object(request))
        return web.json_response({"profile": await service.put_profile(principal.user_id, profile)})

    async def my_applications(request: web.Request) -> web.Response:
        principal = deps.caller(request)
        return web.json_response(await service.my_applications(principal.user_id))

    async def my_interviews(request: web.Request) -> web.Response:
        principal = deps.caller(request)
        return web.json_response(await service.my_interviews(principal.user_id))

    async def answer_interview(request: web.Request) -> web.Response:
        principal = deps.caller(request)
        body = await read_json_object(request)
        interview = await service.answer_interview(
            request.match_info["interview_id"], principal.user_id, str(body.get("answer", "")), str(body.get("note", ""))
        )
        return web.json_response(interview)

    async def export_mine(request: web.Request) -> web.Response:
        """个人信息保护法 §45 (access, copy), standard 4.4.1 c: everything held about the caller."""
        principal = deps.caller(request)
        data = await service.export_personal_data(principal.user_id)
        return web.json_response(
            data, headers={"Content-Disposition": 'attachment; filename="livehire-my-data.json"'}
        )

    async def erase_mine(request: web.Request) -> web.Response:
        """个人信息保护法 §47 (deletion), standard 4.4.1 c; needs an explicit ``{"confirm": true}``."""
        principal = deps.caller(request)
        try:
            body = await read_json_object(request)
        except LivehireError as exc:
            if exc.kind != "malformed":
                raise
            body = {}
        if body.get("confirm") is not True:
            raise Invalid("confirmation_required", "请确认注销：请求体须为 {\"confirm\": true}")
        return web.json_response(await service.erase_personal_data(principal.user_id))

    async def apply(request: web.Request) -> web.Response:
        principal = deps.caller(request)
        body = await read_json_object(request)
        ref = body.get("ref")
        room = body.get("room")
        source = body.get("source")
        if source not in (None, "live", "replay"):
            raise Malformed("invalid_source", "source 须为 live 或 replay")
        outcome = await service.apply(
            principal.user_id,
            request.match_info["job_id"],
            ref=None if ref is None else str(ref)[:128],
            room=None if room is None else str(room)[:64],
            source="replay" if source == "replay" else None,
        )
        if outcome.status == "job_unavailable":
            raise NotFound("job_unavailable", "该岗位已下线或不存在")
        frame = service.apply_result_frame(outcome)
        return web.json_response(frame, status=201 if outcome.status == "delivered" else 200)

    return [
        web.get("/api/v1/jobs", list_jobs),
        web.get("/api/v1/jobs/{job_id}", get_job),
        web.post("/api/v1/jobs/{job_id}/applications", apply),
        web.get("/api/v1/rooms/{room}/job-card", room_card),
        web.get("/api/v1/me/profile", get_profile),
        web.put("/api/v1/me/profile", put_profile),
        web.get("/api/v1/me/applications", my_applications),
        web.get("/api/v1/me/interviews", my_interviews),
        web.get("/api/v1/me/data", export_mine),
        web.delete("/api/v1/me", erase_mine),
        web.post("/api/v1/interviews/{interview_id}/answer", answer_interview),
    ]


def install_recruiting(
    app: web.Application,
    service: RecruitingService,
    *,
    authenticate: Authenticate,
    broadcast: Broadcast | None = None,
    signed_in: Callable[[Principal], bool] | None = None,
) -> None:
    """Adds the recruiting routes. ``broadcast(room, frame)`` reaches a whole room (studio pin button), ``signed_in(principal)`` says whether
    a caller's session still holds (the office feed ends when it does not)."""
    deps = Deps(service=service, authenticate=authenticate, broadcast=broadcast)
    if signed_in is not None:
        deps = replace(deps, signed_in=signed_in)
    feeds: Feeds = weakref.WeakSet()  # the office feeds open on this app: ended first at shutdown

    async def end_open_feeds(_app: web.Application) -> None:
        end_feeds(feeds)

    app.on_shutdown.append(end_open_feeds)
    app.add_routes(public_routes(deps) + office_routes(deps, feeds) + live_routes(deps) + review_routes(deps))
