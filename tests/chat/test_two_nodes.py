"""Two server processes sharing one Redis: fan-out, controls and recovery cross nodes.

Each node is ``python -m tests.chat.app`` (the chat service with the real Moderator
and TokenSigner) on its own port; nothing is shared but Redis (ARCHITECTURE.md §1
"Scaling out": every node is identical).
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from identity.tokens import TokenSigner
from tests.chat.helpers import frame, token
from tests.server import ServerProcess

pytestmark = [pytest.mark.integration, pytest.mark.redis]
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def start_node(redis_url: str) -> tuple[asyncio.subprocess.Process, str]:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.chat.app", "--port", str(port), "--redis-url", redis_url,
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        for _ in range(200):
            if process.returncode is not None:
                raise RuntimeError(f"node exited with {process.returncode}")
            try:
                async with session.get(f"{base}/test/stats/demo") as response:
                    if response.status == 200:
                        return process, base
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    process.kill()
    raise RuntimeError("node did not start")


@pytest.fixture
async def nodes(redis_url: str) -> AsyncIterator[tuple[str, str]]:
    started = await asyncio.gather(start_node(redis_url), start_node(redis_url))
    try:
        yield started[0][1], started[1][1]
    finally:
        for process, _ in started:
            process.terminate()
        for process, _ in started:
            try:
                async with asyncio.timeout(10):
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()


async def test_message_on_one_node_reaches_the_other_and_history_recovers_there(nodes: tuple[str, str]) -> None:
    node_a, node_b = nodes
    room = "t-" + uuid.uuid4().hex[:10]
    async with aiohttp.ClientSession() as http:
        sender = await http.ws_connect(f"{node_a}/ws/rooms/{room}", params={"token": token("sender")})
        viewer = await http.ws_connect(f"{node_b}/ws/rooms/{room}", params={"token": token("viewer")})
        await frame(sender, "welcome")
        assert (await frame(viewer, "welcome"))["seq"] == 0

        await sender.send_json({"type": "chat", "text": "A 节点发来的消息", "ref": "1"})
        got = await frame(viewer, "chat")
        assert got["text"] == "A 节点发来的消息" and got["seq"] == 1

        async with asyncio.timeout(10):  # presence sums both nodes
            while (await frame(viewer, "presence"))["viewers"] != 2:
                pass

        await viewer.close()
        for text in ("错过的第一条", "错过的第二条"):
            await sender.send_json({"type": "chat", "text": text})
            await frame(sender, "ack")
        back = await http.ws_connect(f"{node_a}/ws/rooms/{room}", params={"token": token("viewer"), "since": "1"})
        welcome = await frame(back, "welcome")
        assert welcome["recovered"] is True
        assert [(m["seq"], m["text"]) for m in welcome["history"]] == [(2, "错过的第一条"), (3, "错过的第二条")]

        host = await http.ws_connect(f"{node_b}/ws/rooms/{room}", params={"token": token("h", "host", room=room)})
        await frame(host, "welcome")
        await host.send_json({"type": "mute", "user_id": "viewer", "duration": 120, "ref": "m"})
        assert (await frame(host, "ok"))["ref"] == "m"
        await frame(back, "muted")
        await back.send_json({"type": "chat", "text": "还能说话吗", "ref": "x"})
        assert (await frame(back, "error"))["code"] == "muted"  # a mute on node B holds on node A
        for ws in (sender, back, host):
            await ws.close()


async def answer(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    """The next ``ack`` or ``error`` (the answer to a sent chat frame), skipping room frames."""
    while (got := await frame(ws))["type"] not in ("ack", "error"):
        pass
    return got


async def test_one_user_on_two_nodes_shares_one_rate_limit(nodes: tuple[str, str]) -> None:
    """20 messages per 30 s per user in total, not per node: the bucket is in Redis."""
    room, user = "t-" + uuid.uuid4().hex[:10], "rl-" + uuid.uuid4().hex[:8]
    async with aiohttp.ClientSession() as http:
        sockets = [await http.ws_connect(f"{node}/ws/rooms/{room}", params={"token": token(user)}) for node in nodes]
        for ws in sockets:
            await frame(ws, "welcome")
        started = time.monotonic()
        for i in range(20):  # 40 messages, alternating nodes: a per-node limit would accept them all
            for n, ws in enumerate(sockets):
                await ws.send_json({"type": "chat", "text": f"第{i}条 来自{n}", "ref": f"{n}-{i}"})
        answers = [await answer(ws) for ws in sockets for _ in range(20)]
        elapsed = time.monotonic() - started
        accepted = [a for a in answers if a["type"] == "ack"]
        refused = [a for a in answers if a["type"] == "error"]
        assert {a["code"] for a in refused} == {"rate_limited"}
        assert 20 <= len(accepted) <= 20 + int(elapsed / 1.5)  # one token back every 1.5 s; per node: 40
        for ws in sockets:
            await ws.close()


async def test_two_livehire_serve_nodes_share_the_demo_room_through_redis(redis_url: str, tmp_path: Path) -> None:
    """The same with the real server: two ``livehire serve`` processes, one secret, one Redis."""
    secret = "two-node-secret-" + uuid.uuid4().hex + uuid.uuid4().hex
    env = {"LIVEHIRE_SECRET": secret, "LIVEHIRE_REDIS_URL": redis_url}
    servers = [ServerProcess(tmp_path / f"node{i}", env=env) for i in range(2)]
    await asyncio.gather(*(asyncio.to_thread(s.start) for s in servers))
    signer = TokenSigner(secret)
    try:
        async with aiohttp.ClientSession() as http:
            url_a, url_b = (f"{s.base_url}/ws/rooms/demo" for s in servers)
            sender = await http.ws_connect(url_a, params={"token": signer.mint(session="test", role="viewer", user="s-" + uuid.uuid4().hex)})
            viewer_user = "v-" + uuid.uuid4().hex
            viewer = await http.ws_connect(url_b, params={"token": signer.mint(session="test", role="viewer", user=viewer_user)})
            await frame(sender, "welcome")
            start = (await frame(viewer, "welcome"))["seq"]
            # digits only: a random hex marker spells a filtered pinyin term about once in 700 runs (…bbe…, …cdd…),
            # and a held line gets no ack
            marker = f"{uuid.uuid4().int % 10**6:06d}"
            await sender.send_json({"type": "chat", "text": f"第一条 {marker}"})
            first_seq = (await frame(sender, "ack"))["seq"]
            got = await frame(viewer, "chat")
            assert got["seq"] == first_seq
            assert got["text"] == f"第一条 {marker}" and got["seq"] > start
            await viewer.close()
            await sender.send_json({"type": "chat", "text": f"错过的 {marker}"})
            missed_seq = (await frame(sender, "ack"))["seq"]
            back = await http.ws_connect(url_a, params={"token": signer.mint(session="test", role="viewer", user=viewer_user), "since": str(got["seq"])})
            welcome = await frame(back, "welcome")
            assert welcome["recovered"] is True
            assert [(m["seq"], m["text"]) for m in welcome["history"]] == [(missed_seq, f"错过的 {marker}")]
            for ws in (sender, back):
                await ws.close()
    finally:
        await asyncio.gather(*(asyncio.to_thread(s.stop) for s in servers))


async def test_slow_mode_holds_across_nodes(nodes: tuple[str, str]) -> None:
    """Slow mode counts from the user's last message on any node (the stamp is in Redis)."""
    room, user = "t-" + uuid.uuid4().hex[:10], "sm-" + uuid.uuid4().hex[:8]
    async with aiohttp.ClientSession() as http:
        host = await http.ws_connect(f"{nodes[0]}/ws/rooms/{room}", params={"token": token("h", "host", room=room)})
        on_a, on_b = [await http.ws_connect(f"{node}/ws/rooms/{room}", params={"token": token(user)}) for node in nodes]
        for ws in (host, on_a, on_b):
            await frame(ws, "welcome")
        await host.send_json({"type": "slow_mode", "seconds": 60, "ref": "s"})
        assert (await frame(host, "ok"))["ref"] == "s"
        for ws in (on_a, on_b):
            assert (await frame(ws, "slow_mode"))["seconds"] == 60  # both nodes know the setting
        await on_a.send_json({"type": "chat", "text": "第一条", "ref": "1"})
        assert (await answer(on_a))["type"] == "ack"
        await on_b.send_json({"type": "chat", "text": "换个节点再发", "ref": "2"})
        refused = await answer(on_b)
        assert refused["type"] == "error" and refused["code"] == "slow_mode" and refused["retry_after"] > 50
        for ws in (host, on_a, on_b):
            await ws.close()


async def test_a_node_killed_with_sigkill_its_viewers_recover_what_they_missed_on_the_other(redis_url: str) -> None:
    """Node failure: the viewer's node dies (SIGKILL); it reconnects to the other node with its offset and
    epoch and gets exactly the messages sent meanwhile, then the live ones, none twice (Centrifugo's recovery)."""
    (process_a, node_a), (process_b, node_b) = await asyncio.gather(start_node(redis_url), start_node(redis_url))
    room = "t-" + uuid.uuid4().hex[:10]
    try:
        async with aiohttp.ClientSession() as http:
            viewer = await http.ws_connect(f"{node_a}/ws/rooms/{room}")
            welcome = await frame(viewer, "welcome")
            sender = await http.ws_connect(f"{node_b}/ws/rooms/{room}", params={"token": token("sender")})
            await frame(sender, "welcome")
            for n, text in enumerate(("一", "二", "三", "四"), start=1):
                if n == 2:  # the viewer's node dies after it saw the first message
                    assert (await frame(viewer, "chat"))["text"] == "一"
                    process_a.kill()
                    await process_a.wait()
                await sender.send_json({"type": "chat", "text": text, "ref": f"r{n}"})
                assert (await frame(sender, "ack"))["seq"] == n
            back = await http.ws_connect(f"{node_b}/ws/rooms/{room}",
                                         params={"since": "1", "epoch": str(welcome["epoch"])})
            recovered = await frame(back, "welcome")
            assert recovered["recovered"] is True and [m["text"] for m in recovered["history"]] == ["二", "三", "四"]
            await sender.send_json({"type": "chat", "text": "五", "ref": "r5"})
            assert (await frame(back, "chat"))["text"] == "五", "the next frame is the next message: none twice"
            for ws in (viewer, sender, back):
                await ws.close()
    finally:
        for process in (process_a, process_b):
            if process.returncode is None:
                process.kill()
            await process.wait()
