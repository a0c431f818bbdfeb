"""A replay's chat: the messages delivered in a room while it was recorded, kept so the room's owner can choose
to show them with the replay (issue 16; off unless ``recordings.chat_replay`` is set).

Chat hands over each delivered message once, on the node that appended it (held messages only once approved,
since only then are they delivered), and each moderator delete both on the node that made it and, as the
``deleted`` frame, on every node watching the room; one worker per node applies them in order, so a message
deleted right after delivery does not come back. What is kept is what viewers
saw: the masked text, the display name and role; the account id is kept only to find a person's lines for
the §45 copy and the §47 erasure (recruiting's ``PersonalData`` port), never served.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import and_, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from common.clock import now_ms
from store.engine import Store
from store.recording_tables import recording_chat, recordings

from .repository import RecordingRow

log = logging.getLogger(__name__)
RUNNING_TTL_S = 1.0  # how long a node trusts its look-up of a room's running replays
QUEUE_LIMIT = 10_000


class ReplayChat:
    def __init__(self, store: Store, *, clock: Callable[[], int] = now_ms) -> None:
        self._store = store
        self._clock = clock
        self._running: dict[str, tuple[list[tuple[str, int]], float]] = {}
        self._queue: asyncio.Queue[tuple[str, str, Any]] = asyncio.Queue(QUEUE_LIMIT)
        self._worker: asyncio.Task[None] | None = None

    # ---- the chat's hooks (synchronous, on its delivery path: one queue put) ----------------------

    def on_delivered(self, room: str, frame: dict[str, Any]) -> None:
        """A message (on its appending node) or a ``deleted`` frame (on every node watching the room: after the
        message in bus order, so a delete right after delivery cannot overtake it)."""
        if frame.get("type") == "deleted":
            self._put(("deleted", room, str(frame.get("id"))))
        else:
            self._put(("message", room, frame))

    def on_deleted(self, room: str, message_id: str) -> None:
        self._put(("deleted", room, message_id))

    def started(self, room: str) -> None:
        """A replay of the room started on this node: look its running replays up again."""
        self._running.pop(room, None)

    def _put(self, item: tuple[str, str, Any]) -> None:
        try:
            self._queue.put_nowait(item)
        except asyncio.QueueFull:
            log.warning("replay chat: queue full, %s in room %s not kept", item[0], item[1])

    async def start(self) -> None:
        self._worker = asyncio.create_task(self._work(), name="replay chat")

    async def settled(self) -> None:
        """Returns once everything handed over so far is applied (tests, shutdown)."""
        await self._queue.join()

    async def close(self) -> None:
        """Applies what is queued, then stops."""
        if self._worker is None:
            return
        await self._queue.join()
        self._worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._worker
        self._worker = None

    async def _work(self) -> None:
        while True:
            kind, room, value = await self._queue.get()
            try:
                if kind == "message":
                    await self.keep(room, value)
                else:
                    await self.forget(room, value)
            except Exception:  # a store outage loses chat lines of a replay, never the live
                log.exception("replay chat: %s in room %s not applied", kind, room)
            finally:
                self._queue.task_done()

    # ---- the store ---------------------------------------------------------------------------

    async def _replays_running(self, room: str) -> list[tuple[str, int]]:
        cached = self._running.get(room)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(select(recordings.c.id, recordings.c.started_at).where(
                recordings.c.room == room, recordings.c.kind == "replay", recordings.c.ended_at.is_(None)))
            found = [(str(r.id), int(r.started_at)) for r in rows]
        self._running[room] = (found, time.monotonic() + RUNNING_TTL_S)
        return found

    async def keep(self, room: str, message: dict[str, Any]) -> None:
        """One delivered message, into every replay of the room being recorded at its time."""
        if message.get("type") != "chat" or "id" not in message:
            return
        at = int(message.get("ts") or self._clock())
        user = message.get("user") or {}
        for rid, started_at in await self._replays_running(room):
            if at < started_at:
                continue
            row = {"recording_id": rid, "message_id": str(message["id"])[:32], "at": at,
                   "user_id": str(user.get("id") or "")[:64],
                   "name": str(user.get("name") or "")[:200], "role": str(user.get("role") or "")[:32],
                   "text": str(message.get("text") or "")}
            try:
                async with self._store.engine.begin() as connection:
                    await connection.execute(insert(recording_chat).values(**row))
            except IntegrityError:  # already kept (delivered twice after a bus resync)
                pass

    async def forget(self, room: str, message_id: str) -> None:
        """The message was deleted (a moderator, an upheld report, an erasure): out of the room's replays.
        Only its newest copy: a history lost and restarted reuses ids, and only the newest can still be deleted."""
        of_room = select(recordings.c.id).where(recordings.c.room == room).scalar_subquery()
        same = and_(recording_chat.c.message_id == message_id, recording_chat.c.recording_id.in_(of_room))
        async with self._store.engine.begin() as connection:
            newest = (await connection.execute(select(func.max(recording_chat.c.at)).where(same))).scalar()
            if newest is not None:
                await connection.execute(delete(recording_chat).where(same, recording_chat.c.at == newest))

    async def export(self, user_id: str) -> dict[str, list[dict[str, Any]]]:
        """The person's lines in replays (§45 copy)."""
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(select(recording_chat).where(recording_chat.c.user_id == user_id)
                                            .order_by(recording_chat.c.at))
            return {"replay_chat": [{"recording_id": r.recording_id, "message_id": r.message_id, "at": r.at,
                                     "name": r.name, "text": r.text} for r in rows]}

    async def erase(self, user_id: str) -> dict[str, int]:
        """The person's lines out of every replay (§47 erasure)."""
        async with self._store.engine.begin() as connection:
            gone = await connection.execute(delete(recording_chat).where(recording_chat.c.user_id == user_id))
        return {"replay_chat": int(gone.rowcount or 0)}

    async def lines(self, row: RecordingRow, parent: RecordingRow | None, from_s: float,
                    to_s: float | None) -> list[dict[str, Any]]:
        """Messages with their offsets in seconds from the start of ``row`` (a clip: of its span only)."""
        replay = parent or row
        base = replay.started_at + round(row.offset_s * 1000 if parent is not None else 0)
        low = base + round(from_s * 1000)
        top = None if to_s is None else base + round(to_s * 1000)
        if parent is not None:
            end = base + round(row.duration_s * 1000)
            top = end if top is None else min(top, end)
        where = [recording_chat.c.recording_id == replay.id, recording_chat.c.at >= low]
        if top is not None:
            where.append(recording_chat.c.at <= top)
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(select(recording_chat).where(and_(*where))
                                            .order_by(recording_chat.c.at, recording_chat.c.message_id))
            return [{"id": r.message_id, "offset_s": round((r.at - base) / 1000, 3), "name": r.name, "role": r.role,
                     "text": r.text} for r in rows]
