"""Moderators' decisions on held chat messages become labelled examples for the filter (issue 14's feedback
loop, standard 5.1.3 d): over real websockets and REST on the embedded server, then ``livehire moderate
export-labels`` on its data directory."""

from __future__ import annotations

import asyncio
import contextlib
import io
from typing import Any

import pytest
from aiohttp import ClientWebSocketResponse

from common.clock import ManualClock
from governance.labels_sql import LabelBook
from governance.web import GOVERNANCE
from livehire import keys
from livehire.cli import main
from livehire.settings import Settings
from moderation.labels import ReviewedMessage
from store.engine import open_store
from tests.chat.helpers import frame
from tests.identity.helpers import bearer, error_of

pytestmark = pytest.mark.clause("5.1.3 d")


async def _socket(client: Any, headers: dict[str, str]) -> ClientWebSocketResponse:
    token = headers["Authorization"].removeprefix("Bearer ")
    ws: ClientWebSocketResponse = await client.ws_connect("/ws/rooms/demo", params={"token": token})
    await frame(ws, "welcome")
    return ws


async def _held(ws: ClientWebSocketResponse, text: str, ref: str) -> None:
    await ws.send_json({"type": "chat", "text": text, "ref": ref})
    while True:
        got = await frame(ws)
        if got.get("ref") == ref and got["type"] in ("moderation", "ack", "error"):
            assert got["type"] == "moderation" and got["action"] == "review", got
            return


async def test_decisions_on_held_messages_are_kept_and_exported(client: Any, app_settings: Settings) -> None:
    app = client.server.app
    author = await bearer(app, "viewer", "seeker-a", name="张三")
    host = await bearer(app, "host", "demo-host", "demo-org", name="王主播")
    ws = await _socket(client, author)
    await _held(ws, "加我微信 abc123 细聊，电话13800138000", "one")
    await _held(ws, "扫码进群领岗位", "two")
    held = (await (await client.get("/api/v1/rooms/demo/held", headers=host)).json())["held"]
    first, second = (next(h for h in held if h["text"].startswith(prefix)) for prefix in ("加我微信", "扫码进群"))
    refused = await client.post(f"/api/v1/rooms/demo/held/{first['id']}/reject", headers=host,
                                json={"category": "gossip"})
    assert (await error_of(refused, 422))["code"] == "invalid_category"
    assert any(h["id"] == first["id"] for h in (await (await client.get("/api/v1/rooms/demo/held",
                                                                       headers=host)).json())["held"])  # kept
    rejected = await client.post(f"/api/v1/rooms/demo/held/{first['id']}/reject", headers=host,
                                 json={"category": "diversion"})
    assert rejected.status == 200, await rejected.text()
    host_ws = await _socket(client, host)
    await host_ws.send_json({"type": "approve", "id": second["id"], "ref": "ok"})
    while (await frame(host_ws))["type"] != "ok":
        pass
    await ws.close()
    await host_ws.close()

    rows = await app[GOVERNANCE].labels.rows()
    assert [(r.approved, r.category, r.role, r.context) for r in rows] == [(False, "diversion", "viewer", "chat"),
                                                                           (True, None, "viewer", "chat")]
    assert "13800138000" not in rows[0].text and "加我微信" in rows[0].text  # personal data masked, the fact kept
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert await asyncio.to_thread(main, ["moderate", "export-labels", "--data-dir",
                                              str(app[keys.SETTINGS].data_dir)]) == 0
    lines = [line.split("\t") for line in out.getvalue().splitlines()]
    assert len(lines) == 2 and all("reviewer-decision" in line for line in lines)
    assert sorted(line[3] for line in lines) == ["-", "diversion"]  # the categories column


async def test_labels_are_purged_after_their_retention(store_url: str) -> None:
    store = await open_store(store_url)
    try:
        clock = ManualClock(1_800_000_000)
        book = LabelBook(store, lambda text: text, pseudonym_key=b"k" * 32, retention_days=30, clock=clock)
        await book.add("demo", "先交押金", "host", False, "fee", "rev-1")
        clock.advance(29 * 86400)
        await book.add("demo", "几点开始", "viewer", True, None, "rev-1")
        assert await book.purge() == 0
        clock.advance(2 * 86400)
        assert await book.purge() == 1
        assert await book.rows() == [ReviewedMessage("几点开始", "viewer", "chat", True, None)]
    finally:
        await store.close()
