"""Recruiting's service-ledger feed (standard 4.4.1 f) on the store ledger, SQLite and PostgreSQL: every job
version, pin, interview invitation and delivery is an entry; people only as pseudonyms; the chain verifies
(also through ``livehire ledger verify``)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

from governance.feeds import DELIVERY_ROWS, Delivery, LedgerFeed
from governance.ledger import pseudonym, pseudonym_key
from governance.ledger_sql import StoreLedger
from identity.principal import Principal
from livehire.cli import main
from recruiting.events.memory import MemoryEventLog
from recruiting.numbers.simulated import SimulatedNumberProvider
from recruiting.service import RecruitingService
from store.engine import Store
from store.rooms import RoomRepository
from store.sealing import derive_contact_key
from tests.recruiting.conftest import job_body, make_candidate, make_org

pytestmark = pytest.mark.clause("4.4.1 f")

KEY = pseudonym_key("feed-secret-" + "x" * 32)
HOST = Principal(user_id="host-7", role="host", room="live1", org="acme", name="王主播")
PERSONAL = ("13800138000", "候选人", "王主播", "三年仓储经验", "会议室张经理")


async def _entries(ledger: StoreLedger) -> list[Any]:
    return [entry async for entry in ledger.export(0, 2**62)]


async def test_every_recruiting_fact_is_an_entry_without_personal_data(store: Store, store_url: str) -> None:
    ledger = StoreLedger(store)
    feed = LedgerFeed(ledger, KEY, delivery_seconds=0.05)
    service = RecruitingService(store=store, events=MemoryEventLog(), numbers=SimulatedNumberProvider(),
                                contact_key=derive_contact_key("t" * 40), ledger=feed)
    await service.start()
    try:
        await make_org(store)
        await RoomRepository(store).create("live1", title="春招专场", org_id="acme")
        job = await service.create_job("acme", job_body(), created_by="rec-1")
        changed = await service.update_job(job["id"], {"headcount": 30}, actor="rec-1")
        await service.pin_job("live1", job["id"], HOST)
        await service.unpin_job("live1", job["id"], HOST)
        for user in ("cand-1", "cand-2"):
            await make_candidate(store, user)
        outcomes = [await service.apply(user, job["id"], ref=None, room="live1") for user in ("cand-1", "cand-2")]
        assert [o.status for o in outcomes] == ["delivered", "delivered"]
        interview = await service.invite(str(outcomes[0].application_id), {
            "at": int(time.time() * 1000) + 86_400_000, "place": "会议室张经理", "contact": "张经理 13800138000"},
            "rec-1")
        await service.close_job(job["id"], actor="rec-1")
        for _ in range(100):  # the deliveries' entry is written by the feed's task, off the apply path
            if any(e.kind == "application.delivered" for e in await _entries(ledger)):
                break
            await asyncio.sleep(0.02)
    finally:
        await service.close()
        await feed.close()

    entries = await _entries(ledger)
    kinds = [e.kind for e in entries]
    for kind in ("job.published", "job.changed", "job.pinned", "job.unpinned", "application.delivered",
                 "interview.invited", "job.closed"):
        assert kind in kinds, kinds
    by_kind = {e.kind: e for e in entries}
    assert by_kind["job.published"].body["job"]["title"] == job["title"]  # the full version
    assert by_kind["job.changed"].body["job"] == changed and changed["headcount"] == 30
    assert by_kind["job.closed"].body["job"]["status"] == "closed"
    assert by_kind["job.changed"].body["by"] == pseudonym(KEY, "user", "rec-1")
    assert by_kind["job.pinned"].body == {"room": "live1", "org": "acme", "by": pseudonym(KEY, "user", "host-7")}
    delivered = by_kind["application.delivered"].body
    assert delivered["count"] == 2 and delivered["columns"] == ["application", "job", "org", "room", "applicant"]
    assert sorted(row[4] for row in delivered["rows"]) == sorted(pseudonym(KEY, "user", u) for u in ("cand-1", "cand-2"))
    assert {row[0] for row in delivered["rows"]} == {o.application_id for o in outcomes}
    invited = by_kind["interview.invited"].body
    assert invited["id"] == interview["id"] and invited["candidate"] == pseudonym(KEY, "user", "cand-1")
    text = json.dumps([e.to_json() for e in entries], ensure_ascii=False)
    for personal in (*PERSONAL, "cand-1", "cand-2", "host-7", "rec-1"):
        assert personal not in text, personal
    assert (await ledger.verify()).ok
    assert await asyncio.to_thread(main, ["ledger", "verify", "--database-url", store_url]) == 0


async def test_deliveries_are_written_per_interval_in_entries_of_bounded_rows(store: Store) -> None:
    """The hot path hands rows over; the feed writes them once the interval passed (all in one transaction),
    ``DELIVERY_ROWS`` per entry, in one chain; long ids split an entry further."""
    ledger = StoreLedger(store)
    feed = LedgerFeed(ledger, KEY, delivery_seconds=0.3)
    rows: list[Delivery] = [(f"a{i:04d}", "job-1", "acme", None, f"u{i % 7}") for i in range(DELIVERY_ROWS * 2 + 5)]
    feed.delivered(rows[:10])
    feed.delivered(rows[10:])
    await asyncio.sleep(0.1)
    assert await _entries(ledger) == []  # not before the interval
    for _ in range(100):
        if await _entries(ledger):
            break
        await asyncio.sleep(0.02)
    entries = await _entries(ledger)
    assert [e.body["count"] for e in entries] == [DELIVERY_ROWS, DELIVERY_ROWS, 5]
    assert [row[0] for e in entries for row in e.body["rows"]] == [r[0] for r in rows]
    long_ids: list[Delivery] = [("a" * 32 + str(i), "j" * 64, "o" * 64, "r" * 64, "u") for i in range(DELIVERY_ROWS)]
    feed.delivered(long_ids)
    await feed.close()
    entries = await _entries(ledger)
    assert sum(e.body["count"] for e in entries[3:]) == DELIVERY_ROWS and len(entries) > 4
    assert (await ledger.verify()).ok
