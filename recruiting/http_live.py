"""Live-session, studio and member endpoints (standard 5.2, 5.1.2).

Session plans and their statistics; the studio's pin/unpin buttons (the REST
twin of the ``pin_job`` frame, broadcast to the room through the chat layer);
member invitations and the back-office login.
"""

from __future__ import annotations

from aiohttp import web

from identity.principal import Principal
from livehire.errors import ApiError, read_json_object
from recruiting.http import Deps

MEMBER_TO_TOKEN_ROLE = {"admin": "admin", "recruiter": "recruiter", "host": "host"}


def live_routes(deps: Deps) -> list[web.RouteDef]:
    service = deps.service

    async def plan_session(request: web.Request) -> web.Response:
        org = request.match_info["org"]
        principal = deps.org_member(request, org, "recruiter", "admin", "host")
        session = await service.live.plan(org, await read_json_object(request), principal.user_id)
        return web.json_response(session, status=201)

    async def room_sessions(request: web.Request) -> web.Response:
        return web.json_response(await service.live.of_room(request.match_info["room"]))

    async def _session_owner(request: web.Request) -> tuple[str, Principal]:
        session = await service.live.get(request.match_info["session_id"])
        principal = deps.org_member(request, session["org"], "recruiter", "admin", "host")
        return str(session["id"]), principal

    async def session_state(request: web.Request) -> web.Response:
        session_id, _ = await _session_owner(request)
        body = await read_json_object(request)
        return web.json_response(await service.set_session_state(session_id, str(body.get("state", ""))))

    async def session_stats(request: web.Request) -> web.Response:
        """Standard 5.2 data analysis: shown in /studio after the live."""
        session_id, _ = await _session_owner(request)
        return web.json_response(await service.live.stats(session_id))

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
        return web.json_response(await service.members.list(org))

    async def invite_member(request: web.Request) -> web.Response:
        org = request.match_info["org"]
        principal = deps.org_member(request, org, "admin")
        body = await read_json_object(request)
        reports_to = body.get("reports_to")
        invitation = await service.members.invite(
            org, str(body.get("role", "")), principal.user_id, None if reports_to is None else str(reports_to)
        )
        return web.json_response(invitation, status=201)

    def _token(org: str, user: str, role: str, name: str) -> str:
        if deps.signer is None:
            raise ApiError(501, "login_unavailable", "本服务未配置登录")
        token_role = MEMBER_TO_TOKEN_ROLE[role]
        return deps.signer.mint(role=token_role, user=user, org=org, name=name)  # type: ignore[arg-type]

    async def redeem(request: web.Request) -> web.Response:
        body = await read_json_object(request)
        user = str(body.get("user", "")).strip()
        if not user or len(user) > 64:
            raise ApiError(400, "invalid_user", "需要账号 user")
        joined = await service.members.redeem(
            request.match_info["code"], user, str(body.get("name", "")).strip()[:100], str(body.get("password", ""))
        )
        joined["token"] = _token(joined["org"], user, joined["role"], str(body.get("name") or user))
        return web.json_response(joined, status=201)

    async def login(request: web.Request) -> web.Response:
        """Back-office login of an org member (password checked with argon2)."""
        body = await read_json_object(request)
        org, user = str(body.get("org", "")), str(body.get("user", ""))
        role, name = await service.members.login(org, user, str(body.get("password", "")))
        return web.json_response({"token": _token(org, user, role, name), "org": org, "user": user, "role": role})

    return [
        web.post("/api/v1/orgs/{org}/sessions", plan_session),
        web.get("/api/v1/rooms/{room}/sessions", room_sessions),
        web.post("/api/v1/sessions/{session_id}/state", session_state),
        web.get("/api/v1/sessions/{session_id}/stats", session_stats),
        web.post("/api/v1/rooms/{room}/pins", pin),
        web.delete("/api/v1/rooms/{room}/pins/{job_id}", unpin),
        web.get("/api/v1/orgs/{org}/members", members),
        web.post("/api/v1/orgs/{org}/invitations", invite_member),
        web.post("/api/v1/invitations/{code}/redeem", redeem),
        web.post("/api/v1/auth/login", login),
    ]
