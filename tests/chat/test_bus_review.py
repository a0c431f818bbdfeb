"""The ReviewQueue contract (held messages and reports, capped), on memory and real Redis."""

from __future__ import annotations

import asyncio

import pytest

from chat.bus.ports import HELD_LIMIT, PENDING_REPORTS_PER_USER, QueueFull
from tests.chat.bus_nodes import MakeBus, Node, said


def report(item_id: str, reporter: str, ts: int) -> dict[str, object]:
    return {"id": item_id, "kind": "report", "message_id": "m1", "reason": "骚扰", "reporter": {"id": reporter, "name": reporter},
            "user": None, "text": None, "ts": ts}


async def test_held_items_are_taken_exactly_once(node: Node, room: str) -> None:
    review = node.bus.review
    await review.hold(room, {"id": "h1", "text": "a", "ts": 1})
    await review.hold(room, {"id": "h2", "text": "b", "ts": 2})
    assert [h["id"] for h in await review.held(room)] == ["h1", "h2"]
    first, second = await asyncio.gather(review.take_held(room, "h1"), review.take_held(room, "h1"))
    assert [first, second].count(None) == 1
    assert [h["id"] for h in await review.held(room)] == ["h2"]


@pytest.mark.clause("4.4.1 e")
async def test_rooms_lists_the_rooms_with_waiting_items(node: Node, room: str) -> None:
    """The escalation sweep walks these rooms (a shared Redis may hold other tests' rooms too)."""
    review = node.bus.review
    other = room + "-b"
    await review.hold(room, report("r1", "someone", 1))
    await review.hold(other, {"id": "h1", "kind": "message", **said("u", "t"), "ts": 2})
    assert {room, other} <= set(await review.rooms())
    await review.take_held(other, "h1")
    rooms = await review.rooms()
    assert room in rooms and other not in rooms
    await review.take_held(room, "r1")
    assert room not in await review.rooms()


async def test_the_review_queue_is_capped_per_room(make_bus: MakeBus, room: str) -> None:
    """Security review M3: a full queue refuses new items (nothing stored) until moderators take some."""
    bus = make_bus(held_limit=3)
    review = bus.review
    try:
        for i in range(3):
            await review.hold(room, {"id": f"h{i}", "kind": "message", **said("u", f"t{i}"), "ts": i})
        with pytest.raises(QueueFull) as full:
            await review.hold(room, {"id": "h3", "kind": "message", **said("u", "t3"), "ts": 3})
        assert full.value.code == "review_queue_full" and full.value.message == "审核队列已满，请稍后再试"
        with pytest.raises(QueueFull):
            await review.hold(room, report("r1", "someone", 4))  # reports share the queue and its cap
        await review.hold(room, {"id": "h0", "kind": "message", **said("u", "again"), "ts": 0})  # a replacement is not new
        assert [h["id"] for h in await review.held(room)] == ["h0", "h1", "h2"]
        assert await review.take_held(room, "h1") is not None
        await review.hold(room, {"id": "h3", "kind": "message", **said("u", "t3"), "ts": 3})
        assert [h["id"] for h in await review.held(room)] == ["h0", "h2", "h3"]
        await review.hold(room + "-b", {"id": "h9", "kind": "message", **said("u", "x"), "ts": 9})  # per room
    finally:
        await bus.close()


async def test_pending_reports_are_capped_per_reporter_and_room(make_bus: MakeBus, room: str) -> None:
    bus = make_bus(reports_per_user=2)
    review = bus.review
    try:
        await review.hold(room, report("r1", "flooder", 1))
        await review.hold(room, report("r2", "flooder", 2))
        with pytest.raises(QueueFull) as refused:
            await review.hold(room, report("r3", "flooder", 3))
        assert refused.value.code == "too_many_reports"
        await review.hold(room, report("r4", "other", 4))  # another reporter
        await review.hold(room, {"id": "h1", "kind": "message", **said("flooder", "held"), "ts": 5})  # held messages do not count
        await review.hold(room + "-b", report("r5", "flooder", 6))  # another room
        assert await review.take_held(room, "r1") is not None  # a moderator resolved one: room for one more
        await review.hold(room, report("r3", "flooder", 3))
        assert sorted(h["id"] for h in await review.held(room)) == ["h1", "r2", "r3", "r4"]
    finally:
        await bus.close()


def test_queue_caps_default_to_500_items_and_20_reports() -> None:
    assert (HELD_LIMIT, PENDING_REPORTS_PER_USER) == (500, 20)
