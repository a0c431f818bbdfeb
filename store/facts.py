"""Facts a running server records for the operator's commands (e.g. ``public_url``).

The CLI runs in another process and cannot ask the server; it reads what the
server wrote into ``server_facts`` at start-up, so the URLs it prints name the
port and address the server really serves on.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from common.clock import now_ms
from store.engine import Store
from store.identity_tables import server_facts

PUBLIC_URL: Final = "public_url"


async def record_fact(store: Store, name: str, value: str) -> None:
    """Sets ``name`` to ``value``; one upsert, so two nodes starting at once never collide."""
    insert: Any = pg_insert if store.dialect == "postgresql" else sqlite_insert
    statement = insert(server_facts).values(name=name, value=value, updated_at=now_ms())
    statement = statement.on_conflict_do_update(
        index_elements=[server_facts.c.name],
        set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at},
    )
    async with store.engine.begin() as connection:
        await connection.execute(statement)


async def read_fact(store: Store, name: str) -> str | None:
    """The recorded value of ``name``, or None when no server has recorded it."""
    async with store.engine.connect() as connection:
        row = (await connection.execute(select(server_facts.c.value).where(server_facts.c.name == name))).first()
    return None if row is None else str(row.value)
