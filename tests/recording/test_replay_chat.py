"""A replay's chat (issue 16, standard 4.3.1 a): the messages delivered while a room is recorded are kept, shown
with the replay only once its owner chooses to, and a moderator's delete removes them from the replay too."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import ClientWebSocketResponse

from common.clock import now_ms
from livehire.app import CHAT
from recording.http import RECORDINGS, REPLAY_CHAT
from recording.repository import new_id
from tests.chat.helpers import frame
from tests.identity.helpers import bearer


async def _socket(client: Any, headers: dict[str, str]) -> ClientWebSocketResponse:
    ws: ClientWebSocketResponse = await client.ws_connect(
        "/ws/rooms/demo", params={"token": headers["Authorization"].removeprefix("Bearer ")})
    await frame(ws, "welcome")
    return ws


async def _say(ws: ClientWebSocketResponse, text: str, ref: str) -> dict[str, Any]:
    await ws.send_json({"type": "chat", "text": text, "ref": ref})
    while True:
        got = await frame(ws)
        if got.get("ref") == ref and got["type"] in ("ack", "error"):
            assert got["type"] == "ack", got
            return got


def running_replay(rid: str, started: int) -> dict[str, Any]:
    return {"id": rid, "kind": "replay", "room": "demo", "org_id": "demo-org", "session_id": None,
            "blob_key": f"demo/{rid}.mp4", "media_type": "video/mp4", "codec": "h264", "started_at": started,
            "ended_at": None, "duration_s": 0.0, "visibility": "public", "created_at": started}


@pytest.mark.clause("4.3.1 a")
async def test_chat_is_kept_shown_only_by_choice_and_deleted_lines_go(client: Any) -> None:
    app = client.server.app
    recordings, replay_chat = app[RECORDINGS], app[REPLAY_CHAT]
    author = await bearer(app, "viewer", "seeker-a", name="张三")
    host = await bearer(app, "host", "demo-host", "demo-org", name="王主播")
    viewer = await bearer(app, "viewer", "seeker-b", name="李四")
    author_ws, host_ws = await _socket(client, author), await _socket(client, host)

    await _say(author_ws, "开播前的一句", "before")  # no replay running: not kept
    await replay_chat.settled()
    rid = new_id()
    await recordings.repo.insert(**running_replay(rid, now_ms() - 1000))
    replay_chat.started("demo")
    kept = await _say(author_ws, "这个岗位包住吗", "a")
    gone = await _say(author_ws, "这条会被主播删掉", "b")
    also_gone = await _say(author_ws, "这条也会被删", "d")
    await _say(host_ws, "包住，四人间", "c")
    chat = app[CHAT]
    hook, tap = chat.ops.on_deleted, chat.on_delivered
    assert hook is not None and tap is not None
    chat.ops.on_deleted = None  # the ``deleted`` frame alone, as every node watching the room hears it
    deleted = await client.delete(f"/api/v1/rooms/demo/messages/{gone['id']}", headers=host)
    assert deleted.status == 204, await deleted.text()
    chat.ops.on_deleted = hook
    chat.on_delivered = lambda room, data: None if data.get("type") == "deleted" else tap(room, data)
    # the deleting node's hook alone (no node watching the room would hear the frame)
    assert (await client.delete(f"/api/v1/rooms/demo/messages/{also_gone['id']}", headers=host)).status == 204
    chat.on_delivered = tap
    await replay_chat.settled()

    url = f"/api/v1/recordings/{rid}/chat"
    refused = await client.get(url)
    assert refused.status == 404 and (await refused.json())["error"]["code"] == "chat_not_replayed"
    patch = f"/api/v1/recordings/{rid}"
    assert (await client.patch(patch, json={"chat_replay": True}, headers=viewer)).status == 403
    bad = await client.patch(patch, json={"chat_replay": "yes"}, headers=host)
    assert bad.status == 422 and (await bad.json())["error"]["code"] == "invalid_chat_replay"
    chosen = await client.patch(patch, json={"chat_replay": True}, headers=host)
    assert chosen.status == 200 and (await chosen.json())["chat_replay"] is True

    lines = await (await client.get(url)).json()
    assert [(line["name"], line["role"], line["text"]) for line in lines] == [
        ("张三", "viewer", "这个岗位包住吗"), ("王主播", "host", "包住，四人间")]
    assert lines[0]["id"] == kept["id"] and 0.9 <= lines[0]["offset_s"] < 30
    assert "user" not in lines[0] and "seeker-a" not in str(lines)  # what viewers saw, no account ids
    assert await (await client.get(url, params={"from_s": "600"})).json() == []
    first = lines[0]["offset_s"]
    assert await (await client.get(url, params={"to_s": str(first)})).json() == [
        line for line in lines if line["offset_s"] <= first]
    bad_range = await client.get(url, params={"from_s": "abc"})
    assert bad_range.status == 422 and (await bad_range.json())["error"]["code"] == "invalid_range"

    # the live ended: later messages are not the replay's
    await recordings.repo.update(rid, ended_at=now_ms(), duration_s=5.0)
    replay_chat.started("demo")
    await _say(author_ws, "散场后", "after")
    await replay_chat.settled()
    assert len(await (await client.get(url)).json()) == 2
    # a clip replays (if chosen for it) only the chat inside its span, with offsets from its own start
    second = lines[1]["offset_s"]
    clip_id = new_id()
    await recordings.repo.insert(**{**running_replay(clip_id, now_ms()), "kind": "clip", "parent_id": rid,
                                    "offset_s": second - 0.5, "duration_s": 1.0, "ended_at": now_ms(),
                                    "chat_replay": True})
    in_clip = await (await client.get(f"/api/v1/recordings/{clip_id}/chat")).json()
    start = second - 0.5
    assert [(x["text"], x["offset_s"]) for x in in_clip] == [
        (x["text"], round(x["offset_s"] - start, 3)) for x in lines if start <= x["offset_s"] <= start + 1.0]
    assert in_clip[-1]["text"] == "包住，四人间"
    # the author's lines are in their §45 copy, and their §47 erasure takes them out of the replay
    mine = (await (await client.get("/api/v1/me/data", headers=author)).json())["replay_chat"]
    assert [x["text"] for x in mine] == ["这个岗位包住吗"]
    erased = await client.delete("/api/v1/me", json={"confirm": True}, headers=author)
    assert erased.status == 200, await erased.text()
    assert [x["name"] for x in await (await client.get(url)).json()] == ["王主播"]
    # the owner changes their mind
    assert (await client.patch(patch, json={"chat_replay": False}, headers=host)).status == 200
    assert (await client.get(url)).status == 404
    row = await recordings.get(rid)
    assert len(await replay_chat.lines(row, None, 0.0, None)) == 1
    await recordings.repo.remove(rid)  # what the retention purge does: the chat goes with the row
    assert await replay_chat.lines(row, None, 0.0, None) == []
    for ws in (author_ws, host_ws):
        await ws.close()
