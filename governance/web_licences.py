"""Licences over HTTP (standard 5.1.1, 4.2.3): an organisation's admin submits, platform staff review.

Upload format: one JSON body (``application/json``) with the file in base64 — ``{"kind", "number",
"authority", "valid_from": "YYYY-MM-DD", "valid_until": "YYYY-MM-DD", "file": {"name", "content_type",
"data"}}``; the body may be 4/3 of the file limit plus 64 KiB. The file type is decided by its first bytes
(PDF, PNG, JPEG). Who may call each route is decided by ``identity.policy.ROUTES`` before the handler.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from common.http import read_json_object
from governance.keys import GOVERNANCE
from governance.licences import LICENCE_KINDS, parse_decision, parse_submission
from governance.services import Governance
from governance.web_query import query_limit
from identity.http import PRINCIPAL


def _gov(request: web.Request) -> Governance:
    return request.app[GOVERNANCE]


async def submit_licence(request: web.Request) -> web.Response:
    gov = _gov(request)
    limit = gov.config.licence_max_bytes
    body = await read_json_object(request, max_bytes=limit * 4 // 3 + 64 * 1024)
    submission = parse_submission(body, gov.licences.today(), limit)
    view = await gov.licences.submit(request.match_info["org"], submission, request[PRINCIPAL].user_id)
    return web.json_response(view, status=201)


async def org_licences(request: web.Request) -> web.Response:
    """The organisation's licences: state, reviewer's reason, validity, re-verification, suspended jobs."""
    return web.json_response({"licences": await _gov(request).licences.of_org(request.match_info["org"])})


async def licence_file(request: web.Request) -> web.Response:
    """The evidence file, for the organisation's admin and platform staff: only PDF, PNG or JPEG (checked by
    their bytes at upload), served with its checked type and ``nosniff`` under the site's CSP."""
    data, content_type, name = await _gov(request).licences.file(request.match_info["org"], request.match_info["id"])
    ascii_name = "".join(c if (c.isascii() and c.isalnum()) or c in "._-" else "_" for c in name) or "licence"
    return web.Response(body=data, content_type=content_type, headers={
        "Content-Disposition": f'inline; filename="{ascii_name}"', "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store"})


async def review_licences(request: web.Request) -> web.Response:
    found = await _gov(request).licences.queue(request.query.get("state", "pending"), query_limit(request))
    return web.json_response({"licences": found})


async def decide_licence(request: web.Request) -> web.Response:
    decision, reason = parse_decision(await read_json_object(request, max_bytes=16 * 1024))
    gov = _gov(request)
    view = await gov.licences.decide(request.match_info["id"], decision, reason, request[PRINCIPAL].user_id)
    return web.json_response(view)


def install_licence_routes(app: web.Application) -> None:
    app.router.add_get("/api/v1/orgs/{org}/licences", org_licences)
    app.router.add_post("/api/v1/orgs/{org}/licences", submit_licence)
    app.router.add_get("/api/v1/orgs/{org}/licences/{id}/file", licence_file)
    app.router.add_get("/api/v1/review/licences", review_licences)
    app.router.add_post("/api/v1/review/licences/{id}", decide_licence)


SUBMISSION: dict[str, Any] = {
    "type": "object", "required": ["kind", "number", "authority", "valid_from", "valid_until", "file"],
    "properties": {
        "kind": {"enum": list(LICENCE_KINDS)}, "number": {"type": "string", "minLength": 4, "maxLength": 100},
        "authority": {"type": "string", "minLength": 2, "maxLength": 200},
        "valid_from": {"type": "string", "format": "date"}, "valid_until": {"type": "string", "format": "date"},
        "file": {"type": "object", "required": ["data"], "properties": {
            "name": {"type": "string"}, "content_type": {"enum": ["application/pdf", "image/png", "image/jpeg"]},
            "data": {"type": "string", "contentEncoding": "base64",
                     "description": "PDF, PNG or JPEG (checked by its first bytes), at most licence_max_bytes"}}},
    },
}
LICENCE_DECISION: dict[str, Any] = {
    "type": "object", "required": ["decision"],
    "properties": {"decision": {"enum": ["approve", "reject", "revoke"]},
                   "reason": {"type": "string", "maxLength": 500, "description": "required to reject or revoke"}},
}


def licence_openapi_paths(op: Any) -> dict[str, Any]:
    return {
        "/api/v1/orgs/{org}/licences": {
            "get": op("The organisation's licences (its admin, platform staff): state, reason, validity, "
                      "re-verification, suspended jobs", "200", "401", "403", params=("org",)),
            "post": op("Org admin: submit a licence with its evidence file (base64 JSON) → pending", "201", "400",
                       "401", "403", "404", "413", "422", params=("org",), body=SUBMISSION)},
        "/api/v1/orgs/{org}/licences/{id}/file": {"get": op("The licence's evidence file (its admin, platform "
                                                            "staff)", "200", "401", "403", "404",
                                                            params=("org", "id"))},
        "/api/v1/review/licences": {"get": op("Platform staff: licences by state (pending, due for "
                                              "re-verification, verified, rejected, expired, revoked, all)",
                                              "200", "401", "403", "422", query=("state", "limit"))},
        "/api/v1/review/licences/{id}": {"post": op("Platform staff: {decision: approve|reject|revoke, reason}",
                                                    "200", "401", "403", "404", "409", "422", params=("id",),
                                                    body=LICENCE_DECISION)},
    }


__all__ = ["install_licence_routes", "licence_openapi_paths"]
