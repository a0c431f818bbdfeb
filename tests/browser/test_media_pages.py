"""Headless Chromium publishes from /studio/demo via WHIP and another context plays /live/demo via WHEP."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.server import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.media]

FRAMES_DECODED = """async () => {
  const pc = window.livehirePlayer && window.livehirePlayer.pc;
  if (!pc) return 0;
  let frames = 0;
  (await pc.getStats()).forEach((report) => {
    if (report.type === "inbound-rtp" && report.kind === "video") frames = report.framesDecoded || 0;
  });
  return frames;
}"""


async def test_browser_publish_and_play(chromium: Any, live_server: ServerProcess) -> None:
    key = live_server.banner_value("stream key")
    base = live_server.base_url
    errors: list[str] = []
    host_context = await chromium.new_context()
    host = await host_context.new_page()
    host.on("pageerror", lambda error: errors.append(str(error)))
    await host.goto(base + "/studio/demo")
    assert "WHIP" in await host.locator("#obs-settings").inner_text()
    assert await host.locator("#obs-server").inner_text() == base + "/whip/demo"
    await host.fill("#stream-key", key)
    await host.click("#publish-start")
    await host.wait_for_function("document.getElementById('publish-panel').dataset.live === 'true'", timeout=30000)

    viewer_context = await chromium.new_context()
    viewer = await viewer_context.new_page()
    viewer.on("pageerror", lambda error: errors.append(str(error)))
    await viewer.goto(base + "/live/demo")
    await viewer.wait_for_function("document.getElementById('live-video').videoWidth > 0", timeout=30000)
    assert await viewer.evaluate("document.getElementById('live-video').muted")  # muted autoplay start
    first = await viewer.evaluate(FRAMES_DECODED)
    await asyncio.sleep(2)
    second = await viewer.evaluate(FRAMES_DECODED)
    assert second > first > 0
    assert await viewer.evaluate("document.getElementById('video-panel').dataset.live") == "true"
    await viewer.click("#unmute-button")
    assert not await viewer.evaluate("document.getElementById('live-video').muted")

    await host.click("#publish-stop")
    await host.wait_for_function("document.getElementById('publish-panel').dataset.live === 'false'")
    # the viewer stays connected (the host may come back) and says the host is away
    await viewer.wait_for_function("document.getElementById('live-status').textContent.includes('暂时离开')",
                                   timeout=15000)
    assert await viewer.evaluate("window.livehirePlayer.pc.connectionState") == "connected"
    assert errors == []
    await viewer_context.close()
    await host_context.close()
