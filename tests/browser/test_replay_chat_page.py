"""Chromium on the real ``livehire serve``: the chat of a recorded live is replayed on /replay/{id} at its time
only once the room's owner turns it on, and a line a moderator deleted is not in it (issue 16, 4.3.1 a)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp
import pytest

from tests.browser.conftest import cli, sign_in_as_member
from tests.browser.test_replay_page import http, wait_until
from tests.media.peers import answer_into, publisher
from tests.server import ServerProcess

pytestmark = pytest.mark.browser


async def say(ws: aiohttp.ClientWebSocketResponse, text: str, ref: str) -> str:
    await ws.send_json({"type": "chat", "text": text, "ref": ref})
    async with asyncio.timeout(10):
        async for message in ws:
            frame = json.loads(message.data)
            if frame.get("ref") == ref and frame["type"] in ("ack", "error"):
                assert frame["type"] == "ack", frame
                return str(frame["id"])
    raise AssertionError("socket closed")


@pytest.mark.clause("4.3.1 a")
@pytest.mark.timeout(120)
async def test_replay_shows_the_live_chat_at_its_time_only_when_the_owner_chose(
        chromium: Any, server: ServerProcess) -> None:
    errors: list[str] = []
    key = server.banner_value("stream key")

    async def token(*args: str) -> str:
        return (await asyncio.to_thread(cli, server, "token", *args)).strip()

    host = await token("--role", "host", "--user", "demo-host", "--org", "demo-org", "--name", "王主播")
    seeker = await token("--role", "viewer", "--user", "seeker-a", "--name", "张三")
    pub, offer = await publisher("video/VP8")
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(f"{server.base_url}/ws/rooms/demo", params={"token": seeker})
        try:
            answer = await asyncio.to_thread(http, server, "POST", "/whip/demo", token=key,
                                             content_type="application/sdp", data=offer.encode())
            await answer_into(pub, answer)
            replays = await wait_until(lambda: http(server, "GET", "/api/v1/rooms/demo/recordings"), 20)
            started = time.monotonic()
            await asyncio.sleep(2.5)  # the line's moment: 2.5 s into the live
            await say(ws, "请问宿舍几人间", "a")
            gone = await say(ws, "这条被删", "b")
            await asyncio.to_thread(http, server, "DELETE", f"/api/v1/rooms/demo/messages/{gone}", token=host)
            await asyncio.sleep(max(0.0, 6.0 - (time.monotonic() - started)))
        finally:
            await ws.close()
            await pub.close()
    replay_id = replays[0]["id"]
    await wait_until(lambda: [r for r in http(server, "GET", "/api/v1/rooms/demo/recordings")
                              if r["id"] == replay_id and not r["recording"]], 30)

    viewer = await (await chromium.new_context()).new_page()
    viewer.on("pageerror", lambda error: errors.append(f"viewer: {error}"))
    await viewer.goto(f"{server.base_url}/replay/{replay_id}", wait_until="domcontentloaded")
    await viewer.wait_for_selector("#replay-chapters li")  # the page has loaded the recording
    assert await viewer.locator("#replay-chat").is_hidden()  # not chosen: no chat
    assert await viewer.locator("#replay-chat-lines li").count() == 0

    studio = await (await chromium.new_context()).new_page()
    studio.on("pageerror", lambda error: errors.append(f"host: {error}"))
    await sign_in_as_member(studio, server, user_id="demo-host", role="host", org="demo-org", name="王主播",
                            next_path=f"/replay/{replay_id}")
    await studio.wait_for_selector("#replay-editor:not([hidden])")
    await studio.check("#replay-chat-choice")  # the owner's choice, on the replay page
    await studio.wait_for_function("() => document.getElementById('replay-status').textContent.includes('已开放')")
    assert (await asyncio.to_thread(http, server, "GET", f"/api/v1/recordings/{replay_id}"))["chat_replay"] is True
    lines = await asyncio.to_thread(http, server, "GET", f"/api/v1/recordings/{replay_id}/chat")
    assert [line["text"] for line in lines] == ["请问宿舍几人间"] and 1.5 <= lines[0]["offset_s"] <= 4.5, lines

    await viewer.reload(wait_until="domcontentloaded")
    await viewer.wait_for_selector("#replay-chat:not([hidden])")
    assert "此刻之前没有聊天" in await viewer.inner_text("#replay-chat-lines")  # not before its time
    await viewer.evaluate("document.getElementById('replay-video').play()")
    line = await viewer.wait_for_selector("#replay-chat-lines li[data-offset]", timeout=15000)
    shown_at = await viewer.evaluate("document.getElementById('replay-video').currentTime")
    assert shown_at >= lines[0]["offset_s"] - 0.1, shown_at
    text = await line.inner_text()
    assert "张三" in text and "请问宿舍几人间" in text and "这条被删" not in await viewer.inner_text("#replay-chat")
    assert not errors, errors
