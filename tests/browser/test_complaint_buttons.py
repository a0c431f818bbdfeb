"""The "投诉" links of the live room page in Chromium (standard 4.4.1 e), under the Content-Security-Policy: on a
chat message, on a job card and on the room itself, each leading to the public complaint form with its target
filled in. A job seeker writes in the chat; an anonymous viewer complains about that message through its link
and files the complaint; platform staff find it in their queue with the room's organisation recorded."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import cli, sign_in_with_phone
from tests.browser.test_csp import COLLECT_VIOLATIONS
from tests.server import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.clause("4.4.1 e")]


async def _page(chromium: Any, errors: list[str], name: str) -> tuple[Any, Any]:
    context = await chromium.new_context()
    await context.add_init_script(COLLECT_VIOLATIONS)
    page = await context.new_page()
    page.on("pageerror", lambda error: errors.append(f"{name}: {error}"))
    return context, page


def _target(href: str | None) -> tuple[str, str]:
    assert href is not None and href.startswith("/complaints/new?"), href
    query = parse_qs(urlsplit(href).query)
    return query["target_type"][0], query["target_id"][0]


async def test_complaint_links_on_a_message_a_job_card_and_the_room(chromium: Any, server: ServerProcess) -> None:
    base = server.base_url
    errors: list[str] = []
    _, writer = await _page(chromium, errors, "writer")
    await sign_in_with_phone(writer, server, "13700002222", "/live/demo")
    await writer.wait_for_selector("#chat-form")
    await writer.fill("#chat-input", "请问这个岗位包住宿吗？")
    await writer.click("#chat-send")

    _, viewer = await _page(chromium, errors, "viewer")  # anonymous: complaints need no sign-in
    await viewer.goto(base + "/live/demo", wait_until="domcontentloaded")
    message = viewer.locator("#chat-messages .chat-msg", has_text="包住宿")
    await message.wait_for()
    message_id = await message.get_attribute("data-id")
    assert _target(await message.locator(".chat-complain").get_attribute("href")) == ("message", f"demo/{message_id}")
    room_link = viewer.locator("#room-complain")
    assert await room_link.inner_text() == "投诉本直播间"
    assert _target(await room_link.get_attribute("href")) == ("room", "demo")
    card = viewer.locator("#job-list .job-card").first
    await card.wait_for()
    job_id = await card.get_attribute("data-job")
    assert job_id and _target(await card.locator(".job-complain").get_attribute("href")) == ("job", job_id)
    assert await viewer.evaluate("window.__cspViolations") == []

    await message.locator(".chat-complain").click()
    await viewer.wait_for_selector("#complaint-submit:enabled")  # the page's script has filled the form
    assert await viewer.input_value("#complaint-target-type") == "message"
    assert await viewer.input_value("#complaint-target-id") == f"demo/{message_id}"
    await viewer.fill("#complaint-text", "这条消息下面有人私下让求职者加微信交钱，请平台核查")
    await viewer.click("#complaint-submit")
    await viewer.wait_for_selector("#complaint-follow-link")
    complaint_id = await viewer.inner_text("#complaint-id")
    assert await viewer.evaluate("window.__cspViolations") == []

    listed = json.loads(await asyncio.to_thread(cli, server, "staff", "add", "rev-1", "--role", "reviewer", "--json"))
    _, desk = await _page(chromium, errors, "reviewer")
    await desk.goto(listed["sign_in_link"], wait_until="domcontentloaded")
    queued = desk.locator(f".review-complaint[data-complaint='{complaint_id}']")
    await queued.wait_for()
    text = await queued.inner_text()
    assert f"聊天消息 demo/{message_id}" in text and "demo-org" in text and "加微信交钱" in text
    assert errors == []
