"""Ratings in the store and the month's facts for the quality figures (standard 6.1).

A session is rated only by a person who watched it (their per-session digest is in ``session_viewers``) or
applied in its room while it was live: one vote per person, so an organisation cannot rate itself up with
accounts that never watched. Raters are stored as pseudonyms; the ledger gets the score and the role, not
the comment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from common.clock import Clock, now_ms
from common.errors import Forbidden, Invalid, NotFound
from governance.evaluation import Rating, month_of, month_window, rating_open
from governance.ledger import pseudonym
from governance.ledger_sql import StoreLedger
from governance.quality import ApplicationFact, ComplaintFact, MonthFacts, RatingFact, SessionFact
from store.engine import Store
from store.evaluation_tables import ratings
from store.governance_tables import complaints
from store.recruiting_tables import application_log, applications, live_sessions
from store.schema import organisations
from store.stats_tables import session_viewers, viewer_key

#: ``screen(text)`` → (the text to keep, ``shown`` or ``held``); raises for a text the filter refuses.
Screen = Callable[[str], tuple[str, str]]
LOOKBACK_MS = 7 * 24 * 3600 * 1000  # sessions this long before a month still own its complaints/applications
MAX_COMMENTS = 50


def _rating_json(row: Any) -> dict[str, Any]:
    return {"id": row.id, "target_type": row.target_type, "target_id": row.target_id, "org_id": row.org_id,
            "host": row.host, "role": row.role, "score": row.score, "comment": row.comment,
            "comment_state": row.comment_state, "at": row.updated_at}


class RatingBook:
    def __init__(self, store: Store, ledger: StoreLedger, screen: Screen, *, pseudonym_key: bytes,
                 clock: Clock | None = None) -> None:
        self._store = store
        self._ledger = ledger
        self._screen = screen
        self._key = pseudonym_key
        self._clock = clock

    def now(self) -> int:
        return now_ms(self._clock)

    async def _role(self, connection: AsyncConnection, session: Any, user_id: str, now: int) -> str:
        watched = (await connection.execute(select(session_viewers.c.viewer).where(
            session_viewers.c.session_id == session.id,
            session_viewers.c.viewer == viewer_key(session.id, user_id)))).first()
        applied = (await connection.execute(select(func.count()).select_from(applications).where(
            applications.c.user_id == user_id, applications.c.room == session.room,
            applications.c.created_at >= session.started_at,
            applications.c.created_at <= (session.ended_at or now)))).scalar()
        if applied:
            return "candidate"
        if watched is not None:
            return "viewer"
        raise Forbidden("not_a_participant", "只有观看过或在本场直播中投递过的用户才能评价")

    async def _upsert(self, connection: AsyncConnection, values: dict[str, Any]) -> Any:
        key = and_(ratings.c.target_type == values["target_type"], ratings.c.target_id == values["target_id"],
                   ratings.c.rater == values["rater"])
        changed = {k: v for k, v in values.items() if k not in ("target_type", "target_id", "rater", "created_at")}
        moved = await connection.execute(update(ratings).where(key).values(**changed))
        if moved.rowcount == 0:
            await connection.execute(ratings.insert().values(**values))
        return (await connection.execute(select(ratings).where(key))).one()

    def _comment(self, rating: Rating) -> tuple[str | None, str | None]:
        return (None, None) if rating.comment is None else self._screen(rating.comment)

    async def rate_session(self, session_id: str, user_id: str, rating: Rating) -> dict[str, Any]:
        comment, state = self._comment(rating)
        now = self.now()
        async with self._store.engine.begin() as connection:
            session = (await connection.execute(select(live_sessions).where(live_sessions.c.id == session_id))).first()
            if session is None:
                raise NotFound("session_not_found", "直播场次不存在")
            rating_open(session.state, session.started_at, session.ended_at, now)
            role = await self._role(connection, session, user_id, now)
            row = await self._upsert(connection, {
                "target_type": "session", "target_id": session_id, "org_id": session.org_id,
                "host": session.host_user, "rater": pseudonym(self._key, "user", user_id), "role": role,
                "score": rating.score, "comment": comment, "comment_state": state, "created_at": now,
                "updated_at": now})
            await self._ledger.append_with(connection, "rating.session", f"session:{session_id}", {
                "org": session.org_id, "score": rating.score, "role": role, "comment": state})
        return _rating_json(row)

    async def rate_platform(self, org_id: str, user_id: str, rating: Rating) -> dict[str, Any]:
        """An organisation's rating of the platform, one per organisation and month (the latest counts)."""
        comment, state = self._comment(rating)
        now = self.now()
        month = month_of(now)
        async with self._store.engine.begin() as connection:
            row = await self._upsert(connection, {
                "target_type": "platform", "target_id": month, "org_id": org_id, "host": None,
                "rater": pseudonym(self._key, "org", org_id), "role": "org", "score": rating.score,
                "comment": comment, "comment_state": state, "created_at": now, "updated_at": now})
            await self._ledger.append_with(connection, "rating.platform", f"org:{org_id}", {
                "month": month, "score": rating.score, "comment": state,
                "by": pseudonym(self._key, "user", user_id)})
        return _rating_json(row)

    async def of_org(self, org_id: str) -> dict[str, Any]:
        """An organisation's sessions as rated (count, mean) and the shown comments, newest first."""
        async with self._store.engine.connect() as connection:
            per_session = (await connection.execute(
                select(ratings.c.target_id, live_sessions.c.title, live_sessions.c.started_at,
                       func.count().label("votes"), func.avg(ratings.c.score).label("mean"))
                .join(live_sessions, live_sessions.c.id == ratings.c.target_id)
                .where(ratings.c.target_type == "session", ratings.c.org_id == org_id)
                .group_by(ratings.c.target_id, live_sessions.c.title, live_sessions.c.started_at)
                .order_by(live_sessions.c.started_at.desc()).limit(100))).all()
            comments = (await connection.execute(
                select(ratings).where(ratings.c.target_type == "session", ratings.c.org_id == org_id,
                                      ratings.c.comment_state == "shown")
                .order_by(ratings.c.updated_at.desc()).limit(MAX_COMMENTS))).all()
        return {"sessions": [{"session_id": r.target_id, "title": r.title, "started_at": r.started_at,
                              "ratings": r.votes, "mean": round(float(r.mean), 2)} for r in per_session],
                "comments": [{key: value for key, value in _rating_json(r).items() if key not in ("host",)}
                             for r in comments]}

    async def held(self) -> list[dict[str, Any]]:
        async with self._store.engine.connect() as connection:
            rows = (await connection.execute(select(ratings).where(ratings.c.comment_state == "held")
                                             .order_by(ratings.c.updated_at).limit(200))).all()
        return [_rating_json(row) for row in rows]

    async def settle(self, rating_id: int, decision: str, actor: str) -> dict[str, Any]:
        """A reviewer shows a held comment or removes it (the score stays)."""
        if decision not in ("show", "remove"):
            raise Invalid("invalid_decision", "decision 须为 show 或 remove")
        async with self._store.engine.begin() as connection:
            moved = await connection.execute(update(ratings).where(
                ratings.c.id == rating_id, ratings.c.comment_state == "held").values(
                comment_state="shown" if decision == "show" else "removed",
                comment=None if decision == "remove" else ratings.c.comment))
            if moved.rowcount != 1:
                raise NotFound("held_comment_not_found", "没有待审核的这条评价")
            await self._ledger.append_with(connection, "rating.comment_" + decision, f"rating:{rating_id}",
                                           {"by": pseudonym(self._key, "user", actor)})
            row = (await connection.execute(select(ratings).where(ratings.c.id == rating_id))).one()
        return _rating_json(row)

    async def month_facts(self, month: str) -> MonthFacts:
        start, end = month_window(month)
        async with self._store.engine.connect() as connection:
            sessions = (await connection.execute(select(live_sessions).where(
                live_sessions.c.started_at.is_not(None), live_sessions.c.started_at >= start - LOOKBACK_MS,
                live_sessions.c.started_at < end))).all()
            filed = (await connection.execute(select(complaints).where(
                complaints.c.created_at >= start, complaints.c.created_at < end))).all()
            first = (select(func.min(application_log.c.created_at)).where(
                application_log.c.application_id == applications.c.id,
                application_log.c.actor != applications.c.user_id).scalar_subquery())
            applied = (await connection.execute(
                select(applications.c.org_id, applications.c.room, applications.c.created_at,
                       first.label("first_response_at"))
                .where(applications.c.created_at >= start, applications.c.created_at < end))).all()
            rated = (await connection.execute(select(ratings.c.org_id, ratings.c.host, ratings.c.score).join(
                live_sessions, live_sessions.c.id == ratings.c.target_id).where(
                ratings.c.target_type == "session", live_sessions.c.started_at >= start,
                live_sessions.c.started_at < end))).all()
            platform = (await connection.execute(select(ratings.c.score).where(
                ratings.c.target_type == "platform", ratings.c.target_id == month))).scalars().all()
            names = dict((await connection.execute(select(organisations.c.id, organisations.c.name))).all())
        return MonthFacts(
            month,
            tuple(SessionFact(s.id, s.room, s.org_id, s.host_user, s.started_at, s.total_viewers, s.chat_messages,
                              s.blocked_messages, in_month=s.started_at >= start) for s in sessions),
            tuple(ComplaintFact(c.created_at, c.target_type, _room_of(c.target_type, c.target_id), c.target_org,
                                c.deadline_at, c.answered_at if c.answered_at is not None else c.closed_at)
                  for c in filed),
            tuple(ApplicationFact(a.org_id, a.room, a.created_at, a.first_response_at) for a in applied),
            tuple(RatingFact(r.org_id, r.host, r.score) for r in rated),
            tuple(platform), {str(k): str(v) for k, v in names.items()})


def _room_of(target_type: str, target_id: str) -> str | None:
    if target_type == "room":
        return target_id
    if target_type == "message":  # ``<room>/<message id>``
        return target_id.partition("/")[0]
    return None
