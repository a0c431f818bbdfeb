"""Moderation over the websocket and REST: review queue, reports, delete, mute, ban, slow mode, pin, audit.

Standard 4.4.1 d/e and 5.1.3 d: prohibited behaviour is held, reported, removed,
and every action is audited (4.4.1 b).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient

from chat.frames import CLOSE_SHUTDOWN, CLOSE_SLOW_CONSUMER
from chat.http import CHAT_SERVICE
from tests.chat.app import build_app
from tests.chat.helpers import connect, frame, nothing_of, token
from tests.chat.test_protocol import Scripted

Client = TestClient[Any, Any]
HOST = token("host1", "host", room="demo", name="主播")


def bearer(tok: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tok}"}


@pytest.fixture
async def client(aiohttp_client: Any) -> Client:
    return await aiohttp_client(build_app(moderator=Scripted()))  # type: ignore[no-any-return]


@pytest.mark.clause("4.4.1 d", "5.1.3 d")
async def test_held_message_is_seen_by_moderators_only_until_approved(client: Client) -> None:
    host, viewer, sender = [await connect(client, tok=t) for t in (HOST, token("v"), token("s"))]
    assert (await frame(host, "welcome"))["held"] == []
    await frame(viewer, "welcome")
    await frame(sender, "welcome")
    await sender.send_json({"type": "chat", "text": "review me", "ref": "r"})
    assert (await frame(sender, "moderation"))["action"] == "review"
    held = (await frame(host, "held"))["item"]
    assert held["text"] == "review me" and held["user"]["id"] == "s"
    await nothing_of(viewer, "chat")
    listing = await client.get("/api/v1/rooms/demo/held", headers=bearer(HOST))
    assert [h["id"] for h in (await listing.json())["held"]] == [held["id"]]
    approved = await client.post(f"/api/v1/rooms/demo/held/{held['id']}/approve", headers=bearer(HOST))
    body = await approved.json()
    assert approved.status == 200 and body["outcome"] == "published"
    assert (await frame(viewer, "chat"))["text"] == "review me"
    again = await client.post(f"/api/v1/rooms/demo/held/{held['id']}/approve", headers=bearer(HOST))
    assert again.status == 404 and (await again.json())["error"]["code"] == "not_found"


@pytest.mark.clause("5.1.3 d")
async def test_rejected_message_is_dropped(client: Client) -> None:
    host, viewer = await connect(client, tok=HOST), await connect(client, tok=token("v"))
    await frame(host, "welcome")
    await frame(viewer, "welcome")
    await viewer.send_json({"type": "chat", "text": "review bad"})
    held = (await frame(host, "held"))["item"]
    await host.send_json({"type": "reject", "id": held["id"], "ref": "rj"})
    assert (await frame(host, "ok"))["ref"] == "rj"
    assert (await frame(host, "held_resolved"))["outcome"] == "dropped"
    await nothing_of(viewer, "chat")


@pytest.mark.clause("4.4.1 a", "4.4.1 b")
async def test_rest_needs_a_token_and_a_moderator_of_the_room(client: Client) -> None:
    assert (await client.get("/api/v1/rooms/demo/held")).status == 401
    for tok in (token("v"), token("h2", "host", room="other"), token("r", "recruiter")):
        response = await client.get("/api/v1/rooms/demo/held", headers=bearer(tok))
        assert response.status == 403 and (await response.json())["error"]["code"] == "forbidden"
    for tok in (token("adm", "admin"), token("rev", "reviewer")):
        assert (await client.get("/api/v1/rooms/demo/held", headers=bearer(tok))).status == 200
    bad = await client.delete("/api/v1/rooms/demo/messages/m1", headers=bearer("forged"))
    assert bad.status == 401 and (await bad.json())["error"]["code"] == "invalid_token"


@pytest.mark.clause("4.4.1 e")
async def test_report_enters_the_queue_and_upholding_it_removes_the_message(client: Client) -> None:
    host, a, b = await connect(client, tok=HOST), await connect(client, tok=token("a")), await connect(client, tok=token("b"))
    for ws in (host, a, b):
        await frame(ws, "welcome")
    await a.send_json({"type": "chat", "text": "你们都是骗子"})
    message_id = (await frame(a, "ack"))["id"]
    await b.send_json({"type": "report", "message_id": message_id, "reason": "骚扰", "ref": "rep"})
    assert (await frame(b, "ok"))["ref"] == "rep"
    report = (await frame(host, "held"))["item"]
    assert report["kind"] == "report" and report["text"] == "你们都是骗子" and report["reporter"]["id"] == "b"
    response = await client.post(f"/api/v1/rooms/demo/held/{report['id']}/approve", headers=bearer(HOST))
    assert (await response.json())["outcome"] == "message_removed"
    assert (await frame(b, "deleted"))["id"] == message_id
    fresh = await connect(client, tok=token("c"))
    assert (await frame(fresh, "welcome"))["history"] == []


@pytest.mark.clause("4.4.1 d")
async def test_delete_removes_for_everyone_and_from_history(client: Client) -> None:
    host, viewer = await connect(client, tok=HOST), await connect(client, tok=token("v"))
    await frame(host, "welcome")
    await frame(viewer, "welcome")
    await viewer.send_json({"type": "chat", "text": "keep"})
    keep = (await frame(viewer, "ack"))["id"]
    await viewer.send_json({"type": "chat", "text": "drop"})
    drop = (await frame(viewer, "ack"))["id"]
    await host.send_json({"type": "delete", "message_id": drop, "ref": "d"})
    assert (await frame(host, "ok"))["ref"] == "d"
    assert (await frame(viewer, "deleted"))["id"] == drop
    assert (await client.delete(f"/api/v1/rooms/demo/messages/{keep}", headers=bearer(HOST))).status == 204
    assert (await client.delete(f"/api/v1/rooms/demo/messages/{keep}", headers=bearer(HOST))).status == 404
    late = await connect(client, tok=token("late"), since="0")
    welcome = await frame(late, "welcome")
    assert welcome["history"] == [] and welcome["recovered"] is True


@pytest.mark.clause("4.3.2", "4.4.1 b", "4.4.1 d")
async def test_mute_ban_slow_mode_and_pin(client: Client) -> None:
    host, viewer = await connect(client, tok=HOST), await connect(client, tok=token("v"))
    await frame(host, "welcome")
    await frame(viewer, "welcome")
    await host.send_json({"type": "mute", "user_id": "v", "duration": 300, "reason": "刷屏"})
    assert (await frame(viewer, "muted"))["until"] > 0
    await viewer.send_json({"type": "chat", "text": "x", "ref": "1"})
    assert (await frame(viewer, "error"))["code"] == "muted"
    await host.send_json({"type": "mute", "user_id": "v", "duration": 0})
    await frame(viewer, "muted")
    await host.send_json({"type": "ban", "user_id": "v", "reason": "导流"})
    assert (await frame(viewer, "banned"))["banned"] is True
    await viewer.send_json({"type": "chat", "text": "y"})
    assert (await frame(viewer, "error"))["code"] == "banned"
    await host.send_json({"type": "unban", "user_id": "v"})
    await frame(viewer, "banned")
    await host.send_json({"type": "slow_mode", "seconds": 30})
    assert (await frame(viewer, "slow_mode"))["seconds"] == 30
    await viewer.send_json({"type": "chat", "text": "one"})
    await frame(viewer, "ack")
    await viewer.send_json({"type": "chat", "text": "two"})
    assert (await frame(viewer, "error"))["code"] == "slow_mode"
    await host.send_json({"type": "pin", "text": "本场岗位：仓储分拣，月薪六千"})
    pinned = (await frame(viewer, "pinned"))["announcement"]
    assert pinned["text"].startswith("本场岗位") and pinned["by"]["id"] == "host1"
    newcomer = await connect(client, tok=token("n"))
    welcome = await frame(newcomer, "welcome")
    assert welcome["pinned"]["text"] == pinned["text"] and welcome["slow_mode"] == 30
    audit = await (await client.get("/api/v1/rooms/demo/audit", headers=bearer(HOST))).json()
    actions = [r["action"] for r in audit["audit"]]
    assert actions == ["mute", "unmute", "ban", "unban", "slow_mode", "pin"]
    assert all(r["actor"] == "host1" and r["actor_role"] == "host" for r in audit["audit"])


@pytest.mark.clause("4.4.1 a")
async def test_viewer_commands_are_forbidden(client: Client) -> None:
    viewer = await connect(client, tok=token("v"))
    await frame(viewer, "welcome")
    await viewer.send_json({"type": "ban", "user_id": "x", "ref": "no"})
    error = await frame(viewer, "error")
    assert (error["code"], error["ref"]) == ("forbidden", "no")


async def test_slow_consumer_is_closed_with_reconnect_code(aiohttp_client: Any) -> None:
    client = await aiohttp_client(build_app(max_buffer=64 * 1024))
    stalled = await connect(client)
    await frame(stalled, "welcome")
    stalled._response.connection.transport.pause_reading()  # type: ignore[union-attr]
    sender = await connect(client, tok=token("host", "host"))
    await frame(sender, "welcome")

    async def read_cards() -> list[int]:
        """The other socket reads as a live page does, so only the stalled one falls behind (a
        sender that did not read filled its buffers too and was sometimes closed in the same flush)."""
        cards: list[int] = []
        while (got := await frame(sender, wait=60))["type"] != "pong":
            if got["type"] == "job_card":
                cards.append(got["n"])
        return cards

    reader = asyncio.create_task(read_cards())
    service = client.app[CHAT_SERVICE]
    sent = 0
    for i in range(20_000):
        await service.broadcast("demo", {"type": "job_card", "n": i, "pad": "岗" * 3000})
        sent += 1
        await asyncio.sleep(0)
        if service.metrics.slow._value.get() >= 1:
            break
    assert service.metrics.slow._value.get() == 1
    stalled._response.connection.transport.resume_reading()  # type: ignore[union-attr]
    async with asyncio.timeout(10):
        while (await stalled.receive()).type not in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING):
            pass
    assert stalled.close_code == CLOSE_SLOW_CONSUMER
    await sender.send_json({"type": "ping", "ref": "alive"})
    assert await reader == list(range(sent))  # the reading socket lost nothing and was never held back
    assert service.metrics.slow._value.get() == 1


async def test_shutdown_closes_sockets_with_the_reconnect_code(client: Client) -> None:
    ws = await connect(client, tok=token("v"))
    await frame(ws, "welcome")
    await client.app[CHAT_SERVICE].close_sockets()
    msg = await ws.receive()
    assert msg.type == WSMsgType.CLOSE and msg.data == CLOSE_SHUTDOWN
