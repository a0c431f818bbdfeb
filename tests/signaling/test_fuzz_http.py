"""Hypothesis-fuzzed SDP bodies through the real HTTP endpoints: 4xx (or 201), never 5xx, no leaked peer."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.signaling.helpers import make_app, make_service
from tests.signaling.offers import OBS_OFFER
from tests.signaling.test_sdp import mutated_offers

pytestmark = pytest.mark.media


def test_fuzzed_bodies_over_http_never_crash_or_leak() -> None:
    loop = asyncio.new_event_loop()
    service_holder: dict[str, Any] = {}

    async def start() -> TestClient[Any, Any]:
        service = make_service(connect_timeout=2.0)
        service_holder["service"] = service
        client: TestClient[Any, Any] = TestClient(TestServer(make_app(service)))
        await client.start_server()
        return client

    client = loop.run_until_complete(start())
    statuses: list[int] = []

    async def attempt(body: str, path: str) -> None:
        response = await client.post(path, data=body.encode("utf-8", "surrogatepass"),
                                     headers={"Content-Type": "application/sdp", "Authorization": "Bearer demo-stream-key"})
        statuses.append(response.status)
        assert response.status == 201 or 400 <= response.status < 500, await response.text()
        if response.status == 201:
            assert (await client.delete(response.headers["Location"])).status == 200
        else:
            payload = await response.json()
            assert payload["error"]["code"] and payload["error"]["message"]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.one_of(mutated_offers(), st.text(max_size=200)), st.sampled_from(["/whip/demo", "/whep/demo"]))
    def run(body: str, path: str) -> None:
        loop.run_until_complete(attempt(body, path))

    try:
        run()
        loop.run_until_complete(attempt(OBS_OFFER, "/whip/demo"))
        assert statuses[-1] == 201  # the unmutated offer is accepted, so the fuzzer explores near it
        assert service_holder["service"].session_count() == 0
    finally:
        loop.run_until_complete(client.close())
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()
    print("statuses", sorted(set(statuses)))
