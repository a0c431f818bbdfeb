"""The apply path on SQLite and PostgreSQL: exactly once, consent first, group commit."""

from __future__ import annotations

import asyncio

import pytest
from prometheus_client import CollectorRegistry

from recruiting.events.memory import MemoryEventLog
from recruiting.numbers.simulated import SimulatedNumberProvider
from recruiting.service import RecruitingService
from store.engine import Store
from tests.recruiting.conftest import job_body, make_candidate, make_org


async def _job(service: RecruitingService, store: Store) -> str:
    await make_org(store)
    job = await service.jobs.create("acme", job_body(), created_by="rec1")
    return str(job["id"])


@pytest.mark.clause("4.3.1 b")
async def test_apply_is_delivered_once_per_user_and_job(service: RecruitingService, store: Store) -> None:
    job_id = await _job(service, store)
    await make_candidate(store, "u1")
    first = await service.apply("u1", job_id, ref="r1", room="demo")
    again = await service.apply("u1", job_id, ref="r2", room="demo")
    retried = await service.apply("u1", job_id, ref="r1", room="demo")
    assert first.status == "delivered" and first.application_id
    assert again.status == "duplicate" and again.application_id == first.application_id
    assert retried.status == "duplicate" and retried.application_id == first.application_id
    inbox = await service.office.inbox("acme")
    assert [row["id"] for row in inbox] == [first.application_id]


@pytest.mark.clause("4.3.1 b")
async def test_concurrent_duplicates_in_one_batch_share_one_row(service: RecruitingService, store: Store) -> None:
    job_id = await _job(service, store)
    await make_candidate(store, "u1")
    outcomes = await asyncio.gather(*(service.apply("u1", job_id, ref="same", room=None) for _ in range(20)))
    delivered = [o for o in outcomes if o.status == "delivered"]
    assert len(delivered) == 1
    assert {o.application_id for o in outcomes} == {delivered[0].application_id}


@pytest.mark.clause("4.4.1 c")
async def test_profile_and_separate_consent_come_first(service: RecruitingService, store: Store) -> None:
    """个人信息保护法 §23: no resume reaches the employer without separate consent."""
    job_id = await _job(service, store)
    assert (await service.apply("nobody", job_id, ref=None, room=None)).status == "needs_profile"
    await make_candidate(store, "u2", consent=False)
    assert (await service.apply("u2", job_id, ref=None, room=None)).status == "needs_consent"
    assert await service.office.inbox("acme") == []
    await make_candidate(store, "u2", consent=True)
    assert (await service.apply("u2", job_id, ref=None, room=None)).status == "delivered"


async def test_unknown_or_closed_job_is_unavailable(service: RecruitingService, store: Store) -> None:
    job_id = await _job(service, store)
    await make_candidate(store, "u1")
    assert (await service.apply("u1", "nope", ref=None, room=None)).status == "job_unavailable"
    await service.jobs.close_job(job_id)
    assert (await service.apply("u1", job_id, ref=None, room=None)).status == "job_unavailable"


async def test_concurrent_applies_are_group_committed(service: RecruitingService, store: Store) -> None:
    job_id = await _job(service, store)
    users = [f"c{i}" for i in range(200)]
    for user in users:
        await make_candidate(store, user)
    batches_before, _ = service.commit_stats
    outcomes = await asyncio.gather(*(service.apply(u, job_id, ref="x", room=None) for u in users))
    assert all(o.status == "delivered" for o in outcomes)
    batches, items = service.commit_stats
    assert items >= 200
    assert batches - batches_before < 50, "applies arriving during a commit must share the next one"
    assert len(await service.office.inbox("acme", limit=1000)) == 200


@pytest.mark.clause("5.1.4")
async def test_delivery_event_reaches_subscribers_after_commit(service: RecruitingService, store: Store) -> None:
    job_id = await _job(service, store)
    await make_candidate(store, "u1")
    subscription = service.events.subscribe()
    outcome = await service.apply("u1", job_id, ref="r", room="demo")
    event = await asyncio.wait_for(anext(aiter(subscription)), 5)
    subscription.close()
    assert event["application_id"] == outcome.application_id
    assert event["org"] == "acme" and event["job_id"] == job_id
    assert "phone" not in event


async def test_applies_are_counted_by_status_once_their_batch_commits(store: Store) -> None:
    """The ``livehire_applies`` counter is added to per batch (in ``_publish``), before the callers resume."""
    registry = CollectorRegistry()
    svc = RecruitingService(store=store, events=MemoryEventLog(), numbers=SimulatedNumberProvider(), registry=registry)
    await svc.start()
    try:
        job_id = await _job(svc, store)
        await make_candidate(store, "u1")
        tries = [svc.apply("u1", job_id, ref=None, room=None) for _ in range(5)]
        await asyncio.gather(*tries, svc.apply("nobody", job_id, ref=None, room=None))

        def count(status: str) -> float | None:
            return registry.get_sample_value("livehire_applies_total", {"status": status})

        assert (count("delivered"), count("duplicate"), count("needs_profile")) == (1.0, 4.0, 1.0)
        await svc.apply("u1", "nope", ref=None, room=None)
        assert count("job_unavailable") == 1.0 and count("delivered") == 1.0
    finally:
        await svc.close()
