"""The apply hot path: one transaction per batch, exactly once per (user, job) and per ref.

A batch (see :mod:`recruiting.committer`) is written in one transaction:

1. look up the jobs (must be published and valid) and the candidates' profiles;
2. a candidate with no profile gets ``needs_profile``; one who has not given
   the separate consent to share with the employer gets ``needs_consent``
   (个人信息保护法 §23) — nothing reaches the employer;
3. insert the rest with ``ON CONFLICT DO NOTHING`` against the unique keys
   (user, job) and (user, ref);
4. read back the rows of these users: a request whose own id is there was
   ``delivered``; otherwise the row that won the conflict is the first
   application and the answer is ``duplicate`` with its id;
5. write the resume-delivery events of the delivered ones to the outbox, one
   multi-row insert (:mod:`recruiting.outbox`): the event is durable with its
   application (standard 5.1.4).

The commit returns only after the database has made the rows durable (SQLite
WAL + ``synchronous=FULL``; PostgreSQL ``synchronous_commit=on``), and only
then does any caller get its ``apply_result``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import BigInteger, String, any_, bindparam, cast, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from recruiting.outbox import OutboxInsert
from recruiting.store.engine import Store
from recruiting.store.recruiting_tables import applications, jobs, profiles

#: The columns the hot path inserts, in the order of the PostgreSQL ``unnest`` statement.
COLUMNS = ("id", "user_id", "job_id", "org_id", "room", "ref", "status", "created_at", "updated_at")

ApplyStatus = Literal["delivered", "duplicate", "needs_profile", "needs_consent", "job_unavailable"]


@dataclass(frozen=True, slots=True)
class ApplyRequest:
    user_id: str
    job_id: str
    ref: str | None
    room: str | None
    application_id: str
    received_ms: int


@dataclass(slots=True)
class ApplyOutcome:
    """Not frozen: ``committed_ms`` is stamped after COMMIT (``dataclasses.replace`` per outcome
    cost ≈ 10 % of the server's CPU per apply end to end)."""

    status: ApplyStatus
    request: ApplyRequest
    application_id: str | None = None
    org_id: str | None = None
    job_title: str | None = None
    candidate_name: str | None = None
    committed_ms: int | None = None
    job_owner: str | None = None
    event: dict[str, Any] | None = None  # the delivery event written to the outbox with the row

    @property
    def created(self) -> bool:
        return self.status == "delivered"


def new_request(user_id: str, job_id: str, ref: str | None, room: str | None) -> ApplyRequest:
    return ApplyRequest(
        user_id=user_id,
        job_id=job_id,
        ref=ref,
        room=room,
        application_id=uuid.uuid4().hex,
        received_ms=int(time.time() * 1000),
    )


class ApplicationWriter:
    """Writes one batch of applies in one transaction (the ``flush`` of the committer)."""

    def __init__(self, store: Store, outbox: OutboxInsert | None = None) -> None:
        self._store = store
        self._outbox = outbox
        self._pg = store.dialect == "postgresql"
        self._insert: Any = (postgresql.insert if self._pg else sqlite.insert)(applications).on_conflict_do_nothing()
        self._connection: AsyncConnection | None = None
        # PostgreSQL: constant statements with one array parameter per column (unnest / ANY), so
        # asyncpg prepares each once and SQLAlchemy builds no parameters per row; an IN list or a
        # multi-row VALUES of a new length is a new statement to parse and plan at every batch.
        ids = cast(bindparam("ids", type_=postgresql.ARRAY(String)), postgresql.ARRAY(String))
        self._jobs_query = select(
            jobs.c.id, jobs.c.org_id, jobs.c.title, jobs.c.status, jobs.c.valid_until, jobs.c.created_by
        ).where(jobs.c.id == any_(ids) if self._pg else jobs.c.id.in_(bindparam("ids", expanding=True)))
        self._profiles_query = select(profiles.c.user_id, profiles.c.name, profiles.c.consent_to_share).where(
            profiles.c.user_id == any_(ids) if self._pg else profiles.c.user_id.in_(bindparam("ids", expanding=True))
        )
        arrays = ", ".join(f"CAST(:{c} AS {'BIGINT' if c.endswith('_at') else 'VARCHAR'}[])" for c in COLUMNS)
        self._pg_insert = text(
            f"INSERT INTO {applications.name} ({', '.join(COLUMNS)}) SELECT * FROM unnest({arrays}) "
            "ON CONFLICT DO NOTHING RETURNING id"
        ).bindparams(*(bindparam(c, type_=postgresql.ARRAY(BigInteger if c.endswith("_at") else String)) for c in COLUMNS))

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    async def flush(self, batch: Sequence[ApplyRequest]) -> list[ApplyOutcome]:
        """One transaction on the writer's own long-lived connection (no connect per commit)."""
        if self._connection is None:
            self._connection = await self._store.engine.connect()
        connection = self._connection
        try:
            async with connection.begin():
                outcomes = await self._write(connection, batch)
        except Exception:
            self._connection = None
            await connection.close()
            raise
        committed = int(time.time() * 1000)
        for outcome in outcomes:
            outcome.committed_ms = committed
        return outcomes

    async def _write(self, connection: AsyncConnection, batch: Sequence[ApplyRequest]) -> list[ApplyOutcome]:
        now = int(time.time() * 1000)
        job_ids = {request.job_id for request in batch}
        user_ids = {request.user_id for request in batch}
        job_rows = {row.id: row for row in await connection.execute(self._jobs_query, {"ids": list(job_ids)})}
        profile_rows = {
            row.user_id: row for row in await connection.execute(self._profiles_query, {"ids": list(user_ids)})
        }
        decided: dict[int, ApplyOutcome] = {}
        to_insert: list[dict[str, Any]] = []
        for index, request in enumerate(batch):
            job = job_rows.get(request.job_id)
            profile = profile_rows.get(request.user_id)
            if job is None or job.status != "published" or job.valid_until < now:
                decided[index] = ApplyOutcome("job_unavailable", request)
            elif profile is None:
                decided[index] = ApplyOutcome("needs_profile", request)
            elif not profile.consent_to_share:
                decided[index] = ApplyOutcome("needs_consent", request)
            else:
                to_insert.append(
                    {
                        "id": request.application_id,
                        "user_id": request.user_id,
                        "job_id": request.job_id,
                        "org_id": job.org_id,
                        "room": request.room,
                        "ref": request.ref,
                        "status": "new",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
        inserted: set[str] = set()
        by_job: dict[tuple[str, str], str] = {}
        by_ref: dict[tuple[str, str], str] = {}
        if to_insert:
            if self._pg:
                columns = {c: [row[c] for row in to_insert] for c in COLUMNS}
                result = await connection.execute(self._pg_insert, columns)
            else:
                result = await connection.execute(self._insert.returning(applications.c.id), to_insert)
            inserted = set(result.scalars().all())
            conflicts = [row for row in to_insert if row["id"] not in inserted]
            if conflicts:
                users = {row["user_id"] for row in conflicts}
                jobs_or_refs = applications.c.job_id.in_({row["job_id"] for row in conflicts}) | applications.c.ref.in_(
                    {row["ref"] for row in conflicts if row["ref"] is not None}
                )
                for row in await connection.execute(
                    select(applications.c.id, applications.c.user_id, applications.c.job_id, applications.c.ref).where(
                        applications.c.user_id.in_(users), jobs_or_refs
                    )
                ):
                    by_job[(row.user_id, row.job_id)] = row.id
                    if row.ref is not None:
                        by_ref[(row.user_id, row.ref)] = row.id
        results: list[ApplyOutcome] = []
        for index, request in enumerate(batch):
            if index in decided:
                results.append(decided[index])
                continue
            job = job_rows[request.job_id]
            name = profile_rows[request.user_id].name
            if request.application_id in inserted:
                results.append(
                    ApplyOutcome("delivered", request, request.application_id, job.org_id, job.title, name,
                                 job_owner=job.created_by)
                )
                continue
            first = by_ref.get((request.user_id, request.ref)) if request.ref is not None else None
            first = first or by_job.get((request.user_id, request.job_id))
            results.append(
                ApplyOutcome("duplicate", request, first, job.org_id, job.title, name, job_owner=job.created_by)
            )
        if self._outbox is not None and inserted:
            events = []
            for outcome in results:
                if outcome.status == "delivered":
                    outcome.event = delivery_event(outcome, now)
                    events.append(outcome.event)
            await self._outbox.write(connection, events, now)
        return results


def delivery_event(outcome: ApplyOutcome, created_ms: int | None = None) -> dict[str, Any]:
    """The resume-delivery event for the org's back office (no contact data in it).

    ``event_id`` is the application id: stable, so a republished event is recognised and dropped.
    """
    request = outcome.request
    return {
        "type": "application",
        "event_id": outcome.application_id,
        "application_id": outcome.application_id,
        "org": outcome.org_id,
        "job_id": request.job_id,
        "job_title": outcome.job_title,
        "job_owner": outcome.job_owner,
        "user_id": request.user_id,
        "name": outcome.candidate_name,
        "room": request.room,
        "status": "new",
        "created_at": created_ms if created_ms is not None else outcome.committed_ms,
        "clicked_at": request.received_ms,
    }
