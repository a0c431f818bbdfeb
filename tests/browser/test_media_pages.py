"""Headless Chromium publishes from /studio/demo via WHIP and another context plays /live/demo via WHEP."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.browser.conftest import sign_in_as_member, sign_in_with_phone
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


@pytest.mark.clause("3.1", "4.3.1 a")
async def test_browser_publish_and_play(chromium: Any, live_server: ServerProcess) -> None:
    """The host signs in (one-time link) and publishes with no stream key typed: WHIP gets a short access
    token of the host's session; a signed-in viewer plays with theirs (WHIP/WHEP are bearer-only)."""
    base = live_server.base_url
    errors: list[str] = []
    requests: list[str] = []
    host_context = await chromium.new_context()
    host = await host_context.new_page()
    host.on("pageerror", lambda error: errors.append(str(error)))
    host.on("request", lambda request: requests.append(request.url))
    await sign_in_as_member(host, live_server, user_id="demo-host", role="host", org="demo-org", name="张主播",
                            next_path="/studio/demo")
    assert "WHIP" in await host.locator("#obs-settings").inner_text()
    assert await host.locator("#obs-server").inner_text() == base + "/whip/demo"
    async with host.expect_request(lambda r: r.url.endswith("/whip/demo") and r.method == "POST") as whip:
        await host.click("#publish-start")
    bearer = (await (await whip.value).all_headers()).get("authorization", "")
    assert bearer.startswith("Bearer ") and live_server.banner_value("stream key") not in bearer
    await host.wait_for_function("() => document.getElementById('publish-panel').dataset.live === 'true'", timeout=30000)

    viewer_context = await chromium.new_context()
    viewer = await viewer_context.new_page()
    await sign_in_with_phone(viewer, live_server, "13700001234", next_path="/")
    viewer.on("pageerror", lambda error: errors.append(str(error)))
    viewer.on("request", lambda request: requests.append(request.url))
    async with viewer.expect_request(lambda r: r.url.endswith("/whep/demo") and r.method == "POST") as whep:
        await viewer.goto(base + "/live/demo")
    assert (await (await whep.value).all_headers()).get("authorization", "").startswith("Bearer ")
    await viewer.wait_for_function("() => document.getElementById('live-video').videoWidth > 0", timeout=30000)
    assert await viewer.evaluate("document.getElementById('live-video').muted")  # muted autoplay start
    first = await viewer.evaluate(FRAMES_DECODED)
    await asyncio.sleep(2)
    second = await viewer.evaluate(FRAMES_DECODED)
    assert second > first > 0
    assert await viewer.evaluate("document.getElementById('video-panel').dataset.live") == "true"
    await viewer.click("#unmute-button")
    assert not await viewer.evaluate("document.getElementById('live-video').muted")

    await host.click("#publish-stop")
    await host.wait_for_function("() => document.getElementById('publish-panel').dataset.live === 'false'")
    # the viewer stays connected (the host may come back) and says the host is away
    await viewer.wait_for_function("() => document.getElementById('live-status').textContent.includes('暂时离开')",
                                   timeout=15000)
    assert await viewer.evaluate("window.livehirePlayer.pc.connectionState") == "connected"
    assert errors == []
    assert [url for url in requests if "token=" in url] == []
    await viewer_context.close()
    await host_context.close()


CODEC = """async () => {
  const pc = window.livehirePlayer && window.livehirePlayer.pc;
  if (!pc) return "";
  const stats = await pc.getStats();
  let codecId = null;
  stats.forEach((r) => { if (r.type === "inbound-rtp" && r.kind === "video") codecId = r.codecId; });
  const codec = codecId && stats.get(codecId);
  return codec ? `${codec.mimeType};${codec.sdpFmtpLine || ""}` : "";
}"""



async def play_320_and_read_codec(chromium: Any, base_url: str) -> str:
    """A fresh viewer context plays /live/demo: 320 px wide, frames decoded rising; returns the codec."""
    context = await chromium.new_context()
    try:
        viewer = await context.new_page()
        await viewer.goto(base_url + "/live/demo")
        await viewer.wait_for_function("() => document.getElementById('live-video').videoWidth === 320", timeout=30000)
        first = await viewer.evaluate(FRAMES_DECODED)
        await asyncio.sleep(1.5)
        assert await viewer.evaluate(FRAMES_DECODED) > first
        codec: str = await viewer.evaluate(CODEC)
        return codec
    finally:
        await context.close()

@pytest.mark.clause("4.3.1 a")
async def test_h264_publisher_plays_in_chromium(chromium: Any, live_server: ServerProcess) -> None:
    """The OBS path: an H264 publisher (here aiortc) forwarded untouched to a browser viewer."""
    import aiohttp

    from tests.media.peers import answer_into, publisher

    key = live_server.banner_value("stream key")
    pub, offer = await publisher("video/H264", width=320, height=240)
    try:
        async with aiohttp.ClientSession() as session, session.post(
            live_server.base_url + "/whip/demo", data=offer,
            headers={"Content-Type": "application/sdp", "Authorization": f"Bearer {key}"},
        ) as response:
            assert response.status == 201
            await answer_into(pub, await response.text())
        codec = await play_320_and_read_codec(chromium, live_server.base_url)
        assert codec.startswith("video/H264") and "packetization-mode=1" in codec, codec
    finally:
        await pub.close()


@pytest.mark.clause("4.3.1 a")
async def test_h264_main_profile_from_ffmpeg_plays_in_chromium(chromium: Any, live_server: ServerProcess,
                                                               tmp_path: Any) -> None:
    """aiortc alone only negotiates Constrained Baseline; OBS and FFmpeg send Main or High. The SDP layer
    keeps the publisher's profile and offers it to the browser, which decodes it (no transcoding).
    (Main, not High: Debian's headless Chromium offers 42/4d/f4 profiles only.)"""
    import sys

    from tests.media.test_ffmpeg_whip import p256_certificate

    key = live_server.banner_value("stream key")
    cert, cert_key = p256_certificate(tmp_path)
    script = ("import sys; from pathlib import Path; from tests.media.test_ffmpeg_whip import ffmpeg_publish; "
              "ffmpeg_publish(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), 20, 'main', sys.argv[4])")
    ffmpeg = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, live_server.base_url + "/whip/demo", str(cert), str(cert_key), key,
        stderr=asyncio.subprocess.PIPE)
    try:
        codec = await play_320_and_read_codec(chromium, live_server.base_url)
        assert codec.startswith("video/H264") and "profile-level-id=4d" in codec, codec
    finally:
        if ffmpeg.returncode is None:
            ffmpeg.terminate()
        await ffmpeg.communicate()
