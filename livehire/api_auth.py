"""Signing in and out over REST: SMS codes, member passwords, invitations, sessions (4.4.1 a, b; 5.1.2).

Every successful sign-in opens a server-side session (:mod:`identity.sessions`) and answers with an
access token (15 minutes), a refresh credential for API clients, and the same credential as an HttpOnly
``SameSite=Lax`` cookie (``Secure`` behind HTTPS) for pages, which then never handle a token themselves.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from common.errors import Forbidden, Invalid, Unavailable
from common.http import read_json_object
from identity.http import COOKIE, PRINCIPAL, VIA_COOKIE
from identity.phones import normalize_phone
from identity.principal import Principal
from identity.sessions import Grant, SessionKind
from identity.sms import SimulatedSmsProvider
from livehire import keys

log = logging.getLogger("livehire.auth")
MAX_NAME = 20


def _principal(request: web.Request) -> Principal:
    return request[PRINCIPAL]  # the authorisation middleware resolved it before the handler


def _ip(request: web.Request) -> str:
    return request.remote or "unknown"


def _secure(request: web.Request) -> bool:
    return request.secure or request.app[keys.SETTINGS].base_url.startswith("https://")


def grant_response(request: web.Request, grant: Grant, body: dict[str, Any], status: int = 200) -> web.Response:
    """The sign-in answer: tokens in the body for API clients, the session cookie for pages."""
    principal = grant.principal
    response = web.json_response({
        **body,
        "token": grant.access_token,
        "expires_in": grant.access_expires_in,
        "refresh_token": grant.credential,
        "user": {"id": principal.user_id, "name": principal.name, "role": principal.role, "org": principal.org},
        "session": {"id": principal.session, "expires_at": grant.expires_at},
    }, status=status)
    max_age = max(60, (grant.expires_at - request.app[keys.CLOCK]()) // 1000)
    response.set_cookie(COOKIE, grant.credential, max_age=max_age, path="/", httponly=True, samesite="Lax",
                        secure=_secure(request))
    return response


async def _open(request: web.Request, *, user_id: str, role: Any, org: str | None, name: str | None,
                kind: SessionKind = "browser") -> Grant:
    return await request.app[keys.SESSIONS].open(
        user_id=user_id, role=role, org=org or None, name=name, kind=kind, ip=_ip(request),
        user_agent=request.headers.get("User-Agent"))


def display_name(request: web.Request, raw: object) -> str:
    """A display name shown to everyone: short, and it passes the chat filter (review M5)."""
    if not isinstance(raw, str) or not raw.strip() or len(raw.strip()) > MAX_NAME:
        raise Invalid("invalid_name", f"昵称须为 1-{MAX_NAME} 个字符")
    name = raw.strip()
    decision = request.app[keys.MODERATOR].moderate(name, role="viewer", context="name")
    if decision.action != "allow":
        raise Invalid("name_not_allowed", "昵称包含不允许的内容（如联系方式、收费或歧视用语），请修改")
    return name


async def sms_code(request: web.Request) -> web.Response:
    body = await read_json_object(request)
    phone = normalize_phone(body.get("phone"))
    await request.app[keys.LIMITS].hit("sms_code_phone", request.app[keys.PHONE_KEY].phone_hash(phone))
    issued = await request.app[keys.SMS_CODES].issue(phone)
    return web.json_response({"sent": True, "expires_at": issued.expires_at}, status=202)


async def sms_login(request: web.Request) -> web.Response:
    body = await read_json_object(request)
    phone = normalize_phone(body.get("phone"))
    code = body.get("code")
    if not isinstance(code, str) or not code.isdigit() or len(code) > 8:
        raise Invalid("invalid_code", "请输入短信验证码")
    name = display_name(request, body["name"]) if body.get("name") is not None else None
    await request.app[keys.SMS_CODES].verify(phone, code)
    phone_hash = request.app[keys.PHONE_KEY].phone_hash(phone)
    if not await request.app[keys.ACCOUNTS].has_phone(phone_hash):
        await request.app[keys.LIMITS].hit("account_create_ip", _ip(request))
    person = await request.app[keys.ACCOUNTS].person_for_phone(phone, phone_hash, name)
    grant = await _open(request, user_id=person.id, role="viewer", org=None, name=person.name)
    return grant_response(request, grant, {"created": person.created})


async def login(request: web.Request) -> web.Response:
    """Back-office sign-in: ``{"org", "user", "password"}``; platform staff leave ``org`` empty."""
    body = await read_json_object(request)
    org, user = str(body.get("org") or ""), str(body.get("user") or "")
    if not user or len(user) > 64 or len(org) > 64:
        raise Invalid("invalid_user", "需要机构与账号")
    await request.app[keys.LIMITS].hit("login_account", f"{org}/{user}")
    membership = await request.app[keys.ACCOUNTS].login(org, user, str(body.get("password") or ""))
    await request.app[keys.LIMITS].clear("login_account", f"{org}/{user}")
    grant = await _open(request, user_id=user, role=membership.role, org=org, name=membership.name)
    return grant_response(request, grant, {"org": org or None, "role": membership.role})


async def refresh(request: web.Request) -> web.Response:
    body = await read_json_object(request)
    credential = body.get("refresh_token")
    if not isinstance(credential, str):
        raise Invalid("invalid_refresh_token", "需要 refresh_token")
    grant = await request.app[keys.SESSIONS].refresh(credential)
    return web.json_response({"token": grant.access_token, "expires_in": grant.access_expires_in})


async def access_token(request: web.Request) -> web.Response:
    """A short access token for the page's own session (WHIP/WHEP take a bearer token, RFC 9725)."""
    principal = _principal(request)
    token = request.app[keys.SESSIONS].access_token(principal)
    return web.json_response({"token": token, "expires_in": 15 * 60})


def _cleared(status: int = 204) -> web.Response:
    response = web.Response(status=status)
    response.del_cookie(COOKIE, path="/")
    return response


async def logout(request: web.Request) -> web.Response:
    principal = _principal(request)
    if principal.session is not None:
        await request.app[keys.SESSIONS].revoke([principal.session], "logout")
    return _cleared()


async def logout_all(request: web.Request) -> web.Response:
    principal = _principal(request)
    ended = await request.app[keys.SESSIONS].revoke_user(principal.user_id, "logout_all")
    response = web.json_response({"ended": len(ended)})
    response.del_cookie(COOKIE, path="/")
    return response


async def whoami(request: web.Request) -> web.Response:
    principal = _principal(request)
    return web.json_response({"id": principal.user_id, "role": principal.role, "room": principal.room,
                              "org": principal.org, "name": principal.name, "session": principal.session,
                              "via_cookie": request.get(VIA_COOKIE, False)})


async def my_sessions(request: web.Request) -> web.Response:
    principal = _principal(request)
    rows = await request.app[keys.SESSIONS].of_user(principal.user_id)
    return web.json_response({"sessions": [{**row, "current": row["id"] == principal.session} for row in rows]})


async def change_password(request: web.Request) -> web.Response:
    """The caller's own password; every other session of theirs ends (a stolen one among them)."""
    principal = _principal(request)
    body = await read_json_object(request)
    await request.app[keys.ACCOUNTS].change_password(principal.user_id, body.get("old_password"),
                                                     body.get("new_password"))
    ended = await request.app[keys.SESSIONS].revoke_user(principal.user_id, "password_changed",
                                                         keep=principal.session)
    return web.json_response({"ended_sessions": len(ended)})


async def redeem(request: web.Request) -> web.Response:
    """``{"user", "name", "password"}``: a new account, or the signed-in person joins (never a takeover)."""
    body = await read_json_object(request)
    name = body.get("name")
    name = display_name(request, name) if isinstance(name, str) and name.strip() else ""

    async def new_account() -> None:  # a valid code creating an account counts like a phone sign-up
        await request.app[keys.LIMITS].hit("account_create_ip", _ip(request))

    membership = await request.app[keys.ACCOUNTS].redeem(
        request.match_info["code"], body.get("user") if isinstance(body.get("user"), str) else "",  # type: ignore[arg-type]
        name, body.get("password"), _principal(request), before_create=new_account)
    grant = await _open(request, user_id=membership.user, role=membership.role, org=membership.org,
                        name=membership.name)
    return grant_response(request, grant, {"org": membership.org, "role": membership.role}, status=201)


async def open_link(request: web.Request) -> web.Response:
    """A one-time sign-in link: a browser session, then the page it names."""
    link = await request.app[keys.LINKS].consume(request.match_info["code"])
    grant = await _open(request, user_id=link.user_id, role=link.role, org=link.org, name=link.name, kind="link")
    response = web.HTTPSeeOther(link.next_path)
    response.set_cookie(COOKIE, grant.credential, max_age=12 * 3600, path="/", httponly=True, samesite="Lax",
                        secure=_secure(request))
    raise response


async def revoke_user_sessions(request: web.Request) -> web.Response:
    """Platform admin: end every session of a person (a stolen phone, an abusive account)."""
    ended = await request.app[keys.SESSIONS].revoke_user(request.match_info["user_id"], "admin_revoke")
    return web.json_response({"ended": len(ended)})


async def sms_outbox(request: web.Request) -> web.Response:
    provider = request.app[keys.SMS_PROVIDER]
    if not isinstance(provider, SimulatedSmsProvider):
        raise Unavailable("not_simulated", "只有模拟短信通道可以查看已发送短信")
    phone = normalize_phone(request.query.get("phone"))
    return web.json_response({"messages": await provider.outbox(phone)})


async def set_my_name(request: web.Request) -> web.Response:
    principal = _principal(request)
    body = await read_json_object(request)
    name = display_name(request, body.get("name"))
    await request.app[keys.ACCOUNTS].set_name(principal.user_id, name)
    await request.app[keys.SESSIONS].rename(principal.user_id, name)
    return web.json_response({"name": name})


async def remove_member(request: web.Request) -> web.Response:
    """Org admin removes a member; every session of theirs in this org ends at once (5.1.2)."""
    org, user = request.match_info["org"], request.match_info["user_id"]
    if user == _principal(request).user_id:
        raise Forbidden("cannot_remove_self", "不能移除自己")
    await request.app[keys.ACCOUNTS].remove_member(org, user)
    ended = await request.app[keys.SESSIONS].revoke_user(user, "member_removed", org=org)
    return web.json_response({"removed": user, "ended_sessions": len(ended)})


async def set_member_role(request: web.Request) -> web.Response:
    org, user = request.match_info["org"], request.match_info["user_id"]
    body = await read_json_object(request)
    await request.app[keys.ACCOUNTS].set_role(org, user, body.get("role"))
    ended = await request.app[keys.SESSIONS].revoke_user(user, "role_changed", org=org)
    return web.json_response({"user": user, "role": body.get("role"), "ended_sessions": len(ended)})


async def invite_member(request: web.Request) -> web.Response:
    org = request.match_info["org"]
    body = await read_json_object(request)
    reports_to = body.get("reports_to")
    invitation = await request.app[keys.ACCOUNTS].invite(
        org, str(body.get("role", "")), _principal(request).user_id, None if reports_to is None else str(reports_to))
    return web.json_response(invitation, status=201)


def install_auth_api(app: web.Application) -> None:
    app.router.add_post("/api/v1/auth/sms-code", sms_code)
    app.router.add_post("/api/v1/auth/sms-login", sms_login)
    app.router.add_post("/api/v1/auth/login", login)
    app.router.add_post("/api/v1/auth/refresh", refresh)
    app.router.add_post("/api/v1/auth/token", access_token)
    app.router.add_post("/api/v1/auth/logout", logout)
    app.router.add_post("/api/v1/auth/logout-all", logout_all)
    app.router.add_get("/api/v1/auth/whoami", whoami)
    app.router.add_get("/api/v1/auth/sessions", my_sessions)
    app.router.add_post("/api/v1/auth/password", change_password)
    app.router.add_post("/api/v1/orgs/{org}/invitations", invite_member)
    app.router.add_post("/api/v1/invitations/{code}/redeem", redeem)
    app.router.add_get("/auth/link/{code}", open_link)
    app.router.add_post("/api/v1/users/{user_id}/sessions/revoke", revoke_user_sessions)
    app.router.add_get("/api/v1/admin/sms-outbox", sms_outbox)
    app.router.add_put("/api/v1/me/name", set_my_name)
    app.router.add_delete("/api/v1/orgs/{org}/members/{user_id}", remove_member)
    app.router.add_put("/api/v1/orgs/{org}/members/{user_id}/role", set_member_role)


def _op(summary: str, *codes: str, secured: bool = True, params: tuple[str, ...] = ()) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": summary, "responses": {c: {"description": c} for c in codes}}
    if secured:
        operation["security"] = [{"bearer": []}, {"cookie": []}]
    if params:
        operation["parameters"] = [{"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                                   for p in params]
    return operation


OPENAPI_PATHS: dict[str, Any] = {
    "/api/v1/auth/sms-code": {"post": _op("Send a sign-in code to a mainland mobile number", "202", "422", "429",
                                          "503", secured=False)},
    "/api/v1/auth/sms-login": {"post": _op("Sign in (or sign up) with phone and code: token, refresh token, cookie",
                                           "200", "401", "422", "429", secured=False)},
    "/api/v1/auth/login": {"post": _op("Back-office sign-in with org, user and password (org empty: platform staff)",
                                       "200", "401", "429", secured=False)},
    "/api/v1/auth/refresh": {"post": _op("A new access token for a refresh token", "200", "401", secured=False)},
    "/api/v1/auth/token": {"post": _op("A short access token for the signed-in page (WHIP/WHEP)", "200", "401")},
    "/api/v1/auth/logout": {"post": _op("End this session (its sockets close)", "204", "401")},
    "/api/v1/auth/logout-all": {"post": _op("End every session of the caller", "200", "401")},
    "/api/v1/auth/whoami": {"get": _op("The caller", "200", "401")},
    "/api/v1/auth/sessions": {"get": _op("The caller's live sessions", "200", "401")},
    "/api/v1/auth/password": {"post": _op("Change the caller's password; other sessions end", "200", "401", "403")},
    "/api/v1/invitations/{code}/redeem": {"post": _op("Redeem an invitation: a new account, or the signed-in "
                                                      "person joins", "201", "404", "409", "422", "429",
                                                      secured=False, params=("code",))},
    "/api/v1/users/{user_id}/sessions/revoke": {"post": _op("Platform admin: end a person's sessions", "200", "401",
                                                            "403", params=("user_id",))},
    "/api/v1/admin/sms-outbox": {"get": _op("Platform admin: messages of the simulated SMS provider", "200", "401",
                                            "403", "503")},
    "/api/v1/me/name": {"put": _op("The caller's display name (filtered)", "200", "401", "422")},
    "/api/v1/orgs/{org}/invitations": {"post": _op("Org admin: invite a member", "201", "401", "403",
                                                   params=("org",))},
    "/api/v1/orgs/{org}/members/{user_id}": {"delete": _op("Org admin: remove a member (their sessions end)", "200",
                                                           "401", "403", "404", params=("org", "user_id"))},
    "/api/v1/orgs/{org}/members/{user_id}/role": {"put": _op("Org admin: change a member's role", "200", "401",
                                                             "403", "404", params=("org", "user_id"))},
}
