"""Chromium publishes three simulcast layers over WHIP; aiortc viewers get the layer their feedback allows.

The viewer's bandwidth cap is applied to its own REMB feedback (what a receiver
behind a 300 kbit/s link reports), so the server sees only real RTCP.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestServer
from aiortc.rtp import RTCP_PSFB_APP, RtcpPsfbPacket, pack_remb_fci, unpack_remb_fci

from signaling.service import SignalingService
from tests.browser.conftest import CHROMIUM_ARGS, chromium_path
from tests.media.peers import Viewer, wait_for
from tests.signaling.helpers import KEY, make_app, make_service

pytestmark = [pytest.mark.browser, pytest.mark.media]

# 720p capture in three layers (720p, 360p, 180p); the field trial keeps Chromium from dropping layers it
# finds too small for the resolution
SIMULCAST_ARGS = [*CHROMIUM_ARGS, "--force-fieldtrials=WebRTC-LegacySimulcastLayerLimit/Disabled/"]
WIDTHS = {"h": 1280, "m": 640, "l": 320}
# between the middle layer (capped at 220 kbit/s, ~180-240 in practice) and the top one (~800); below the
# 1.45 x middle at which the server probes the next layer (docs/media.md, "Simulcast")
CAP = 250_000

PUBLISH = """async ({url, key}) => {
  const stream = await navigator.mediaDevices.getUserMedia(
    {video: {width: {exact: 1280}, height: {exact: 720}, frameRate: 20}});
  const pc = new RTCPeerConnection({iceServers: []});
  pc.addTransceiver(stream.getVideoTracks()[0], {direction: "sendonly", sendEncodings: [
    {rid: "h", maxBitrate: 1200000},
    {rid: "m", scaleResolutionDownBy: 2, maxBitrate: 220000},
    {rid: "l", scaleResolutionDownBy: 4, maxBitrate: 60000},
  ]});
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((resolve) => {
    if (pc.iceGatheringState === "complete") return resolve();
    pc.addEventListener("icegatheringstatechange", () => pc.iceGatheringState === "complete" && resolve());
  });
  const response = await fetch(url, {method: "POST", body: pc.localDescription.sdp,
    headers: {"Content-Type": "application/sdp", "Authorization": "Bearer " + key}});
  const answer = await response.text();
  if (response.status !== 201) throw new Error(response.status + " " + answer);
  await pc.setRemoteDescription({type: "answer", sdp: answer});
  window.publisher = pc;
  return {offer: pc.localDescription.sdp, answer};
}"""


class CappedViewer(Viewer):
    """A video-only aiortc viewer whose REMB never exceeds ``cap_bps`` (``None``: its own estimate)."""

    def __init__(self) -> None:
        super().__init__(audio=False)
        self.cap_bps: float | None = None
        self.rembs: list[int] = []
        receiver = self.pc.getTransceivers()[0].receiver
        send = receiver._send_rtcp

        async def capped(packet: Any) -> None:
            if isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_APP:
                bitrate, ssrcs = unpack_remb_fci(packet.fci)
                if self.cap_bps is not None:
                    bitrate = min(bitrate, int(self.cap_bps))
                self.rembs.append(bitrate)
                packet = RtcpPsfbPacket(fmt=RTCP_PSFB_APP, ssrc=packet.ssrc, media_ssrc=0,
                                        fci=pack_remb_fci(bitrate, ssrcs))
            await send(packet)

        receiver._send_rtcp = capped

    def widths_since(self, since: float) -> set[int]:
        return {width for at, width, _ in self.frames if at >= since}


@pytest.fixture
async def server() -> AsyncIterator[tuple[TestServer, SignalingService]]:
    service = make_service()
    test_server = TestServer(make_app(service), host="127.0.0.1")
    await test_server.start_server()
    try:
        yield test_server, service
    finally:
        await test_server.close()


@pytest.fixture
async def simulcast_chromium() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    executable = chromium_path()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, headless=True, args=SIMULCAST_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


async def publish_three_layers(browser: Any, test_server: TestServer, service: SignalingService) -> dict[str, str]:
    page = await (await browser.new_context()).new_page()
    await page.goto(str(test_server.make_url("/whip/demo")))  # any page of the server's origin
    result: dict[str, str] = await page.evaluate(PUBLISH, {"url": str(test_server.make_url("/whip/demo")),
                                                           "key": KEY})
    media = service.room_media("demo")
    assert media is not None
    layers = media.broadcast.layers
    # Chromium's own estimate ramps the layers up one by one; wait until each runs near its target
    await wait_for(lambda: layers["h"].bitrate_bps > 450_000 and layers["m"].bitrate_bps > 2 * layers["l"].bitrate_bps > 0,
                   45)
    return result


async def watch(test_server: TestServer, viewer: Viewer, query: str = "") -> str:
    import aiohttp

    async with aiohttp.ClientSession() as session, session.post(
        test_server.make_url("/whep/demo" + query), data=(await viewer.offer()).encode(),
        headers={"Content-Type": "application/sdp"},
    ) as response:
        text = await response.text()
        assert response.status == 201, text
        await viewer.answer(text)
        return response.headers["Location"]


def viewer_stats(service: SignalingService) -> list[dict[str, Any]]:
    stats: list[dict[str, Any]] = service.room_stats("demo")["viewer_stats"]
    return stats


def layer_of(service: SignalingService, index: int = 0) -> Callable[[], Any]:
    return lambda: viewer_stats(service)[index]["tracks"]["video"].get("layer")


def explain(viewer: CappedViewer, service: SignalingService) -> None:
    """On a timeout: what the viewer decoded and reported, and what the server chose (the layer log is captured)."""
    print("frames (s, width):", [(round(at - viewer.created, 2), width) for at, width, _ in viewer.frames][::10])
    print("REMB sent:", viewer.rembs[-20:])
    print("viewer:", viewer_stats(service), "publisher:", service.room_stats("demo")["publisher"])


@pytest.mark.timeout(240)  # each wait below is bounded; on a starved machine their sum passes the default 120 s
async def test_chromium_simulcast_capped_viewer_gets_low_layer_then_high(
        simulcast_chromium: Any, server: tuple[TestServer, SignalingService], caplog: pytest.LogCaptureFixture,
) -> None:
    test_server, service = server
    caplog.set_level(logging.WARNING, logger="aiortc.rtcrtpreceiver")
    caplog.set_level(logging.DEBUG, logger="livehire.media.layers")
    result = await publish_three_layers(simulcast_chromium, test_server, service)
    assert "a=simulcast:send h;m;l" in result["offer"]
    assert "a=simulcast:recv h;m;l" in result["answer"]
    assert all(f"a=rid:{rid} recv" in result["answer"] for rid in "hml")

    viewer = CappedViewer()
    viewer.cap_bps = CAP
    await watch(test_server, viewer)
    try:
        await viewer.wait_frames(10, limit=15)
        # the estimate climbs from what the lowest layer needs until the middle one fits under the cap (≈ 15 s
        # on a free machine; clean-clone run 7, beside a 20,000-socket bench, had the viewer's frames stop for
        # 13 s and its estimate reached 171 kbit/s by 30 s)
        await wait_for(lambda: layer_of(service)() == "m" and viewer.rembs and viewer.rembs[-1] >= CAP, 60)
        settled = time.monotonic()
        await wait_for(lambda: len([f for f in viewer.frames if f[0] >= settled]) >= 30, 10)
        assert viewer.widths_since(settled) <= {WIDTHS["m"], WIDTHS["l"]}, viewer.widths_since(settled)
        assert layer_of(service)() != "h"
        video = viewer_stats(service)[0]["tracks"]["video"]
        assert video["estimate_bps"] is not None and video["estimate_bps"] <= CAP

        # a forced downgrade on the way may hold upgrades for 10 s (mediasoup's rule); the count after it
        await wait_for(lambda: viewer_stats(service)[0]["tracks"]["video"]["upgrade_hold_s"] == 0, 12)
        viewer.cap_bps = None
        lifted = time.monotonic()
        # the viewer's own estimate need not sit at its ceiling (1.5 x what it receives) when the cap lifts: a delay
        # spike on a busy machine sends it back to 0.85 x. From there it climbs ~8 %/s to the probe threshold
        # (LayerPolicy.probe_ratio 1.45 x the layer) in ~7 s, then upgrade_after (2 s) and a keyframe: 15 s bounds it.
        # Clean-clone CI of stop 33 failed the former 5 s bound with the estimate at 284 kbit/s when the cap lifted.
        await wait_for(lambda: WIDTHS["h"] in viewer.widths_since(lifted), 15)
        assert layer_of(service)() == "h"
        assert [r.getMessage() for r in caplog.records if "decode" in r.getMessage()] == []
    except (TimeoutError, AssertionError):
        explain(viewer, service)
        raise
    finally:
        await viewer.close()


async def test_pinned_viewer_keeps_its_layer(simulcast_chromium: Any,
                                             server: tuple[TestServer, SignalingService]) -> None:
    test_server, service = server
    await publish_three_layers(simulcast_chromium, test_server, service)
    viewer = CappedViewer()
    location = await watch(test_server, viewer, "?layer=l")
    try:
        await viewer.wait_frames(20, limit=15)
        start = time.monotonic()
        await wait_for(lambda: len(viewer.widths_since(start)) > 0 and time.monotonic() - start > 4, 8)
        assert viewer.widths_since(start) == {WIDTHS["l"]}  # an unlimited estimate does not move it
        assert layer_of(service)() == "l"
        import aiohttp

        async with aiohttp.ClientSession() as session, session.post(
                test_server.make_url(location + "/layer"), json={"layer": "h"}) as response:
            assert response.status == 204
        switched = time.monotonic()
        await wait_for(lambda: WIDTHS["h"] in viewer.widths_since(switched), 5)
        assert viewer_stats(service)[0]["tracks"]["video"]["pinned"] == "h"
    finally:
        await viewer.close()
