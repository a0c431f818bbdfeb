"""What the fuzz campaign found, kept as plain regression tests (scripts/fuzz, docs/operations.md "Fuzzing")."""

from __future__ import annotations

import logging

import msgpack
import pytest
from aiohttp.http_exceptions import LineTooLong

from chat.frames import FrameError, decode_client
from common.errors import Invalid
from governance.calls_sql import parse_settlement
from livehire.protocol_log import server_logger

pytestmark = pytest.mark.clause("4.4.1 a")


@pytest.mark.parametrize("decision", [{}, [], ["uphold"], 1.5, None])
def test_a_call_review_decision_that_is_not_a_string_is_a_422_not_a_500(decision: object) -> None:
    """``{"decision": {}}`` to POST /api/v1/review/calls/{id}: ``{} in VERDICTS`` raised TypeError (a 500)."""
    with pytest.raises(Invalid) as refused:
        parse_settlement({"decision": decision, "reason": "理由"})
    assert refused.value.code == "invalid_decision"


def test_an_unparseable_request_is_one_warning_line_not_a_traceback(caplog: pytest.LogCaptureFixture) -> None:
    """aiohttp logs a request line over 8190 bytes with ``logger.exception``: a traceback at ERROR per request."""
    logger = server_logger()
    with caplog.at_level(logging.DEBUG, logger="aiohttp"):
        logger.exception("Error handling request from %s", "127.0.0.1", exc_info=LineTooLong("x" * 9000, "8190"))
        logger.exception("Error handling request from %s", "127.0.0.1", exc_info=RuntimeError("a real bug"))
    first, second = caplog.records
    assert first.levelno == logging.WARNING and first.exc_info is None and "127.0.0.1: 400" in first.getMessage()
    assert second.levelno == logging.ERROR and second.exc_info is not None  # a real bug keeps its traceback


def test_a_msgpack_frame_with_a_bytes_field_name_is_refused() -> None:
    """msgpack's ``strict_map_key`` lets bytes keys through; the typed frames promise string-keyed objects."""
    with pytest.raises(FrameError) as refused:
        decode_client(msgpack.packb({"type": "chat", b"k": 1}, use_bin_type=True))
    assert refused.value.code == "bad_frame"
    assert decode_client(msgpack.packb({"type": "chat", "text": "你好"}, use_bin_type=True))["text"] == "你好"
