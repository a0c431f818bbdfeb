"""The Broker contract (fan-out and history), on the memory and the Redis broker (real Redis; never mocked)."""

from __future__ import annotations

import pytest

from chat.bus.factory import create_bus, redis_bus
from chat.bus.memory import MemoryBroker
from chat.bus.ports import Envelope
from chat.bus.redis_broker import RedisBroker
from tests.chat.bus_nodes import MakeBus, Node, chat


async def test_append_assigns_increasing_seq_and_delivers_in_order(node: Node, room: str) -> None:
    broker = node.bus.broker
    await broker.watch(room)
    stored = [await broker.append(room, chat(f"m{i}")) for i in range(5)]
    assert [m["seq"] for m in stored] == [1, 2, 3, 4, 5]
    assert len({m["id"] for m in stored}) == 5
    await node.wait_for(lambda got: sum(e.kind == "message" for e in got) == 5)
    delivered = [e.data for e in node.got if e.kind == "message"]
    epoch = stored[0]["epoch"]
    assert epoch and all(m.pop("epoch") == epoch for m in stored), "the answer names the history's epoch"
    assert delivered == stored and all(e.room == room for e in node.got)
    assert {e.epoch for e in node.got if e.kind == "message"} == {epoch}, "so does each delivered message"
    assert (await broker.history(room, since=None)).epoch == epoch


async def test_history_since_returns_exactly_the_missed_messages(node: Node, room: str) -> None:
    broker = node.bus.broker
    for i in range(6):
        await broker.append(room, chat(f"m{i}"))
    recent = await broker.history(room, since=None, limit=3)
    assert [m["text"] for m in recent.messages] == ["m3", "m4", "m5"] and recent.last_seq == 6
    missed = await broker.history(room, since=4, limit=50)
    assert missed.complete and [m["seq"] for m in missed.messages] == [5, 6]
    assert (await broker.history(room, since=6)).complete
    assert not (await broker.history(room, since=7)).complete  # a seq from the future: not ours


async def test_deleted_messages_are_gone_but_recovery_stays_complete(node: Node, room: str) -> None:
    broker = node.bus.broker
    stored = [await broker.append(room, chat(f"m{i}")) for i in range(4)]
    assert await broker.remove(room, stored[1]["id"])
    assert not await broker.remove(room, stored[1]["id"])
    assert not await broker.remove(room, "m999")
    after = await broker.history(room, since=0)
    assert after.complete and [m["text"] for m in after.messages] == ["m0", "m2", "m3"]
    assert "m1" not in [m["text"] for m in (await broker.history(room, since=None)).messages]


async def test_trimmed_history_is_reported_as_not_recoverable(make_bus: MakeBus, room: str) -> None:
    bus = make_bus(history_limit=5)
    await bus.start(lambda e: None)
    try:
        for i in range(40):
            await bus.broker.append(room, chat(f"m{i}"))
        lost = await bus.broker.history(room, since=1)
        assert not lost.complete and lost.messages == [] and lost.last_seq == 40
        kept = await bus.broker.history(room, since=37)
        assert kept.complete and [m["seq"] for m in kept.messages] == [38, 39, 40]
    finally:
        await bus.close()


async def test_emit_reaches_watchers_and_room_none_reaches_everyone(node: Node, room: str) -> None:
    broker = node.bus.broker
    await broker.watch(room)
    await broker.emit(Envelope("frame", room, {"type": "job_card", "id": "j1"}, node=broker.node_id))
    await broker.emit(Envelope("user", None, {"type": "invite"}, target="u1", node=broker.node_id))
    await node.wait_for(lambda got: len(got) >= 2)
    assert [(e.kind, e.room, e.target, e.node) for e in node.got] == [
        ("frame", room, None, broker.node_id), ("user", None, "u1", broker.node_id)]


@pytest.mark.redis
async def test_redis_nodes_share_fan_out_and_history(redis_url: str, room: str) -> None:
    a, b = Node(redis_bus(redis_url)), Node(redis_bus(redis_url))
    await a.bus.start(a.deliver)
    await b.bus.start(b.deliver)
    try:
        await b.bus.broker.watch(room)
        stored = await a.bus.broker.append(room, chat("from a"))
        epoch = stored.pop("epoch")
        await a.bus.broker.emit(Envelope("user", None, {"type": "invite"}, target="u1"))
        await b.wait_for(lambda got: len(got) >= 2)
        assert b.got[0].kind == "message" and b.got[0].data == stored and b.got[0].node == a.bus.node_id
        assert b.got[0].epoch == epoch == (await b.bus.broker.history(room, since=None)).epoch, "one epoch per room"
        assert (b.got[1].kind, b.got[1].target) == ("user", "u1")
        assert (await b.bus.broker.history(room, since=0)).messages == [stored]
        await b.bus.broker.unwatch(room)
        await a.bus.broker.append(room, chat("unheard"))
        await a.bus.broker.emit(Envelope("frame", room, {"type": "x"}))
        # Redis hands a subscriber messages in publish order: once this one is here, the two
        # above would have arrived before it (no fixed wait for "nothing more").
        await a.bus.broker.emit(Envelope("user", None, {"type": "sentinel"}, target="u1"))
        await b.wait_for(lambda got: any(e.data.get("type") == "sentinel" for e in got))
        assert [e.data.get("type") for e in b.got[2:]] == ["sentinel"]
    finally:
        await a.bus.close()
        await b.bus.close()


async def test_create_bus_chooses_by_redis_url() -> None:
    assert isinstance(create_bus(None).broker, MemoryBroker)
    assert isinstance(create_bus("").broker, MemoryBroker)
    remote = create_bus("redis://127.0.0.1:6379/0")  # nothing connects before start
    assert isinstance(remote.broker, RedisBroker) and remote.rate_limiter is not None
    await remote.close()


@pytest.mark.redis
async def test_a_redis_that_lost_a_rooms_keys_starts_a_new_epoch(redis_url: str, room: str) -> None:
    """Offsets restart at 1 after Redis lost the history: the epoch tells old offsets apart (chat.recovery)."""
    import redis.asyncio as aioredis

    node = Node(redis_bus(redis_url))
    await node.bus.start(node.deliver)
    raw = aioredis.Redis.from_url(redis_url)
    try:
        first = (await node.bus.broker.append(room, chat("before")))["epoch"]
        await node.bus.broker.append(room, chat("before 2"))
        assert (await node.bus.broker.history(room, since=None)).epoch == first
        await raw.delete(*[f"chat:{room}:{part}" for part in ("seq", "log", "deleted", "epoch")])  # as a restart
        again = await node.bus.broker.history(room, since=1)
        assert again.epoch != first and again.last_seq == 0
        stored = await node.bus.broker.append(room, chat("after"))
        assert stored["seq"] == 1 and stored["epoch"] == again.epoch, "the epoch a read gave stays"
    finally:
        await raw.aclose()
        await node.bus.close()


async def test_a_memory_broker_keeps_one_epoch_and_a_new_process_gets_another() -> None:
    one, other = MemoryBroker(), MemoryBroker()
    stored = await one.append("r", chat("x"))
    assert stored["epoch"] == (await one.history("r", since=None)).epoch == (await one.history("q", since=0)).epoch
    assert (await other.history("r", since=None)).epoch != stored["epoch"]
