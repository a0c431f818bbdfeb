"""Hostile REST requests through the aiohttp test client: never a 500, never a traceback in the log.

Every route of the composed app (pages, feeds and websockets aside) gets fuzzed bodies, queries and
path values from every capacity; a 4xx must carry the JSON error body. Bounded example counts here;
``scripts/fuzz`` runs the long campaign against a running server.
"""

from __future__ import annotations

import asyncio
import logging
import random
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from identity.principal import ROLES
from livehire import keys
from livehire.app import create_app
from livehire.openapi import build_document
from livehire.protocol_log import server_logger
from livehire.settings import load_settings
from tests.fuzz.inputs import FIELDS, Inputs
from tests.fuzz.routes import app_routes, fill, openapi_fields

pytestmark = pytest.mark.clause("4.4.1 a")

CAPACITIES = ("anonymous", *ROLES)
#: aiohttp's parser refuses a longer request line with its own plain-text 400 before the app sees it.
HTTP_LINE_LIMIT = 8190


class Tracebacks(logging.Handler):
    """Records every log record that carries an exception (a traceback in the log)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[0] is not None:
            self.records.append(record)


def test_fuzzed_rest_requests_are_never_a_500(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    app = create_app(load_settings({"data_dir": tmp_path / "data", "port": 0}, environ={}))
    server = TestServer(app)
    loop.run_until_complete(server.start_server(logger=server_logger()))  # as ``livehire serve`` logs
    client: TestClient[Any, Any] = TestClient(server, loop=loop)
    loop.run_until_complete(client.start_server())
    routes = app_routes(app)
    fields = tuple(sorted(set(FIELDS) | set(openapi_fields(build_document(app[keys.OPENAPI_PATHS])))))
    tracebacks = Tracebacks()
    logging.getLogger().addHandler(tracebacks)
    seen: dict[int, int] = {}

    async def headers(capacity: str) -> dict[str, str]:
        if capacity == "anonymous":
            return {}
        org = "demo-org" if capacity in ("recruiter", "host") else None
        grant = await app[keys.SESSIONS].open(user_id=f"fuzz-{capacity}", role=capacity, org=org,  # type: ignore[arg-type]
                                              room="demo" if capacity == "host" else None)
        return {"Authorization": "Bearer " + grant.access_token}

    async def attempt(method: str, template: str, capacity: str, rng: random.Random) -> None:
        inputs = Inputs(rng, fields)
        path = fill(template, inputs)
        data, content_type = inputs.body()
        sent = {**await headers(capacity), **({"Content-Type": content_type} if content_type else {})}
        response = await client.request(method, path, data=data if method != "GET" else None,
                                        params=inputs.query() if rng.random() < 0.5 else None, headers=sent)
        text = await response.text()
        seen[response.status] = seen.get(response.status, 0) + 1
        assert response.status < 500 or (response.status == 503 and "unavailable" in text), (method, path, data[:200], text)
        if response.status >= 400 and path.startswith("/api/") and len(str(response.url)) < HTTP_LINE_LIMIT:
            assert '"error"' in text and '"code"' in text, (method, path, text)

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(routes), st.sampled_from(CAPACITIES), st.randoms(use_true_random=False))
    def run(route: tuple[str, str], capacity: str, rng: random.Random) -> None:
        loop.run_until_complete(attempt(*route, capacity, rng))

    try:
        run()
        assert not tracebacks.records, [(r.getMessage(), getattr(r, "path", "")) for r in tracebacks.records[:5]]
        healthy = loop.run_until_complete(client.get("/api/v1/rooms"))
        assert healthy.status == 200
        print("statuses", sorted(seen.items()))
        assert len([s for s in seen if 400 <= s < 500]) >= 3  # the fuzzer reached several kinds of refusal
    finally:
        logging.getLogger().removeHandler(tracebacks)
        loop.run_until_complete(client.close())
        loop.close()
