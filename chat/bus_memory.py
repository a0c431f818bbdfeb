"""The in-process bus: the embedded default when no Redis URL is set.

History is a bounded deque per room; deleted messages leave their ``seq`` in a
tombstone set so a reconnecting client can still tell a deletion (nothing missed)
from trimming (messages lost) — the same rule the Redis bus applies.
"""

from __future__ import annotations

import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from chat.bus import (
    HELD_LIMIT,
    HISTORY_LIMIT,
    PENDING_REPORTS_PER_USER,
    PIN_CONTROL,
    AuditRecord,
    Deliver,
    Envelope,
    History,
    RateLimiter,
    concerns,
    deleted_frame,
    erased_frame,
    held_copy,
    pinned_by,
    reporter_id,
    review_queue_full,
    too_many_reports,
    unpinned_frame,
    written_by,
)


class MemoryAuditLog:
    """Audit records kept in memory, newest last, bounded per room."""

    def __init__(self, limit: int = 10_000) -> None:
        self._records: dict[str, deque[AuditRecord]] = {}
        self._limit = limit

    async def record(self, entry: AuditRecord) -> None:
        if not entry.ts:
            entry = AuditRecord(entry.room, entry.actor, entry.actor_role, entry.action, entry.target, entry.detail, time.time())
        self._records.setdefault(entry.room, deque(maxlen=self._limit)).append(entry)

    async def recent(self, room: str, limit: int = 100) -> list[AuditRecord]:
        return list(self._records.get(room, ()))[-limit:]


@dataclass(slots=True)
class _Room:
    seq: int = 0
    messages: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=HISTORY_LIMIT))
    deleted: set[int] = field(default_factory=set)
    held: dict[str, dict[str, Any]] = field(default_factory=dict)
    controls: dict[str, str] = field(default_factory=dict)


class MemoryBus:
    """Everything in one process; ``deliver`` runs synchronously inside ``append``/``emit``."""

    def __init__(
        self, *, history_limit: int = HISTORY_LIMIT, held_limit: int = HELD_LIMIT,
        reports_per_user: int = PENDING_REPORTS_PER_USER,
    ) -> None:
        """``held_limit``, ``reports_per_user``: the review-queue caps of :meth:`chat.bus.Bus.hold`."""
        self.node_id = uuid.uuid4().hex[:12]
        self.rate_limiter: RateLimiter | None = None  # one process: the protocol core's local buckets are exact
        self._rooms: dict[str, _Room] = {}
        self._deliver: Deliver | None = None
        self._audit = MemoryAuditLog()
        self._history_limit = history_limit
        self._held_limit = held_limit
        self._reports_per_user = reports_per_user

    @property
    def audit(self) -> MemoryAuditLog:
        return self._audit

    def _room(self, room: str) -> _Room:
        state = self._rooms.get(room)
        if state is None:
            state = self._rooms[room] = _Room(messages=deque(maxlen=self._history_limit))
        return state

    async def start(self, deliver: Deliver) -> None:
        self._deliver = deliver

    async def close(self) -> None:
        self._deliver = None

    async def watch(self, room: str) -> None:
        """One process sees everything; nothing to subscribe to."""

    async def unwatch(self, room: str) -> None:
        """Nothing to unsubscribe from."""

    async def append(self, room: str, message: dict[str, Any]) -> dict[str, Any]:
        state = self._room(room)
        state.seq += 1
        stored = {"id": f"m{state.seq}", "seq": state.seq, **message}
        state.messages.append(stored)
        self._send(Envelope("message", room, stored, node=self.node_id))
        return stored

    async def emit(self, envelope: Envelope) -> None:
        self._send(envelope)

    def _send(self, envelope: Envelope) -> None:
        if self._deliver is not None:
            self._deliver(envelope)

    async def history(self, room: str, *, since: int | None, limit: int = 50) -> History:
        state = self._room(room)
        if since is None:
            return History(list(state.messages)[-limit:] if limit else [], state.seq, True)
        if since >= state.seq:
            return History([], state.seq, since == state.seq)
        missed = [m for m in state.messages if m["seq"] > since]
        deleted = sum(1 for s in state.deleted if s > since)
        complete = since >= 0 and len(missed) + deleted == state.seq - since
        return History(missed if complete else [], state.seq, complete)

    async def remove(self, room: str, message_id: str) -> bool:
        state = self._room(room)
        for message in state.messages:
            if message["id"] == message_id:
                state.messages.remove(message)
                self._tombstone(state, [int(message["seq"])])
                return True
        return False

    def _tombstone(self, state: _Room, seqs: list[int]) -> None:
        """Deleted seqs count as delivered for recovery. Kept for the last two history windows, as
        the Redis bus keeps them: a tombstone let go only makes an old ``since`` answer
        ``complete=False``, never a wrong ``True`` (every seq is in history, a tombstone, or trimmed)."""
        state.deleted.update(seqs)
        floor = state.seq - 2 * self._history_limit
        if len(state.deleted) > self._history_limit:
            state.deleted = {s for s in state.deleted if s > floor}

    async def erase_user(self, user_id: str) -> int:
        removed = 0
        for name, state in list(self._rooms.items()):
            gone = [m for m in state.messages if written_by(m, user_id)]
            if gone:
                state.messages = deque((m for m in state.messages if not written_by(m, user_id)), maxlen=state.messages.maxlen)
                self._tombstone(state, [int(m["seq"]) for m in gone])
                for message in gone:
                    self._send(Envelope("frame", name, deleted_frame(str(message["id"])), node=self.node_id))
            items = [state.held.pop(key) for key in [k for k, item in state.held.items() if concerns(item, user_id)]]
            for item in items:
                self._send(Envelope("moderators", name, erased_frame(item), node=self.node_id))
            unpinned = pinned_by(state.controls.get(PIN_CONTROL), user_id)
            if unpinned:
                await self.save_control(name, PIN_CONTROL, None)
                self._send(Envelope("frame", name, unpinned_frame(), node=self.node_id))
            removed += len(gone) + len(items) + int(unpinned)
        return removed

    async def user_messages(self, user_id: str) -> list[dict[str, Any]]:
        return [{"room": name, **m} for name, state in self._rooms.items() for m in state.messages if written_by(m, user_id)]

    async def user_held(self, user_id: str) -> list[dict[str, Any]]:
        return [held_copy(name, item, user_id) for name, state in self._rooms.items()
                for item in state.held.values() if concerns(item, user_id)]

    async def hold(self, room: str, message: dict[str, Any]) -> None:
        held, key = self._room(room).held, str(message["id"])
        if key not in held:
            if len(held) >= self._held_limit:
                raise review_queue_full()
            reporter = reporter_id(message)
            if reporter is not None and sum(reporter_id(i) == reporter for i in held.values()) >= self._reports_per_user:
                raise too_many_reports()
        held[key] = message

    async def held(self, room: str) -> list[dict[str, Any]]:
        return list(self._room(room).held.values())

    async def take_held(self, room: str, held_id: str) -> dict[str, Any] | None:
        return self._room(room).held.pop(held_id, None)

    async def load_controls(self, room: str) -> dict[str, str]:
        return dict(self._room(room).controls)

    async def save_control(self, room: str, name: str, value: str | None) -> None:
        controls = self._room(room).controls
        if value is None:
            controls.pop(name, None)
        else:
            controls[name] = value
        self._send(Envelope("control", room, {"name": name, "value": value}, node=self.node_id))
