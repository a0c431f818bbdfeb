"""The apply writer's statements, straight to the driver (the hot path's SQL).

SQLAlchemy Core cost about half of the SQL part's CPU per apply (parameter
processing per row, result rows, the greenlet and one thread hop per statement
on aiosqlite). The batch's statements are few and fixed, so each driver gets
them directly; the decisions stay in :class:`recruiting.apply.BatchPlan`.

* SQLite: one ``sqlite3`` connection owned by one writer thread; a whole batch
  (``BEGIN IMMEDIATE`` … ``COMMIT``) is one call into that thread. The
  connection has the store's settings (WAL, ``synchronous=FULL``, foreign keys,
  busy timeout), so a commit is as durable as any other.
* PostgreSQL: the pool's asyncpg connection, constant statements with one array
  parameter per column (``unnest``, ``= ANY``), prepared once by asyncpg's
  statement cache. The applications and their outbox rows go in one statement
  (a data-modifying ``WITH``), which commits atomically by itself
  (``synchronous_commit`` stays on): three round trips per batch instead of six.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from recruiting.apply import COLUMNS, JOB_COLUMNS, PROFILE_COLUMNS, ApplyOutcome, ApplyRequest, BatchPlan
from recruiting.outbox import OutboxInsert
from recruiting.store.engine import Store, sqlite_pragmas
from recruiting.store.outbox_tables import event_outbox
from recruiting.store.recruiting_tables import applications, jobs, profiles

CHUNK = 1000  # rows per multi-row SQLite insert: 9 000 parameters, under SQLite's 32 766


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _events(outcomes: Sequence[ApplyOutcome]) -> list[dict[str, Any]]:
    return [o.event for o in outcomes if o.event is not None]


class SqliteBatchWriter:
    """A batch in one call to the writer thread: one thread hop per commit instead of one per statement."""

    def __init__(self, store: Store, outbox: OutboxInsert | None) -> None:
        path = make_url(store.url).database
        if not path or path == ":memory:":
            raise ValueError("the apply writer needs a SQLite file (each connection to :memory: is its own database)")
        self._path = path
        self._outbox = outbox
        self._executor: ThreadPoolExecutor | None = None
        self._db: sqlite3.Connection | None = None  # only touched in the writer thread

    async def close(self) -> None:
        if self._executor is not None:
            executor, self._executor = self._executor, None
            await asyncio.get_running_loop().run_in_executor(executor, self._close)
            executor.shutdown(wait=False)

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    async def write(self, batch: Sequence[ApplyRequest], now: int) -> list[ApplyOutcome]:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="apply-sqlite")
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._write, batch, now)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self._path, isolation_level=None)  # autocommit: BEGIN and COMMIT are ours
        sqlite_pragmas(db, None)  # WAL, synchronous=FULL, foreign keys, busy timeout
        return db

    def _write(self, batch: Sequence[ApplyRequest], now: int) -> list[ApplyOutcome]:
        db = self._db = self._db or self._connect()
        db.execute("BEGIN IMMEDIATE")  # the write lock first: no upgrade from a read lock to fail
        try:
            outcomes = self._statements(db, batch, now)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        return outcomes

    def _statements(self, db: sqlite3.Connection, batch: Sequence[ApplyRequest], now: int) -> list[ApplyOutcome]:
        job_ids, user_ids = BatchPlan.job_ids(batch), BatchPlan.user_ids(batch)
        plan = BatchPlan(
            batch,
            db.execute(f"SELECT {', '.join(JOB_COLUMNS)} FROM {jobs.name} WHERE id IN ({_marks(len(job_ids))})",
                       job_ids).fetchall(),
            db.execute(f"SELECT {', '.join(PROFILE_COLUMNS)} FROM {profiles.name} "
                       f"WHERE user_id IN ({_marks(len(user_ids))})", user_ids).fetchall(),
            now,
        )
        inserted: set[str] = set()
        row_marks = f"({_marks(len(COLUMNS))})"
        for start in range(0, len(plan.rows), CHUNK):
            chunk = plan.rows[start:start + CHUNK]
            sql = (f"INSERT INTO {applications.name} ({', '.join(COLUMNS)}) VALUES "
                   f"{', '.join([row_marks] * len(chunk))} ON CONFLICT DO NOTHING RETURNING id")
            inserted.update(row[0] for row in db.execute(sql, [value for row in chunk for value in row]))
        firsts: list[Any] = []
        conflicts = plan.conflicts(inserted)
        if conflicts is not None:
            users, job_list, refs = conflicts
            firsts = db.execute(
                f"SELECT id, user_id, job_id, ref FROM {applications.name} WHERE user_id IN ({_marks(len(users))}) "
                f"AND (job_id IN ({_marks(len(job_list))}) OR ref IN ({_marks(len(refs))}))",
                [*users, *job_list, *refs],
            ).fetchall()
        outcomes = plan.finish(inserted, firsts)
        events = _events(outcomes)
        if self._outbox is not None and events:
            db.executemany(OutboxInsert.SQLITE, self._outbox.rows(events, now))
        return outcomes


class PostgresBatchWriter:
    """A batch in three round trips on a long-lived pool connection; every statement prepared once."""

    JOBS = f"SELECT {', '.join(JOB_COLUMNS)} FROM {jobs.name} WHERE id = ANY($1::varchar[])"
    PROFILES = f"SELECT {', '.join(PROFILE_COLUMNS)} FROM {profiles.name} WHERE user_id = ANY($1::varchar[])"
    INSERT = (
        f"INSERT INTO {applications.name} ({', '.join(COLUMNS)}) SELECT * FROM unnest("
        + ", ".join(f"${i}::{'bigint' if c.endswith('_at') else 'varchar'}[]" for i, c in enumerate(COLUMNS, 1))
        + ") ON CONFLICT DO NOTHING RETURNING id"
    )
    #: The applications and the events of the rows the insert kept, in ONE statement: atomic on its own,
    #: so no BEGIN and COMMIT round trips (the lookups before it are plain reads: under READ COMMITTED
    #: each statement of a transaction has its own snapshot anyway). Parameters: the COLUMNS arrays,
    #: then event ids, payloads, created_at, lease_owner, lease_until.
    INSERT_WITH_EVENTS = (
        f"WITH kept AS ({INSERT}) INSERT INTO {event_outbox.name} ({', '.join(OutboxInsert.COLUMNS)}) "
        "SELECT e.id, e.payload, $12::bigint, $13::varchar, $14::bigint "
        "FROM unnest($10::varchar[], $11::text[]) AS e(id, payload) JOIN kept ON kept.id = e.id RETURNING id"
    )
    FIRSTS = (
        f"SELECT id, user_id, job_id, ref FROM {applications.name} WHERE user_id = ANY($1::varchar[]) "
        "AND (job_id = ANY($2::varchar[]) OR ref = ANY($3::varchar[]))"
    )

    def __init__(self, store: Store, outbox: OutboxInsert | None) -> None:
        self._store = store
        self._outbox = outbox
        self._connection: AsyncConnection | None = None

    async def close(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            await connection.close()

    async def write(self, batch: Sequence[ApplyRequest], now: int) -> list[ApplyOutcome]:
        if self._connection is None:
            self._connection = await self._store.engine.connect()
        connection = self._connection
        try:
            pg: Any = (await connection.get_raw_connection()).driver_connection  # asyncpg.Connection
            return await self._statements(pg, batch, now)
        except BaseException:
            self._connection = None
            await connection.invalidate()
            raise

    async def _statements(self, pg: Any, batch: Sequence[ApplyRequest], now: int) -> list[ApplyOutcome]:
        plan = BatchPlan(batch, await pg.fetch(self.JOBS, BatchPlan.job_ids(batch)),
                         await pg.fetch(self.PROFILES, BatchPlan.user_ids(batch)), now)
        inserted: set[str] = set()
        if plan.rows:
            columns = list(zip(*plan.rows, strict=True))
            if self._outbox is not None:
                ids, payloads = self._outbox.arrays(plan.events())
                rows = await pg.fetch(self.INSERT_WITH_EVENTS, *columns, ids, payloads, now, self._outbox.node_id,
                                      now + self._outbox.lease_ms)
            else:
                rows = await pg.fetch(self.INSERT, *columns)
            inserted = {row[0] for row in rows}
        firsts: list[Any] = []
        conflicts = plan.conflicts(inserted)
        if conflicts is not None:
            firsts = await pg.fetch(self.FIRSTS, *conflicts)
        return plan.finish(inserted, firsts)
