"""libwebrtc (npm ``@roamhq/wrtc``, driven from Node) publishes via WHIP; an aiortc viewer decodes it.

An independent implementation with its own packetiser, RTX, transport-wide
extensions and RTCP: the same engine Chrome uses, without a browser. Set up with
``npm ci --prefix tests/media/wrtc`` (CI does; locally the test skips without it).
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest

from signaling.service import SignalingService
from tests.media.peers import Viewer, wait_for
from tests.services import in_ci
from tests.signaling.helpers import KEY, make_app, make_service, post_sdp

pytestmark = [pytest.mark.media, pytest.mark.clause("4.3.1 a")]

WRTC_DIR = Path(__file__).parent / "wrtc"


def node_ready() -> str:
    node = shutil.which("node")
    if node is None or not (WRTC_DIR / "node_modules" / "@roamhq" / "wrtc").is_dir():
        message = "node and @roamhq/wrtc are needed: npm ci --prefix tests/media/wrtc"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return node


async def test_libwebrtc_publisher_reaches_an_aiortc_viewer(aiohttp_client: Any) -> None:
    node = node_ready()
    service: SignalingService = make_service()
    client = await aiohttp_client(make_app(service))
    publisher = await asyncio.create_subprocess_exec(
        node, str(WRTC_DIR / "publish.mjs"), str(client.make_url("/whip/demo")), KEY, "5",
        cwd=str(WRTC_DIR), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    viewer = Viewer(audio=False)
    try:
        await wait_for(lambda: service.room_state("demo")["live"] or publisher.returncode is not None, 20)
        assert publisher.returncode is None, "the libwebrtc publisher exited early"
        codec = service.room_state("demo")["codecs"]["video"].lower()
        assert codec in ("video/vp8", "video/h264")
        created = await post_sdp(client, "/whep/demo", await viewer.offer(), token=None)
        assert created.status == 201, created.sdp
        await viewer.answer(created.sdp)
        await viewer.wait_frames(10, limit=10)
        assert viewer.frames[-1][1:] == (320, 240)
        stats = service.room_stats("demo")["publisher"]["tracks"]["video"]
        assert stats["packets"] > 0 and stats["plis_sent"] >= 1
    finally:
        await viewer.close()
        output, _ = await publisher.communicate()
    text = output.decode()
    assert "ANSWERED" in text and "DELETED 200" in text, text
