"""One contract for every Bus: MemoryBus and RedisBus (real Redis at ``redis_url``; never mocked)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable

import pytest

from chat.bus import HELD_LIMIT, PENDING_REPORTS_PER_USER, AuditRecord, Bus, Envelope, QueueFull, create_bus
from chat.bus_memory import MemoryBus
from chat.bus_redis import RedisBus


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def make_bus(request: pytest.FixtureRequest) -> Callable[..., Bus]:
    if request.param == "memory":
        return lambda **kw: MemoryBus(**kw)
    url = request.getfixturevalue("redis_url")
    return lambda **kw: RedisBus(url, **kw)


class Node:
    def __init__(self, bus: Bus) -> None:
        self.bus = bus
        self.got: list[Envelope] = []
        self.arrived = asyncio.Event()

    def deliver(self, envelope: Envelope) -> None:
        self.got.append(envelope)
        self.arrived.set()

    async def wait_for(self, predicate: Callable[[list[Envelope]], bool]) -> None:
        async with asyncio.timeout(5):
            while not predicate(self.got):
                self.arrived.clear()
                await self.arrived.wait()


@pytest.fixture
async def node(make_bus: Callable[..., Bus]) -> AsyncIterator[Node]:
    n = Node(make_bus())
    await n.bus.start(n.deliver)
    yield n
    await n.bus.close()


@pytest.fixture
def room() -> str:
    return "room-" + uuid.uuid4().hex[:8]  # Redis is shared between runs: every test its own room


def chat(text: str) -> dict[str, object]:
    return {"type": "chat", "user": {"id": "u", "name": "u", "role": "viewer"}, "text": text, "ts": 1}


async def test_append_assigns_increasing_seq_and_delivers_in_order(node: Node, room: str) -> None:
    await node.bus.watch(room)
    stored = [await node.bus.append(room, chat(f"m{i}")) for i in range(5)]
    assert [m["seq"] for m in stored] == [1, 2, 3, 4, 5]
    assert len({m["id"] for m in stored}) == 5
    await node.wait_for(lambda got: sum(e.kind == "message" for e in got) == 5)
    delivered = [e.data for e in node.got if e.kind == "message"]
    assert delivered == stored and all(e.room == room for e in node.got)


async def test_history_since_returns_exactly_the_missed_messages(node: Node, room: str) -> None:
    for i in range(6):
        await node.bus.append(room, chat(f"m{i}"))
    recent = await node.bus.history(room, since=None, limit=3)
    assert [m["text"] for m in recent.messages] == ["m3", "m4", "m5"] and recent.last_seq == 6
    missed = await node.bus.history(room, since=4, limit=50)
    assert missed.complete and [m["seq"] for m in missed.messages] == [5, 6]
    assert (await node.bus.history(room, since=6)).complete
    assert not (await node.bus.history(room, since=7)).complete  # a seq from the future: not ours


async def test_deleted_messages_are_gone_but_recovery_stays_complete(node: Node, room: str) -> None:
    stored = [await node.bus.append(room, chat(f"m{i}")) for i in range(4)]
    assert await node.bus.remove(room, stored[1]["id"])
    assert not await node.bus.remove(room, stored[1]["id"])
    assert not await node.bus.remove(room, "m999")
    after = await node.bus.history(room, since=0)
    assert after.complete and [m["text"] for m in after.messages] == ["m0", "m2", "m3"]
    assert "m1" not in [m["text"] for m in (await node.bus.history(room, since=None)).messages]


def said(user: str, text: str) -> dict[str, object]:
    return {"type": "chat", "user": {"id": user, "name": f"名字{user}", "role": "viewer"}, "text": text, "ts": 1}


async def test_erase_user_removes_their_messages_everywhere_and_recovery_stays_exact(node: Node, room: str) -> None:
    """个人信息保护法 §47 / standard 4.4.1 c: the person's messages leave every room's history,
    each room is told to drop them (the moderator delete's frame), others' messages stay."""
    gone = "gone-" + uuid.uuid4().hex[:8]
    second = room + "-b"
    await node.bus.watch(room)
    await node.bus.watch(second)
    mine = [await node.bus.append(room, said(gone, f"mine{i}")) for i in range(3)]  # seqs 1-3: the oldest
    theirs = await node.bus.append(room, said("stay", "theirs"))
    mine.append(await node.bus.append(room, said(gone, "mine3")))
    elsewhere = await node.bus.append(second, said(gone, "elsewhere"))
    kept_there = await node.bus.append(second, said("stay", "kept"))

    copy = await node.bus.user_messages(gone)  # 个人信息保护法 §45: the person's copy, every room
    assert sorted((m["room"], m["seq"], m["text"]) for m in copy) == sorted(
        [(room, m["seq"], m["text"]) for m in mine] + [(second, elsewhere["seq"], "elsewhere")])
    others = [(m["room"], m["id"]) for m in await node.bus.user_messages("stay") if m["room"] in (room, second)]
    assert sorted(others) == sorted([(room, theirs["id"]), (second, kept_there["id"])])

    assert await node.bus.erase_user(gone) == 5
    assert await node.bus.user_messages(gone) == []
    await node.wait_for(lambda got: sum(e.data.get("type") == "deleted" for e in got) == 5)
    frames = {(e.room, e.data["id"]) for e in node.got if e.kind == "frame" and e.data.get("type") == "deleted"}
    assert frames == {(room, m["id"]) for m in mine} | {(second, elsewhere["id"])}

    assert (await node.bus.history(room, since=None)).messages == [theirs]
    assert (await node.bus.history(second, since=None)).messages == [kept_there]
    for since in (0, 1, 2, 3, 4):  # a client that saw any prefix recovers exactly, nothing reported lost
        recovered = await node.bus.history(room, since=since)
        assert recovered.complete and recovered.last_seq == 5
        assert recovered.messages == ([theirs] if since < 4 else [])
    later = await node.bus.append(room, said("stay", "after"))
    assert later["seq"] == 6  # seqs are never reused
    assert (await node.bus.history(room, since=1)).messages == [theirs, later]
    assert await node.bus.erase_user(gone) == 0  # a second call finds nothing
    assert not await node.bus.remove(room, mine[0]["id"])


async def test_erase_user_drops_their_held_messages_and_reports(node: Node, room: str) -> None:
    """Held messages and reports carry the user id and name: by or about the person, they go too."""
    gone = "gone-" + uuid.uuid4().hex[:8]
    await node.bus.watch(room)
    await node.bus.hold(room, {"id": "h1", "kind": "message", **said(gone, "held"), "ts": 1})
    await node.bus.hold(room, {"id": "r1", "kind": "report", "reporter": {"id": gone, "name": "x"},
                               "user": {"id": "stay", "name": "y"}, "text": "t", "ts": 2})
    await node.bus.hold(room, {"id": "r2", "kind": "report", "reporter": {"id": "stay", "name": "y"},
                               "user": {"id": gone, "name": "x"}, "text": "about them", "ts": 3})
    await node.bus.hold(room, {"id": "h2", "kind": "message", **said("stay", "kept"), "ts": 4})
    await node.bus.hold(room, {"id": "r3", "kind": "report", "reporter": {"id": "stay", "name": "y"},
                               "user": None, "text": None, "ts": 5})

    copy = await node.bus.user_held(gone)  # the §45 copy first: by or about them, the other reporter left out
    assert [(c["room"], c["id"]) for c in copy] == [(room, "h1"), (room, "r1"), (room, "r2")]
    assert copy[1]["reporter"]["id"] == gone and "reporter" not in copy[2] and copy[2]["text"] == "about them"
    assert [c["id"] for c in await node.bus.user_held("stay") if c["room"] == room] == ["r1", "r2", "h2", "r3"]
    assert await node.bus.erase_user(gone) == 3
    assert await node.bus.user_held(gone) == []
    assert [h["id"] for h in await node.bus.held(room)] == ["h2", "r3"]
    await node.wait_for(lambda got: sum(e.kind == "moderators" for e in got) == 3)
    resolved = [e.data for e in node.got if e.kind == "moderators"]
    assert {(d["type"], d["id"], d["outcome"]) for d in resolved} == {
        ("held_resolved", "h1", "erased"), ("held_resolved", "r1", "erased"), ("held_resolved", "r2", "erased")}
    assert await node.bus.erase_user(gone) == 0


async def test_trimmed_history_is_reported_as_not_recoverable(make_bus: Callable[..., Bus], room: str) -> None:
    bus = make_bus(history_limit=5)
    await bus.start(lambda e: None)
    try:
        for i in range(40):
            await bus.append(room, chat(f"m{i}"))
        lost = await bus.history(room, since=1)
        assert not lost.complete and lost.messages == [] and lost.last_seq == 40
        kept = await bus.history(room, since=37)
        assert kept.complete and [m["seq"] for m in kept.messages] == [38, 39, 40]
    finally:
        await bus.close()


async def test_held_items_are_taken_exactly_once(node: Node, room: str) -> None:
    await node.bus.hold(room, {"id": "h1", "text": "a", "ts": 1})
    await node.bus.hold(room, {"id": "h2", "text": "b", "ts": 2})
    assert [h["id"] for h in await node.bus.held(room)] == ["h1", "h2"]
    first, second = await asyncio.gather(node.bus.take_held(room, "h1"), node.bus.take_held(room, "h1"))
    assert [first, second].count(None) == 1
    assert [h["id"] for h in await node.bus.held(room)] == ["h2"]


async def test_controls_persist_and_announce_themselves(node: Node, room: str) -> None:
    await node.bus.watch(room)
    await node.bus.save_control(room, "slow_mode", "10")
    await node.bus.save_control(room, "ban:u9", "spam")
    await node.bus.save_control(room, "ban:u9", None)
    assert await node.bus.load_controls(room) == {"slow_mode": "10"}
    await node.wait_for(lambda got: sum(e.kind == "control" for e in got) == 3)
    assert [e.data for e in node.got if e.kind == "control"][-1] == {"name": "ban:u9", "value": None}


async def test_emit_reaches_watchers_and_room_none_reaches_everyone(node: Node, room: str) -> None:
    await node.bus.watch(room)
    await node.bus.emit(Envelope("frame", room, {"type": "job_card", "id": "j1"}, node=node.bus.node_id))
    await node.bus.emit(Envelope("user", None, {"type": "invite"}, target="u1", node=node.bus.node_id))
    await node.wait_for(lambda got: len(got) >= 2)
    assert [(e.kind, e.room, e.target, e.node) for e in node.got] == [
        ("frame", room, None, node.bus.node_id), ("user", None, "u1", node.bus.node_id)]


@pytest.mark.redis
async def test_redis_nodes_share_fan_out_and_history(redis_url: str, room: str) -> None:
    a, b = Node(RedisBus(redis_url)), Node(RedisBus(redis_url))
    await a.bus.start(a.deliver)
    await b.bus.start(b.deliver)
    try:
        await b.bus.watch(room)
        stored = await a.bus.append(room, chat("from a"))
        await a.bus.emit(Envelope("user", None, {"type": "invite"}, target="u1"))
        await b.wait_for(lambda got: len(got) >= 2)
        assert b.got[0].kind == "message" and b.got[0].data == stored and b.got[0].node == a.bus.node_id
        assert (b.got[1].kind, b.got[1].target) == ("user", "u1")
        assert (await b.bus.history(room, since=0)).messages == [stored]
        await b.bus.unwatch(room)
        await a.bus.append(room, chat("unheard"))
        await a.bus.emit(Envelope("frame", room, {"type": "x"}))
        await asyncio.sleep(0.2)
        assert len(b.got) == 2
    finally:
        await a.bus.close()
        await b.bus.close()


async def test_audit_records_every_action(node: Node, room: str) -> None:
    await node.bus.audit.record(AuditRecord(room, "h1", "host", "mute", "u2", {"duration": 60}, ts=5.0))
    await node.bus.audit.record(AuditRecord(room, "a1", "admin", "ban", "u3", {}))
    records = await node.bus.audit.recent(room)
    assert [(r.actor, r.action, r.target) for r in records] == [("h1", "mute", "u2"), ("a1", "ban", "u3")]
    assert records[0].detail == {"duration": 60} and records[1].ts > 0


def test_create_bus_chooses_by_redis_url() -> None:
    assert isinstance(create_bus(None), MemoryBus)
    assert isinstance(create_bus(""), MemoryBus)
    assert isinstance(create_bus("redis://127.0.0.1:6379/0"), RedisBus)


async def test_erase_user_unpins_the_announcement_they_wrote_and_no_other(make_bus: Callable[..., Bus], room: str) -> None:
    """A host's pinned announcement names them in ``by``: erasing the host unpins it on every node."""
    gone = "gone-" + uuid.uuid4().hex[:8]
    other_room = room + "-b"
    first, second = Node(make_bus()), Node(make_bus())
    await first.bus.start(first.deliver)
    await second.bus.start(second.deliver)
    try:
        for node in (first, second):
            await node.bus.watch(room)
        pin = '{"text": "招聘会今晚八点", "by": {"id": "%s", "name": "主播", "role": "host"}, "ts": 1}'
        await first.bus.save_control(room, "pin", pin % gone)
        await first.bus.save_control(other_room, "pin", pin % "stays")
        assert await first.bus.erase_user(gone) == 1
        assert "pin" not in await first.bus.load_controls(room)
        assert await first.bus.load_controls(other_room) == {"pin": pin % "stays"}
        if isinstance(first.bus, RedisBus):  # the other node sees the same store and gets both envelopes
            assert "pin" not in await second.bus.load_controls(room)
            watchers = (first, second)
        else:
            watchers = (first,)
        for node in watchers:
            await node.wait_for(lambda got: any(e.kind == "frame" and e.room == room and e.data == {
                "type": "pinned", "announcement": None} for e in got) and any(
                e.kind == "control" and e.room == room and e.data == {"name": "pin", "value": None} for e in got))
        assert await first.bus.erase_user(gone) == 0
    finally:
        await first.bus.close()
        await second.bus.close()


def report(item_id: str, reporter: str, ts: int) -> dict[str, object]:
    return {"id": item_id, "kind": "report", "message_id": "m1", "reason": "骚扰", "reporter": {"id": reporter, "name": reporter},
            "user": None, "text": None, "ts": ts}


async def test_the_review_queue_is_capped_per_room(make_bus: Callable[..., Bus], room: str) -> None:
    """Security review M3: a full queue refuses new items (nothing stored) until moderators take some."""
    bus = make_bus(held_limit=3)
    try:
        for i in range(3):
            await bus.hold(room, {"id": f"h{i}", "kind": "message", **said("u", f"t{i}"), "ts": i})
        with pytest.raises(QueueFull) as full:
            await bus.hold(room, {"id": "h3", "kind": "message", **said("u", "t3"), "ts": 3})
        assert full.value.code == "review_queue_full" and full.value.message == "审核队列已满，请稍后再试"
        with pytest.raises(QueueFull):
            await bus.hold(room, report("r1", "someone", 4))  # reports share the queue and its cap
        await bus.hold(room, {"id": "h0", "kind": "message", **said("u", "again"), "ts": 0})  # a replacement is not new
        assert [h["id"] for h in await bus.held(room)] == ["h0", "h1", "h2"]
        assert await bus.take_held(room, "h1") is not None
        await bus.hold(room, {"id": "h3", "kind": "message", **said("u", "t3"), "ts": 3})
        assert [h["id"] for h in await bus.held(room)] == ["h0", "h2", "h3"]
        await bus.hold(room + "-b", {"id": "h9", "kind": "message", **said("u", "x"), "ts": 9})  # per room
    finally:
        await bus.close()


async def test_pending_reports_are_capped_per_reporter_and_room(make_bus: Callable[..., Bus], room: str) -> None:
    bus = make_bus(reports_per_user=2)
    try:
        await bus.hold(room, report("r1", "flooder", 1))
        await bus.hold(room, report("r2", "flooder", 2))
        with pytest.raises(QueueFull) as refused:
            await bus.hold(room, report("r3", "flooder", 3))
        assert refused.value.code == "too_many_reports"
        await bus.hold(room, report("r4", "other", 4))  # another reporter
        await bus.hold(room, {"id": "h1", "kind": "message", **said("flooder", "held"), "ts": 5})  # held messages do not count
        await bus.hold(room + "-b", report("r5", "flooder", 6))  # another room
        assert await bus.take_held(room, "r1") is not None  # a moderator resolved one: room for one more
        await bus.hold(room, report("r3", "flooder", 3))
        assert sorted(h["id"] for h in await bus.held(room)) == ["h1", "r2", "r3", "r4"]
    finally:
        await bus.close()


def test_queue_caps_default_to_500_items_and_20_reports() -> None:
    assert (HELD_LIMIT, PENDING_REPORTS_PER_USER) == (500, 20)
