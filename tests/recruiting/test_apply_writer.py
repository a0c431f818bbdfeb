"""The apply writer's own statements on SQLite and PostgreSQL, at the edges of their JSON parameters.

Both drivers pass a batch as ONE JSON text and take their rows back as ONE JSON value
(:mod:`recruiting.repositories.apply_sql`), so what JSON escapes (quotes, backslashes, non-ASCII), what it
turns into ``null`` and what it may lose must come back out of the database exactly as it went in.
Exactly once per (user, job) and per (user, ref) — within a batch and across batches — is the
standard's 5.1.4 delivery guarantee; consent before anything reaches the employer is
个人信息保护法 §23.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from recruiting.domain.apply import ApplyOutcome, new_request
from recruiting.events.outbox import OutboxInsert
from recruiting.repositories.apply_sql import ApplicationWriter
from recruiting.repositories.jobs import JobRepository
from store.engine import Store
from store.outbox_tables import event_outbox, ledger_queue
from store.recruiting_tables import applications, profiles
from tests.recruiting.conftest import job_body, make_org

#: JSON's escapes and more: quotes, backslash, a JSON-looking text, CJK, an emoji (a surrogate pair in
#: JSON's \u form), a tab and a newline (escaped control characters), SQL's quote.
AWKWARD = 'o\'brien "引号" \\ \\u0041 [1,"x"] 😀\t\nnull'


async def _profiles(store: Store, names: dict[str, str], *, consent: bool = True) -> None:
    """Many candidates in one statement (``put_profile`` is a transaction each)."""
    now = int(time.time() * 1000)
    rows = [{"user_id": user, "name": name, "phone": "sealed", "resume": "-", "consent_to_share": consent,
             "consent_at": now if consent else None, "updated_at": now} for user, name in names.items()]
    async with store.engine.begin() as connection:
        await connection.execute(profiles.insert(), rows)


async def _job(store: Store, title: str = "仓库分拣员") -> str:
    job = await JobRepository(store).create("acme", job_body(title=title), created_by="rec1")
    return str(job["id"])


async def _stored(store: Store) -> tuple[dict[str, tuple[object, ...]], dict[str, str]]:
    """Applications by id (user, job, org, room, ref, status) and outbox payloads by id."""
    async with store.engine.connect() as connection:
        rows = (await connection.execute(select(
            applications.c.id, applications.c.user_id, applications.c.job_id, applications.c.org_id,
            applications.c.room, applications.c.ref, applications.c.status))).all()
        events = (await connection.execute(select(event_outbox.c.id, event_outbox.c.payload))).all()
    return {row[0]: tuple(row[1:]) for row in rows}, {row[0]: row[1] for row in events}


@pytest.fixture
async def writer(store: Store) -> AsyncIterator[ApplicationWriter]:
    await make_org(store)
    written = ApplicationWriter(store, OutboxInsert(store, "node-a", 5000))
    try:
        yield written
    finally:
        await written.close()


def _statuses(outcomes: list[ApplyOutcome]) -> list[tuple[str, str | None]]:
    return [(o.status, o.application_id) for o in outcomes]


async def test_quotes_backslashes_and_unicode_come_back_exactly(store: Store, writer: ApplicationWriter) -> None:
    job_id = await _job(store, title=f"叉车工 {AWKWARD}")
    user = f"用户 {AWKWARD}"
    await _profiles(store, {user: f"张三 {AWKWARD}"})
    request = new_request(user, job_id, f"ref {AWKWARD}", f"room{AWKWARD}"[:64])
    [outcome] = await writer.flush([request])
    assert outcome.status == "delivered" and outcome.application_id == request.application_id
    assert outcome.candidate_name == f"张三 {AWKWARD}" and outcome.job_title == f"叉车工 {AWKWARD}"
    rows, events = await _stored(store)
    assert rows == {request.application_id: (user, job_id, "acme", request.room, request.ref, "new")}
    assert set(events) == {request.application_id}
    assert json.loads(events[request.application_id]) == outcome.event  # the payload is the event's own text
    assert events[request.application_id] == getattr(outcome.event, "json", None)

    # a retried ref with the same awkward text, in a later batch, to another job: the first application
    other_job = await _job(store)
    [again] = await writer.flush([new_request(user, other_job, request.ref, None)])
    assert _statuses([again]) == [("duplicate", request.application_id)]
    assert len((await _stored(store))[0]) == 1


async def test_null_refs_never_conflict_but_an_empty_or_null_looking_ref_does(
    store: Store, writer: ApplicationWriter
) -> None:
    jobs = [await _job(store) for _ in range(4)]
    await _profiles(store, {"u": "U"})
    first = await writer.flush([new_request("u", jobs[0], None, None), new_request("u", jobs[1], None, None),
                                new_request("u", jobs[2], "", None), new_request("u", jobs[3], "null", None)])
    assert [o.status for o in first] == ["delivered"] * 4
    rows, _ = await _stored(store)
    assert sorted((row[1], row[4]) for row in rows.values()) == sorted(
        [(jobs[0], None), (jobs[1], None), (jobs[2], ""), (jobs[3], "null")])  # NULL stays NULL, "null" a text

    job = await _job(store)
    again = await writer.flush([new_request("u", job, "", None), new_request("u", job, "null", None)])
    assert _statuses(again) == [("duplicate", first[2].application_id), ("duplicate", first[3].application_id)]


async def test_an_empty_batch_and_a_batch_with_nothing_to_insert_write_nothing(
    store: Store, writer: ApplicationWriter
) -> None:
    assert await writer.flush([]) == []
    job_id = await _job(store)
    await _profiles(store, {"no-consent": "N"}, consent=False)
    outcomes = await writer.flush([new_request("nobody", job_id, "r", None), new_request("no-consent", job_id, None, None),
                                   new_request("no-consent", 'gone "job"', None, None)])
    assert [o.status for o in outcomes] == ["needs_profile", "needs_consent", "job_unavailable"]
    assert all(o.event is None and o.application_id is None for o in outcomes)
    assert await _stored(store) == ({}, {})


async def test_a_batch_of_2000_with_duplicates_inside_and_across_batches(store: Store, writer: ApplicationWriter) -> None:
    jobs = [await _job(store) for _ in range(2)]
    users = [f"c{i}" for i in range(1000)]
    await _profiles(store, {user: f"候选人{user}" for user in users})
    batch = [new_request(user, job, f"{user}-{job}", "demo") for user in users for job in jobs]  # 2000
    outcomes = await writer.flush(batch)
    assert len(outcomes) == 2000 and all(o.status == "delivered" for o in outcomes)
    rows, events = await _stored(store)
    ids = {request.application_id for request in batch}
    assert set(rows) == ids and set(events) == ids
    for outcome in outcomes[:50]:
        assert json.loads(events[str(outcome.application_id)]) == outcome.event

    # the same 2000 again with new ids (a reconnect), and in-batch repeats by (user, job) and by ref
    retry = [new_request(r.user_id, r.job_id, r.ref, "demo") for r in batch]
    late = await _job(store)
    fresh = [new_request("c1", late, None, None), new_request("c1", late, "x", None),  # (user, job) twice
             new_request("c2", late, "y", None), new_request("c2", await _job(store), "y", None)]  # ref twice
    again = await writer.flush(retry + fresh)
    assert _statuses(again[:2000]) == [("duplicate", r.application_id) for r in batch]
    tail = again[2000:]
    assert _statuses(tail) == [("delivered", fresh[0].application_id), ("duplicate", fresh[0].application_id),
                               ("delivered", fresh[2].application_id), ("duplicate", fresh[2].application_id)]
    rows, events = await _stored(store)
    assert len(rows) == 2002 and set(events) == set(rows)  # an outbox row exactly for each kept application
    assert all(o.event is None for o in again if o.status == "duplicate")


@pytest.mark.clause("4.4.1 f")
@pytest.mark.parametrize("with_outbox", [True, False])
async def test_the_ledger_queue_holds_each_batchs_delivered_rows_only(store: Store, with_outbox: bool) -> None:
    """With a ledger, a batch that delivered something queues its delivered rows in its own transaction: the
    rows exactly (awkward text included), a duplicate left out, a batch of duplicates queues nothing."""
    await make_org(store)
    queued_writer = ApplicationWriter(store, OutboxInsert(store, "node-a", 5000) if with_outbox else None,
                                      ledger_queue=True)
    try:
        job_id = await _job(store)
        user = f"用户 {AWKWARD}"
        await _profiles(store, {user: "张三", "u2": "李四"})
        first = await queued_writer.flush([new_request(user, job_id, None, "room-1")])
        again = new_request(user, job_id, None, "room-1")  # the same (user, job): a duplicate
        mixed = await queued_writer.flush([again, new_request("u2", job_id, "r2", None)])
        duplicates = await queued_writer.flush([new_request("u2", job_id, None, None)])
    finally:
        await queued_writer.close()
    assert [o.status for o in first + mixed + duplicates] == ["delivered", "duplicate", "delivered", "duplicate"]
    async with store.engine.connect() as connection:
        batches = [json.loads(row.rows) for row in await connection.execute(
            select(ledger_queue.c.rows).order_by(ledger_queue.c.id))]
    assert batches == [[[first[0].application_id, user, job_id, "acme", "room-1", None, None]],
                       [[mixed[1].application_id, "u2", job_id, "acme", None, "r2", None]]]
