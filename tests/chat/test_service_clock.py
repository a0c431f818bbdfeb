"""The chat service on a ManualClock: mutes, slow mode and presence age when the clock moves, not by sleeping."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from chat.bus.factory import memory_bus
from chat.bus.ports import Envelope
from chat.connection import Connection
from chat.service import ChatService
from common.clock import ManualClock
from identity.policy import RoomFacts
from identity.principal import Principal
from tests.chat.app import make_moderator
from tests.chat.test_fanout import FakeTransport, flushed

HOST = Principal(user_id="h1", role="host", room="demo", name="主播")
VIEWER = Principal(user_id="v1", role="viewer", name="小王")


def _refuse(_request: object) -> Principal:
    raise AssertionError("no HTTP here")


async def _facts(room: str) -> RoomFacts:
    return RoomFacts(room, None, "public")


@pytest.fixture
async def service() -> AsyncIterator[ChatService]:
    chat = ChatService(bus=memory_bus(), moderator=make_moderator(), authenticate=_refuse, room_facts=_facts,
                       registry=CollectorRegistry(), clock=ManualClock())
    await chat.start()
    yield chat
    await chat.close()


def clock_of(service: ChatService) -> ManualClock:
    assert isinstance(service.clock, ManualClock)
    return service.clock


async def join(service: ChatService, principal: Principal) -> tuple[Connection, FakeTransport]:
    transport = FakeTransport()
    connection = await service.connect("demo", principal, transport)
    return connection, transport


def frames(transport: FakeTransport, kind: str) -> list[dict[str, Any]]:
    return [f for f in (json.loads(raw) for raw in transport.frames()) if f["type"] == kind]


async def say(service: ChatService, connection: Connection, transport: FakeTransport, ref: str) -> dict[str, Any]:
    """The sender's answer (``ack`` or ``error``) to one chat message."""
    await service.receive(connection, json.dumps({"type": "chat", "text": "请问几点开始", "ref": ref}))
    (answer,) = [f for f in (json.loads(raw) for raw in transport.frames())
                 if f.get("ref") == ref and f["type"] in ("ack", "error")]
    return answer


async def test_a_mute_ends_when_the_clock_passes_it(service: ChatService) -> None:
    clock = clock_of(service)
    viewer, wire = await join(service, VIEWER)
    started = clock.now()
    await service.ops.mute("demo", "v1", 60, "刷屏", HOST)
    await flushed()
    assert frames(wire, "muted")[0]["until"] == int((started + 60) * 1000)
    muted = await say(service, viewer, wire, "c1")
    assert muted["code"] == "muted" and muted["message"] == "你已被禁言，还剩 61 秒"
    clock.advance(59.5)
    assert (await say(service, viewer, wire, "c2"))["code"] == "muted"
    clock.advance(0.6)
    assert (await say(service, viewer, wire, "c3"))["type"] == "ack"


async def test_slow_mode_admits_the_next_message_once_its_interval_passed(service: ChatService) -> None:
    clock = clock_of(service)
    viewer, wire = await join(service, VIEWER)
    await service.ops.slow_mode("demo", 10, HOST)
    assert (await say(service, viewer, wire, "c1"))["type"] == "ack"
    clock.advance(9)
    refused = await say(service, viewer, wire, "c2")
    assert refused["code"] == "slow_mode" and refused["retry_after"] == 1.0
    clock.advance(1)
    assert (await say(service, viewer, wire, "c3"))["type"] == "ack"


async def test_another_nodes_presence_counts_until_it_goes_stale(service: ChatService) -> None:
    clock = clock_of(service)
    await join(service, VIEWER)
    await service.broker.emit(Envelope("presence", "demo", {"count": 3}, node="elsewhere"))
    assert service.viewers("demo") == 4
    clock.advance(14.9)
    assert service.viewers("demo") == 4
    clock.advance(0.2)  # 15 s without a repeat: that node is gone
    assert service.viewers("demo") == 1


async def test_an_unchanged_count_is_announced_again_after_the_heartbeat(service: ChatService) -> None:
    clock = clock_of(service)
    announced: list[Envelope] = []
    deliver = service._deliver

    def spy(envelope: Envelope) -> None:
        if envelope.kind == "presence":
            announced.append(envelope)
        deliver(envelope)

    await service.bus.start(spy)  # the memory broker now delivers through the spy
    await join(service, VIEWER)
    await service.tick()
    await service.tick()  # same count, same moment: nothing new
    clock.advance(5)
    await service.tick()  # five seconds on: repeated so other nodes keep counting it
    assert [e.data["count"] for e in announced] == [1, 1]


async def test_muted_users_and_buckets_are_pruned_on_the_clock(service: ChatService) -> None:
    clock = clock_of(service)
    viewer, wire = await join(service, VIEWER)
    await service.ops.mute("demo", "v2", 30, "", HOST)
    assert (await say(service, viewer, wire, "c1"))["type"] == "ack"
    controls = service.controls("demo")
    assert controls is not None and "v2" in controls.muted_until and controls.rate._buckets
    clock.advance(31)
    await service.tick()
    assert controls.muted_until == {} and not controls.rate._buckets
