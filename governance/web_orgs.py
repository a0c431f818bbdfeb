"""Organisation registration and the enterprise review over HTTP (5.1.3 a, b; 人力资源市场暂行条例 §32).

``POST /api/v1/orgs`` (anyone signed in) registers an organisation, pending review; ``PATCH
/api/v1/orgs/{org}`` (its admin) proposes a change, pending review; platform reviewers list and decide under
``/api/v1/review/orgs``. Who may call each route is decided by ``identity.policy.ROUTES`` before the handler.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from common.http import read_json_object
from governance.keys import GOVERNANCE
from governance.orgs import KINDS, industry_access, parse_change, parse_decision, parse_registration
from governance.services import Governance
from governance.web_query import query_limit
from identity.http import PRINCIPAL


def _gov(request: web.Request) -> Governance:
    return request.app[GOVERNANCE]


async def register_org(request: web.Request) -> web.Response:
    gov = _gov(request)
    registration = parse_registration(await read_json_object(request, max_bytes=16 * 1024), gov.industries)
    flags = gov.screen_profile(registration.fields())
    org_id = await gov.orgs.register(registration, request[PRINCIPAL].user_id, flags)
    return web.json_response({"id": org_id, "state": "pending", "industry_access": registration.access}, status=201)


async def my_orgs(request: web.Request) -> web.Response:
    """The organisations the caller registered, with their review state and the reviewer's reason."""
    return web.json_response({"orgs": await _gov(request).orgs.of_registrant(request[PRINCIPAL].user_id)})


async def change_org(request: web.Request) -> web.Response:
    gov = _gov(request)
    change = parse_change(await read_json_object(request, max_bytes=16 * 1024), gov.industries)
    flags = gov.screen_profile(change)
    if "industry" in change:
        change["industry_access"] = industry_access(change["industry"], gov.industries)
    view = await gov.orgs.change(request.match_info["org"], change, request[PRINCIPAL].user_id, flags)
    return web.json_response({"id": view["id"], "state": view["state"], "change": view["change"]})


async def review_orgs(request: web.Request) -> web.Response:
    state = request.query.get("state", "pending")
    orgs = await _gov(request).orgs.queue(None if state == "all" else state, query_limit(request))
    return web.json_response({"orgs": orgs})


async def decide_org(request: web.Request) -> web.Response:
    decision, reason = parse_decision(await read_json_object(request, max_bytes=16 * 1024))
    view = await _gov(request).orgs.decide(request.match_info["id"], decision, reason, request[PRINCIPAL].user_id)
    return web.json_response(view)


async def public_org(request: web.Request) -> web.Response:
    """Anyone: an approved organisation's §32 disclosures (404 while pending or after a rejection)."""
    return web.json_response(await _gov(request).public_org(request.match_info["org"]))


def install_org_routes(app: web.Application) -> None:
    app.router.add_post("/api/v1/orgs", register_org)
    app.router.add_get("/api/v1/me/orgs", my_orgs)
    app.router.add_patch("/api/v1/orgs/{org}", change_org)
    app.router.add_get("/api/v1/orgs/{org}/public", public_org)
    app.router.add_get("/api/v1/review/orgs", review_orgs)
    app.router.add_post("/api/v1/review/orgs/{id}", decide_org)


_PROFILE: dict[str, Any] = {
    "name": {"type": "string", "minLength": 2, "maxLength": 100},
    "credit_code": {"type": "string", "pattern": "^[0-9A-HJ-NPQRTUWXY]{18}$",
                    "description": "统一社会信用代码 (GB 32100-2015), check character verified"},
    "address": {"type": "string", "minLength": 5, "maxLength": 200},
    "website": {"type": "string", "maxLength": 200},
    "contact_phone": {"type": "string", "minLength": 7, "maxLength": 20},
    "industry": {"type": "string", "description": "a code of the industry list (allowed / review / refused)"},
}
REGISTRATION: dict[str, Any] = {
    "type": "object", "required": ["name", "credit_code", "address", "contact_phone", "industry"],
    "properties": {**_PROFILE, "kind": {"enum": list(KINDS)}},
}
DECISION: dict[str, Any] = {
    "type": "object", "required": ["decision"],
    "properties": {"decision": {"enum": ["approve", "reject"]},
                   "reason": {"type": "string", "maxLength": 500, "description": "required to reject"}},
}


def org_openapi_paths(op: Any) -> dict[str, Any]:
    return {
        "/api/v1/orgs": {"post": op("Register an organisation (signed in): {name, credit_code, address, website?, "
                                    "contact_phone, industry, kind?} → {id, state: pending}", "201", "401", "403",
                                    "409", "422", "429", body=REGISTRATION)},
        "/api/v1/me/orgs": {"get": op("The organisations the caller registered, with review state and reason",
                                      "200", "401")},
        "/api/v1/orgs/{org}": {"patch": op("Org admin: change enterprise information (pending review again)",
                                           "200", "401", "403", "404", "409", "422", params=("org",),
                                           body={"type": "object", "minProperties": 1, "properties": _PROFILE})},
        "/api/v1/orgs/{org}/public": {"get": op("An approved organisation's disclosures (条例 §32): enterprise "
                                                "information, verified licences, services, fees, supervising "
                                                "authority, complaint channel", "200", "404", secured=False,
                                                params=("org",))},
        "/api/v1/review/orgs": {"get": op("Platform staff: organisations by review state (default pending; all)",
                                          "200", "401", "403", "422", query=("state", "limit"))},
        "/api/v1/review/orgs/{id}": {"post": op("Platform staff: {decision: approve|reject, reason}", "200", "401",
                                                "403", "404", "409", "422", params=("id",), body=DECISION)},
    }
