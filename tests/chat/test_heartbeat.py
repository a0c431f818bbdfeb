"""Liveness of chat sockets (chat.heartbeat): pure checks, then over real websockets."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp import WSMsgType

from chat.heartbeat import Heartbeat
from tests.chat.app import build_app
from tests.chat.helpers import frame, token


def test_a_socket_is_pinged_after_two_silent_checks_and_dropped_after_a_silent_ping() -> None:
    events: list[str] = []
    beats = Heartbeat(30.0)
    talker = beats.watch(lambda: events.append("ping talker"), lambda: events.append("drop talker"))
    quiet = beats.watch(lambda: events.append("ping quiet"), lambda: events.append("drop quiet"))
    talker.heard += 1
    beats.check()  # the quiet one silent through one check: nothing yet (never sooner than aiohttp's 30 s)
    assert events == []
    talker.heard += 1
    beats.check()  # silent through two checks: pinged
    assert events == ["ping quiet"]
    quiet.heard += 1  # its pong
    beats.check()
    assert events == ["ping quiet"] and len(beats) == 2
    beats.check()  # the talker silent through two checks now
    assert events[1:] == ["ping talker"]
    talker.heard += 1  # it answers; the quiet one has been silent through two checks again
    beats.check()
    assert events[2:] == ["ping quiet"]
    beats.check()  # no pong by the next check: dropped and forgotten
    assert events[3:] == ["drop quiet"] and len(beats) == 1 and beats.dropped == 1
    beats.forget(talker)
    beats.check()
    assert len(events) == 4 and len(beats) == 0


def test_the_interval_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Heartbeat(0)


async def test_a_silent_client_that_ignores_pings_is_dropped_and_one_that_answers_stays(aiohttp_client: Any) -> None:
    client = await aiohttp_client(build_app(heartbeat=1.0))  # checks every 0.5 s: slack for a busy machine
    mute = await client.ws_connect("/ws/rooms/demo", params={"token": token("mute")}, autoping=False)
    polite = await client.ws_connect("/ws/rooms/demo", params={"token": token("polite")})  # answers pings
    await frame(mute, "welcome")
    await frame(polite, "welcome")
    polite_frames: list[Any] = []

    async def read_polite() -> None:  # aiohttp's client answers a ping only while someone reads
        async for message in polite:
            polite_frames.append(message.json())

    reader = asyncio.create_task(read_polite())
    pinged = False
    async with asyncio.timeout(10):
        while True:
            message = await mute.receive()
            if message.type is WSMsgType.PING:
                pinged = True  # and it is not answered
            elif message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING, WSMsgType.ERROR):
                break
    assert pinged and mute.closed
    await asyncio.sleep(2.0)  # four more checks: the polite client's pongs keep it
    await polite.send_json({"type": "ping", "ref": "p1"})
    await asyncio.sleep(0.3)
    assert not reader.done() and not polite.closed
    assert any(f.get("type") == "pong" and f.get("ref") == "p1" for f in polite_frames)
    await polite.close()
    await reader


async def test_a_clients_ping_is_answered_with_its_payload(aiohttp_client: Any) -> None:
    client = await aiohttp_client(build_app())
    ws = await client.ws_connect("/ws/rooms/demo", params={"token": token("pinger")}, autoping=False)
    await frame(ws, "welcome")
    await ws.ping(b"are you there")
    async with asyncio.timeout(5):
        while True:
            message = await ws.receive()
            if message.type is WSMsgType.PONG:
                break
    assert message.data == b"are you there"
    await ws.close()


@pytest.mark.parametrize("probe", [False, True])
async def test_the_chat_bench_viewers_answer_pings_as_browsers_do(aiohttp_client: Any, probe: bool) -> None:
    """Silent bench viewers must not be dropped in a long run (they stand in for browsers, which answer pings)."""
    from bench.chat.clients import Viewer
    from chat.http import HEARTBEAT

    client = await aiohttp_client(build_app(heartbeat=0.6))  # checks every 0.3 s: pinged after 0.6-0.9 s silent
    viewer = Viewer("/ws/rooms/demo", probe, [])
    await asyncio.get_running_loop().create_connection(lambda: viewer, "127.0.0.1", client.port)
    await asyncio.wait_for(viewer.ready, 5)
    await asyncio.sleep(3.0)
    beats = client.app[HEARTBEAT]
    assert beats.pinged >= 2 and beats.dropped == 0 and not viewer.closed
    assert viewer.transport is not None
    viewer.transport.close()
