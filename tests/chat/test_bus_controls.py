"""The ControlStore and AuditLog contracts, on memory and real Redis."""

from __future__ import annotations

import pytest

from chat.bus.ports import AuditRecord
from tests.chat.bus_nodes import Node


async def test_controls_persist_and_announce_themselves(node: Node, room: str) -> None:
    controls = node.bus.controls
    await node.bus.broker.watch(room)
    await controls.save_control(room, "slow_mode", "10")
    await controls.save_control(room, "ban:u9", "spam")
    await controls.save_control(room, "ban:u9", None)
    assert await controls.load_controls(room) == {"slow_mode": "10"}
    await node.wait_for(lambda got: sum(e.kind == "control" for e in got) == 3)
    assert [e.data for e in node.got if e.kind == "control"][-1] == {"name": "ban:u9", "value": None}


async def test_controls_of_a_room_never_written_are_empty(node: Node, room: str) -> None:
    assert await node.bus.controls.load_controls(room) == {}


@pytest.mark.clause("4.4.1 b")
async def test_audit_records_every_action(node: Node, room: str) -> None:
    audit = node.bus.audit
    await audit.record(AuditRecord(room, "h1", "host", "mute", "u2", {"duration": 60}, ts=5.0))
    await audit.record(AuditRecord(room, "a1", "admin", "ban", "u3", {}))
    records = await audit.recent(room)
    assert [(r.actor, r.action, r.target) for r in records] == [("h1", "mute", "u2"), ("a1", "ban", "u3")]
    assert records[0].detail == {"duration": 60} and records[1].ts > 0
    assert [r.action for r in await audit.recent(room, limit=1)] == ["ban"]
