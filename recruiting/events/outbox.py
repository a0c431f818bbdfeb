"""The transactional outbox: resume-delivery events survive a node dying after the commit.

Standard 5.1.4 wants every delivery live in the back office. The event row is
written in the *same* transaction as its application (:class:`OutboxInsert`,
one multi-row insert per group commit), leased to the writing node for
``lease_ms``. Right after the commit the node publishes the events itself and
the published rows are deleted a moment later: by the :class:`OutboxRelay` in one
batched DELETE (PostgreSQL), or inside the SQLite apply writer's next batch (no
extra transaction on the hot path). Every few seconds — and at start-up — the
relay claims rows whose lease ran out (their node died between commit and
publish), publishes and deletes them. The claim moves the lease in one
statement (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite has a single
writer process), so two live nodes never both take a row. A row that is still
published twice (the node died after the publish but before the delete) carries
the same ``event_id`` and the node's fan-out drops the repeat
(:class:`recruiting.events.fanout.LocalFanout`). Rows that versions before 2026-11-29
marked ``published_at`` instead are pruned after a day.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy import String, bindparam, text
from sqlalchemy.dialects import postgresql

from recruiting.events.encoding import EncodedEvent, event_json, json_encoder
from recruiting.events.port import EventLog
from store.engine import Store
from store.outbox_tables import event_outbox

log = logging.getLogger(__name__)

DAY_MS = 24 * 3600 * 1000


class PublishedSink(Protocol):
    """Somewhere else to delete published rows than a transaction of the store's engine: the SQLite apply
    writer (:class:`recruiting.repositories.apply_sql.SqliteBatchWriter`), which writes them in its next batch."""

    def published(self, event_ids: Sequence[str]) -> None:
        """Takes the ids; a later transaction of the sink deletes their rows."""

    async def flush_published(self) -> int:
        """Deletes the rows of whatever ids are still waiting now; returns how many ids that was."""


def _now_ms() -> int:
    return int(time.time() * 1000)


class OutboxInsert:
    """A batch's event rows, written by the apply writer inside its transaction (the hot path).

    The statements are the driver's own (:mod:`recruiting.repositories.apply_sql`): sqlite3's ``executemany``,
    and on PostgreSQL part of the applications' own statement (``WITH kept AS (INSERT ...) INSERT
    INTO event_outbox ... JOIN kept``, prepared once).
    """

    COLUMNS = ("id", "payload", "created_at", "lease_owner", "lease_until")
    SQLITE = f"INSERT INTO {event_outbox.name} ({', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?)"

    def __init__(self, store: Store, node_id: str, lease_ms: int) -> None:
        self.node_id = node_id
        self.lease_ms = lease_ms
        self._encode = json_encoder()  # one encoder, not one per event

    def rows(self, events: Sequence[Mapping[str, Any]], now: int) -> list[tuple[str, str, int, str, int]]:
        node, until, encode = self.node_id, now + self.lease_ms, self._encode
        return [(str(event["event_id"]), event_json(event, encode), now, node, until) for event in events]

    def arrays(self, events: Sequence[Mapping[str, Any]]) -> tuple[list[str], list[str]]:
        """Event ids and payloads as two arrays (PostgreSQL: created_at and the lease are scalars)."""
        encode = self._encode
        return [str(event["event_id"]) for event in events], [event_json(event, encode) for event in events]


class OutboxRelay:
    """One per node: deletes what the node published, republishes what dead nodes left behind."""

    def __init__(
        self,
        store: Store,
        events: EventLog,
        *,
        node_id: str,
        lease_ms: int = 5000,
        sweep_seconds: float = 2.0,
        mark_seconds: float = 0.5,
        claim_limit: int = 1000,
        keep_ms: int = DAY_MS,
        sink: PublishedSink | None = None,
    ) -> None:
        """``sink``: where published rows are deleted instead of a transaction of the store's engine. On
        SQLite the apply writer deletes them inside its next batch: a second writing connection made the
        writer's ``BEGIN IMMEDIATE`` wait for the database lock, and SQLite's busy handler sleeps in
        steps of up to 50 ms, which became the apply tail under load; a transaction of its own every
        tick stopped the batches while it ran (figures: docs/measurements/2026-11-29-apply-rounds.md)."""
        self._store = store
        self._sink = sink
        self._events = events
        self._pg = store.dialect == "postgresql"
        self.node_id = node_id
        self.lease_ms = lease_ms
        self._sweep_seconds = sweep_seconds
        self._mark_seconds = mark_seconds
        self._claim_limit = claim_limit
        self._keep_ms = keep_ms
        self._to_delete: list[str] = []
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self.republished = 0
        lock = " FOR UPDATE SKIP LOCKED" if self._pg else ""
        self._claim = text(
            f"UPDATE {event_outbox.name} SET lease_owner = :me, lease_until = :until WHERE id IN ("
            f"SELECT id FROM {event_outbox.name} WHERE published_at IS NULL AND lease_until < :now "
            f"ORDER BY created_at LIMIT :limit{lock}) RETURNING id, payload, created_at"
        )
        # A published row is deleted, not kept marked: nothing reads it again, its payload names the
        # candidate (data minimisation, 个人信息保护法 §6, §19), and on PostgreSQL an UPDATE of an indexed
        # column wrote a whole new row version plus its index entries per event.
        if self._pg:
            self._delete = text(
                f"DELETE FROM {event_outbox.name} WHERE id = ANY(CAST(:ids AS VARCHAR[]))"
            ).bindparams(bindparam("ids", type_=postgresql.ARRAY(String)))
        else:
            self._delete = text(f"DELETE FROM {event_outbox.name} WHERE id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            )

    @property
    def sweep_seconds(self) -> float:
        return self._sweep_seconds

    def start(self) -> None:
        if self._task is None:
            self._stopping.clear()
            self._task = asyncio.create_task(self._run(), name="recruiting-outbox-relay")

    async def close(self) -> None:
        """Stops the loop and deletes what was published (a row left behind is republished, then deduplicated)."""
        self._stopping.set()
        if self._task is not None:
            await self._task
            self._task = None
        with contextlib.suppress(Exception):
            await self.flush_published()

    def published(self, event_ids: Sequence[str]) -> None:
        """The node published these events itself; they are marked at the next tick (or with the
        apply writer's next batch)."""
        if self._sink is not None:
            self._sink.published(event_ids)
        else:
            self._to_delete.extend(event_ids)

    async def flush_published(self) -> int:
        if self._sink is not None:
            return await self._sink.flush_published()
        ids, self._to_delete = self._to_delete, []
        if ids:
            await self._delete_ids(ids)
        return len(ids)

    async def _delete_ids(self, ids: Sequence[str]) -> None:
        if self._sink is not None:
            self._sink.published(ids)
            await self._sink.flush_published()
            return
        # PostgreSQL takes the ids as one array parameter: one statement per mark (chunks of 500 ids were
        # several statements per mark under load, a visible share of the event loop; figures:
        # docs/measurements/2026-11-29-apply-rounds.md); SQLite expands them into bound variables.
        step = 20_000 if self._pg else 500
        async with self._store.engine.begin() as connection:
            for start in range(0, len(ids), step):
                await connection.execute(self._delete, {"ids": list(ids[start:start + step])})

    async def sweep(self) -> int:
        """Claims unpublished rows whose lease ran out, publishes them in order, deletes them; returns the count.

        A restarted node waits for the lease like any other node: it has a new id and cannot tell its
        former self's rows from a live node's.
        """
        total = 0
        while True:
            now = _now_ms()
            async with self._store.engine.begin() as connection:
                rows = list(await connection.execute(self._claim, {
                    "me": self.node_id, "until": now + self.lease_ms,
                    "now": now, "limit": self._claim_limit,
                }))
            if not rows:
                return total
            rows.sort(key=lambda row: (row.created_at, row.id))
            await self._events.publish([EncodedEvent(json.loads(row.payload), row.payload) for row in rows])
            await self._delete_ids([row.id for row in rows])
            total += len(rows)
            self.republished += len(rows)
            if len(rows) < self._claim_limit:
                return total

    async def prune(self) -> int:
        """Deletes rows marked published more than ``keep_ms`` ago (left by versions that marked instead
        of deleting)."""
        cutoff = _now_ms() - self._keep_ms
        async with self._store.engine.begin() as connection:
            result = await connection.execute(
                event_outbox.delete().where(event_outbox.c.published_at.is_not(None),
                                            event_outbox.c.published_at < cutoff)
            )
        return int(result.rowcount or 0)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        next_sweep = loop.time()
        next_prune = loop.time()
        while True:
            # Wait first: the start-up sweep runs one interval after start, not inside the burst of
            # work a node does when it opens (its first statements cost a connection and compiling).
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._mark_seconds)
            if self._stopping.is_set():
                return
            try:
                await self.flush_published()
                if loop.time() >= next_sweep:
                    await self.sweep()
                    next_sweep = loop.time() + self._sweep_seconds
                if loop.time() >= next_prune:
                    await self.prune()
                    next_prune = loop.time() + 3600
            except Exception:  # the database or the event log is away: try again at the next tick
                log.exception("outbox relay tick failed")
