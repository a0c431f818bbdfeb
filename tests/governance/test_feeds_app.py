"""The ledger feeds and chat report escalation wired by ``create_app`` (4.4.1 e, 4.4.1 f): over real
websockets and REST on the embedded server (SQLite), then ``livehire ledger verify`` on its data directory."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from aiohttp import ClientWebSocketResponse

from governance.web import GOVERNANCE
from livehire.cli import main
from livehire.settings import Settings
from tests.chat.helpers import frame
from tests.identity.helpers import bearer, error_of

DAY_MS = 24 * 3600 * 1000


async def _socket(client: Any, headers: dict[str, str]) -> ClientWebSocketResponse:
    token = headers["Authorization"].removeprefix("Bearer ")
    ws: ClientWebSocketResponse = await client.ws_connect("/ws/rooms/demo", params={"token": token})
    await frame(ws, "welcome")
    return ws


async def _answer(ws: ClientWebSocketResponse, ref: str) -> dict[str, Any]:
    while True:
        got = await frame(ws)
        if got.get("ref") == ref and got["type"] in ("ok", "ack", "error"):
            return got


@pytest.mark.clause("4.4.1 e", "4.4.1 f")
async def test_feeds_and_escalation_on_the_whole_server(client: Any, app_settings: Settings) -> None:
    app = client.server.app
    author = await bearer(app, "viewer", "seeker-a", name="张三")
    reporter = await bearer(app, "viewer", "seeker-b", name="李四")
    host = await bearer(app, "host", "demo-host", "demo-org", name="王主播")
    recruiter = await bearer(app, "recruiter", "demo-recruiter", "demo-org", name="李招聘")
    author_ws, reporter_ws, host_ws = [await _socket(client, h) for h in (author, reporter, host)]

    await author_ws.send_json({"type": "chat", "text": "这个岗位到底包不包住", "ref": "m"})
    message = (await _answer(author_ws, "m"))
    assert message["type"] == "ack", message
    await reporter_ws.send_json({"type": "report", "message_id": message["id"], "reason": "引流到微信", "ref": "r"})
    report = (await _answer(reporter_ws, "r"))["id"]
    await reporter_ws.send_json({"type": "escalate", "report_id": report, "ref": "e"})
    escalated = await _answer(reporter_ws, "e")
    assert escalated["type"] == "ok" and escalated["complaint"]["status"] == "received", escalated
    assert (await frame(host_ws, "held_resolved"))["outcome"] == "escalated"
    await host_ws.send_json({"type": "mute", "user_id": "seeker-a", "duration": 600, "reason": "刷屏 13800138000",
                             "ref": "mute"})
    assert (await _answer(host_ws, "mute"))["type"] == "ok"

    reviewer = await bearer(app, "reviewer", "rev-1")
    queue = await (await client.get("/api/v1/review/complaints", headers=reviewer)).json()
    mine = next(c for c in queue["complaints"] if c["id"] == escalated["complaint"]["id"])
    assert mine["target_type"] == "message" and mine["target_id"] == f"demo/{message['id']}"
    assert mine["target_org"] == "demo-org"
    # the organisation whose room it is never sees or settles the complaint
    org_admin = await bearer(app, "admin", "demo-admin", "demo-org")
    await error_of(await client.get("/api/v1/review/complaints", headers=org_admin), 403)
    await error_of(await client.post(f"/api/v1/review/complaints/{mine['id']}", headers=org_admin,
                                     json={"action": "close"}), 403)
    follow = escalated["complaint"]["follow_up_url"]
    assert (await (await client.get(follow[follow.index("/api/"):])).json())["status"] == "received"

    now = int(time.time() * 1000)
    created = await client.post("/api/v1/orgs/demo-org/jobs", headers=recruiter, json={
        "title": "快递分拣员", "employer": "顺达物流", "kind": "own", "location": "北京", "salary_min": 6000,
        "salary_max": 8000, "headcount": 5, "valid_from": now - 1000, "valid_until": now + 30 * DAY_MS})
    assert created.status == 201, await created.text()
    job = await created.json()
    pinned = await client.post("/api/v1/rooms/demo/pins", headers=host, json={"job_id": job["id"]})
    assert pinned.status in (200, 201), await pinned.text()
    for ws in (author_ws, reporter_ws, host_ws):
        await ws.close()

    governance = app[GOVERNANCE]
    await governance.feed.drain()
    entries = [e async for e in governance.ledger.export(0, 2**62)]
    kinds = [e.kind for e in entries]
    for kind in ("complaint.filed", "chat.escalate", "chat.mute", "job.published", "job.pinned"):
        assert kind in kinds, kinds
    assert next(e for e in entries if e.kind == "complaint.filed").body["origin"] == "chat_report_reporter"
    text = json.dumps([e.to_json() for e in entries], ensure_ascii=False)
    for personal in ("张三", "李四", "王主播", "李招聘", "13800138000", "seeker-a", "seeker-b", "demo-host", "包不包住"):
        assert personal not in text, personal
    data_dir = str(app_settings.data_dir)
    assert await asyncio.to_thread(main, ["ledger", "verify", "--data-dir", data_dir]) == 0
