"""Liveness of chat sockets (chat.heartbeat): pure checks, then over real websockets."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp import WSMsgType

from chat.heartbeat import Heartbeat
from tests.chat.app import build_app
from tests.chat.helpers import frame, token


def test_a_socket_is_pinged_after_a_silent_check_and_dropped_after_a_silent_ping() -> None:
    events: list[str] = []
    beats = Heartbeat(30.0)
    talker = beats.watch(lambda: events.append("ping talker"), lambda: events.append("drop talker"))
    quiet = beats.watch(lambda: events.append("ping quiet"), lambda: events.append("drop quiet"))
    talker.heard += 1
    beats.check()  # the talker was heard; the quiet one was not: pinged
    assert events == ["ping quiet"]
    talker.heard += 1
    quiet.heard += 1  # its pong
    beats.check()
    assert events == ["ping quiet"] and len(beats) == 2
    beats.check()  # both silent for a whole check: both pinged, nobody dropped yet
    assert events[1:] == ["ping talker", "ping quiet"]
    talker.heard += 1
    beats.check()  # the talker answered; the quiet one did not: dropped and forgotten
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
