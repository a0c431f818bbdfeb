"""The chat's reports into governance: moderation actions in the service ledger (4.4.1 f, 4.4.1 b) and reports
the room does not settle escalated to the platform's complaint queue (4.4.1 e), with a moved ManualClock.

The chat runs on the memory bus with governance's real ports on the store (SQLite and PostgreSQL):
``LedgerFeed`` over ``StoreLedger`` and ``ChatComplaints`` over ``ComplaintRepository``, as ``livehire/app.py``
wires them.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from prometheus_client import CollectorRegistry
from sqlalchemy import select

from chat.bus.factory import memory_bus
from chat.connection import Connection
from chat.service import ChatService
from common.clock import ManualClock
from governance.complaints_sql import ComplaintRepository
from governance.feeds import ChatComplaints, LedgerFeed
from governance.ledger import pseudonym, pseudonym_key
from governance.ledger_sql import StoreLedger
from governance.services import masked
from identity.policy import RoomFacts
from identity.principal import Principal
from moderation.engine import Moderator
from store.engine import Store, open_store
from store.governance_tables import complaints
from store.orgs import OrgRepository
from store.rooms import RoomRepository
from store.sealing import ContactCipher
from tests.chat.test_fanout import FakeTransport, flushed

KEY = pseudonym_key("chat-ledger-" + "x" * 32)
HOST = Principal(user_id="host-1", role="host", room="demo", name="王主播")
REPORTER = Principal(user_id="viewer-1", role="viewer", name="李举报")
OTHER = Principal(user_id="viewer-2", role="viewer", name="赵路人")
AUTHOR = Principal(user_id="author-1", role="viewer", name="张发言")
PERSONAL = ("王主播", "李举报", "赵路人", "张发言", "host-1", "viewer-1", "viewer-2", "author-1", "13912345678")
DAY_S = 24 * 3600


class World:
    def __init__(self, store: Store, chat: ChatService, ledger: StoreLedger, feed: LedgerFeed,
                 clock: ManualClock) -> None:
        self.store, self.chat, self.ledger, self.feed, self.clock = store, chat, ledger, feed, clock

    async def join(self, who: Principal) -> tuple[Connection, FakeTransport]:
        transport = FakeTransport()
        return await self.chat.connect("demo", who, transport), transport

    async def send(self, connection: Connection, frame: dict[str, Any]) -> None:
        await self.chat.receive(connection, json.dumps(frame, ensure_ascii=False))
        await flushed()  # frames to the room, the moderators or a user go out on the next loop iterations

    async def entries(self) -> list[Any]:
        await self.feed.drain()
        return [entry async for entry in self.ledger.export(0, 2**62)]


def frames(transport: FakeTransport, kind: str) -> list[dict[str, Any]]:
    return [f for f in (json.loads(raw) for raw in transport.frames()) if f["type"] == kind]


@pytest.fixture
async def world(store_url: str) -> AsyncIterator[World]:
    store = await open_store(store_url)
    await OrgRepository(store).create_org("chat-org", "聊天测试机构")
    await RoomRepository(store).create("demo", title="测试直播间", org_id="chat-org")
    clock = ManualClock()
    moderator = Moderator()
    ledger = StoreLedger(store, clock=clock)
    feed = LedgerFeed(ledger, KEY, mask=lambda text: masked(moderator, text))
    repo = ComplaintRepository(store, ledger, ContactCipher(b"k" * 32), pseudonym_key=KEY, clock=clock)

    async def facts(room: str) -> RoomFacts:
        return RoomFacts(room, "chat-org", "public")

    def refuse(_request: object) -> Principal:
        raise AssertionError("no HTTP here")

    chat = ChatService(bus=memory_bus(), moderator=moderator, authenticate=refuse, room_facts=facts,
                       registry=CollectorRegistry(), clock=clock, ledger=feed,
                       complaints=ChatComplaints(repo, lambda text: masked(moderator, text), "http://test"),
                       escalate_after=DAY_S)
    await chat.start()
    try:
        yield World(store, chat, ledger, feed, clock)
    finally:
        await chat.close()
        await feed.close()
        await store.close()


async def _report(world: World, connection: Connection, transport: FakeTransport, message_id: str) -> str:
    await world.send(connection, {"type": "report", "message_id": message_id, "reason": "他让我加微信 13912345678",
                                  "ref": "rep"})
    (ok,) = [f for f in frames(transport, "ok") if f.get("ref") == "rep"]
    return str(ok["id"])


async def _message(world: World) -> str:
    connection, transport = await world.join(AUTHOR)
    await world.send(connection, {"type": "chat", "text": "大家好，欢迎来面试", "ref": "m"})
    (ack,) = [f for f in frames(transport, "ack") if f.get("ref") == "m"]
    return str(ack["id"])


@pytest.mark.clause("4.4.1 f", "4.4.1 b")
async def test_moderation_actions_are_ledger_entries_with_pseudonyms(world: World) -> None:
    host, _ = await world.join(HOST)
    reporter, reporter_out = await world.join(REPORTER)
    message = await _message(world)
    report = await _report(world, reporter, reporter_out, message)
    for frame in ({"type": "mute", "user_id": "author-1", "duration": 60, "reason": "刷屏，电话13912345678"},
                  {"type": "ban", "user_id": "author-1", "reason": "骚扰"},
                  {"type": "unban", "user_id": "author-1"},
                  {"type": "slow_mode", "seconds": 5},
                  {"type": "pin", "text": "今晚八点李举报专场"},
                  {"type": "unpin"},
                  {"type": "approve", "id": report},
                  {"type": "delete", "message_id": "no-such-message"}):
        await world.send(host, {**frame, "ref": frame["type"]})
    entries = await world.entries()
    kinds = [e.kind for e in entries]
    assert kinds == ["chat.mute", "chat.ban", "chat.unban", "chat.slow_mode", "chat.pin", "chat.unpin",
                     "chat.approve"], kinds  # a delete of nothing is no action
    host_p, author_p = pseudonym(KEY, "user", "host-1"), pseudonym(KEY, "user", "author-1")
    mute = entries[0]
    assert mute.subject == "room:demo" and mute.body["by"] == host_p and mute.body["user"] == author_p
    assert mute.body["duration"] == 60 and "刷屏" in mute.body["reason"]  # the reason, personal data masked
    approve = entries[-1].body
    assert approve["target"] == report and approve["kind"] == "report" and approve["message_id"] == message
    assert approve["author"] == author_p and approve["reporter"] == pseudonym(KEY, "user", "viewer-1")
    assert approve["outcome"] == "message_removed"
    assert "text_sha256" in entries[4].body  # an announcement as its hash
    text = json.dumps([e.to_json() for e in entries], ensure_ascii=False)
    for personal in (*PERSONAL, "今晚八点", "大家好"):
        assert personal not in text, personal
    assert (await world.ledger.verify()).ok


@pytest.mark.clause("4.4.1 e")
async def test_an_unsettled_report_becomes_a_complaint_when_the_clock_passes_the_wait(world: World) -> None:
    host, host_out = await world.join(HOST)
    reporter, reporter_out = await world.join(REPORTER)
    report = await _report(world, reporter, reporter_out, await _message(world))
    world.clock.advance(DAY_S - 60)
    assert await world.chat.ops.escalate_due() == 0  # not yet: the host still has a minute
    assert [i["id"] for i in await world.chat.bus.review.held("demo")] == [report]
    world.clock.advance(120)
    assert await world.chat.ops.escalate_due() == 1
    assert await world.chat.bus.review.held("demo") == []
    assert await world.chat.ops.escalate_due() == 0  # once
    await flushed()
    resolved = [f for f in frames(host_out, "held_resolved") if f["id"] == report]
    assert resolved[0]["outcome"] == "escalated"
    told = frames(reporter_out, "report_escalated")[0]
    assert told["report_id"] == report and told["complaint"]["follow_up_url"].startswith("http://test/api/v1/")
    async with world.store.engine.connect() as connection:
        row = (await connection.execute(select(complaints))).one()
    assert (row.target_type, row.target_org, row.filed_by, row.status) == ("message", "chat-org", "viewer-1",
                                                                            "received")
    assert row.target_id.startswith("demo/") and "13912345678" not in row.text and "微信" in row.text
    entries = await world.entries()
    filed = next(e for e in entries if e.kind == "complaint.filed")
    assert filed.body["origin"] == "chat_report_timeout" and filed.body["target_org"] == "chat-org"
    escalated = next(e for e in entries if e.kind == "chat.escalate")
    assert escalated.body["by"] == "system" and escalated.body["complaint"] == row.id
    text = json.dumps([e.to_json() for e in entries], ensure_ascii=False)
    assert not any(personal in text for personal in PERSONAL)
    assert (await world.ledger.verify()).ok
    # the host can no longer settle it in the room: it is the platform's now
    await world.send(host, {"type": "approve", "id": report, "ref": "late"})
    assert [f["code"] for f in frames(host_out, "error") if f.get("ref") == "late"] == ["not_found"]


@pytest.mark.clause("4.4.1 e")
async def test_the_reporter_escalates_a_waiting_report_and_nobody_else_can(world: World) -> None:
    reporter, reporter_out = await world.join(REPORTER)
    other, other_out = await world.join(OTHER)
    host, host_out = await world.join(HOST)
    report = await _report(world, reporter, reporter_out, await _message(world))
    await world.send(other, {"type": "escalate", "report_id": report, "ref": "e1"})
    assert [f["code"] for f in frames(other_out, "error") if f.get("ref") == "e1"] == ["not_found"]
    await world.send(host, {"type": "escalate", "report_id": report, "ref": "e2"})
    assert [f["code"] for f in frames(host_out, "error") if f.get("ref") == "e2"] == ["not_found"]
    await world.send(reporter, {"type": "escalate", "report_id": report, "ref": "e3"})
    (ok,) = [f for f in frames(reporter_out, "ok") if f.get("ref") == "e3"]
    assert ok["action"] == "escalate" and ok["complaint"]["status"] == "received"
    assert "/complaints/follow/" in ok["complaint"]["follow_up_page"]
    await world.send(reporter, {"type": "escalate", "report_id": report, "ref": "e4"})  # once
    assert [f["code"] for f in frames(reporter_out, "error") if f.get("ref") == "e4"] == ["not_found"]
    entries = await world.entries()
    filed = [e for e in entries if e.kind == "complaint.filed"]
    assert len(filed) == 1 and filed[0].body["origin"] == "chat_report_reporter"
    assert next(e for e in entries if e.kind == "chat.escalate").body["by"] == pseudonym(KEY, "user", "viewer-1")
    assert (await world.ledger.verify()).ok
