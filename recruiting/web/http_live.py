"""Live-session, studio and member endpoints (standard 5.2, 5.1.2).

Session plans and their statistics; the studio's pin/unpin buttons (the REST
twin of the ``pin_job`` frame, broadcast to the room through the chat layer);
the member list (invitations, sign-in and removal are identity's: ``livehire.api_auth``).
"""

from __future__ import annotations

from aiohttp import web

from common.http import read_json_object
from identity.principal import Principal
from recruiting.web.deps import Deps


def live_routes(deps: Deps) -> list[web.RouteDef]:
    service = deps.service

    async def plan_session(request: web.Request) -> web.Response:
        org = request.match_info["org"]
        principal = deps.org_member(request, org, "recruiter", "admin", "host")
        body = await read_json_object(request)
        session = await service.plan_session(org, body, principal.user_id)
        return web.json_response(session, status=201)

    async def room_sessions(request: web.Request) -> web.Response:
        return web.json_response(await service.room_sessions(request.match_info["room"]))

    async def _session_owner(request: web.Request) -> tuple[str, Principal]:
        session = await service.session(request.match_info["session_id"])
        principal = deps.org_member(request, session.org, "recruiter", "admin", "host")
        return session.id, principal

    async def session_state(request: web.Request) -> web.Response:
        session_id, _ = await _session_owner(request)
        body = await read_json_object(request)
        return web.json_response(await service.set_session_state(session_id, str(body.get("state", ""))))

    async def session_stats(request: web.Request) -> web.Response:
        """Standard 5.2 data analysis: shown in /studio after the live."""
        session_id, _ = await _session_owner(request)
        return web.json_response(await service.session_stats(session_id))

    async def pin(request: web.Request) -> web.Response:
        room = request.match_info["room"]
        principal = deps.caller(request, "host", "admin")
        body = await read_json_object(request)
        card = await service.pin_job(room, str(body.get("job_id", "")), principal)
        if deps.broadcast is not None:
            await deps.broadcast(room, card)
        return web.json_response(card, status=201)

    async def unpin(request: web.Request) -> web.Response:
        room = request.match_info["room"]
        principal = deps.caller(request, "host", "admin")
        card = await service.unpin_job(room, request.match_info["job_id"], principal)
        if deps.broadcast is not None:
            await deps.broadcast(room, card)
        return web.json_response(card)

    async def members(request: web.Request) -> web.Response:
        org = request.match_info["org"]
        deps.org_member(request, org, "recruiter", "admin", "host")
        return web.json_response(await service.members_of(org))

    return [
        web.post("/api/v1/orgs/{org}/sessions", plan_session),
        web.get("/api/v1/rooms/{room}/sessions", room_sessions),
        web.post("/api/v1/sessions/{session_id}/state", session_state),
        web.get("/api/v1/sessions/{session_id}/stats", session_stats),
        web.post("/api/v1/rooms/{room}/pins", pin),
        web.delete("/api/v1/rooms/{room}/pins/{job_id}", unpin),
        web.get("/api/v1/orgs/{org}/members", members),
    ]
