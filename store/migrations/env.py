"""Alembic environment: migrations always run on a connection handed in by ``open_store``."""

from __future__ import annotations

from alembic import context

from store import schema_all

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through store.engine.open_store")

context.configure(
    connection=connection,
    target_metadata=schema_all.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
