"""The in-process ports: the embedded default when no Redis URL is set.

History is a bounded deque per room; deleted messages leave their ``seq`` in a
tombstone set so a reconnecting client can still tell a deletion (nothing missed)
from trimming (messages lost), the same rule the Redis broker applies. Every
``deliver`` runs synchronously inside the call that caused it (one process sees all).
"""

from __future__ import annotations

import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from chat.bus.ports import (
    HELD_LIMIT,
    HISTORY_LIMIT,
    PENDING_REPORTS_PER_USER,
    PIN_CONTROL,
    AuditRecord,
    Deliver,
    Envelope,
    History,
    review_queue_full,
    too_many_reports,
)
from chat.bus.privacy import concerns, held_copy, pinned_by, reporter_id, written_by
from chat.frames import deleted_frame, erased_frame, unpinned_frame


@dataclass(slots=True)
class _Log:
    seq: int = 0
    messages: deque[dict[str, Any]] = field(default_factory=deque)
    deleted: set[int] = field(default_factory=set)


class MemoryBroker:
    """Fan-out and history in one process; ``deliver`` runs inside ``append``/``emit``."""

    def __init__(self, *, history_limit: int = HISTORY_LIMIT) -> None:
        self.node_id = uuid.uuid4().hex[:12]
        #: One process keeps every room's history while it runs; a restarted one starts a new epoch.
        self.epoch = uuid.uuid4().hex[:12]
        self._rooms: dict[str, _Log] = {}
        self._deliver: Deliver | None = None
        self._history_limit = history_limit

    def _room(self, room: str) -> _Log:
        state = self._rooms.get(room)
        if state is None:
            state = self._rooms[room] = _Log(messages=deque(maxlen=self._history_limit))
        return state

    async def start(self, deliver: Deliver) -> None:
        self._deliver = deliver

    async def close(self) -> None:
        self._deliver = None

    def subscribed(self) -> bool:
        return self._deliver is not None

    async def watch(self, room: str) -> None:
        """One process sees everything; nothing to subscribe to."""

    async def unwatch(self, room: str) -> None:
        """Nothing to unsubscribe from."""

    async def append(self, room: str, message: dict[str, Any]) -> dict[str, Any]:
        state = self._room(room)
        state.seq += 1
        stored = {"id": f"m{state.seq}", "seq": state.seq, **message}
        state.messages.append(stored)
        self.send(Envelope("message", room, stored, node=self.node_id, epoch=self.epoch))
        return {**stored, "epoch": self.epoch}

    async def emit(self, envelope: Envelope) -> None:
        self.send(envelope)

    def send(self, envelope: Envelope) -> None:
        """``emit`` without the coroutine, for the other memory ports."""
        if self._deliver is not None:
            self._deliver(envelope)

    async def history(self, room: str, *, since: int | None, limit: int = 50) -> History:
        state = self._room(room)
        if since is None:
            return History(list(state.messages)[-limit:] if limit else [], state.seq, True, self.epoch)
        if since >= state.seq:
            return History([], state.seq, since == state.seq, self.epoch)
        missed = [m for m in state.messages if m["seq"] > since]
        deleted = sum(1 for s in state.deleted if s > since)
        complete = since >= 0 and len(missed) + deleted == state.seq - since
        return History(missed if complete else [], state.seq, complete, self.epoch)

    async def remove(self, room: str, message_id: str) -> bool:
        state = self._room(room)
        for message in state.messages:
            if message["id"] == message_id:
                state.messages.remove(message)
                self._tombstone(state, [int(message["seq"])])
                return True
        return False

    def _tombstone(self, state: _Log, seqs: list[int]) -> None:
        """Deleted seqs count as delivered for recovery. Kept for the last two history windows, as
        the Redis broker keeps them: a tombstone let go only makes an old ``since`` answer
        ``complete=False``, never a wrong ``True`` (every seq is in history, a tombstone, or trimmed)."""
        state.deleted.update(seqs)
        floor = state.seq - 2 * self._history_limit
        if len(state.deleted) > self._history_limit:
            state.deleted = {s for s in state.deleted if s > floor}

    def erase_written_by(self, user_id: str) -> int:
        """Every room's messages of ``user_id`` removed and tombstoned, each room told (§47)."""
        removed = 0
        for name, state in self._rooms.items():
            gone = [m for m in state.messages if written_by(m, user_id)]
            if gone:
                state.messages = deque((m for m in state.messages if not written_by(m, user_id)), maxlen=state.messages.maxlen)
                self._tombstone(state, [int(m["seq"]) for m in gone])
                for message in gone:
                    self.send(Envelope("frame", name, deleted_frame(str(message["id"])), node=self.node_id))
                removed += len(gone)
        return removed

    def written_by(self, user_id: str) -> list[dict[str, Any]]:
        return [{"room": name, **m} for name, state in self._rooms.items() for m in state.messages if written_by(m, user_id)]


class MemoryReviewQueue:
    """Items per room in insertion order; the caps of :meth:`chat.bus.ports.ReviewQueue.hold`."""

    def __init__(self, *, held_limit: int = HELD_LIMIT, reports_per_user: int = PENDING_REPORTS_PER_USER) -> None:
        self._rooms: dict[str, dict[str, dict[str, Any]]] = {}
        self._held_limit = held_limit
        self._reports_per_user = reports_per_user

    async def hold(self, room: str, item: dict[str, Any]) -> None:
        held, key = self._rooms.setdefault(room, {}), str(item["id"])
        if key not in held:
            if len(held) >= self._held_limit:
                raise review_queue_full()
            reporter = reporter_id(item)
            if reporter is not None and sum(reporter_id(i) == reporter for i in held.values()) >= self._reports_per_user:
                raise too_many_reports()
        held[key] = item

    async def held(self, room: str) -> list[dict[str, Any]]:
        return list(self._rooms.get(room, {}).values())

    async def take_held(self, room: str, held_id: str) -> dict[str, Any] | None:
        return self._rooms.get(room, {}).pop(held_id, None)

    async def rooms(self) -> list[str]:
        return sorted(room for room, held in self._rooms.items() if held)

    def drop_concerning(self, user_id: str) -> list[tuple[str, dict[str, Any]]]:
        """Items by or about ``user_id`` removed, with their rooms (§47)."""
        dropped = []
        for room, held in self._rooms.items():
            for key in [k for k, item in held.items() if concerns(item, user_id)]:
                dropped.append((room, held.pop(key)))
        return dropped

    def concerning(self, user_id: str) -> list[dict[str, Any]]:
        return [held_copy(room, item, user_id) for room, held in self._rooms.items()
                for item in held.values() if concerns(item, user_id)]


class MemoryControls:
    """Control fields per room; a change is delivered through the broker like any envelope."""

    def __init__(self, broker: MemoryBroker) -> None:
        self._rooms: dict[str, dict[str, str]] = {}
        self._broker = broker

    async def load_controls(self, room: str) -> dict[str, str]:
        return dict(self._rooms.get(room, {}))

    async def save_control(self, room: str, name: str, value: str | None) -> None:
        controls = self._rooms.setdefault(room, {})
        if value is None:
            controls.pop(name, None)
        else:
            controls[name] = value
        self._broker.send(Envelope("control", room, {"name": name, "value": value}, node=self._broker.node_id))

    def pinned_rooms(self, user_id: str) -> list[str]:
        """Rooms whose pinned announcement ``user_id`` wrote."""
        return [room for room, controls in self._rooms.items() if pinned_by(controls.get(PIN_CONTROL), user_id)]


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


class MemoryPersonalData:
    """The §45 copy and the §47 erasure over the other memory ports."""

    def __init__(self, broker: MemoryBroker, review: MemoryReviewQueue, controls: MemoryControls) -> None:
        self._broker, self._review, self._controls = broker, review, controls

    async def erase_user(self, user_id: str) -> int:
        removed = self._broker.erase_written_by(user_id)
        for room, item in self._review.drop_concerning(user_id):
            self._broker.send(Envelope("moderators", room, erased_frame(item), node=self._broker.node_id))
            removed += 1
        for room in self._controls.pinned_rooms(user_id):
            await self._controls.save_control(room, PIN_CONTROL, None)
            self._broker.send(Envelope("frame", room, unpinned_frame(), node=self._broker.node_id))
            removed += 1
        return removed

    async def user_messages(self, user_id: str) -> list[dict[str, Any]]:
        return self._broker.written_by(user_id)

    async def user_held(self, user_id: str) -> list[dict[str, Any]]:
        return self._review.concerning(user_id)
