"""Migration 0010_licences: the qualifications and jobs tables match store.recruiting_tables, and rows filed
before the licence review keep counting (a verified one is approved), on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from sqlalchemy import select, text

from governance.ledger_sql import StoreLedger
from recruiting.repositories.jobs import JobRepository
from store.engine import _alembic_config, create_store, migrate
from store.recruiting_tables import qualifications
from tests.governance.test_licences import _review


async def test_rows_from_before_the_review_are_kept_and_count(store_url: str) -> None:
    store = create_store(store_url)
    try:
        async with store.engine.begin() as connection:
            await connection.run_sync(lambda sync: command.upgrade(_alembic_config(sync), "0009"))
            await connection.execute(text("INSERT INTO organisations (id, name, kind, created_at) "
                                          "VALUES ('old', '老机构', 'employer', 1)"))
            await connection.execute(text(
                "INSERT INTO qualifications (id, org_id, kind, number, state, created_at, decided_at) VALUES "
                "('q1', 'old', 'business_licence', 'B-1', 'verified', 1000, NULL), "
                "('q2', 'old', 'hr_service_licence', 'H-1', 'pending', 2000, NULL)"))
        await migrate(store)
        async with store.engine.connect() as connection:
            rows = {r.id: r for r in await connection.execute(select(qualifications))}
        assert rows["q1"].state == "verified" and rows["q1"].decided_at == 1000 and rows["q1"].valid_until is None
        assert rows["q2"].state == "pending" and rows["q2"].decided_at is None
        assert await JobRepository(store).verified_licences("old") == {"business_licence"}
        review = _review(store, ledger=StoreLedger(store))
        await review.check_live("old")  # an employer's business licence allows going live
        views = {v["id"]: v for v in await review.of_org("old")}
        assert views["q1"]["reverify_due"] and views["q1"]["file"] is None  # due for review with evidence
    finally:
        await store.close()
