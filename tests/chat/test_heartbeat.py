"""Liveness of chat sockets (chat.heartbeat): pure checks, then over real websockets."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp import ClientWebSocketResponse, WSMsgType

from chat.heartbeat import Heartbeat
from chat.http import HEARTBEAT
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


async def heard_by_server(beats: Heartbeat, count: int) -> None:
    """Waits (polling, with a deadline) until the server's receive loops have counted ``count`` frames in all."""
    for _ in range(500):
        if sum(liveness.heard for liveness in beats._sockets) >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"the server heard fewer than {count} frames")


async def next_ping(ws: ClientWebSocketResponse) -> bytes:
    async with asyncio.timeout(5):
        while True:
            message = await ws.receive()
            if message.type is WSMsgType.PING:
                return bytes(message.data)
            assert message.type in (WSMsgType.TEXT, WSMsgType.BINARY), message  # presence and the like


async def test_a_silent_client_that_ignores_pings_is_dropped_and_one_that_answers_stays(aiohttp_client: Any) -> None:
    """The checks are driven by hand (the app's own timer is an hour away), so no wall-clock waits."""
    client = await aiohttp_client(build_app(heartbeat=3600.0))
    beats = client.app[HEARTBEAT]
    mute = await client.ws_connect("/ws/rooms/demo", params={"token": token("mute")}, autoping=False)
    polite = await client.ws_connect("/ws/rooms/demo", params={"token": token("polite")}, autoping=False)
    await frame(mute, "welcome")
    await frame(polite, "welcome")
    beats.check()
    beats.check()  # both silent through two checks: pinged
    await next_ping(mute)  # and not answered
    await polite.pong(await next_ping(polite))
    await heard_by_server(beats, 1)
    beats.check()  # no pong from the mute one by the check after its ping: dropped
    async with asyncio.timeout(5):
        while (await mute.receive()).type not in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING, WSMsgType.ERROR):
            pass
    assert mute.closed and beats.dropped == 1 and len(beats) == 1
    beats.check()
    beats.check()  # the polite one is still watched: pinged again after two more silent checks
    await polite.pong(await next_ping(polite))
    await heard_by_server(beats, 2)
    beats.check()
    assert beats.pinged == 3 and beats.dropped == 1 and len(beats) == 1
    await polite.send_json({"type": "ping", "ref": "p1"})
    assert (await frame(polite, "pong"))["ref"] == "p1" and not polite.closed
    await polite.close()


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

    client = await aiohttp_client(build_app(heartbeat=3600.0))  # checks driven by hand below
    viewer = Viewer("/ws/rooms/demo", probe, [])
    await asyncio.get_running_loop().create_connection(lambda: viewer, "127.0.0.1", client.port)
    await asyncio.wait_for(viewer.ready, 5)
    beats = client.app[HEARTBEAT]
    for answered in (1, 2):
        beats.check()
        beats.check()  # silent through two checks: pinged
        await heard_by_server(beats, answered)  # the viewer's pong
        beats.check()  # not dropped: it answered
    assert beats.pinged == 2 and beats.dropped == 0 and not viewer.closed
    assert viewer.transport is not None
    viewer.transport.close()
