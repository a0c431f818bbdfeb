"""Live sessions, pinned job cards and per-session statistics (standard 5.2, 3.1).

A session plan names a room, a time, a host and featured jobs in order. When
the host pins a job card, a ``job_pins`` row records it with the audience at
that moment (the card's impressions). Statistics after the live: peak and
total viewers (distinct viewers in ``session_viewers``), chat and blocked
messages (every node adds its share through :meth:`LiveRepository.add_share`,
see :mod:`recruiting.domain.tally`), impressions, applications per job made in the
room during the session, and conversion.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from common.clock import now_ms
from common.errors import Invalid, Malformed, NotFound
from recruiting.domain.records import LiveSession
from recruiting.domain.rules import MAX_TIMESTAMP_MS, bounded_int
from recruiting.domain.tally import Flush, Window
from store.engine import Store
from store.recruiting_tables import applications, job_pins, jobs, live_sessions, session_jobs
from store.schema import rooms
from store.stats_tables import session_viewers, viewer_key

_IN_CHUNK = 500  # names per IN (...) list
MAX_SESSION_JOBS = 100  # featured jobs of one session: one IN (...) list, far below any driver's limit


def _session_of(row: Any, job_ids: list[str]) -> LiveSession:
    return LiveSession(
        id=row.id, room=row.room, org=row.org_id, title=row.title, host=row.host_user, starts_at=row.starts_at,
        state=row.state, started_at=row.started_at, ended_at=row.ended_at, jobs=tuple(job_ids),
    )


class LiveRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def room_org(self, room: str) -> str | None:
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(select(rooms.c.org_id).where(rooms.c.slug == room))).first()
        return None if row is None else row.org_id

    async def plan(self, org_id: str, body: dict[str, Any], host: str) -> dict[str, Any]:
        room = str(body.get("room") or "").strip()
        title = str(body.get("title") or "").strip()[:200]
        starts_at = body.get("starts_at")
        job_ids = body.get("jobs") or []
        if not room or not title or not isinstance(starts_at, int) or isinstance(starts_at, bool):
            raise Malformed("invalid_session", "需要 room、title 和 starts_at（毫秒）")
        bounded_int(starts_at, "starts_at", minimum=0, maximum=MAX_TIMESTAMP_MS)
        if not isinstance(job_ids, list) or not all(isinstance(j, str) and len(j) <= 64 for j in job_ids):
            raise Malformed("invalid_session", "jobs 必须是岗位 id 列表")
        host_user = str(body.get("host") or host)
        if len(room) > 64 or len(host_user) > 64 or len(job_ids) > MAX_SESSION_JOBS:  # the columns' widths
            raise Invalid(
                "out_of_range", f"room 和 host 不能超过 64 个字符，jobs 最多 {MAX_SESSION_JOBS} 个"
            )
        session_id = uuid.uuid4().hex
        async with self._store.engine.begin() as connection:
            found = {
                r.id
                for r in await connection.execute(
                    select(jobs.c.id).where(jobs.c.id.in_(job_ids), jobs.c.org_id == org_id)
                )
            }
            if missing := [j for j in job_ids if j not in found]:
                raise Malformed("unknown_job", f"本机构没有这些岗位：{', '.join(missing)}")
            await connection.execute(
                live_sessions.insert().values(
                    id=session_id,
                    room=room,
                    org_id=org_id,
                    title=title,
                    host_user=host_user,
                    starts_at=starts_at,
                    state="planned",
                    created_at=now_ms(),
                )
            )
            if job_ids:
                await connection.execute(
                    session_jobs.insert(),
                    [{"session_id": session_id, "job_id": j, "position": i} for i, j in enumerate(job_ids)],
                )
        return await self.get(session_id)

    async def get(self, session_id: str) -> dict[str, Any]:
        """:meth:`session` in the wire format."""
        return (await self.session(session_id)).as_json()

    async def session(self, session_id: str) -> LiveSession:
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(select(live_sessions).where(live_sessions.c.id == session_id))).first()
            if row is None:
                raise NotFound("unknown_session", "没有这场直播")
            job_ids = [
                r.job_id
                for r in await connection.execute(
                    select(session_jobs.c.job_id)
                    .where(session_jobs.c.session_id == session_id)
                    .order_by(session_jobs.c.position)
                )
            ]
        return _session_of(row, job_ids)

    async def of_room(self, room: str) -> list[dict[str, Any]]:
        async with self._store.engine.connect() as connection:
            ids = [
                r.id
                for r in await connection.execute(
                    select(live_sessions.c.id).where(live_sessions.c.room == room).order_by(live_sessions.c.starts_at)
                )
            ]
        return [await self.get(i) for i in ids]

    async def set_state(self, session_id: str, state: str) -> dict[str, Any]:
        values: dict[str, Any] = {"state": state}
        if state == "live":
            values["started_at"] = now_ms()
        elif state == "ended":
            values["ended_at"] = now_ms()
        else:
            raise Malformed("invalid_state", "state 必须是 live 或 ended")
        async with self._store.engine.begin() as connection:
            await connection.execute(update(live_sessions).where(live_sessions.c.id == session_id).values(**values))
        return await self.get(session_id)

    async def current(self, room: str) -> str | None:
        async with self._store.engine.connect() as connection:
            row = (
                await connection.execute(
                    select(live_sessions.c.id)
                    .where(live_sessions.c.room == room, live_sessions.c.state == "live")
                    .order_by(live_sessions.c.started_at.desc())
                )
            ).first()
        return None if row is None else str(row.id)

    async def pin(self, room: str, job_id: str, actor: str, audience: int) -> None:
        session_id = await self.current(room)
        now = now_ms()
        async with self._store.engine.begin() as connection:
            await connection.execute(
                update(job_pins).where(job_pins.c.room == room, job_pins.c.unpinned_at.is_(None)).values(unpinned_at=now)
            )
            await connection.execute(
                job_pins.insert().values(
                    id=uuid.uuid4().hex,
                    room=room,
                    session_id=session_id,
                    job_id=job_id,
                    pinned_by=actor,
                    pinned_at=now,
                    impressions=audience,
                )
            )

    async def unpin(self, room: str, job_id: str) -> None:
        async with self._store.engine.begin() as connection:
            await connection.execute(
                update(job_pins)
                .where(job_pins.c.room == room, job_pins.c.job_id == job_id, job_pins.c.unpinned_at.is_(None))
                .values(unpinned_at=now_ms())
            )

    async def pinned(self, room: str) -> str | None:
        async with self._store.engine.connect() as connection:
            row = (
                await connection.execute(
                    select(job_pins.c.job_id)
                    .where(job_pins.c.room == room, job_pins.c.unpinned_at.is_(None))
                    .order_by(job_pins.c.pinned_at.desc())
                )
            ).first()
        return None if row is None else str(row.job_id)

    async def windows(self, rooms: Collection[str], since: int, tracked: Collection[str] = ()) -> list[Window]:
        """Sessions of ``rooms`` live at some time since ``since``, and the ``tracked`` ones whatever their age."""
        found: dict[str, Window] = {}
        names, ids = sorted(rooms), sorted(tracked)
        async with self._store.engine.connect() as connection:
            for part in range(0, max(len(names), len(ids)), _IN_CHUNK):
                condition = and_(
                    live_sessions.c.room.in_(names[part:part + _IN_CHUNK]),
                    live_sessions.c.started_at.is_not(None),
                    or_(live_sessions.c.ended_at.is_(None), live_sessions.c.ended_at >= since),
                )
                query = select(
                    live_sessions.c.id, live_sessions.c.room, live_sessions.c.started_at, live_sessions.c.ended_at
                ).where(or_(condition, live_sessions.c.id.in_(ids[part:part + _IN_CHUNK])))
                for row in await connection.execute(query):
                    if row.started_at is not None:
                        found[row.id] = Window(str(row.id), str(row.room), int(row.started_at), row.ended_at)
        return list(found.values())

    async def add_share(self, flush: Flush) -> None:
        """One node's share of a session (:class:`~recruiting.domain.tally.Flush`) in one transaction: viewers
        inserted or ignored (the key collapses duplicates across nodes), counters added, peak kept as max."""
        values: dict[str, Any] = {}
        if flush.messages:
            values["chat_messages"] = live_sessions.c.chat_messages + flush.messages
        if flush.blocked:
            values["blocked_messages"] = live_sessions.c.blocked_messages + flush.blocked
        if flush.peak is not None:
            greatest = func.greatest if self._store.dialect == "postgresql" else func.max
            values["peak_viewers"] = greatest(live_sessions.c.peak_viewers, flush.peak)
        now = now_ms()
        rows = [{"session_id": flush.session_id, "viewer": viewer_key(flush.session_id, v), "joined_at": now}
                for v in sorted(flush.viewers)]
        async with self._store.engine.begin() as connection:
            if rows:
                insert = pg_insert if self._store.dialect == "postgresql" else sqlite_insert
                await connection.execute(insert(session_viewers).on_conflict_do_nothing(), rows)
            if values:
                await connection.execute(
                    update(live_sessions).where(live_sessions.c.id == flush.session_id).values(**values)
                )

    async def stats(self, session_id: str) -> dict[str, Any]:
        session = await self.get(session_id)
        start = session["started_at"] or session["starts_at"]
        end = session["ended_at"] or now_ms()
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(select(live_sessions).where(live_sessions.c.id == session_id))).one()
            counted = (
                await connection.execute(
                    select(func.count()).select_from(session_viewers).where(session_viewers.c.session_id == session_id)
                )
            ).scalar_one()
            total_viewers = int(counted) or int(row.total_viewers)  # the column: sessions before migration 0007
            impressions = {
                r.job_id: int(r.n)
                for r in await connection.execute(
                    select(job_pins.c.job_id, func.sum(job_pins.c.impressions).label("n"))
                    .where(job_pins.c.session_id == session_id)
                    .group_by(job_pins.c.job_id)
                )
            }
            applied = {
                r.job_id: int(r.n)
                for r in await connection.execute(
                    select(applications.c.job_id, func.count().label("n"))
                    .where(
                        applications.c.room == session["room"],
                        applications.c.created_at >= start,
                        applications.c.created_at <= end,
                    )
                    .group_by(applications.c.job_id)
                )
            }
            titles = {
                r.id: r.title
                for r in await connection.execute(
                    select(jobs.c.id, jobs.c.title).where(jobs.c.id.in_(set(impressions) | set(applied)))
                )
            }
        per_job = [
            {
                "job_id": job_id,
                "title": titles.get(job_id, ""),
                "impressions": impressions.get(job_id, 0),
                "applications": applied.get(job_id, 0),
                "conversion": round(applied.get(job_id, 0) / impressions[job_id], 4) if impressions.get(job_id) else None,
            }
            for job_id in sorted(set(impressions) | set(applied))
        ]
        total_applications = sum(applied.values())
        return {
            "session": session,
            "peak_viewers": row.peak_viewers,
            "total_viewers": total_viewers,
            "chat_messages": row.chat_messages,
            "blocked_messages": row.blocked_messages,
            "job_card_impressions": sum(impressions.values()),
            "applications": total_applications,
            "conversion": round(total_applications / total_viewers, 4) if total_viewers else None,
            "jobs": per_job,
        }
