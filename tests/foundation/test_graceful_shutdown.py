"""SIGTERM: stop accepting, close chat sockets with a reconnect code, exit cleanly, keep the data."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import aiohttp
import pytest

from chat.frames import CLOSE_SHUTDOWN
from tests.server import ServerProcess

pytestmark = pytest.mark.slow  # a real server process signalled


async def test_sigterm_closes_websockets_with_a_reconnect_code(tmp_path: Path) -> None:
    server = await asyncio.to_thread(lambda: ServerProcess(tmp_path / "server").start())
    try:
        async with aiohttp.ClientSession() as session:
            ws = await session.ws_connect(server.base_url.replace("http", "ws") + "/ws/rooms/demo")
            welcome = await ws.receive_json(timeout=10)
            assert welcome["type"] == "welcome"
            assert server.process is not None
            server.process.send_signal(signal.SIGTERM)
            while True:
                message = await ws.receive(timeout=15)
                if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
                    break
            assert ws.close_code == CLOSE_SHUTDOWN
            assert 4000 <= CLOSE_SHUTDOWN < 4500  # the "reconnect" range of docs/chat-protocol.md
        assert await asyncio.to_thread(server.process.wait, 30) == 0
    finally:
        await asyncio.to_thread(server.stop)
