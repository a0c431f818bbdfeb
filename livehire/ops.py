"""Operations endpoints: liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

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


async def metrics(request: web.Request) -> web.Response:
    payload = generate_latest(request.app[keys.REGISTRY])
    return web.Response(body=payload, headers={"Content-Type": CONTENT_TYPE_LATEST})


def install_ops(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
