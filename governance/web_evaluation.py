"""The HTTP adapter of evaluation and improvement (standard 6.1, 6.2): ratings, quality figures, the monthly
report and corrective actions. Thin; who may call each route is decided by ``identity.policy.ROUTES``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from common.errors import Invalid
from common.http import read_json_object
from governance.evaluation import (
    MAX_COMMENT,
    month_of,
    parse_action_filing,
    parse_month,
    parse_rating,
    previous_month,
)
from governance.keys import GOVERNANCE
from governance.quality import monthly_report, quality
from governance.services import Governance
from governance.web_query import query_flag, query_limit
from identity.http import PRINCIPAL

Op = Callable[..., dict[str, Any]]


def _gov(request: web.Request) -> Governance:
    return request.app[GOVERNANCE]


def _month(request: web.Request, raw: str | None) -> str:
    return parse_month(raw) if raw else month_of(_gov(request).ratings.now())


async def rate_session(request: web.Request) -> web.Response:
    """A viewer or candidate of the session rates it; rating again replaces the earlier rating."""
    rating = parse_rating(await read_json_object(request, max_bytes=4096))
    book = _gov(request).ratings
    answer = await book.rate_session(request.match_info["session_id"], request[PRINCIPAL].user_id, rating)
    return web.json_response(answer, status=201)


async def rate_platform(request: web.Request) -> web.Response:
    rating = parse_rating(await read_json_object(request, max_bytes=4096))
    answer = await _gov(request).ratings.rate_platform(request.match_info["org"], request[PRINCIPAL].user_id, rating)
    return web.json_response(answer, status=201)


async def org_ratings(request: web.Request) -> web.Response:
    return web.json_response(await _gov(request).ratings.of_org(request.match_info["org"]))


async def review_quality(request: web.Request) -> web.Response:
    month = _month(request, request.query.get("month"))
    return web.json_response(quality(await _gov(request).ratings.month_facts(month)))


async def review_report(request: web.Request) -> web.Response:
    gov = _gov(request)
    month = parse_month(request.match_info["month"])
    facts = await gov.ratings.month_facts(month)
    before = await gov.ratings.month_facts(previous_month(month))
    report = monthly_report(facts, before, await gov.actions.month_counts(month), gov.ratings.now())
    return web.json_response(report)


async def held_comments(request: web.Request) -> web.Response:
    return web.json_response({"ratings": await _gov(request).ratings.held()})


async def settle_comment(request: web.Request) -> web.Response:
    body = await read_json_object(request, max_bytes=1024)
    try:
        rating_id = int(request.match_info["id"])
    except ValueError as exc:
        raise Invalid("invalid_id", "评价编号须为整数") from exc
    answer = await _gov(request).ratings.settle(rating_id, str(body.get("decision", "")), request[PRINCIPAL].user_id)
    return web.json_response(answer)


async def list_actions(request: web.Request) -> web.Response:
    query = request.query
    found = await _gov(request).actions.list(status=query.get("status") or None, overdue=query_flag(request, "overdue"),
                                             org_id=query.get("org") or None, limit=query_limit(request))
    return web.json_response({"actions": found})


async def open_action(request: web.Request) -> web.Response:
    actions = _gov(request).actions
    filing = parse_action_filing(await read_json_object(request, max_bytes=16 * 1024), actions.now())
    return web.json_response(await actions.open(filing, request[PRINCIPAL].user_id), status=201)


async def step_action(request: web.Request) -> web.Response:
    """``{"step": "done", "outcome"}`` | ``{"step": "verify"}`` | ``{"step": "reopen"}``."""
    body = await read_json_object(request, max_bytes=16 * 1024)
    answer = await _gov(request).actions.step(request.match_info["id"], str(body.get("step", "")),
                                              request[PRINCIPAL].user_id, body.get("outcome"))
    return web.json_response(answer)


def install_evaluation_routes(app: web.Application) -> None:
    app.router.add_post("/api/v1/sessions/{session_id}/rating", rate_session)
    app.router.add_post("/api/v1/orgs/{org}/platform-rating", rate_platform)
    app.router.add_get("/api/v1/orgs/{org}/ratings", org_ratings)
    app.router.add_get("/api/v1/review/quality", review_quality)
    app.router.add_get("/api/v1/review/reports/{month}", review_report)
    app.router.add_get("/api/v1/review/ratings", held_comments)
    app.router.add_post("/api/v1/review/ratings/{id}", settle_comment)
    app.router.add_get("/api/v1/review/actions", list_actions)
    app.router.add_post("/api/v1/review/actions", open_action)
    app.router.add_post("/api/v1/review/actions/{id}", step_action)


RATING: dict[str, Any] = {
    "type": "object", "required": ["score"],
    "properties": {"score": {"type": "integer", "minimum": 1, "maximum": 5},
                   "comment": {"type": "string", "maxLength": MAX_COMMENT}},
}
ACTION: dict[str, Any] = {
    "type": "object", "required": ["problem", "action", "owner", "follow_up"],
    "properties": {"problem": {"type": "string"}, "action": {"type": "string"}, "owner": {"type": "string"},
                   "follow_up": {"type": "string", "format": "date"}, "org_id": {"type": "string"},
                   "host": {"type": "string"}, "source": {"type": "string"}},
}
STEP: dict[str, Any] = {
    "type": "object", "required": ["step"],
    "properties": {"step": {"enum": ["done", "verify", "reopen"]}, "outcome": {"type": "string"}},
}


def evaluation_openapi_paths(op: Op) -> dict[str, Any]:
    return {
        "/api/v1/sessions/{session_id}/rating": {"post": op(
            "A viewer or candidate of a live session rates it (1-5, comment screened); again: replaced",
            "201", "401", "403", "404", "409", "422", params=("session_id",), body=RATING)},
        "/api/v1/orgs/{org}/platform-rating": {"post": op("An organisation rates the platform (one per month)",
                                                          "201", "401", "403", "422", params=("org",), body=RATING)},
        "/api/v1/orgs/{org}/ratings": {"get": op("An organisation's sessions as rated, and shown comments", "200",
                                                 "401", "403", params=("org",))},
        "/api/v1/review/quality": {"get": op("Platform staff: quality figures per organisation and host of a month",
                                             "200", "401", "403", "422", query=("month",))},
        "/api/v1/review/reports/{month}": {"get": op("Platform staff: the monthly evaluation report", "200", "401",
                                                     "403", "422", params=("month",))},
        "/api/v1/review/ratings": {"get": op("Platform staff: rating comments held by the filter", "200", "401",
                                             "403")},
        "/api/v1/review/ratings/{id}": {"post": op("Platform staff: show or remove a held comment", "200", "401",
                                                   "403", "404", "422", params=("id",))},
        "/api/v1/review/actions": {
            "get": op("Platform staff: corrective actions, earliest follow-up first", "200", "401", "403", "422",
                      query=("status", "overdue", "org", "limit")),
            "post": op("Platform staff: record a corrective action", "201", "400", "401", "403", "422", body=ACTION)},
        "/api/v1/review/actions/{id}": {"post": op("Platform staff: done (with outcome), verify or reopen", "200",
                                                   "401", "403", "404", "409", "422", params=("id",), body=STEP)},
    }
