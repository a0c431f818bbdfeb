"""Migration 0011_job_review on SQLite and PostgreSQL: jobs from before it stay as they were, every published
one gets its content as version 1, and the migrated schema is store.recruiting_tables' (test_migrations)."""

from __future__ import annotations

import json

import pytest
from alembic import command
from sqlalchemy import select, text

from recruiting.repositories.jobs import JobRepository
from store.engine import _alembic_config, create_store, migrate
from store.recruiting_tables import job_versions, jobs

pytestmark = pytest.mark.clause("5.1.3 c")


async def test_existing_jobs_stay_published_with_version_one(store_url: str) -> None:
    store = create_store(store_url)
    try:
        async with store.engine.begin() as connection:
            await connection.run_sync(lambda sync: command.upgrade(_alembic_config(sync), "0010"))
            await connection.execute(text("INSERT INTO organisations (id, name, kind, created_at) "
                                          "VALUES ('old', '老机构', 'employer', 1)"))
            for job_id, status in (("j-pub", "published"), ("j-draft", "draft"), ("j-closed", "closed")):
                await connection.execute(text(
                    "INSERT INTO jobs (id, org_id, title, employer, kind, location, salary_min, salary_max, headcount, "
                    "requirements, benefits, valid_from, valid_until, status, created_by, created_at, updated_at) "
                    f"VALUES ('{job_id}', 'old', '叉车工', '老机构', 'own', '天津', 5000, 7000, 3, '持证', '包住', 1, "
                    f"4102444800000, '{status}', 'r', 1000, 2000)"))
        await migrate(store)
        async with store.engine.connect() as connection:
            rows = {r.id: r for r in await connection.execute(select(jobs))}
            versions = list(await connection.execute(select(job_versions)))
        assert {k: (r.status, r.version) for k, r in rows.items()} == {
            "j-pub": ("published", 1), "j-draft": ("draft", 0), "j-closed": ("closed", 0)}
        [version] = versions
        assert (version.job_id, version.version, version.published_at, version.approved_by) == ("j-pub", 1, 2000, None)
        content = json.loads(version.content)
        assert content["title"] == "叉车工" and content["salary_max"] == 7000 and content["mandate_ref"] is None
        assert [j["id"] for j in await JobRepository(store).published()] == ["j-pub"]
        await JobRepository(store).add_qualification("old", "business_licence", "B-1", state="verified")
        edited = await JobRepository(store).update("j-pub", {"salary_max": 7500})
        assert edited["version"] == 2  # the history continues after the backfilled version
    finally:
        await store.close()
