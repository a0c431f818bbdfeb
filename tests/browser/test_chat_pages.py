"""Two Chromium viewers chat on /live/demo; a blocked message is visible only to its sender;
the host's /studio moderation panel approves a held message and sees a report.

Runs the real ``livehire serve`` (tests/server.py) and Debian's Chromium (standard
5.1.3 d: prohibited behaviour stopped inline; 4.4.1 e: reports reach the host).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.browser.conftest import sign_in_as_member, sign_in_with_phone
from tests.server import ServerProcess

pytestmark = pytest.mark.browser

BLOCKED = "你个傻逼"  # harassment: blocked for every role
HELD = "加我微信详聊"  # a viewer pointing to WeChat: held for review


async def viewer(chromium: Any, server: ServerProcess, name: str, phone: str, errors: list[str]) -> Any:
    """A job seeker signed in on /login with a phone and the SMS code, back on /live/demo."""
    context = await chromium.new_context()
    page = await context.new_page()
    page.on("pageerror", lambda error: errors.append(f"{name}: {error}"))
    await page.goto(f"{server.base_url}/login?next=/live/demo", wait_until="domcontentloaded")
    await page.fill("#login-name", name)
    await sign_in_with_phone(page, server, phone)
    await page.wait_for_selector("#chat-form")
    await page.wait_for_function("() => document.getElementById('chat-panel').dataset.state === 'open'")
    return page


async def say(page: Any, text: str) -> None:
    await page.fill("#chat-input", text)
    await page.click("#chat-send")


@pytest.mark.clause("3.1", "4.3.2", "4.4.1 d", "4.4.1 e", "5.1.3 d")
async def test_two_viewers_chat_and_a_blocked_message_stays_with_its_sender(chromium: Any, live_server: ServerProcess) -> None:
    errors: list[str] = []
    alice = await viewer(chromium, live_server, "小李", "13800000001", errors)
    bob = await viewer(chromium, live_server, "小王", "13800000002", errors)
    studio_context = await chromium.new_context()
    studio = await studio_context.new_page()
    studio.on("pageerror", lambda error: errors.append(f"studio: {error}"))
    await sign_in_as_member(studio, live_server, user_id="demo-host", role="host", org="demo-org", name="张主播",
                            next_path="/studio/demo")
    await studio.wait_for_function("() => document.getElementById('moderation-panel').dataset.state === 'open'")

    await say(alice, "请问这个岗位包住宿吗？")
    await bob.wait_for_selector("#chat-messages .chat-msg:has-text('请问这个岗位包住宿吗？')")
    assert "小李" in await bob.locator("#chat-messages .chat-msg", has_text="包住宿").inner_text()
    await studio.wait_for_selector("#moderation-messages .chat-msg:has-text('包住宿')")

    await say(bob, BLOCKED)
    notice = bob.locator("#chat-messages .chat-msg.blocked")
    await notice.wait_for()
    assert BLOCKED in await notice.inner_text() and "骚扰" in await notice.inner_text()
    await say(bob, "那工资怎么算？")  # sent after the blocked one: once alice sees it, the blocked one would have arrived
    await alice.wait_for_selector("#chat-messages .chat-msg:has-text('那工资怎么算？')")
    assert BLOCKED not in await alice.locator("#chat-messages").inner_text()
    assert BLOCKED not in await studio.locator("#moderation-messages").inner_text()

    await say(alice, HELD)
    await alice.wait_for_selector("#chat-messages .chat-msg.own-review")
    held = studio.locator("#held-queue .held-item", has_text=HELD)
    await held.wait_for()
    assert HELD not in await bob.locator("#chat-messages").inner_text()
    await held.locator("button.approve").click()
    await bob.wait_for_selector(f"#chat-messages .chat-msg:has-text('{HELD}')")
    await held.wait_for(state="detached")

    bob.on("dialog", lambda dialog: asyncio.ensure_future(dialog.accept("骚扰")))
    await bob.locator("#chat-messages .chat-msg", has_text="包住宿").locator("button.chat-report").click()
    report = studio.locator("#held-queue .held-item", has_text="举报")
    await report.wait_for()
    assert "包住宿" in await report.inner_text()
    assert errors == []


async def test_the_page_reconnects_with_its_offset_and_epoch(chromium: Any, live_server: ServerProcess) -> None:
    """chat.js sends since=<last seq>&epoch=<welcome's epoch> when it reconnects (docs/chat-protocol.md)."""
    context = await chromium.new_context()
    page = await context.new_page()
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    await page.goto(f"{live_server.base_url}/live/demo", wait_until="domcontentloaded")
    await page.wait_for_function("() => document.getElementById('chat-panel').dataset.state === 'open'")
    seq, epoch = await page.evaluate("() => { const c = document.getElementById('chat-panel').chat; return [c.seq, c.epoch]; }")
    assert isinstance(seq, int) and epoch, "the welcome's offset and epoch are kept"
    await page.evaluate("() => document.getElementById('chat-panel').chat.ws.close()")  # the network dropped it
    await page.wait_for_function("() => document.getElementById('chat-panel').dataset.state === 'reconnecting'")
    await page.wait_for_function("() => document.getElementById('chat-panel').dataset.state === 'open'")
    assert "since" not in sockets[0] and sockets[-1].endswith(f"?since={seq}&epoch={epoch}"), sockets
    await context.close()
