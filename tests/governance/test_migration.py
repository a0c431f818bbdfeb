"""Migration 0009 builds exactly the tables of store.governance_tables, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from store import governance_tables, schema_all
from store.engine import open_store

OURS = {t.name for t in governance_tables.metadata.sorted_tables if t.name.startswith(("ledger_", "complaint", "org_"))}


def _names(diff: Any) -> set[str]:
    if isinstance(diff, list):
        return set().union(*(_names(d) for d in diff))
    found = set()
    for part in diff[1:]:
        if isinstance(part, str):
            found.add(part)
        for attribute in ("name", "table"):
            value = getattr(part, attribute, None)
            if isinstance(value, str):
                found.add(value)
            elif value is not None and isinstance(getattr(value, "name", None), str):
                found.add(value.name)
    return found


async def test_migrated_schema_matches_the_governance_tables(store_url: str) -> None:
    store = await open_store(store_url)
    try:
        async with store.engine.connect() as connection:
            diffs = await connection.run_sync(lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), schema_all.metadata))
    finally:
        await store.close()
    ours = [diff for diff in diffs if _names(diff) & (OURS | {"organisations"})]
    assert ours == []
