"""The PersonalData contract (个人信息保护法 §45 copy, §47 erasure) across the other ports, on memory and real Redis."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from chat.bus.redis_broker import RedisBroker
from tests.chat.bus_nodes import MakeBus, Node, said

pytestmark = pytest.mark.clause("4.4.1 c")


def stored(answer: dict[str, Any]) -> dict[str, Any]:
    """The message as history keeps it: ``append`` answers it with the history's epoch beside it."""
    return {k: v for k, v in answer.items() if k != "epoch"}


async def test_erase_user_removes_their_messages_everywhere_and_recovery_stays_exact(node: Node, room: str) -> None:
    """个人信息保护法 §47 / standard 4.4.1 c: the person's messages leave every room's history,
    each room is told to drop them (the moderator delete's frame), others' messages stay."""
    broker, personal = node.bus.broker, node.bus.personal
    gone = "gone-" + uuid.uuid4().hex[:8]
    second = room + "-b"
    await broker.watch(room)
    await broker.watch(second)
    mine = [await broker.append(room, said(gone, f"mine{i}")) for i in range(3)]  # seqs 1-3: the oldest
    theirs = stored(await broker.append(room, said("stay", "theirs")))
    mine.append(await broker.append(room, said(gone, "mine3")))
    elsewhere = await broker.append(second, said(gone, "elsewhere"))
    kept_there = stored(await broker.append(second, said("stay", "kept")))

    copy = await personal.user_messages(gone)  # 个人信息保护法 §45: the person's copy, every room
    assert sorted((m["room"], m["seq"], m["text"]) for m in copy) == sorted(
        [(room, m["seq"], m["text"]) for m in mine] + [(second, elsewhere["seq"], "elsewhere")])
    others = [(m["room"], m["id"]) for m in await personal.user_messages("stay") if m["room"] in (room, second)]
    assert sorted(others) == sorted([(room, theirs["id"]), (second, kept_there["id"])])

    assert await personal.erase_user(gone) == 5
    assert await personal.user_messages(gone) == []
    await node.wait_for(lambda got: sum(e.data.get("type") == "deleted" for e in got) == 5)
    frames = {(e.room, e.data["id"]) for e in node.got if e.kind == "frame" and e.data.get("type") == "deleted"}
    assert frames == {(room, m["id"]) for m in mine} | {(second, elsewhere["id"])}

    assert (await broker.history(room, since=None)).messages == [theirs]
    assert (await broker.history(second, since=None)).messages == [kept_there]
    for since in (0, 1, 2, 3, 4):  # a client that saw any prefix recovers exactly, nothing reported lost
        recovered = await broker.history(room, since=since)
        assert recovered.complete and recovered.last_seq == 5
        assert recovered.messages == ([theirs] if since < 4 else [])
    later = stored(await broker.append(room, said("stay", "after")))
    assert later["seq"] == 6  # seqs are never reused
    assert (await broker.history(room, since=1)).messages == [theirs, later]
    assert await personal.erase_user(gone) == 0  # a second call finds nothing
    assert not await broker.remove(room, mine[0]["id"])


async def test_erase_user_drops_their_held_messages_and_reports(node: Node, room: str) -> None:
    """Held messages and reports carry the user id and name: by or about the person, they go too."""
    review, personal = node.bus.review, node.bus.personal
    gone = "gone-" + uuid.uuid4().hex[:8]
    await node.bus.broker.watch(room)
    await review.hold(room, {"id": "h1", "kind": "message", **said(gone, "held"), "ts": 1})
    await review.hold(room, {"id": "r1", "kind": "report", "reporter": {"id": gone, "name": "x"},
                             "user": {"id": "stay", "name": "y"}, "text": "t", "ts": 2})
    await review.hold(room, {"id": "r2", "kind": "report", "reporter": {"id": "stay", "name": "y"},
                             "user": {"id": gone, "name": "x"}, "text": "about them", "ts": 3})
    await review.hold(room, {"id": "h2", "kind": "message", **said("stay", "kept"), "ts": 4})
    await review.hold(room, {"id": "r3", "kind": "report", "reporter": {"id": "stay", "name": "y"},
                             "user": None, "text": None, "ts": 5})

    copy = await personal.user_held(gone)  # the §45 copy first: by or about them, the other reporter left out
    assert [(c["room"], c["id"]) for c in copy] == [(room, "h1"), (room, "r1"), (room, "r2")]
    assert copy[1]["reporter"]["id"] == gone and "reporter" not in copy[2] and copy[2]["text"] == "about them"
    assert [c["id"] for c in await personal.user_held("stay") if c["room"] == room] == ["r1", "r2", "h2", "r3"]
    assert await personal.erase_user(gone) == 3
    assert await personal.user_held(gone) == []
    assert [h["id"] for h in await review.held(room)] == ["h2", "r3"]
    await node.wait_for(lambda got: sum(e.kind == "moderators" for e in got) == 3)
    resolved = [e.data for e in node.got if e.kind == "moderators"]
    assert {(d["type"], d["id"], d["outcome"]) for d in resolved} == {
        ("held_resolved", "h1", "erased"), ("held_resolved", "r1", "erased"), ("held_resolved", "r2", "erased")}
    assert await personal.erase_user(gone) == 0


async def test_erase_user_unpins_the_announcement_they_wrote_and_no_other(make_bus: MakeBus, room: str) -> None:
    """A host's pinned announcement names them in ``by``: erasing the host unpins it on every node."""
    gone = "gone-" + uuid.uuid4().hex[:8]
    other_room = room + "-b"
    first, second = Node(make_bus()), Node(make_bus())
    await first.bus.start(first.deliver)
    await second.bus.start(second.deliver)
    try:
        for node in (first, second):
            await node.bus.broker.watch(room)
        pin = '{"text": "招聘会今晚八点", "by": {"id": "%s", "name": "主播", "role": "host"}, "ts": 1}'
        await first.bus.controls.save_control(room, "pin", pin % gone)
        await first.bus.controls.save_control(other_room, "pin", pin % "stays")
        assert await first.bus.personal.erase_user(gone) == 1
        assert "pin" not in await first.bus.controls.load_controls(room)
        assert await first.bus.controls.load_controls(other_room) == {"pin": pin % "stays"}
        if isinstance(first.bus.broker, RedisBroker):  # the other node sees the same store and gets both envelopes
            assert "pin" not in await second.bus.controls.load_controls(room)
            watchers = (first, second)
        else:
            watchers = (first,)
        for node in watchers:
            await node.wait_for(lambda got: any(e.kind == "frame" and e.room == room and e.data == {
                "type": "pinned", "announcement": None} for e in got) and any(
                e.kind == "control" and e.room == room and e.data == {"name": "pin", "value": None} for e in got))
        assert await first.bus.personal.erase_user(gone) == 0
    finally:
        await first.bus.close()
        await second.bus.close()

