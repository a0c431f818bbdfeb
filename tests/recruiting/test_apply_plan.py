"""The apply batch's decisions without a database (:class:`recruiting.domain.apply.BatchPlan`) and its ids."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

from recruiting.domain.apply import BatchPlan, IdSource, new_request
from recruiting.events.encoding import EncodedEvent, event_json
from recruiting.repositories.apply_sql import SqliteBatchWriter
from store.engine import WAL_AUTOCHECKPOINT_PAGES, open_store

NOW = 1_700_000_000_000
JOB = ("j1", "acme", "仓库分拣员", "published", NOW + 1000, "rec1", NOW - 1000)  # JOB_COLUMNS
EXPIRED = ("j2", "acme", "叉车工", "published", NOW - 1, "rec1", NOW - 1000)
CLOSED = ("j3", "acme", "司机", "closed", NOW + 1000, "rec1", NOW - 1000)
NOT_YET = ("j4", "acme", "装卸工", "published", NOW + 2000, "rec1", NOW + 1000)  # validity not begun (5.1.3 c)


def test_ids_are_uuid7_in_hex_and_do_not_repeat_across_refills() -> None:
    ids = IdSource()
    drawn = [ids() for _ in range(3000)]  # three refills of the 1024-id buffer
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in drawn)
    assert len(set(drawn)) == 3000
    for value in drawn:
        parsed = uuid.UUID(hex=value)
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122


def test_ids_sort_by_their_millisecond_so_inserts_append_to_the_key_index() -> None:
    ms = [1_764_000_000_000]
    ids = IdSource(clock=lambda: (ms[0] + 0.5) / 1000)  # mid-millisecond: no float rounding across a boundary
    drawn = []
    for _ in range(50):
        drawn.append(ids())
        ms[0] += 1
    assert drawn == sorted(drawn)
    assert int(drawn[0][:12], 16) == 1_764_000_000_000  # the first 48 bits are the Unix milliseconds
    same_ms = IdSource(clock=lambda: 1.0)
    assert len({same_ms()[12:] for _ in range(100)}) == 100  # within a millisecond the random bits differ


def test_consent_profile_and_job_state_decide_before_any_insert() -> None:
    batch = [
        new_request("ok", "j1", "r1", "demo", "a1"),
        new_request("noconsent", "j1", None, "demo", "a2"),
        new_request("nobody", "j1", None, "demo", "a3"),
        new_request("ok", "j2", None, "demo", "a4"),
        new_request("ok", "j3", None, "demo", "a5"),
        new_request("ok", "gone", None, "demo", "a6"),
        new_request("ok", "j4", None, "demo", "a7"),
    ]
    profiles = [("ok", "张三", True), ("noconsent", "李四", False)]
    plan = BatchPlan(batch, [JOB, EXPIRED, CLOSED, NOT_YET], profiles, NOW)
    assert [row[0] for row in plan.rows] == ["a1"]  # only the consenting candidate's row is written
    assert plan.rows[0] == ("a1", "ok", "j1", "acme", "demo", "r1", None)  # status 'new' and the times: in the SQL
    outcomes = plan.finish({"a1"})
    assert [o.status for o in outcomes] == [
        "delivered", "needs_consent", "needs_profile", "job_unavailable", "job_unavailable", "job_unavailable",
        "job_unavailable",
    ]
    event = outcomes[0].event
    assert event is not None and event["event_id"] == "a1" and event["name"] == "张三" and event["org"] == "acme"
    assert all(o.event is None for o in outcomes[1:])


def test_rows_the_insert_dropped_answer_duplicate_with_the_first_applications_id() -> None:
    batch = [
        new_request("u", "j1", "r1", None, "new1"),  # (u, j1) was applied before
        new_request("u", "j1", "r2", None, "new2"),  # and again in the same batch
        new_request("v", "j1", "old-ref", None, "new3"),  # a retried ref
        new_request("w", "j1", None, None, "new4"),
    ]
    plan = BatchPlan(batch, [JOB], [("u", "U", True), ("v", "V", True), ("w", "W", True)], NOW)
    inserted = {"new4"}
    assert plan.conflicts(inserted) is not None
    users, jobs, refs = plan.conflicts(inserted) or ([], [], [])
    assert sorted(users) == ["u", "v"] and jobs == ["j1"] and sorted(refs) == ["old-ref", "r1", "r2"]
    firsts = [("first-u", "u", "j1", "r0"), ("first-v", "v", "j9", "old-ref")]
    outcomes = plan.finish(inserted, firsts)
    assert [(o.status, o.application_id) for o in outcomes] == [
        ("duplicate", "first-u"), ("duplicate", "first-u"), ("duplicate", "first-v"), ("delivered", "new4"),
    ]
    assert plan.conflicts({"new1", "new2", "new3", "new4"}) is None


def test_an_event_is_encoded_once_and_decodes_to_itself() -> None:
    calls: list[object] = []
    encoder = json.JSONEncoder(ensure_ascii=False)

    def encode(value: object) -> str:
        calls.append(value)
        return encoder.encode(value)

    event = EncodedEvent({"event_id": "a1", "name": "张三"})
    first = event_json(event, encode)
    assert event_json(event, encode) is first and len(calls) == 1  # the outbox row, Redis and SSE share it
    assert json.loads(first) == event and "张三" in first
    assert event_json({"event_id": "b"}, encode) == '{"event_id": "b"}' and len(calls) == 2  # a plain dict: encoded


async def test_the_sqlite_writers_own_connection_commits_with_full_fsync(tmp_path: Path) -> None:
    """The writer does not use the engine's connections, so it must set WAL and synchronous=FULL itself."""
    store = await open_store(f"sqlite:///{tmp_path / 'w.db'}")
    writer = SqliteBatchWriter(store, None)
    try:
        assert await writer.pragmas() == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1,  # 2 = FULL
                                          "wal_autocheckpoint": WAL_AUTOCHECKPOINT_PAGES}
    finally:
        await writer.close()
        await store.close()
