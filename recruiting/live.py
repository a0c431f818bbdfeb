"""Live sessions, pinned job cards and per-session statistics (standard 5.2, 3.1).

A session plan names a room, a time, a host and featured jobs in order. When
the host pins a job card, a ``job_pins`` row records it with the audience at
that moment (the card's impressions). Statistics after the live: peak and
total viewers, chat and blocked messages (reported by the chat layer through
:meth:`LiveRepository.record_activity`), impressions, applications per job
made in the room during the session, and conversion.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select, update

from livehire.errors import ApiError
from recruiting.store.clock import now_ms
from recruiting.store.engine import Store
from recruiting.store.recruiting_tables import applications, job_pins, jobs, live_sessions, session_jobs
from recruiting.store.schema import rooms


def _session_json(row: Any, job_ids: list[str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "room": row.room,
        "org": row.org_id,
        "title": row.title,
        "host": row.host_user,
        "starts_at": row.starts_at,
        "state": row.state,
        "started_at": row.started_at,
        "ended_at": row.ended_at,
        "jobs": job_ids,
    }


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
        if not room or not title or not isinstance(starts_at, int):
            raise ApiError(400, "invalid_session", "需要 room、title 和 starts_at（毫秒）")
        if not isinstance(job_ids, list) or not all(isinstance(j, str) for j in job_ids):
            raise ApiError(400, "invalid_session", "jobs 必须是岗位 id 列表")
        session_id = uuid.uuid4().hex
        async with self._store.engine.begin() as connection:
            found = {
                r.id
                for r in await connection.execute(
                    select(jobs.c.id).where(jobs.c.id.in_(job_ids), jobs.c.org_id == org_id)
                )
            }
            if missing := [j for j in job_ids if j not in found]:
                raise ApiError(400, "unknown_job", f"本机构没有这些岗位：{', '.join(missing)}")
            await connection.execute(
                live_sessions.insert().values(
                    id=session_id,
                    room=room,
                    org_id=org_id,
                    title=title,
                    host_user=str(body.get("host") or host),
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
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(select(live_sessions).where(live_sessions.c.id == session_id))).first()
            if row is None:
                raise ApiError(404, "unknown_session", "没有这场直播")
            job_ids = [
                r.job_id
                for r in await connection.execute(
                    select(session_jobs.c.job_id)
                    .where(session_jobs.c.session_id == session_id)
                    .order_by(session_jobs.c.position)
                )
            ]
        return _session_json(row, job_ids)

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
            raise ApiError(400, "invalid_state", "state 必须是 live 或 ended")
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

    async def record_activity(
        self, room: str, *, viewers: int | None = None, joins: int = 0, chat_messages: int = 0, blocked: int = 0
    ) -> None:
        """Counters reported by the chat layer for the room's live session, if one is live."""
        session_id = await self.current(room)
        if session_id is None:
            return
        values: dict[str, Any] = {
            "total_viewers": live_sessions.c.total_viewers + joins,
            "chat_messages": live_sessions.c.chat_messages + chat_messages,
            "blocked_messages": live_sessions.c.blocked_messages + blocked,
        }
        if viewers is not None:
            values["peak_viewers"] = func.max(live_sessions.c.peak_viewers, viewers)
            if self._store.dialect == "postgresql":
                values["peak_viewers"] = func.greatest(live_sessions.c.peak_viewers, viewers)
        async with self._store.engine.begin() as connection:
            await connection.execute(update(live_sessions).where(live_sessions.c.id == session_id).values(**values))

    async def stats(self, session_id: str) -> dict[str, Any]:
        session = await self.get(session_id)
        start = session["started_at"] or session["starts_at"]
        end = session["ended_at"] or now_ms()
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(select(live_sessions).where(live_sessions.c.id == session_id))).one()
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
            "total_viewers": row.total_viewers,
            "chat_messages": row.chat_messages,
            "blocked_messages": row.blocked_messages,
            "job_card_impressions": sum(impressions.values()),
            "applications": total_applications,
            "conversion": round(total_applications / row.total_viewers, 4) if row.total_viewers else None,
            "jobs": per_job,
        }
