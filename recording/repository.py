"""SQL of recordings and clips (``store.recording_tables``) and of the job cards a replay shows."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import and_, delete, or_, select, update

from store.engine import Store
from store.recording_tables import recording_chat, recordings
from store.recruiting_tables import job_pins, jobs


@dataclass(frozen=True, slots=True)
class RecordingRow:
    id: str
    kind: str
    room: str
    org_id: str | None
    session_id: str | None
    parent_id: str | None
    blob_key: str | None
    media_type: str
    codec: str | None
    started_at: int
    ended_at: int | None
    duration_s: float
    offset_s: float
    visibility: str
    title: str | None
    job_id: str | None
    created_by: str | None
    taken_down_at: int | None
    takedown_reason: str | None
    created_at: int
    chat_replay: bool = False  # the owner chose to show the live's chat with the replay
    origin: str | None = None  # the URL of the node writing it (other nodes forward a growing file's requests)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def new_id() -> str:
    return uuid.uuid4().hex


class RecordingRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def insert(self, **values: Any) -> RecordingRow:
        async with self._store.engine.begin() as connection:
            await connection.execute(recordings.insert().values(**values))
        found = await self.get(str(values["id"]))
        assert found is not None
        return found

    async def update(self, recording_id: str, **values: Any) -> None:
        async with self._store.engine.begin() as connection:
            await connection.execute(update(recordings).where(recordings.c.id == recording_id).values(**values))

    async def get(self, recording_id: str) -> RecordingRow | None:
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(select(recordings).where(recordings.c.id == recording_id))).first()
        return None if row is None else RecordingRow(**row._asdict())

    async def of_room(self, room: str) -> list[RecordingRow]:
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(
                select(recordings).where(recordings.c.room == room).order_by(recordings.c.started_at.desc()))
        return [RecordingRow(**r._asdict()) for r in rows]

    async def everything(self, room: str | None = None) -> list[RecordingRow]:
        query = select(recordings).order_by(recordings.c.started_at.desc())
        if room is not None:
            query = query.where(recordings.c.room == room)
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(query)
        return [RecordingRow(**r._asdict()) for r in rows]

    async def clips_of_org(self, org: str) -> list[RecordingRow]:
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(
                select(recordings).where(recordings.c.org_id == org, recordings.c.kind == "clip")
                .order_by(recordings.c.created_at.desc()))
        return [RecordingRow(**r._asdict()) for r in rows]

    async def unfinished(self) -> list[RecordingRow]:
        """Replays still marked as recording: a crashed node's, to be closed at start-up."""
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(select(recordings).where(recordings.c.ended_at.is_(None)))
        return [RecordingRow(**r._asdict()) for r in rows]

    async def older_than(self, cutoff_ms: int) -> list[RecordingRow]:
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(select(recordings).where(
                or_(recordings.c.ended_at < cutoff_ms, and_(recordings.c.ended_at.is_(None),
                                                            recordings.c.started_at < cutoff_ms))))
        return [RecordingRow(**r._asdict()) for r in rows]

    async def remove(self, recording_id: str) -> None:
        async with self._store.engine.begin() as connection:
            await connection.execute(delete(recording_chat).where(recording_chat.c.recording_id == recording_id))
            await connection.execute(delete(recordings).where(recordings.c.id == recording_id))

    async def job_org(self, job_id: str) -> str | None:
        async with self._store.engine.connect() as connection:
            found = (await connection.execute(select(jobs.c.org_id).where(jobs.c.id == job_id))).scalar()
        return None if found is None else str(found)

    async def pins(self, room: str, since_ms: int, until_ms: int) -> list[dict[str, Any]]:
        """The room's job cards pinned between two times, oldest first, with their jobs' titles."""
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(
                select(job_pins.c.job_id, job_pins.c.pinned_at, job_pins.c.unpinned_at, jobs.c.title,
                       jobs.c.employer, jobs.c.location)
                .join(jobs, jobs.c.id == job_pins.c.job_id)
                .where(job_pins.c.room == room, job_pins.c.pinned_at >= since_ms, job_pins.c.pinned_at <= until_ms)
                .order_by(job_pins.c.pinned_at))
        return [dict(r._asdict()) for r in rows]
