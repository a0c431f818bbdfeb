"""The review queue's caps seen from a socket: a refusal is an error frame, the socket stays (review M3)."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from chat.bus.ports import HELD_LIMIT, PENDING_REPORTS_PER_USER
from chat.http import CHAT_SERVICE
from chat.service import ChatService
from moderation.decision import Decision
from tests.chat.app import build_app
from tests.chat.helpers import connect, frame, nothing_of, token

Client = TestClient[Any, Any]


class HoldsEverything:
    """Every message goes to review (the real filter's review categories are tested in moderation/)."""

    def moderate(self, text: str, *, role: str = "viewer", context: str = "chat", org: str | None = None) -> Decision:
        return Decision("review", ("harassment",), text, (), "")


@pytest.fixture
async def client(aiohttp_client: Any) -> Client:
    return await aiohttp_client(build_app(moderator=HoldsEverything()))  # type: ignore[no-any-return]


def service_of(client: Client) -> ChatService:
    return client.server.app[CHAT_SERVICE]


def item(i: int, reporter: str | None = None) -> dict[str, Any]:
    if reporter is None:
        return {"id": f"h{i}", "kind": "message", "user": {"id": "x", "name": "x", "role": "viewer"}, "text": "t", "ts": i}
    return {"id": f"r{i}", "kind": "report", "message_id": "m1", "reason": "r", "reporter": {"id": reporter, "name": reporter},
            "user": None, "text": None, "ts": i}


async def test_a_full_queue_refuses_reports_and_held_messages_with_an_error_frame(client: Client) -> None:
    ws = await connect(client, tok=token("alice"))
    await frame(ws, "welcome")
    bus = service_of(client).bus.review
    for i in range(HELD_LIMIT):
        await bus.hold("demo", item(i))
    await ws.send_json({"type": "report", "message_id": "m1", "reason": "骚扰", "ref": "r1"})
    assert await frame(ws, "error") == {"type": "error", "code": "review_queue_full", "message": "审核队列已满，请稍后再试", "ref": "r1"}
    await ws.send_json({"type": "chat", "text": "需要审核的话", "ref": "c1"})
    assert (await frame(ws, "error")) == {"type": "error", "code": "review_queue_full", "message": "审核队列已满，请稍后再试", "ref": "c1"}
    await nothing_of(ws, "moderation")  # no "waiting for review" notice for a message that was not kept
    assert len(await bus.held("demo")) == HELD_LIMIT
    await ws.send_json({"type": "ping", "ref": "p"})
    assert (await frame(ws, "pong"))["ref"] == "p"


async def test_a_reporter_with_too_many_pending_reports_is_told_so(client: Client) -> None:
    ws = await connect(client, tok=token("flooder"))
    await frame(ws, "welcome")
    bus = service_of(client).bus.review
    for i in range(PENDING_REPORTS_PER_USER):
        await bus.hold("demo", item(i, reporter="flooder"))
    await ws.send_json({"type": "report", "message_id": "m1", "reason": "骚扰", "ref": "r1"})
    refused = await frame(ws, "error")
    assert refused["code"] == "too_many_reports" and refused["ref"] == "r1" and refused["message"]
    other = await connect(client, tok=token("bystander"))
    await frame(other, "welcome")
    await other.send_json({"type": "report", "message_id": "m1", "reason": "骚扰", "ref": "r2"})
    assert (await frame(other, "ok"))["action"] == "report"


async def test_report_frames_are_rate_limited_before_they_reach_the_queue(client: Client) -> None:
    ws = await connect(client, tok=token("eager"))
    await frame(ws, "welcome")
    for i in range(5):
        await ws.send_json({"type": "report", "message_id": "m1", "reason": "骚扰", "ref": f"r{i}"})
        assert (await frame(ws, "ok"))["ref"] == f"r{i}"
    await ws.send_json({"type": "report", "message_id": "m1", "reason": "骚扰", "ref": "r5"})
    refused = await frame(ws, "error")
    assert refused["code"] == "rate_limited" and refused["ref"] == "r5" and refused["retry_after"] > 0
    assert len(await service_of(client).bus.review.held("demo")) == 5
