"""The apply writer's statements, straight to the driver (the hot path's SQL).

SQLAlchemy Core was a large share of the SQL part's CPU per apply (parameter
processing per row, result rows, the greenlet and one thread hop per statement
on aiosqlite; figures: docs/measurements/2026-11-29-apply-rounds.md). The batch's
statements are few and fixed, so each driver gets them directly; the decisions
stay in :class:`recruiting.domain.apply.BatchPlan`.

* SQLite: one ``sqlite3`` connection owned by one writer thread; a whole batch
  (``BEGIN IMMEDIATE`` … ``COMMIT``) is one call into that thread. The
  connection has the store's settings (WAL, ``synchronous=FULL``, foreign keys,
  busy timeout), so a commit is as durable as any other.
* PostgreSQL: the pool's asyncpg connection, constant statements prepared once
  by asyncpg's statement cache, the batch as one JSON text parameter and the
  rows back as one JSON value. Jobs and profiles are one look-up; the
  applications and their outbox rows go in one statement (a data-modifying
  ``WITH``), which commits atomically by itself (``synchronous_commit`` stays
  on): two round trips per batch (a third only when some row conflicted).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from recruiting.domain.apply import (
    COLUMNS,
    JOB_COLUMNS,
    PROFILE_COLUMNS,
    ApplyOutcome,
    ApplyRequest,
    BatchPlan,
)
from recruiting.events.encoding import event_json, json_encoder
from recruiting.events.outbox import OutboxInsert, PublishedSink
from store.engine import Store, sqlite_pragmas
from store.faults import store_unavailable, unreachable
from store.outbox_tables import event_outbox, ledger_queue
from store.recruiting_tables import applications, jobs, profiles


def _events(outcomes: Sequence[ApplyOutcome]) -> list[dict[str, Any]]:
    return [o.event for o in outcomes if o.event is not None]


def _json_rows(columns: Sequence[str]) -> str:
    """One row holding every match as a JSON array: a single ``sqlite3_step`` for the whole result."""
    return f"json_group_array(json_array({', '.join(columns)}))"


def _from_json(columns: Sequence[str]) -> str:
    return ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(columns)))


class SqliteBatchWriter:
    """A batch in one call to the writer thread: one thread hop per commit instead of one per statement.

    Every statement is constant (cached by sqlite3, never prepared again) and takes its rows as ONE
    JSON array parameter (``json_each``) and gives its rows back as ONE JSON array
    (``json_group_array``), the SQLite analogue of PostgreSQL's arrays. Why: sqlite3 releases the GIL
    around every prepare and every step, i.e. per row of an ``executemany`` or a result, and while
    the event loop is busy each release costs the writer thread up to the 5 ms switch interval to get
    the GIL back, so many rows through the driver took far longer than the same rows as one JSON value
    (figures: docs/measurements/2026-11-29-apply-rounds.md, "SQLite and the GIL").
    """

    JOBS = (f"SELECT {_json_rows(JOB_COLUMNS)} FROM {jobs.name} "
            "WHERE id IN (SELECT value FROM json_each(?))")
    PROFILES = (f"SELECT {_json_rows(PROFILE_COLUMNS)} FROM {profiles.name} "
                "WHERE user_id IN (SELECT value FROM json_each(?))")
    # ``WHERE true``: an INSERT ... SELECT with an upsert clause needs it (SQLite's parsing ambiguity)
    INSERT = (f"INSERT INTO {applications.name} ({', '.join(COLUMNS)}, status, created_at, updated_at) "
              f"SELECT {_from_json(COLUMNS)}, 'new', ?1, ?1 FROM json_each(?2) WHERE true ON CONFLICT DO NOTHING")
    KEPT = (f"SELECT json_group_array(id) FROM {applications.name} "
            "WHERE id IN (SELECT value FROM json_each(?))")
    FIRSTS = (f"SELECT {_json_rows(('id', 'user_id', 'job_id', 'ref'))} FROM {applications.name} "
              "WHERE user_id IN (SELECT value FROM json_each(?)) AND (job_id IN (SELECT value FROM json_each(?)) "
              "OR ref IN (SELECT value FROM json_each(?)))")
    EVENTS = (f"INSERT INTO {event_outbox.name} ({', '.join(OutboxInsert.COLUMNS)}) "
              "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), ?, ?, ? FROM json_each(?)")

    #: Published rows are deleted (:class:`recruiting.events.outbox.OutboxRelay`).
    DELETE_PUBLISHED = f"DELETE FROM {event_outbox.name} WHERE id IN (SELECT value FROM json_each(?))"
    #: The batch's rows for the service ledger (``store.outbox_tables.ledger_queue``): the JSON already encoded.
    QUEUE = f"INSERT INTO {ledger_queue.name} (created_at, rows) VALUES (?, ?)"

    def __init__(self, store: Store, outbox: OutboxInsert | None, ledger_queue: bool = False) -> None:
        path = make_url(store.url).database
        if not path or path == ":memory:":
            raise ValueError("the apply writer needs a SQLite file (each connection to :memory: is its own database)")
        self._path = path
        self._outbox = outbox
        self._queue = ledger_queue
        self._encode = json_encoder()
        self._executor: ThreadPoolExecutor | None = None
        self._db: sqlite3.Connection | None = None  # only touched in the writer thread
        self._closed = False
        self._published: list[str] = []  # event ids whose outbox rows the next transaction deletes (loop's thread)
        self._in_flight: asyncio.Future[list[ApplyOutcome]] | None = None

    def _thread(self) -> ThreadPoolExecutor:
        if self._closed:
            raise RuntimeError("the SQLite apply writer is closed")
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="apply-sqlite")
        return self._executor

    async def close(self) -> None:
        if not self._closed and self._published:
            await self.flush_published()
        self._closed = True
        if self._executor is not None:
            executor, self._executor = self._executor, None
            await asyncio.get_running_loop().run_in_executor(executor, self._close)
            executor.shutdown(wait=False)

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    async def write(self, batch: Sequence[ApplyRequest], now: int) -> list[ApplyOutcome]:
        published, self._published = self._published, []
        future = asyncio.get_running_loop().run_in_executor(self._thread(), self._write, batch, now, published)
        self._in_flight = future
        try:
            return await future
        except BaseException:
            self._published[:0] = published  # rolled back with the batch: the next transaction deletes them
            raise
        finally:
            if self._in_flight is future:
                self._in_flight = None

    def published(self, event_ids: Sequence[str]) -> None:
        """Published events (:class:`recruiting.events.outbox.PublishedSink`): the next batch's transaction
        deletes their outbox rows, a few per batch, instead of a transaction of their own per relay tick."""
        self._published.extend(event_ids)

    async def flush_published(self) -> int:
        """Deletes the rows no batch took: after the batch in the thread now (which may have taken them),
        in a transaction of its own. The relay calls it every tick, so an idle node deletes them too."""
        in_flight = self._in_flight
        if in_flight is not None:
            with contextlib.suppress(Exception):
                await asyncio.shield(in_flight)
        published, self._published = self._published, []
        if not published:
            return 0
        try:
            await asyncio.get_running_loop().run_in_executor(self._thread(), self._delete_published, published)
        except BaseException:
            self._published[:0] = published
            raise
        return len(published)

    def _delete_published(self, ids: Sequence[str]) -> None:
        with self._transaction() as db:
            db.execute(self.DELETE_PUBLISHED, (self._encode(ids),))

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT`` on the writer's connection (in its thread); rolled back on error."""
        db = self._db = self._db or self._connect()
        db.execute("BEGIN IMMEDIATE")  # the write lock first: no upgrade from a read lock to fail
        try:
            yield db
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    async def pragmas(self) -> dict[str, Any]:
        """The writer connection's own durability settings (it is not one of the engine's connections)."""
        return await asyncio.get_running_loop().run_in_executor(self._thread(), self._pragmas)

    def _pragmas(self) -> dict[str, Any]:
        db = self._db = self._db or self._connect()
        return {name: db.execute(f"PRAGMA {name}").fetchone()[0]
                for name in ("journal_mode", "synchronous", "foreign_keys", "wal_autocheckpoint")}

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self._path, isolation_level=None)  # autocommit: BEGIN and COMMIT are ours
        sqlite_pragmas(db, None)  # WAL, synchronous=FULL, foreign keys, busy timeout, checkpoint interval
        return db

    def _write(self, batch: Sequence[ApplyRequest], now: int, published: Sequence[str]) -> list[ApplyOutcome]:
        with self._transaction() as db:
            outcomes = self._statements(db, batch, now)
            if published:
                db.execute(self.DELETE_PUBLISHED, (self._encode(published),))
        return outcomes

    def _rows(self, db: sqlite3.Connection, sql: str, *lists: Sequence[Any]) -> list[Any]:
        return list(json.loads(db.execute(sql, [self._encode(values) for values in lists]).fetchone()[0]))

    def _statements(self, db: sqlite3.Connection, batch: Sequence[ApplyRequest], now: int) -> list[ApplyOutcome]:
        plan = BatchPlan(batch, self._rows(db, self.JOBS, BatchPlan.job_ids(batch)),
                         self._rows(db, self.PROFILES, BatchPlan.user_ids(batch)), now)
        inserted: set[str] = set()
        if plan.rows:
            ids = [row[0] for row in plan.rows]
            rows = self._encode(plan.rows)
            if db.execute(self.INSERT, (now, rows)).rowcount == len(ids):
                inserted = set(ids)  # the usual case: nothing conflicted
            else:
                inserted = set(self._rows(db, self.KEPT, ids)) & set(ids)
            if self._queue and inserted:  # only delivered rows: the batch's JSON as is, unless some conflicted
                kept = rows if len(inserted) == len(ids) else self._encode([r for r in plan.rows if r[0] in inserted])
                db.execute(self.QUEUE, (now, kept))
        firsts: list[Any] = []
        conflicts = plan.conflicts(inserted)
        if conflicts is not None:
            firsts = self._rows(db, self.FIRSTS, *conflicts)
        outcomes = plan.finish(inserted, firsts)
        events = _events(outcomes)
        if self._outbox is not None and events:
            ids, payloads = self._outbox.arrays(events)
            db.execute(self.EVENTS, (now, self._outbox.node_id, now + self._outbox.lease_ms,
                                     self._encode(list(zip(ids, payloads, strict=True)))))
        return outcomes


class PostgresBatchWriter:
    """A batch in two round trips on a long-lived pool connection; every statement prepared once.

    Each statement takes the batch as ONE JSON text parameter (built by the kept C encoder,
    :func:`recruiting.events.encoding.json_encoder`) and unpacks it in SQL (``jsonb_array_elements``), and gives
    its rows back as ONE JSON value (``json_agg``), decoded by one kept decoder: asyncpg encoding one
    array per column element by element, and building a record per result row, was most of the
    writer's cost on the event loop (figures: docs/measurements/2026-11-29-apply-rounds.md,
    "PostgreSQL batch as one JSON parameter"). The event payloads stay a ``text[]``: already JSON, they
    would be escaped again.
    Parameters are ``text`` cast in SQL, so no json codec of the connection (SQLAlchemy's) is involved.
    """

    #: Jobs and profiles in one statement (one snapshot): two lists of ids in, two JSON arrays of rows
    #: out (JOB_COLUMNS, PROFILE_COLUMNS). ``IN (SELECT ...)`` lets the planner hash the ids; ``= ANY``
    #: of a batch-sized array compared every row with every element (figures:
    #: docs/measurements/2026-11-29-apply-rounds.md).
    LOOKUP = (
        f"SELECT (SELECT json_agg(json_build_array({', '.join(JOB_COLUMNS)}))::text FROM {jobs.name} "
        "WHERE id IN (SELECT jsonb_array_elements_text($1::text::jsonb))), "
        f"(SELECT json_agg(json_build_array({', '.join(PROFILE_COLUMNS)}))::text FROM {profiles.name} "
        "WHERE user_id IN (SELECT jsonb_array_elements_text($2::text::jsonb)))"
    )
    #: The rows as one JSON array of COLUMNS arrays ($1), now ($2): created_at and updated_at.
    _ROWS = ", ".join(f"t.r->>{i}" for i in range(len(COLUMNS)))
    _INSERT = (
        f"INSERT INTO {applications.name} ({', '.join(COLUMNS)}, status, created_at, updated_at) "
        "SELECT {rows}, 'new', $2::bigint, $2::bigint FROM {source} ON CONFLICT DO NOTHING RETURNING id"
    )
    INSERT = (
        f"WITH kept AS ({_INSERT.format(rows=_ROWS, source='jsonb_array_elements($1::text::jsonb) AS t(r)')}) "
        "SELECT json_agg(id)::text FROM kept"
    )
    #: The applications and the events of the rows the insert kept, in ONE statement: atomic on its own,
    #: so no BEGIN and COMMIT round trips (the look-up before it is a plain read: under READ COMMITTED
    #: each statement of a transaction has its own snapshot anyway). Parameters: the rows, now
    #: (created_at of both), the event payloads in row order ($3, ``ROWS FROM`` pairs them with the
    #: rows), lease_owner, lease_until. An event's id is its application's id (``delivery_event``).
    INSERT_WITH_EVENTS = (
        "WITH src AS MATERIALIZED (SELECT t.r, t.payload FROM ROWS FROM "
        "(jsonb_array_elements($1::text::jsonb), unnest($3::text[])) AS t(r, payload)), "
        f"kept AS ({_INSERT.format(rows=_ROWS, source='src AS t')}), "
        f"events AS (INSERT INTO {event_outbox.name} ({', '.join(OutboxInsert.COLUMNS)}) "
        "SELECT kept.id, src.payload, $2::bigint, $4::varchar, $5::bigint FROM src JOIN kept ON kept.id = src.r->>0 "
        "RETURNING id) "
        "SELECT json_agg(id)::text FROM events"
    )
    #: With the service ledger: the batch's delivered rows queued in the same statement when it kept any.
    #: Only delivered rows: the parameter as sent when every row was kept, else the kept rows rebuilt in SQL.
    _QUEUED = (f", queued AS (INSERT INTO {ledger_queue.name} (created_at, rows) "
               "SELECT $2::bigint, CASE WHEN (SELECT count(*) FROM kept) = jsonb_array_length($1::text::jsonb) "
               "THEN $1::text ELSE (SELECT json_agg(t.r)::text FROM jsonb_array_elements($1::text::jsonb) AS t(r) "
               "JOIN kept ON kept.id = t.r->>0) END WHERE EXISTS (SELECT 1 FROM kept)) ")
    INSERT_QUEUED = INSERT.replace(") SELECT json_agg(id)::text FROM kept", ")" + _QUEUED + "SELECT json_agg(id)::text FROM kept")
    INSERT_WITH_EVENTS_QUEUED = INSERT_WITH_EVENTS.replace(
        "RETURNING id) SELECT json_agg(id)::text FROM events", "RETURNING id)" + _QUEUED + "SELECT json_agg(id)::text FROM events")
    FIRSTS = (
        f"SELECT id, user_id, job_id, ref FROM {applications.name} WHERE user_id = ANY($1::varchar[]) "
        "AND (job_id = ANY($2::varchar[]) OR ref = ANY($3::varchar[]))"
    )

    def __init__(self, store: Store, outbox: OutboxInsert | None, ledger_queue: bool = False) -> None:
        self._store = store
        self._outbox = outbox
        self._insert = self.INSERT_QUEUED if ledger_queue else self.INSERT
        self._insert_with_events = self.INSERT_WITH_EVENTS_QUEUED if ledger_queue else self.INSERT_WITH_EVENTS
        self._encode = json_encoder()
        self._decode = json.JSONDecoder().decode  # without json.loads' per-call checks
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

    def _rows(self, value: str | None) -> list[Any]:
        return self._decode(value) if value is not None else []  # json_agg of no rows is NULL

    async def _statements(self, pg: Any, batch: Sequence[ApplyRequest], now: int) -> list[ApplyOutcome]:
        encode = self._encode
        job_rows, profile_rows = await pg.fetchrow(self.LOOKUP, encode(BatchPlan.job_ids(batch)),
                                                   encode(BatchPlan.user_ids(batch)))
        plan = BatchPlan(batch, self._rows(job_rows), self._rows(profile_rows), now)
        inserted: set[str] = set()
        if plan.rows:
            if self._outbox is not None:
                payloads = [event_json(event, encode) for event in plan.events()]
                kept = await pg.fetchval(self._insert_with_events, encode(plan.rows), now, payloads,
                                         self._outbox.node_id, now + self._outbox.lease_ms)
            else:
                kept = await pg.fetchval(self._insert, encode(plan.rows), now)
            inserted = set(self._rows(kept))
        firsts: list[Any] = []
        conflicts = plan.conflicts(inserted)
        if conflicts is not None:
            firsts = await pg.fetch(self.FIRSTS, *conflicts)
        return plan.finish(inserted, firsts)


class ApplicationWriter:
    """Writes one batch of applies in one transaction (the ``flush`` of the committer)."""

    def __init__(self, store: Store, outbox: OutboxInsert | None = None, *, ledger_queue: bool = False) -> None:
        """``ledger_queue``: each batch that delivered something also queues its rows for the service ledger
        (``store.outbox_tables.ledger_queue``), in its own transaction."""
        self._driver: SqliteBatchWriter | PostgresBatchWriter = (
            PostgresBatchWriter(store, outbox, ledger_queue) if store.dialect == "postgresql"
            else SqliteBatchWriter(store, outbox, ledger_queue)
        )
        self._sink: PublishedSink | None = self._driver if isinstance(self._driver, SqliteBatchWriter) else None

    async def close(self) -> None:
        await self._driver.close()

    def published_sink(self) -> PublishedSink | None:
        """Where the outbox relay deletes published events: in the writer's next batch on SQLite (one
        writing connection), through the store's engine on PostgreSQL (row locks, no wait)."""
        return self._sink

    async def flush(self, batch: Sequence[ApplyRequest]) -> list[ApplyOutcome]:
        """One transaction on the writer's own long-lived connection (no connect per commit). The database
        unreachable: every apply of the batch is refused ``unavailable``, none acknowledged; the next batch
        connects again (``store.faults``)."""
        try:
            outcomes = await self._driver.write(batch, int(time.time() * 1000))
        except Exception as exc:
            if unreachable(exc):
                raise store_unavailable() from exc
            raise
        committed = int(time.time() * 1000)
        for outcome in outcomes:
            outcome.committed_ms = committed
        return outcomes
