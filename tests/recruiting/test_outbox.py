"""The transactional outbox (standard 5.1.4: every delivery reaches the back office live).

Committed-but-unpublished state is made for real: the writer commits the application and its event
row in one transaction and nobody publishes; then another node's relay must deliver it, exactly once.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import func, insert, select, update

from recruiting.domain.apply import ApplyOutcome, new_request
from recruiting.events.fanout import EventSubscription, LocalFanout
from recruiting.events.memory import MemoryEventLog
from recruiting.events.outbox import DAY_MS, OutboxInsert, OutboxRelay
from recruiting.numbers.simulated import SimulatedNumberProvider
from recruiting.repositories.apply_sql import ApplicationWriter
from recruiting.repositories.jobs import JobRepository
from recruiting.service import RecruitingService
from store.engine import Store
from store.outbox_tables import event_outbox
from store.recruiting_tables import applications
from store.sealing import derive_contact_key
from tests.recruiting.conftest import job_body, make_candidate, make_org


async def _orphans(store: Store, users: int, *, lease_ms: int = 0) -> list[ApplyOutcome]:
    """Applications committed by a node that died before publishing: the outbox rows stay unpublished."""
    await make_org(store)
    job = await JobRepository(store).create("acme", job_body(), created_by="rec1")
    for index in range(users):
        await make_candidate(store, f"c{index}")
    writer = ApplicationWriter(store, OutboxInsert(store, "dead-node", lease_ms))
    try:
        outcomes = await writer.flush([new_request(f"c{i}", str(job["id"]), f"r{i}", "demo") for i in range(users)])
    finally:
        await writer.close()
    assert all(o.status == "delivered" for o in outcomes)
    return outcomes


async def _rows(store: Store) -> int:
    async with store.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(event_outbox))).scalar_one())


async def _pending(store: Store) -> int:
    async with store.engine.connect() as connection:
        query = select(func.count()).select_from(event_outbox).where(event_outbox.c.published_at.is_(None))
        return int((await connection.execute(query)).scalar_one())


async def test_the_fanout_drops_a_republished_event_but_not_events_without_id() -> None:
    fanout = LocalFanout()
    page = fanout.subscribe()
    fanout.deliver_many([{"event_id": "a", "n": 1}, {"event_id": "b", "n": 2}])
    fanout.deliver_many([{"event_id": "a", "n": 1}, {"n": 3}, {"n": 3}])
    assert [e["n"] for e in await page.next_batch() or []] == [1, 2, 3, 3]


async def test_the_fanout_forgets_old_ids_so_memory_stays_bounded() -> None:
    fanout = LocalFanout(remember=2)
    page = fanout.subscribe()
    fanout.deliver_many([{"event_id": i} for i in ("a", "b", "c")])
    fanout.deliver_many([{"event_id": "a"}, {"event_id": "c"}])
    assert [e["event_id"] for e in await page.next_batch() or []] == ["a", "b", "c", "a"]


async def _nothing_more(page: EventSubscription) -> None:
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(page.next_batch(), 0.5)


async def _drain(page: EventSubscription) -> list[dict[str, object]]:
    page.close()
    got: list[dict[str, object]] = []
    while (batch := await page.next_batch()) is not None:
        got.extend(batch)
    return got


async def test_the_event_row_is_written_in_the_application_transaction(store: Store) -> None:
    outcomes = await _orphans(store, 3, lease_ms=60_000)
    async with store.engine.connect() as connection:
        rows = list(await connection.execute(select(event_outbox)))
        count = (await connection.execute(select(func.count()).select_from(applications))).scalar_one()
    assert count == 3
    assert {row.id for row in rows} == {o.application_id for o in outcomes}
    assert all(row.lease_owner == "dead-node" and row.published_at is None for row in rows)


@pytest.mark.clause("5.1.4")
async def test_a_committed_unpublished_application_reaches_the_office_of_the_next_node(store: Store) -> None:
    """The node died between commit and publish; the node started next (restart, or another node) delivers it."""
    outcomes = await _orphans(store, 3, lease_ms=300)
    events = MemoryEventLog()
    node = RecruitingService(store=store, events=events, numbers=SimulatedNumberProvider(),
                             contact_key=derive_contact_key("t" * 40), outbox_sweep_seconds=0.1)
    page = events.subscribe()  # the office page of the new node
    await node.start()
    try:
        got: list[dict[str, object]] = []
        while len(got) < 3:
            batch = await asyncio.wait_for(page.next_batch(), 10)
            assert batch is not None
            got.extend(batch)
        assert sorted(e["application_id"] for e in got) == sorted(o.application_id for o in outcomes)
        assert all(e["event_id"] == e["application_id"] and e["org"] == "acme" for e in got)
        assert "phone" not in got[0]
        await _nothing_more(page)  # later sweeps must not deliver them again
        assert await _pending(store) == 0
    finally:
        await node.close()


@pytest.mark.clause("5.1.4")
async def test_two_relays_deliver_each_orphan_exactly_once(store: Store) -> None:
    """The claim moves the lease in one statement (SKIP LOCKED on PostgreSQL): no row is taken twice."""
    outcomes = await _orphans(store, 200)
    log_a, log_b = MemoryEventLog(), MemoryEventLog()
    page_a, page_b = log_a.subscribe(), log_b.subscribe()
    relays = [OutboxRelay(store, log, node_id=name, sweep_seconds=0.02, mark_seconds=0.02, claim_limit=25)
              for name, log in (("node-a", log_a), ("node-b", log_b))]
    for relay in relays:
        relay.start()
    try:
        for _ in range(400):  # polls the database for up to 20 s
            if not await _pending(store):
                break
            await asyncio.sleep(0.05)
        assert await _pending(store) == 0
        await asyncio.sleep(0.2)
    finally:
        for relay in relays:
            await relay.close()
    delivered = [e["application_id"] for e in [*await _drain(page_a), *await _drain(page_b)]]
    assert sum(relay.republished for relay in relays) == 200
    assert sorted(delivered) == sorted(o.application_id for o in outcomes), "each exactly once across the nodes"


async def test_a_live_nodes_lease_is_respected_and_published_rows_are_deleted(store: Store) -> None:
    await _orphans(store, 2, lease_ms=60_000)  # still leased by a node that is (as far as we know) alive
    events = MemoryEventLog()
    relay = OutboxRelay(store, events, node_id="other")
    page = events.subscribe()
    assert await relay.sweep() == 0
    async with store.engine.begin() as connection:  # the lease runs out: that node is dead
        await connection.execute(update(event_outbox).values(lease_until=int(time.time() * 1000) - 1))
    assert await relay.sweep() == 2
    assert await relay.sweep() == 0, "published rows are never claimed again"
    assert len(await _drain(page)) == 2
    assert await _rows(store) == 0, "a published row is deleted: its payload names the candidate"


async def test_rows_marked_published_by_earlier_versions_are_pruned_after_a_day(store: Store) -> None:
    now = int(time.time() * 1000)
    legacy = {"payload": "{}", "created_at": now, "lease_owner": "old", "lease_until": now}
    async with store.engine.begin() as connection:
        await connection.execute(insert(event_outbox), [
            {**legacy, "id": "old", "published_at": now - DAY_MS - 1000},
            {**legacy, "id": "recent", "published_at": now - 1000},
        ])
    assert await OutboxRelay(store, MemoryEventLog(), node_id="n").prune() == 1
    async with store.engine.connect() as connection:
        assert [row.id for row in await connection.execute(select(event_outbox.c.id))] == ["recent"]


async def test_deleting_more_ids_than_one_statement_takes_deletes_them_all(store: Store) -> None:
    """PostgreSQL deletes with one array parameter, SQLite in chunks of 500 variables: the last ids count too."""
    outcomes = await _orphans(store, 3)
    relay = OutboxRelay(store, MemoryEventLog(), node_id="live-node")
    relay.published([f"no-such-{i}" for i in range(1200)] + [str(o.application_id) for o in outcomes])
    assert await _pending(store) == 3
    assert await relay.flush_published() == 1203
    assert await _rows(store) == 0


async def test_a_live_node_deletes_its_published_rows_and_its_close_deletes_the_last_ones(store: Store) -> None:
    """On SQLite the deletes go through the apply writer's batches (the process's one writing connection:
    a second one made the batches wait for the database lock); close() deletes what is left first."""
    await make_org(store)
    job = await JobRepository(store).create("acme", job_body(), created_by="rec1")
    for index in range(5):
        await make_candidate(store, f"c{index}")
    node = RecruitingService(store=store, events=MemoryEventLog(), numbers=SimulatedNumberProvider(),
                             contact_key=derive_contact_key("t" * 40))
    assert (node._writer.published_sink() is not None) == (store.dialect == "sqlite")
    await node.start()
    try:
        results = [await node.apply(f"c{i}", str(job["id"]), ref=None, room="demo") for i in range(3)]
        assert [r.status for r in results] == ["delivered"] * 3
        if store.dialect == "sqlite":  # each batch deleted the rows of the events published before it
            assert await _rows(store) == 1
        for _ in range(100):  # the relay marks at its next tick (0.5 s)
            if await _rows(store) == 0:
                break
            await asyncio.sleep(0.05)
        assert await _rows(store) == 0
        late = [await node.apply(f"c{i}", str(job["id"]), ref=None, room="demo") for i in (3, 4)]
        assert [r.status for r in late] == ["delivered"] * 2
    finally:
        await node.close()
    assert await _rows(store) == 0, "close() deleted the rows of the events published since the last tick"
