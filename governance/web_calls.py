"""Flagged call records over HTTP (standard 5.1.3 d, 5.1.5): a party of a call flags it with a reason, platform
staff settle it with a reason on the review desk. Who may call each route is decided by
``identity.policy.ROUTES``; that the caller is a party of the call is checked here (``governance.calls_sql``).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from common.http import read_json_object
from governance.calls_sql import CallFlags
from governance.complaints import iso
from governance.keys import GOVERNANCE
from governance.services import Governance
from governance.web_query import query_limit
from identity.http import PRINCIPAL


def _gov(request: web.Request) -> Governance:
    return request.app[GOVERNANCE]


def _calls(request: web.Request) -> CallFlags:
    calls = _gov(request).calls
    assert calls is not None, "build_governance builds the call flags"
    return calls


async def flag_call(request: web.Request) -> web.Response:
    """``{"reason"}`` → 201 the complaint's number, deadline and follow-up link (shown once)."""
    gov = _gov(request)
    body = await read_json_object(request, max_bytes=16 * 1024)
    filed = await _calls(request).flag(request.match_info["call_id"], request[PRINCIPAL], body)
    complaint = filed.complaint
    return web.json_response({
        "id": complaint.id, "call_id": complaint.target_id, "status": complaint.status,
        "deadline": iso(complaint.deadline),
        "follow_up_url": f"{gov.config.base_url}/api/v1/complaints/follow/{filed.token}",
        "follow_up_page": f"{gov.config.base_url}/complaints/follow/{filed.token}"}, status=201)


async def my_calls(request: web.Request) -> web.Response:
    """The calls made to the caller's applications (times and outcome; never a number)."""
    return web.json_response({"calls": await _calls(request).of_candidate(request[PRINCIPAL].user_id)})


async def review_calls(request: web.Request) -> web.Response:
    found = await _calls(request).queue(status=request.query.get("status") or None, limit=query_limit(request))
    return web.json_response({"calls": found})


async def settle_call(request: web.Request) -> web.Response:
    """``{"decision": "uphold"|"dismiss", "reason"}``: the flag is answered; the ledger records the decision."""
    gov = _gov(request)
    body = await read_json_object(request, max_bytes=16 * 1024)
    complaint = await _calls(request).settle(request.match_info["id"], body, request[PRINCIPAL].user_id)
    _, contact = await gov.complaints.get(complaint.id)
    return web.json_response(complaint.review_json(gov.complaints.now(), contact))


def install_call_routes(app: web.Application) -> None:
    app.router.add_post("/api/v1/calls/{call_id}/flag", flag_call)
    app.router.add_get("/api/v1/me/calls", my_calls)
    app.router.add_get("/api/v1/review/calls", review_calls)
    app.router.add_post("/api/v1/review/calls/{id}", settle_call)


FLAG: dict[str, Any] = {"type": "object", "required": ["reason"],
                        "properties": {"reason": {"type": "string", "minLength": 5, "maxLength": 2000}}}
SETTLE: dict[str, Any] = {"type": "object", "required": ["decision", "reason"],
                          "properties": {"decision": {"enum": ["uphold", "dismiss"]},
                                         "reason": {"type": "string", "minLength": 1, "maxLength": 2000}}}


def call_openapi_paths(op: Any) -> dict[str, Any]:
    return {
        "/api/v1/calls/{call_id}/flag": {"post": op(
            "A party of the call (its candidate, or a recruiter/admin of the calling organisation) flags it for "
            "review: {reason} → {id, call_id, status, deadline, follow_up_url, follow_up_page}", "201", "400",
            "401", "403", "404", "422", params=("call_id",), body=FLAG)},
        "/api/v1/me/calls": {"get": op("The calls made to the caller's applications (no numbers)", "200", "401")},
        "/api/v1/review/calls": {"get": op("Platform staff: flagged calls with their records, oldest deadline "
                                           "first", "200", "401", "403", "422", query=("status", "limit"))},
        "/api/v1/review/calls/{id}": {"post": op("Platform staff: settle a flagged call {decision: uphold|dismiss, "
                                                 "reason}", "200", "401", "403", "404", "409", "422",
                                                 params=("id",), body=SETTLE)},
    }


__all__ = ["call_openapi_paths", "install_call_routes"]
