"""``serve --workers``: how many workers, and session URLs forwarded to the worker holding the session."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from livehire.settings import Settings, SettingsError
from livehire.workers import HOP_HEADER, forward_to_siblings, unshared, worker_count

SHARED = Settings(redis_url="redis://127.0.0.1:6379/0", database_url="postgresql://db/livehire")


def test_worker_count() -> None:
    assert worker_count(None, Settings()) == 1  # embedded mode (SQLite, no Redis): one process
    assert worker_count(None, SHARED) >= 1 and unshared(SHARED) is None
    assert worker_count(3, SHARED) == 3
    assert worker_count(1, Settings()) == 1
    with pytest.raises(SettingsError, match="redis-url"):
        worker_count(2, Settings(database_url="postgresql://db/livehire"))
    with pytest.raises(SettingsError, match="PostgreSQL"):
        worker_count(2, Settings(redis_url="redis://127.0.0.1:6379/0"))
    with pytest.raises(SettingsError):
        worker_count(0, SHARED)


def holder(seen: list[tuple[str, str, bytes, str | None]], sessions: set[str]) -> web.Application:
    """A worker holding ``sessions`` of room ``demo``: answers as signaling would."""
    async def session(request: web.Request) -> web.Response:
        seen.append((request.method, request.path_qs, await request.read(), request.headers.get(HOP_HEADER)))
        if request.match_info["session"] not in sessions:
            if request.match_info["session"].startswith("raise-"):
                raise web.HTTPNotFound()  # an aiohttp error, not a rendered one
            return web.json_response({"error": {"code": "unknown_session"}}, status=404)
        return web.Response(status=204 if request.method == "PATCH" else 200, headers={"ETag": '"v2"'})

    app = web.Application()
    app.router.add_route("*", "/whep/{room}/{session}", session)
    app.router.add_post("/whep/{room}/{session}/layer", session)
    return app


@pytest.fixture
async def workers() -> AsyncIterator[tuple[TestClient[web.Request, web.Application], list[tuple[str, str, bytes, str | None]],
                                           list[tuple[str, str, bytes, str | None]]]]:
    """Worker A (knows no session, forwards) and worker B (holds ``s1``) on loopback."""
    seen_a: list[tuple[str, str, bytes, str | None]] = []
    seen_b: list[tuple[str, str, bytes, str | None]] = []
    b = TestServer(holder(seen_b, {"s1", "raise-1"}), host="127.0.0.1")
    await b.start_server()
    assert b.port is not None
    dead = TestServer(web.Application(), host="127.0.0.1")  # a sibling that went away
    await dead.start_server()
    dead_port = dead.port
    await dead.close()
    assert dead_port is not None
    a_app = holder(seen_a, set())
    forward, close = forward_to_siblings([dead_port, b.port])
    a_app.middlewares.insert(0, forward)
    a_app.on_cleanup.append(lambda _: close())

    async def hello(request: web.Request) -> web.Response:
        return web.Response(status=404, text="no such page")

    a_app.router.add_get("/other/{x}", hello)
    client = TestClient(TestServer(a_app, host="127.0.0.1"))
    await client.start_server()
    try:
        yield client, seen_a, seen_b
    finally:
        await client.close()
        await b.close()


Workers = tuple[TestClient[web.Request, web.Application], list[tuple[str, str, bytes, str | None]],
                list[tuple[str, str, bytes, str | None]]]


async def test_unknown_session_is_forwarded_with_its_body(workers: Workers) -> None:
    client, seen_a, seen_b = workers
    response = await client.patch("/whep/demo/s1?x=1", data=b"a=ice-ufrag:ab\r\n", headers={"If-Match": '"v1"'})
    assert response.status == 204 and response.headers["ETag"] == '"v2"'
    assert seen_a == [("PATCH", "/whep/demo/s1?x=1", b"a=ice-ufrag:ab\r\n", None)]
    assert seen_b == [("PATCH", "/whep/demo/s1?x=1", b"a=ice-ufrag:ab\r\n", "1")]  # marked: never forwarded again
    assert (await client.post("/whep/demo/s1/layer", json={"layer": "h"})).status == 200


async def test_unknown_everywhere_is_the_local_404(workers: Workers) -> None:
    client, _, seen_b = workers
    response = await client.delete("/whep/demo/nobody")
    assert response.status == 404 and (await response.json())["error"]["code"] == "unknown_session"
    assert seen_b == [("DELETE", "/whep/demo/nobody", b"", "1")]


async def test_a_raised_not_found_is_forwarded_too(workers: Workers) -> None:
    client, _, _ = workers
    assert (await client.delete("/whep/demo/raise-1")).status == 200
    assert (await client.delete("/whep/demo/raise-2")).status == 404  # nobody holds it: the local error


async def test_only_session_urls_and_first_hops_are_forwarded(workers: Workers) -> None:
    client, _, seen_b = workers
    assert (await client.get("/other/thing")).status == 404
    assert (await client.delete("/whep/demo/s1", headers={HOP_HEADER: "1"})).status == 404  # already a hop
    assert seen_b == []




def scraped_worker(token: str | None, value: float) -> web.Application:
    """A worker's /metrics as livehire serves it (ops handler, its own registry, errors rendered)."""
    from prometheus_client import CollectorRegistry, Gauge

    from livehire import keys
    from livehire.middleware import build_middlewares
    from livehire.ops import metrics

    registry = CollectorRegistry()
    Gauge("livehire_media_viewers", "Viewers.", registry=registry).set(value)
    app = web.Application(middlewares=build_middlewares(registry))
    app[keys.SETTINGS] = Settings(metrics_token=token)
    app[keys.REGISTRY] = registry
    app.router.add_get("/metrics", metrics)
    return app


@pytest.mark.parametrize("token", [None, "s3cret"])
async def test_metrics_answer_for_every_worker_of_the_node(token: str | None) -> None:
    """serve --workers: whichever worker a scrape reaches, it carries every worker's samples, labelled."""
    from prometheus_client.parser import text_string_to_metric_families

    from livehire.workers import Worker

    sibling = TestServer(scraped_worker(token, 7), host="127.0.0.1")
    await sibling.start_server()
    dead = TestServer(web.Application(), host="127.0.0.1")
    await dead.start_server()
    dead_port = dead.port
    await dead.close()
    assert sibling.port is not None and dead_port is not None
    app = scraped_worker(token, 3)
    Worker(1, 0, (sibling.port, dead_port), False).prepare(app)  # worker 1 of 3: siblings are workers 0 and 2
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    try:
        auth = {"Authorization": f"Bearer {token}"} if token else {}
        if token:
            assert (await client.get("/metrics")).status == 401  # the answering worker's own check first
            assert (await client.get("/metrics", headers={"Authorization": "Bearer wrong"})).status == 401
        response = await client.get("/metrics", headers=auth)
        assert response.status == 200
        samples = {(s.name, s.labels.get("worker")): s.value
                   for family in text_string_to_metric_families(await response.text()) for s in family.samples}
        assert samples[("livehire_media_viewers", "1")] == 3 and samples[("livehire_media_viewers", "0")] == 7
        assert samples[("livehire_worker_scrape_up", "0")] == 1 and samples[("livehire_worker_scrape_up", "2")] == 0
        assert ("livehire_media_viewers", "2") not in samples
        own = await client.get("/metrics", headers={**auth, HOP_HEADER: "1"})  # a sibling's scrape: its own only
        assert "worker=" not in await own.text()
    finally:
        await client.close()
        await sibling.close()
