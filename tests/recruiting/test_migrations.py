"""The recruiting migrations (0002, 0004) build exactly the tables of recruiting_tables, on both databases."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from store import recruiting_tables, schema_all
from store.engine import Store

OURS = {table.name for table in recruiting_tables.metadata.sorted_tables} - {"organisations", "users", "members", "rooms"}


def _table_of(diff: Any) -> str | None:
    if isinstance(diff, list):  # modify_* entries come as lists of tuples
        return _table_of(diff[0])
    for part in diff[1:]:
        name = getattr(part, "name", None) if not isinstance(part, str) else None
        table = getattr(part, "table", None)
        if table is not None:
            return str(table.name)
        if name in OURS:
            return str(name)
    if len(diff) > 3 and isinstance(diff[2], str):
        return diff[2]
    return None


async def test_migrated_schema_matches_the_tables(store: Store) -> None:
    async with store.engine.connect() as connection:
        diffs = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), schema_all.metadata)
        )
    ours = [diff for diff in diffs if _table_of(diff) in OURS]
    assert ours == []
