"""SIGTERM of a real ``livehire serve`` with an office feed, a chat socket and WebRTC peers open finishes in
under 2 s (security review L8: one open office feed stretched it to 10 s), and each client is told."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from pathlib import Path

import aiohttp
import pytest

from identity.tokens import TokenSigner
from tests.integration.test_media_relay import go_live, watch
from tests.media.peers import publisher
from tests.server import ServerProcess

pytestmark = [pytest.mark.integration, pytest.mark.slow]
SECRET = "drain-secret-" + "x" * 32


async def test_sigterm_with_feeds_sockets_and_peers_open_exits_in_under_two_seconds(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    server = await asyncio.to_thread(ServerProcess(tmp_path / "data", env={"LIVEHIRE_SECRET": SECRET}).start)
    recruiter = TokenSigner(SECRET).mint(session="test", role="recruiter", user="drain-recruiter", org="demo-org")
    pub, offer = await publisher("video/VP8")
    viewer = None
    try:
        async with aiohttp.ClientSession() as http:
            feed = await http.get(f"{server.base_url}/api/v1/orgs/demo-org/applications/stream",
                                  headers={"Authorization": f"Bearer {recruiter}"})
            assert feed.status == 200 and await feed.content.readline() == b"event: ready\n"
            chat = await http.ws_connect(server.base_url.replace("http://", "ws://") + "/ws/rooms/demo")
            assert json.loads((await chat.receive()).data)["type"] == "welcome"
            # a client that never reads (a frozen tab): its close is not waited for (chat cuts after 1 s)
            frozen = await http.ws_connect(server.base_url.replace("http://", "ws://") + "/ws/rooms/demo",
                                           autoclose=False, autoping=False)
            await go_live(http, server, pub, offer)
            viewer = await watch(http, server)
            await viewer.wait_frames(3, limit=15)

            assert server.process is not None
            started = time.monotonic()
            server.process.send_signal(signal.SIGTERM)
            code = await asyncio.to_thread(server.process.wait, 10)
            took = time.monotonic() - started
            assert code == 0 and took < 2.0, f"exit {code} after {took:.2f} s"

            closing = await chat.receive()
            while closing.type is aiohttp.WSMsgType.TEXT:  # live_state, presence: read before the close
                closing = await chat.receive()
            assert (closing.type, closing.data) == (aiohttp.WSMsgType.CLOSE, 4000), "chat: reconnect elsewhere"
            assert frozen is not None
            rest = await feed.content.read()  # the feed ended cleanly: the chunked body is complete
            assert feed.content.at_eof() and b"event:" not in rest
    finally:
        if viewer is not None:
            await viewer.close()
        await pub.close()
        await asyncio.to_thread(server.stop)
