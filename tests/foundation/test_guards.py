"""The test harness's own guards: a blocked event loop fails the test; logs are JSON with request ids."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from livehire.logs import REQUEST_ID, JsonFormatter

pytest_plugins = ["pytester"]


@pytest.mark.slow
def test_blocking_the_event_loop_fails_the_test(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[2]))
    pytester.makeconftest("from tests.conftest import fail_on_blocked_loop  # noqa: F401\n")
    pytester.makepyfile(
        """
        import asyncio, time

        async def test_blocks() -> None:
            await asyncio.sleep(0)
            time.sleep(1.3)

        async def test_yields() -> None:
            await asyncio.sleep(0.05)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-o", "asyncio_mode=auto", "-o", "asyncio_default_fixture_loop_scope=function")
    result.assert_outcomes(passed=2, errors=1)  # test_blocks errors in teardown
    result.stdout.fnmatch_lines(["*blocked the event loop*"])


def test_json_log_lines_carry_the_request_id() -> None:
    formatter = JsonFormatter()
    record = logging.LogRecord("livehire.http", logging.INFO, __file__, 1, "request refused", None, None)
    record.status = 404
    token = REQUEST_ID.set("abc123")
    try:
        entry: dict[str, Any] = json.loads(formatter.format(record))
    finally:
        REQUEST_ID.reset(token)
    assert entry["msg"] == "request refused" and entry["request_id"] == "abc123" and entry["status"] == 404
    assert entry["level"] == "info" and entry["logger"] == "livehire.http"
