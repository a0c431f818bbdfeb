"""The studio page publishes three simulcast layers; the /live quality menu pins one of them and back to auto."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from typing import Any

import pytest

from tests.browser.conftest import cli, sign_in_as_member
from tests.media.peers import wait_for
from tests.server import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.media]

WIDTH = "() => document.getElementById('live-video').videoWidth"


def room_layers(base_url: str) -> list[str]:
    with urllib.request.urlopen(base_url + "/api/v1/rooms/demo") as response:
        layers: list[str] = json.loads(response.read())["layers"]
        return layers


def room_stats(base_url: str, token: str) -> dict[str, Any]:
    request = urllib.request.Request(base_url + "/api/v1/rooms/demo/stats", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request) as response:
        stats: dict[str, Any] = json.loads(response.read())
        return stats


async def test_studio_simulcast_and_live_quality_menu(chromium: Any, live_server: ServerProcess) -> None:
    base = live_server.base_url
    errors: list[str] = []
    host_context = await chromium.new_context()
    host = await host_context.new_page()
    host.on("pageerror", lambda error: errors.append(str(error)))
    await sign_in_as_member(host, live_server, user_id="demo-host", role="host", org="demo-org", name="张主播",
                            next_path="/studio/demo")
    await host.click("#publish-start")
    await host.wait_for_function("() => document.getElementById('publish-panel').dataset.live === 'true'",
                                 timeout=30000)
    # best first by measured rate: Chromium turns its top layer on last, once its estimate allows
    await wait_for(lambda: room_layers(base) == ["h", "m", "l"], 45, step=0.5)

    viewer_context = await chromium.new_context()
    viewer = await viewer_context.new_page()
    viewer.on("pageerror", lambda error: errors.append(str(error)))
    await viewer.goto(base + "/live/demo")
    await viewer.wait_for_function(f"() => ({WIDTH})() > 0", timeout=30000)
    await viewer.wait_for_selector("#quality-select:not([hidden])", timeout=15000)
    options = await viewer.eval_on_selector_all("#quality-select option", "(os) => os.map((o) => o.value)")
    assert options[0] == "auto" and options[-1] == "audio" and set(options[1:-1]) == {"h", "m", "l"}
    low = options[-2]  # the layers are listed best first
    assert low == "l"
    await viewer.select_option("#quality-select", low)
    await viewer.wait_for_function(f"() => ({WIDTH})() > 0 && ({WIDTH})() <= 320", timeout=15000)
    token = await asyncio.to_thread(cli, live_server, "token", "--role", "host", "--user", "demo-host",
                                    "--room", "demo", "--org", "demo-org")
    video = (await asyncio.to_thread(room_stats, base, token.strip()))["viewer_stats"][0]["tracks"]["video"]
    assert video["pinned"] == low and video["layer"] == low and "estimate_bps" in video  # the host sees each viewer
    await viewer.select_option("#quality-select", "auto")
    assert await viewer.evaluate("window.livehirePlayer.quality") == "auto"
    assert errors == []
    await viewer_context.close()
    await host_context.close()
