"""Operations endpoints: liveness, readiness and Prometheus metrics.

``/healthz`` and ``/readyz`` are public (load balancers probe them). ``/metrics``
tells route names, load and error rates, so it needs ``Authorization: Bearer
<metrics_token>``; with no token configured only loopback clients get it, so a
Prometheus on the same host keeps working (review finding M9).
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from common.errors import Unauthenticated
from livehire import keys

ReadinessCheck = Callable[[], Awaitable[None]]
READINESS = web.AppKey("readiness", dict[str, ReadinessCheck])
CHECK_TIMEOUT_SECONDS = 2.0


async def healthz(_request: web.Request) -> web.Response:
    """The process is alive and its event loop answers."""
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """Every dependency (store, Redis when configured) answers within the timeout."""
    results: dict[str, str] = {}
    ready = True
    for name, check in request.app[READINESS].items():
        try:
            await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
            results[name] = "ok"
        except Exception as exc:
            ready = False
            results[name] = f"unavailable: {type(exc).__name__}"
    body = {"status": "ok" if ready else "unavailable", "checks": results}
    if ready:
        return web.json_response(body)
    return web.json_response(
        {**body, "error": {"code": "not_ready", "message": "a dependency is unavailable"}}, status=503
    )


def is_loopback(remote: str | None) -> bool:
    """127.0.0.0/8, ::1 and IPv4-mapped loopback; anything unparsable (a unix socket) is not."""
    try:
        address = ipaddress.ip_address(remote or "")
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def metrics_allowed(request: web.Request, token: str | None) -> bool:
    if token is None:
        return is_loopback(request.remote)
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(presented.strip().encode(), token.encode())


async def metrics(request: web.Request) -> web.Response:
    if not metrics_allowed(request, request.app[keys.SETTINGS].metrics_token):
        raise Unauthenticated(
            "unauthorized", "读取指标需要 Authorization: Bearer <metrics_token>"
        )
    payload = generate_latest(request.app[keys.REGISTRY])
    return web.Response(body=payload, headers={"Content-Type": CONTENT_TYPE_LATEST})


def install_ops(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
