"""Opening the store: one schema on SQLite (embedded default) or PostgreSQL.

``open_store`` turns a user-facing URL (``sqlite:///path`` or
``postgresql://...``) into an async SQLAlchemy engine with the right driver,
applies the connection settings that make commits durable (SQLite: WAL
journal, ``synchronous=FULL``, foreign keys on) and migrates the schema to the
newest Alembic revision before anything else touches it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

Dialect = Literal["sqlite", "postgresql"]
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class StoreError(ValueError):
    """A store request that cannot be carried out; ``code`` is the API error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class StoreConfigError(ValueError):
    """The database URL names an unsupported database or is malformed."""


@dataclass(frozen=True, slots=True)
class Store:
    """The store's engine and what kind of database is behind it."""

    engine: AsyncEngine
    dialect: Dialect
    url: str

    async def close(self) -> None:
        await self.engine.dispose()

    async def ping(self) -> None:
        """Raises when the database cannot answer a trivial query (used by /readyz)."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))


def async_url(database_url: str) -> tuple[str, Dialect]:
    """Maps ``sqlite:///x`` / ``postgresql://…`` to the async driver URL."""
    try:
        url = make_url(database_url)
    except Exception as exc:
        raise StoreConfigError(f"malformed database URL: {database_url!r}") from exc
    backend = url.get_backend_name()
    if backend == "sqlite":
        return str(url.set(drivername="sqlite+aiosqlite")), "sqlite"
    if backend in {"postgresql", "postgres"}:
        rendered = url.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
        return rendered, "postgresql"
    raise StoreConfigError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")


#: WAL pages after which a commit checkpoints (SQLite's default is 1000, 4 MB). Each apply dirties about
#: two leaves of the user-keyed unique indexes; a page written again before the next checkpoint is
#: copied into the database once, so a longer interval copies fewer pages and the apply writer's time
#: per apply grows less with the table (figures: docs/measurements/2026-11-29-apply-rounds.md). The WAL
#: file may grow to about 80 MB; a crash replays at most that.
WAL_AUTOCHECKPOINT_PAGES = 20_000


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Every SQLite connection's settings (also the apply writer's own, :mod:`recruiting.repositories.apply_sql`):
    the checkpoint interval is per connection and any connection's commit may run the checkpoint."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
    cursor.close()


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    command.upgrade(_alembic_config(connection), "head")


def private_sqlite_file(path: Path) -> None:
    """Creates the SQLite file 0600 (its directory 0700 when new) before SQLite opens it, and tightens
    an existing one: SQLite gives the -wal and -shm files the database file's mode (review finding L4)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.is_dir():  # not a database file: SQLite itself refuses it when first used
        return
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            status = file.stat()
            if status.st_mode & 0o077 and status.st_uid == os.getuid():
                file.chmod(0o600)


def create_store(database_url: str, *, pool_size: int = 10) -> Store:
    """Builds the engine; no I/O but creating an absent SQLite file (private, see :func:`private_sqlite_file`)."""
    url, dialect = async_url(database_url)
    if dialect == "sqlite":
        path = make_url(url).database
        if path and path != ":memory:" and not path.startswith("file:"):
            private_sqlite_file(Path(path))
        engine = create_async_engine(url, poolclass=NullPool)
        event.listen(engine.sync_engine, "connect", sqlite_pragmas)
    else:
        engine = create_async_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
    return Store(engine=engine, dialect=dialect, url=database_url)


async def migrate(store: Store) -> None:
    """Brings the schema to the newest Alembic revision (idempotent).

    Alembic loads every migration script and runs its operations in plain Python, which held the serving
    loop for a quarter of a second and more at each start (over a second on a loaded machine: the tests'
    blocked-loop guard). So it runs in a worker thread with an event loop and an engine of its own; an
    in-memory SQLite database, which a second engine would not see, is migrated on the store's engine."""
    if make_url(store.url).database in (None, "", ":memory:"):
        async with store.engine.begin() as connection:
            await connection.run_sync(_upgrade)
        return
    await asyncio.to_thread(asyncio.run, _migrate_apart(store.url))


async def _migrate_apart(database_url: str) -> None:
    apart = create_store(database_url, pool_size=1)
    try:
        async with apart.engine.begin() as connection:
            await connection.run_sync(_upgrade)
    finally:
        await apart.engine.dispose()


async def open_store(database_url: str, *, migrate_schema: bool = True, pool_size: int = 10) -> Store:
    """Connects, migrates to head, and returns the :class:`Store`."""
    store = create_store(database_url, pool_size=pool_size)
    if migrate_schema:
        try:
            await migrate(store)
        except Exception:
            await store.close()
            raise
    return store
