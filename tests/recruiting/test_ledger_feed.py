"""Recruiting's service-ledger feed (standard 4.4.1 f) on the store ledger, SQLite and PostgreSQL: every job
version, pin, interview invitation and delivery is an entry; people only as pseudonyms; the chain verifies
(also through ``livehire ledger verify``)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from sqlalchemy import insert

from governance.deliveries import DELIVERY_ROWS, DeliveryDrain
from governance.feeds import LedgerFeed
from governance.ledger import pseudonym, pseudonym_key
from governance.ledger_sql import StoreLedger
from identity.principal import Principal
from livehire.cli import main
from recruiting.domain.apply import COLUMNS
from recruiting.events.memory import MemoryEventLog
from recruiting.numbers.simulated import SimulatedNumberProvider
from recruiting.service import RecruitingService
from store.engine import Store, open_store
from store.outbox_tables import LEDGER_QUEUE_COLUMNS, ledger_queue
from store.recruiting_tables import applications, jobs
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
    feed = LedgerFeed(ledger, KEY)
    drain = DeliveryDrain(store, ledger, feed.person)
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
        opened = await service.open_application(str(outcomes[1].application_id), "rec-1", "contact")
        assert opened["resume"]  # the read itself is audited (4.4.1 b) and in the ledger, without the resume
        interview = await service.invite(str(outcomes[0].application_id), {
            "at": int(time.time() * 1000) + 86_400_000, "place": "会议室张经理", "contact": "张经理 13800138000"},
            "rec-1")
        await service.close_job(job["id"], actor="rec-1")
        assert await drain.drain() == 1  # the batches the apply writer queued: one entry of both deliveries
        assert await drain.drain() == 0 and await drain.waiting() == 0  # once
    finally:
        await service.close()
        await feed.close()

    entries = await _entries(ledger)
    kinds = [e.kind for e in entries]
    for kind in ("job.published", "job.changed", "job.pinned", "job.unpinned", "application.delivered",
                 "interview.invited", "job.closed", "resume.read"):
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
    assert by_kind["resume.read"].body == {"org": "acme", "purpose": "contact", "by": pseudonym(KEY, "user", "rec-1")}
    assert by_kind["resume.read"].subject == f"application:{outcomes[1].application_id}"
    invited = by_kind["interview.invited"].body
    assert invited["id"] == interview["id"] and invited["candidate"] == pseudonym(KEY, "user", "cand-1")
    text = json.dumps([e.to_json() for e in entries], ensure_ascii=False)
    for personal in (*PERSONAL, "cand-1", "cand-2", "host-7", "rec-1"):
        assert personal not in text, personal
    assert (await ledger.verify()).ok
    assert await asyncio.to_thread(main, ["ledger", "verify", "--database-url", store_url]) == 0


async def test_a_job_and_its_ledger_entry_commit_together(store: Store) -> None:
    """A job's version and its ledger entry are one transaction: when the entry cannot be written, the job is
    not created either (and an entry is never left for a job that does not exist)."""

    class LedgerDown(LedgerFeed):
        async def record_with(self, connection: Any, kind: str, subject: str, body: Any) -> None:
            raise RuntimeError("the ledger refused the entry")

    await make_org(store)
    service = RecruitingService(store=store, events=MemoryEventLog(), numbers=SimulatedNumberProvider(),
                                contact_key=derive_contact_key("t" * 40), ledger=LedgerDown(StoreLedger(store), KEY))
    with pytest.raises(RuntimeError):
        await service.create_job("acme", job_body(), created_by="rec-1")
    assert await service.jobs.of_org("acme") == []
    working = RecruitingService(store=store, events=MemoryEventLog(), numbers=SimulatedNumberProvider(),
                                contact_key=derive_contact_key("t" * 40), ledger=LedgerFeed(StoreLedger(store), KEY))
    job = await working.create_job("acme", job_body(), created_by="rec-1")
    with pytest.raises(RuntimeError):
        await service.update_job(job["id"], {"headcount": 99}, actor="rec-1")
    assert (await working.jobs.get(job["id"]))["headcount"] == job["headcount"]  # rolled back with its entry
    assert [e.kind for e in await _entries(StoreLedger(store))] == ["job.published"]


async def test_queued_batches_become_bounded_entries_of_delivered_rows_once(store: Store) -> None:
    """Batches as the apply writer queues them (its JSON rows of delivered applies): ``DELIVERY_ROWS`` per
    entry in queue order, long ids split an entry further, and the queue is empty after it."""
    await make_org(store)
    assert COLUMNS == LEDGER_QUEUE_COLUMNS  # the writer's rows are what the drain reads
    now = int(time.time() * 1000)
    rows = [[f"a{i:04d}", f"u{i}", "job-1", "acme", None, None, None] for i in range(DELIVERY_ROWS * 2 + 5)]
    async with store.engine.begin() as connection:
        await connection.execute(insert(jobs).values(
            id="job-1", org_id="acme", title="仓管", employer="Acme", kind="fulltime", location="北京", salary_min=1,
            salary_max=2, headcount=1, valid_from=0, valid_until=now + 10**9, created_by="r", created_at=now,
            updated_at=now))
        await connection.execute(insert(applications), [dict(zip(COLUMNS, row, strict=True), status="new",
                                                              created_at=now, updated_at=now) for row in rows])
        for batch in (rows[:3], rows[3:]):
            await connection.execute(insert(ledger_queue).values(created_at=now, rows=json.dumps(batch)))
    ledger = StoreLedger(store)
    drain = DeliveryDrain(store, ledger, LedgerFeed(ledger, KEY).person)
    assert await drain.waiting() == 2
    assert await drain.drain() == 3
    entries = await _entries(ledger)
    assert [e.body["count"] for e in entries] == [DELIVERY_ROWS, DELIVERY_ROWS, 5]
    assert [row[0] for e in entries for row in e.body["rows"]] == [r[0] for r in rows]
    assert entries[0].body["rows"][0] == ["a0000", "job-1", "acme", None, pseudonym(KEY, "user", "u0")]
    assert await drain.waiting() == 0 and await drain.drain() == 0

    long_rows = [["a" * 32 + str(i), f"u{i}", "j" * 64, "o" * 64, "r" * 64, None, None] for i in range(DELIVERY_ROWS)]
    async with store.engine.begin() as connection:
        await connection.execute(insert(jobs).values(
            id="j" * 64, org_id="acme", title="仓管", employer="Acme", kind="fulltime", location="北京", salary_min=1,
            salary_max=2, headcount=1, valid_from=0, valid_until=now + 10**9, created_by="r", created_at=now,
            updated_at=now))
        await connection.execute(insert(applications), [dict(zip(COLUMNS, row, strict=True), status="new",
                                                              created_at=now, updated_at=now) for row in long_rows])
        await connection.execute(insert(ledger_queue).values(created_at=now, rows=json.dumps(long_rows)))
    assert await drain.drain() > 1
    entries = await _entries(ledger)
    assert sum(e.body["count"] for e in entries[3:]) == DELIVERY_ROWS
    assert (await ledger.verify()).ok


async def test_drains_of_two_processes_at_once_write_each_delivery_once(store: Store, store_url: str) -> None:
    """Two drains (two server processes' worth: their own store connections) racing over the same queue."""
    await make_org(store)
    now = int(time.time() * 1000)
    async with store.engine.begin() as connection:
        await connection.execute(insert(jobs).values(
            id="job-1", org_id="acme", title="仓管", employer="Acme", kind="fulltime", location="北京", salary_min=1,
            salary_max=2, headcount=1, valid_from=0, valid_until=now + 10**9, created_by="r", created_at=now,
            updated_at=now))
        for b in range(40):
            batch = [[f"b{b}-{i}", f"u{b}-{i}", "job-1", "acme", "live1", None, None] for i in range(5)]
            await connection.execute(insert(applications), [dict(zip(COLUMNS, row, strict=True), status="new",
                                                                  created_at=now, updated_at=now) for row in batch])
            await connection.execute(insert(ledger_queue).values(created_at=now, rows=json.dumps(batch)))
    other = await open_store(store_url)
    try:
        drains = [DeliveryDrain(s, StoreLedger(s), LedgerFeed(StoreLedger(s), KEY).person) for s in (store, other)]
        await asyncio.gather(*(d.drain() for d in drains for _ in range(3)))
    finally:
        await other.close()
    ledger = StoreLedger(store)
    delivered = [row[0] for e in await _entries(ledger) for row in e.body["rows"]]
    assert sorted(delivered) == sorted(f"b{b}-{i}" for b in range(40) for i in range(5))
    assert (await ledger.verify()).ok
