"""The apply hot path's rules: one transaction per batch, exactly once per (user, job) and per ref.

A batch (see :mod:`recruiting.usecases.committer`) is written in one transaction:

1. look up the jobs (must be published and valid) and the candidates' profiles;
2. a candidate with no profile gets ``needs_profile``; one who has not given
   the separate consent to share with the employer gets ``needs_consent``
   (个人信息保护法 §23) — nothing reaches the employer;
3. insert the rest with ``ON CONFLICT DO NOTHING`` against the unique keys
   (user, job) and (user, ref);
4. a request whose own id came back from the insert was ``delivered``; for the
   others the row that won the conflict is read back and the answer is
   ``duplicate`` with its id;
5. write the resume-delivery events of the delivered ones to the outbox, one
   multi-row insert (:mod:`recruiting.events.outbox`): the event is durable with its
   application (standard 5.1.4).

The decisions are :class:`BatchPlan` (pure); the statements go straight to the
driver (:mod:`recruiting.repositories.apply_sql`: sqlite3 in one writer thread, asyncpg's
prepared statements) instead of through SQLAlchemy Core (docs/recruiting.md has
the before/after figures). The commit returns only after the
database has made the rows durable (SQLite WAL + ``synchronous=FULL``;
PostgreSQL ``synchronous_commit=on``), and only then does any caller get its
``apply_result``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from recruiting.events.encoding import EncodedEvent

#: The columns the hot path sends per row, in the order of :attr:`BatchPlan.rows`; the statements add
#: ``status = 'new'`` and ``created_at = updated_at = now`` (three arrays fewer to encode per batch).
COLUMNS = ("id", "user_id", "job_id", "org_id", "room", "ref", "source")
#: Job row: (id, org_id, title, status, valid_until, created_by, valid_from); profile row: (user_id, name,
#: consent_to_share). Only a published job within its validity takes applications (5.1.3 c).
JOB_COLUMNS = ("id", "org_id", "title", "status", "valid_until", "created_by", "valid_from")
PROFILE_COLUMNS = ("user_id", "name", "consent_to_share")

ApplyStatus = Literal["delivered", "duplicate", "needs_profile", "needs_consent", "job_unavailable"]


@dataclass(slots=True, eq=False)
class ApplyRequest:
    """Not changed once made; not ``frozen`` only because a frozen ``__init__`` (``object.__setattr__``
    per field) cost several times a plain one, once per apply (figures:
    docs/measurements/2026-11-29-apply-rounds.md)."""

    user_id: str
    job_id: str
    ref: str | None
    room: str | None
    application_id: str
    received_ms: int
    source: str | None = None  # where the button was: None (the live, or the API) or "replay"


@dataclass(slots=True)
class ApplyOutcome:
    """Not frozen: ``committed_ms`` is stamped after COMMIT (``dataclasses.replace`` per outcome
    was a large share of the server's CPU per apply end to end; figures:
    docs/measurements/2026-11-29-apply-rounds.md)."""

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


#: UUIDv7 (RFC 9562 §5.7) over 80 bits below the 48-bit millisecond time: version 7 and variant 0b10 set,
#: the other 74 bits random.
_UUID7_RANDOM = ((1 << 80) - 1) & ~((0xF << 76) | (0x3 << 62))
_UUID7_MARKS = (0x7 << 76) | (0x2 << 62)


def uuid7_hex(ms: int, random80: bytes) -> str:
    """A UUIDv7 as 32 hex digits: ``ms`` (Unix milliseconds) first, then the random bits."""
    return f"{(ms << 80) | (int.from_bytes(random80, 'big') & _UUID7_RANDOM) | _UUID7_MARKS:032x}"


class IdSource:
    """Application ids: UUIDv7 in hex (time first, 74 random bits), from one ``getrandom`` per 1024 ids.

    Time first because the id is the primary key of ``applications`` and of ``event_outbox`` (an
    event's id is its application's): random keys put every row of a batch on its own B-tree leaf,
    so a commit wrote a page per row and index to SQLite's WAL; time-ordered keys append to the
    rightmost leaves, which cut the writer thread's time per batch and the apply tail under load
    (figures: docs/measurements/2026-11-29-apply-rounds.md). A system call per id released the GIL on the
    event loop's thread, and getting it back waited for the SQLite writer thread: hence the buffer.
    """

    __slots__ = ("_buffer", "_clock", "_position")

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._buffer = b""
        self._position = 0
        self._clock = clock

    def __call__(self) -> str:
        position = self._position
        if position >= len(self._buffer):
            self._buffer, position = os.urandom(10 * 1024), 0
        self._position = position + 10
        return uuid7_hex(int(self._clock() * 1000), self._buffer[position:position + 10])


def new_request(user_id: str, job_id: str, ref: str | None, room: str | None,
                application_id: str | None = None, source: str | None = None) -> ApplyRequest:
    return ApplyRequest(
        user_id=user_id,
        job_id=job_id,
        ref=ref,
        room=room,
        application_id=application_id or uuid7_hex(int(time.time() * 1000), os.urandom(10)),
        received_ms=int(time.time() * 1000),
        source=source,
    )


class BatchPlan:
    """What a batch decides from the job and profile rows, and its answers once the insert is known.

    Pure: the drivers (:mod:`recruiting.repositories.apply_sql`) run the statements around it.
    """

    __slots__ = ("_now", "_pending", "outcomes", "rows")

    def __init__(self, batch: Sequence[ApplyRequest], jobs: Iterable[Sequence[Any]],
                 profiles: Iterable[Sequence[Any]], now: int) -> None:
        self._now = now
        job_rows = {row[0]: row for row in jobs}
        profile_rows = {row[0]: row for row in profiles}
        self.outcomes: list[ApplyOutcome] = []
        self._pending: list[ApplyOutcome] = []  # delivered unless the insert drops their row
        self.rows: list[tuple[Any, ...]] = []  # to insert, in COLUMNS order, parallel to _pending
        for request in batch:
            job = job_rows.get(request.job_id)
            profile = profile_rows.get(request.user_id)
            if job is None or job[3] != "published" or job[4] < now or job[6] > now:
                self.outcomes.append(ApplyOutcome("job_unavailable", request))
            elif profile is None:
                self.outcomes.append(ApplyOutcome("needs_profile", request))
            elif not profile[2]:
                self.outcomes.append(ApplyOutcome("needs_consent", request))
            else:
                outcome = ApplyOutcome("delivered", request, request.application_id, job[1], job[2], profile[1],
                                       job_owner=job[5])
                self.outcomes.append(outcome)
                self._pending.append(outcome)
                self.rows.append((request.application_id, request.user_id, request.job_id, job[1], request.room,
                                  request.ref, request.source))

    @staticmethod
    def job_ids(batch: Sequence[ApplyRequest]) -> list[str]:
        return list({request.job_id for request in batch})

    @staticmethod
    def user_ids(batch: Sequence[ApplyRequest]) -> list[str]:
        return list({request.user_id for request in batch})

    def events(self) -> list[dict[str, Any]]:
        """The delivery event of every row to insert (PostgreSQL writes the ones the insert kept in the
        same statement); :meth:`finish` drops those of rows that turn out to be duplicates."""
        events = []
        for outcome in self._pending:
            if outcome.event is None:
                outcome.event = delivery_event(outcome, self._now)
            events.append(outcome.event)
        return events

    def conflicts(self, inserted: set[str]) -> tuple[list[str], list[str], list[str]] | None:
        """(users, job ids, refs) to look up the first applications of the rows the insert dropped."""
        lost = [row for row in self.rows if row[0] not in inserted]
        if not lost:
            return None
        return (list({row[1] for row in lost}), list({row[2] for row in lost}),
                list({row[5] for row in lost if row[5] is not None}))

    def finish(self, inserted: set[str], firsts: Iterable[Sequence[Any]] = ()) -> list[ApplyOutcome]:
        """The answers; ``firsts`` are (id, user_id, job_id, ref) rows of the applications that won a conflict."""
        by_job: dict[tuple[str, str], str] = {}
        by_ref: dict[tuple[str, str], str] = {}
        for row in firsts:
            by_job[(row[1], row[2])] = row[0]
            if row[3] is not None:
                by_ref[(row[1], row[3])] = row[0]
        for outcome in self._pending:
            request = outcome.request
            if request.application_id in inserted:
                if outcome.event is None:
                    outcome.event = delivery_event(outcome, self._now)
                continue
            first = by_ref.get((request.user_id, request.ref)) if request.ref is not None else None
            outcome.status = "duplicate"
            outcome.application_id = first or by_job.get((request.user_id, request.job_id))
            outcome.event = None
        return self.outcomes


def delivery_event(outcome: ApplyOutcome, created_ms: int | None = None) -> EncodedEvent:
    """The resume-delivery event for the org's back office (no contact data in it).

    ``event_id`` is the application id: stable, so a republished event is recognised and dropped.
    """
    request = outcome.request
    return EncodedEvent({
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
        "source": request.source,
        "status": "new",
        "created_at": created_ms if created_ms is not None else outcome.committed_ms,
        "clicked_at": request.received_ms,
    })
