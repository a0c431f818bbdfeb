"""The composition root over HTTP: health, metrics, pages, auth, JSON errors for bad input."""

from __future__ import annotations

import io
from typing import Any

import pytest

from identity.tokens import TokenSigner
from livehire import keys


def signer_of(client: Any) -> TokenSigner:
    signer: TokenSigner = client.server.app[keys.SIGNER]
    return signer


async def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status == status, await response.text()
    assert response.content_type == "application/json"
    body: dict[str, Any] = await response.json()
    assert set(body["error"]) >= {"code", "message"}
    return body["error"]


async def test_health_ready_and_metrics(client: Any) -> None:
    assert (await (await client.get("/healthz")).json()) == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status == 200 and (await ready.json())["checks"]["store"] == "ok"
    await client.get("/live/demo")
    metrics = await client.get("/metrics")
    text = await metrics.text()
    assert metrics.status == 200 and metrics.content_type.startswith("text/plain")
    assert 'livehire_http_requests_total{method="GET",route="/live/{room}",status="200"} 1.0' in text
    assert (await client.get("/healthz")).headers["X-Request-Id"]


async def test_api_answers_are_kept_out_of_caches(client: Any) -> None:
    """People's data stays out of browser and proxy caches (PIPL §51); pages keep their own policy."""
    assert (await client.get("/api/v1/rooms")).headers["Cache-Control"] == "private, no-store"
    refused = await client.get("/api/v1/rooms/no-such-room")
    assert refused.status == 404 and refused.headers["Cache-Control"] == "private, no-store"
    assert (await client.get("/live/demo")).headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", ["/", "/live/demo", "/studio/demo", "/office", "/review", "/me"])
async def test_pages_are_served_with_their_containers(client: Any, path: str) -> None:
    response = await client.get(path)
    assert response.status == 200 and response.content_type == "text/html"
    html = await response.text()
    assert '<html lang="zh-CN">' in html and "/static/style.css" in html
    if path == "/live/demo":
        for container in ('id="video-panel"', 'id="chat-panel"', 'id="job-panel"'):
            assert container in html


async def test_static_files_and_unknown_room_pages(client: Any) -> None:
    assert (await client.get("/static/style.css")).status == 200
    assert (await client.get("/static/common.js")).status == 200
    assert (await error_of(await client.get("/live/no-such-room"), 404))["code"] == "unknown_room"
    assert (await error_of(await client.get("/api/v1/rooms/no-such-room"), 404))["code"] == "unknown_room"
    assert (await error_of(await client.get("/definitely/not/here"), 404))["code"] == "not_found"
    assert (await error_of(await client.delete("/healthz"), 405))["code"] == "method_not_allowed"


async def test_demo_room_is_seeded_and_listed(client: Any) -> None:
    rooms = (await (await client.get("/api/v1/rooms")).json())["rooms"]
    demo = next(room for room in rooms if room["slug"] == "demo")
    assert demo["live"] is False and demo["whip_url"].endswith("/whip/demo")
    assert "stream_key" not in demo


@pytest.mark.clause("4.4.1 a")
async def test_admin_only_endpoint_checks_tokens(client: Any) -> None:
    signer = signer_of(client)
    body = {"slug": "spring-fair", "title": "春季招聘会"}
    await error_of(await client.post("/api/v1/rooms", json=body), 401)
    forged = TokenSigner("x" * 40).mint(session="test", role="admin", user="evil")
    assert (await error_of(await client.post("/api/v1/rooms", json=body, headers={"Authorization": f"Bearer {forged}"}), 401))["code"] == "invalid_token"
    viewer = signer.mint(session="test", role="viewer", user="v")
    assert (await error_of(await client.post("/api/v1/rooms", json=body, headers={"Authorization": f"Bearer {viewer}"}), 403))["code"] == "forbidden"
    admin = {"Authorization": f"Bearer {signer.mint(session='test', role='admin', user='a')}"}
    created = await client.post("/api/v1/rooms", json=body, headers=admin)
    assert created.status == 201
    room = await created.json()
    assert room["slug"] == "spring-fair" and room["stream_key"].startswith("lh_")
    assert (await error_of(await client.post("/api/v1/rooms", json=body, headers=admin), 409))["code"] == "room_exists"
    assert (await client.get("/api/v1/rooms/spring-fair")).status == 200


@pytest.mark.clause("4.4.1 a")
async def test_bad_input_gets_json_4xx_and_keeps_accepted_data(client: Any) -> None:
    admin = {"Authorization": f"Bearer {signer_of(client).mint(session='test', role='admin', user='a')}"}
    assert (await client.post("/api/v1/rooms", json={"slug": "kept"}, headers=admin)).status == 201
    malformed = await client.post("/api/v1/rooms", data=b"{not json", headers={**admin, "Content-Type": "application/json"})
    assert (await error_of(malformed, 400))["code"] == "malformed_json"
    not_object = await client.post("/api/v1/rooms", json=[1, 2], headers=admin)
    assert (await error_of(not_object, 400))["code"] == "expected_object"
    oversized = await client.post("/api/v1/rooms", data=io.BytesIO(b"x" * (2 * 1024 * 1024)), headers=admin)
    assert (await error_of(oversized, 413))["code"] == "body_too_large"
    bad_slug = await client.post("/api/v1/rooms", json={"slug": "NOT OK"}, headers=admin)
    assert (await error_of(bad_slug, 422))["code"] == "invalid_slug"
    wrong_type = await client.post("/api/v1/rooms", json={"slug": 5}, headers=admin)
    assert (await error_of(wrong_type, 422))["code"] == "invalid_slug"
    assert (await client.get("/api/v1/rooms/kept")).status == 200


async def test_openapi_document_lists_the_api(client: Any) -> None:
    document = await (await client.get("/api/v1/openapi.json")).json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/rooms/{room}" in document["paths"]


async def test_openapi_covers_every_api_route(client: Any) -> None:
    """Every /api/v1 route and method the app serves is in the OpenAPI document."""
    document = await (await client.get("/api/v1/openapi.json")).json()
    missing = []
    for route in client.server.app.router.routes():
        resource = route.resource
        if resource is None or not resource.canonical.startswith("/api/v1") or route.method in {"HEAD", "OPTIONS"}:
            continue
        operations = document["paths"].get(resource.canonical, {})
        if route.method.lower() not in operations:
            missing.append(f"{route.method} {resource.canonical}")
    assert missing == []


@pytest.mark.clause("4.4.1 a", "4.4.1 b")
async def test_room_media_stats_are_for_hosts_and_staff_only(client: Any) -> None:
    signer = signer_of(client)
    path = "/api/v1/rooms/demo/stats"
    await error_of(await client.get(path), 401)
    await error_of(await client.get(path, headers={"Authorization": f"Bearer {signer.mint(session='test', role='viewer', user='v')}"}), 403)
    other = signer.mint(session="test", role="host", user="h", room="other")
    await error_of(await client.get(path, headers={"Authorization": f"Bearer {other}"}), 403)
    host = signer.mint(session="test", role="host", user="demo-host", room="demo")
    stats = await client.get(path, headers={"Authorization": f"Bearer {host}"})
    assert stats.status == 200 and (await stats.json())["live"] is False
    admin = signer.mint(session="test", role="admin", user="a")
    await error_of(await client.get("/api/v1/rooms/nope/stats", headers={"Authorization": f"Bearer {admin}"}), 404)
