"""Chromium opens the viewer page of the seeded demo room and finds its main parts."""

from __future__ import annotations

from typing import Any

import pytest

from tests.server import ServerProcess

pytestmark = pytest.mark.browser


async def test_live_demo_page_renders(chromium: Any, live_server: ServerProcess) -> None:
    page = await chromium.new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(live_server.base_url + "/live/demo")
    await page.wait_for_function("() => document.getElementById('room-title').textContent.includes('示范直播间')")
    for selector in ("#video-panel", "#chat-panel", "#job-panel", "#login-bar"):
        assert await page.locator(selector).is_visible(), selector
    assert await page.title() == "示范直播间 · 春季招聘专场 · 直播带岗"
    await page.goto(live_server.base_url + "/")
    await page.wait_for_selector("li[data-room='demo'] a")
    assert "示范直播间" in await page.locator("li[data-room='demo']").inner_text()
    assert errors == []
