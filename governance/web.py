"""The governance HTTP adapter: complaints (4.4.1 e), organisations (web_orgs) and the review desk's API.

Thin: handlers read the body (``common.http.read_json_object``), call the repositories and answer JSON; who
may call each route is decided before the handler by ``identity.policy.ROUTES``. Complaints are handled by
platform staff only: no route shows a complaint to an organisation, so the organisation a complaint is about
never sees or settles it.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from common.errors import Invalid
from common.http import read_json_object
from governance.complaints import TARGET_TYPES, iso, parse_filing
from governance.keys import GOVERNANCE
from governance.services import Governance
from governance.web_calls import call_openapi_paths, install_call_routes
from governance.web_evaluation import evaluation_openapi_paths, install_evaluation_routes
from governance.web_licences import install_licence_routes, licence_openapi_paths
from governance.web_orgs import install_org_routes, org_openapi_paths
from governance.web_query import query_flag, query_limit
from identity.http import PRINCIPAL

__all__ = ["GOVERNANCE", "install_governance", "openapi_paths"]


def _gov(request: web.Request) -> Governance:
    return request.app[GOVERNANCE]


async def file_complaint(request: web.Request) -> web.Response:
    """Anyone, signed in or not (rate-limited per address); 201 with the follow-up link, shown once."""
    gov = _gov(request)
    filing = parse_filing(await read_json_object(request, max_bytes=16 * 1024))
    principal = request[PRINCIPAL]
    filed = await gov.complaints.file(filing, gov.mask_personal(filing.text),
                                      None if principal.anonymous else principal.user_id)
    complaint = filed.complaint
    return web.json_response({
        "id": complaint.id, "status": complaint.status, "deadline": iso(complaint.deadline),
        "follow_up_url": f"{gov.config.base_url}/api/v1/complaints/follow/{filed.token}",
        "follow_up_page": f"{gov.config.base_url}/complaints/follow/{filed.token}",  # the same link, for people
    }, status=201)


async def follow_complaint(request: web.Request) -> web.Response:
    gov = _gov(request)
    complaint = await gov.complaints.by_token(request.match_info["token"])
    return web.json_response(complaint.public_json(gov.complaints.now()))


async def complaint_channel(request: web.Request) -> web.Response:
    """The platform's public complaint contacts and promise (4.4.1 e: 公开有效的联系方式)."""
    config = _gov(request).config
    return web.json_response({"phone": config.complaint_phone, "email": config.complaint_email,
                              "working_days": config.working_days, "target_types": list(TARGET_TYPES),
                              "submit_url": f"{config.base_url}/api/v1/complaints"})


async def review_complaints(request: web.Request) -> web.Response:
    gov = _gov(request)
    query = request.query
    found = await gov.complaints.list(status=query.get("status") or None, overdue=query_flag(request, "overdue"),
                                      limit=query_limit(request), target_type=query.get("target_type") or None)
    now = gov.complaints.now()
    return web.json_response({"complaints": [c.review_json(now, contact) for c, contact in found]})


async def act_on_complaint(request: web.Request) -> web.Response:
    """``{"action": "assign", "assignee"?}`` | ``{"action": "answer", "reply"}`` | ``{"action": "close"}``."""
    gov = _gov(request)
    body = await read_json_object(request, max_bytes=16 * 1024)
    assignee = body.get("assignee")
    if assignee is not None and (not isinstance(assignee, str) or not 1 <= len(assignee) <= 64):
        raise Invalid("invalid_assignee", "assignee 须为账号")
    complaint = await gov.complaints.act(request.match_info["id"], str(body.get("action", "")),
                                         request[PRINCIPAL].user_id, assignee=assignee, reply=body.get("reply"))
    _, contact = await gov.complaints.get(complaint.id)
    return web.json_response(complaint.review_json(gov.complaints.now(), contact))


def install_governance(app: web.Application, governance: Governance) -> None:
    """Every governance route; the composition root calls this once."""
    app[GOVERNANCE] = governance
    app.router.add_post("/api/v1/complaints", file_complaint)
    app.router.add_get("/api/v1/complaints/channel", complaint_channel)
    app.router.add_get("/api/v1/complaints/follow/{token}", follow_complaint)
    app.router.add_get("/api/v1/review/complaints", review_complaints)
    app.router.add_post("/api/v1/review/complaints/{id}", act_on_complaint)
    install_org_routes(app)
    install_licence_routes(app)
    install_call_routes(app)
    install_evaluation_routes(app)


def _op(summary: str, *codes: str, secured: bool = True, params: tuple[str, ...] = (),
        query: tuple[str, ...] = (), body: dict[str, Any] | None = None) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": summary, "responses": {c: {"description": c} for c in codes}}
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if secured:
        operation["security"] = [{"bearer": []}, {"cookie": []}]
    parameters = [{"name": p, "in": "path", "required": True, "schema": {"type": "string"}} for p in params]
    parameters += [{"name": q, "in": "query", "required": False, "schema": {"type": "string"}} for q in query]
    if parameters:
        operation["parameters"] = parameters
    return operation


COMPLAINT: dict[str, Any] = {
    "type": "object", "required": ["target_type", "text"],
    "properties": {"target_type": {"enum": list(TARGET_TYPES)}, "target_id": {"type": "string", "maxLength": 128},
                   "text": {"type": "string", "minLength": 5, "maxLength": 2000},
                   "contact": {"type": "string", "maxLength": 100}},
}
COMPLAINT_STEP: dict[str, Any] = {
    "type": "object", "required": ["action"],
    "properties": {"action": {"enum": ["assign", "answer", "close"]}, "assignee": {"type": "string"},
                   "reply": {"type": "string", "maxLength": 2000}},
}


def openapi_paths() -> dict[str, Any]:
    return {
        **org_openapi_paths(_op),
        **licence_openapi_paths(_op),
        **call_openapi_paths(_op),
        **evaluation_openapi_paths(_op),
        "/api/v1/complaints": {"post": _op(
            "File a complaint or report (no sign-in needed): {target_type, target_id, text, contact?} → "
            "{id, status, deadline, follow_up_url (JSON), follow_up_page (the page)}", "201", "400", "422", "429", secured=False, body=COMPLAINT)},
        "/api/v1/complaints/channel": {"get": _op("The platform's complaint phone, e-mail and deadline", "200",
                                                  secured=False)},
        "/api/v1/complaints/follow/{token}": {"get": _op("A complaint's status and reply, by its follow-up link",
                                                         "200", "404", secured=False, params=("token",))},
        "/api/v1/review/complaints": {"get": _op("Platform staff: complaints, oldest deadline first", "200", "401",
                                                 "403", "422", query=("status", "overdue", "target_type", "limit"))},
        "/api/v1/review/complaints/{id}": {"post": _op("Platform staff: assign, answer (reply) or close",
                                                       "200", "401", "403", "404", "409", "422", params=("id",),
                                                       body=COMPLAINT_STEP)},
    }
