"""Request ids, JSON error bodies and HTTP metrics for every request."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Histogram

from common.clean_text import INVALID_TEXT_MESSAGE, unusable
from common.errors import LivehireError, Malformed
from common.http import error_response, render_error
from identity.http import COOKIE, DEAD_COOKIE
from livehire.logs import REQUEST_ID
from store.faults import store_unavailable, unreachable

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
log = logging.getLogger("livehire.http")

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    411: "length_required",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    428: "precondition_required",
    429: "too_many_requests",
}


def _route_name(request: web.Request) -> str:
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "unmatched"


def build_middlewares(registry: CollectorRegistry) -> list[web.middleware]:  # type: ignore[valid-type]
    requests = Counter(
        "livehire_http_requests", "HTTP requests served", ["method", "route", "status"], registry=registry
    )
    latency = Histogram(
        "livehire_http_request_seconds", "HTTP request latency", ["route"], registry=registry
    )

    @web.middleware
    async def observe(request: web.Request, handler: Handler) -> web.StreamResponse:
        request_id = request.headers.get("X-Request-Id") or secrets.token_hex(8)
        token = REQUEST_ID.set(request_id[:64])
        started = time.perf_counter()
        status = 500
        try:
            response = await _render_errors(request, handler)
            status = response.status
            if not response.prepared:
                response.headers["X-Request-Id"] = request_id[:64]
                if request.path.startswith("/api/"):
                    # answers hold people's data: kept out of browser and proxy caches (PIPL §51), and two
                    # identical GETs in flight are never made to wait on one cache entry
                    response.headers.setdefault("Cache-Control", "private, no-store")
            return response
        finally:
            route = _route_name(request)
            requests.labels(request.method, route, str(status)).inc()
            latency.labels(route).observe(time.perf_counter() - started)
            if status >= 500:
                log.error("request failed", extra={"method": request.method, "path": request.path, "status": status})
            elif status >= 400:
                log.info("request refused", extra={"method": request.method, "path": request.path, "status": status})
            REQUEST_ID.reset(token)

    return [observe]


async def _render_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    for values in (request.match_info.values(), request.query.values()):
        if any(unusable(value) for value in values):  # %00 in a path or query: never reaches SQL (clean_text)
            return render_error(Malformed("invalid_text", INVALID_TEXT_MESSAGE))
    try:
        return await handler(request)
    except LivehireError as error:
        response = render_error(error)
        if request.get(DEAD_COOKIE, False):
            response.del_cookie(COOKIE, path="/")
        return response
    except web.HTTPException as exc:
        if exc.status < 400 or exc.content_type == "application/json":
            raise
        code = _HTTP_CODES.get(exc.status, "http_error")
        message = exc.text if exc.text and not exc.text.startswith(f"{exc.status}:") else exc.reason
        headers = {k: v for k, v in exc.headers.items() if k.lower() not in {"content-type", "content-length"}}
        return error_response(exc.status, code, message or exc.reason, headers=headers)
    except Exception as exc:
        if unreachable(exc, sockets=False):  # the database is away: refused, try again (not a bug, no traceback)
            log.warning("store unreachable: %r", exc, extra={"method": request.method, "path": request.path})
            return render_error(store_unavailable())
        log.exception("unhandled error", extra={"method": request.method, "path": request.path})
        return render_error(LivehireError("internal_error", "服务器处理请求时出错，请稍后再试", kind="internal"))
