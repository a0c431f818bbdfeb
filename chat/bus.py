"""The chat bus interface: what every node shares (fan-out, history, held queue, controls, audit).

Two implementations sit beside this file: :class:`chat.bus_memory.MemoryBus` for one
process (the embedded default) and :class:`chat.bus_redis.RedisBus` (pub/sub for
fan-out, a Stream per room for history) for many nodes. One contract suite
(``tests/chat/test_bus_contract.py``) runs against both, as centrifuge does with
its brokers. :func:`create_bus` picks one by whether a Redis URL is configured.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol

from common.errors import Unavailable

if TYPE_CHECKING:
    from chat.buckets import Verdict

EnvelopeKind = Literal["message", "frame", "moderators", "user", "control", "presence"]
HISTORY_LIMIT = 1000  # messages kept per room for recovery and the welcome frame
#: Review-queue items (held messages and reports) a room keeps at most: moderators cannot work
#: through more, and an unbounded queue lets report frames fill Redis (security review M3).
HELD_LIMIT: Final = 500
#: Reports one user may have waiting in one room's queue; more wait until moderators resolve some.
PENDING_REPORTS_PER_USER: Final = 20


class QueueFull(Unavailable):
    """:meth:`Bus.hold` refused an item: the room's queue is full (``review_queue_full``), or the
    reporter has too many reports waiting (``too_many_reports``). Carries the sender's error frame text."""


def review_queue_full() -> QueueFull:
    return QueueFull("review_queue_full", "审核队列已满，请稍后再试")


def too_many_reports() -> QueueFull:
    return QueueFull("too_many_reports", "你的举报尚待处理，请等管理员处理后再举报")


class BusUnavailable(Unavailable):
    """The shared store (Redis) failed or timed out; the chat answers the sender ``unavailable`` and
    keeps the socket open. The memory bus never raises it."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("unavailable", "聊天服务暂时不可用，请稍后再试", details={"detail": detail} if detail else None)


def reporter_id(item: dict[str, Any]) -> str | None:
    """The user who made a report (``None`` for a held message): the per-reporter cap counts by it."""
    reporter = item.get("reporter")
    if item.get("kind") != "report" or not isinstance(reporter, dict) or not isinstance(reporter.get("id"), str):
        return None
    return str(reporter["id"])


@dataclass(frozen=True, slots=True)
class Envelope:
    """One thing travelling between nodes.

    ``message``: a chat message with its ``seq`` (already in history); ``frame``: any
    frame for the whole room; ``moderators``: a frame for moderators only (held
    messages); ``user``: a frame for ``target`` (room ``None`` = every room);
    ``control``: a persisted control field changed (``data`` = ``{"name", "value"}``);
    ``presence``: a node's connection count for the room.
    """

    kind: EnvelopeKind
    room: str | None
    data: dict[str, Any]
    target: str | None = None
    node: str = ""


@dataclass(frozen=True, slots=True)
class History:
    """Messages after ``since`` (oldest first), the room's last ``seq``, and whether nothing is missing."""

    messages: list[dict[str, Any]]
    last_seq: int
    complete: bool


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """Who did what to whom in which room, and why (standard 4.4.1 b, 4.4.1 f)."""

    room: str
    actor: str
    actor_role: str
    action: str
    target: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    ts: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "room": self.room,
            "actor": self.actor,
            "actor_role": self.actor_role,
            "action": self.action,
            "target": self.target,
            "detail": self.detail,
            "ts": self.ts,
        }


class AuditLog(Protocol):
    """Append-only record of every moderation action."""

    async def record(self, entry: AuditRecord) -> None: ...

    async def recent(self, room: str, limit: int = 100) -> list[AuditRecord]: ...


Deliver = Callable[[Envelope], None]


class RateLimiter(Protocol):
    """A per-user token bucket and slow-mode stamp every node shares (:mod:`chat.ratelimit`)."""

    async def take(self, room: str, user: str, now: float, slow_mode: float = 0.0) -> Verdict:
        """Admit one message of ``user`` in ``room`` (a token spent), or say why not and for how long."""


class Bus(Protocol):
    """Shared chat state. ``deliver`` is called on the event loop for every envelope of a watched room.

    A bus over a store that can fail (Redis) raises :class:`BusUnavailable` from its operations when
    the store errs or times out, never the client library's own errors, so callers catch one type.
    """

    node_id: str
    #: ``None``: rate limits stay in each node's own buckets (one process: the memory bus).
    rate_limiter: RateLimiter | None

    @property
    def audit(self) -> AuditLog: ...

    async def start(self, deliver: Deliver) -> None: ...

    async def close(self) -> None: ...

    async def watch(self, room: str) -> None:
        """Start delivering this room's envelopes to this node."""

    async def unwatch(self, room: str) -> None: ...

    async def append(self, room: str, message: dict[str, Any]) -> dict[str, Any]:
        """Give ``message`` the room's next ``seq``, keep it in history and deliver it everywhere."""

    async def emit(self, envelope: Envelope) -> None:
        """Deliver a transient envelope to every node (not kept in history)."""

    async def history(self, room: str, *, since: int | None, limit: int = 50) -> History:
        """``since=None``: the last ``limit`` messages. Else every message after ``since``, or ``complete=False``."""

    async def remove(self, room: str, message_id: str) -> bool:
        """Remove a message from history; ``False`` if it is not there."""

    async def erase_user(self, user_id: str) -> int:
        """Deletion on request (个人信息保护法 §47, standard 4.4.1 c): everything of ``user_id`` this bus holds.

        Every room's history loses the user's messages, each leaving its ``seq`` as a tombstone
        as :meth:`remove` does (``since=`` recovery stays exact), and each room gets a
        :func:`deleted_frame` per message (clients drop it as after a moderator's delete).
        Review-queue items written by or about the user (held messages, reports) are dropped
        and moderators get ``held_resolved`` with outcome ``erased``. A room's pinned announcement
        the user wrote (as host or moderator; it names them in ``by``) is unpinned: the control
        goes, as :meth:`save_control` with ``None`` does, and the room gets ``pinned`` with no
        announcement. Returns how many history messages, queue items and pins were removed; a
        second call finds nothing.
        """

    async def user_messages(self, user_id: str) -> list[dict[str, Any]]:
        """The user's messages still in any room's history, each with its ``room`` (the copy of
        个人信息保护法 §45), oldest first per room."""

    async def user_held(self, user_id: str) -> list[dict[str, Any]]:
        """Review-queue items by or about the user, each with its ``room`` (the rest of the chat's part
        of the §45 copy): held messages of theirs, reports they made, reports about their messages
        with the reporter left out (another person's identity, :func:`held_copy`)."""

    async def hold(self, room: str, message: dict[str, Any]) -> None:
        """Keep a message (or a report) for review under its ``id``.

        Raises :class:`QueueFull` (nothing stored) when the room already holds ``held_limit`` items
        (:func:`review_queue_full`), or when the item is a report and its reporter already has
        ``reports_per_user`` reports in this room's queue (:func:`too_many_reports`). Both caps are
        constructor arguments of each bus. Storing again under an ``id`` already held replaces the
        item and is never refused. The check and the store are one atomic step on every node.
        """

    async def held(self, room: str) -> list[dict[str, Any]]: ...

    async def take_held(self, room: str, held_id: str) -> dict[str, Any] | None:
        """Remove and return a held message; ``None`` if another moderator took it first."""

    async def load_controls(self, room: str) -> dict[str, str]: ...

    async def save_control(self, room: str, name: str, value: str | None) -> None:
        """Persist one control field (``None`` deletes it) and emit a ``control`` envelope."""


#: The room control holding the pinned announcement (standard 4.3.2), as JSON with its author in ``by``.
PIN_CONTROL = "pin"


def pinned_by(value: str | None, user_id: str) -> bool:
    """A pin control value written by ``user_id`` (a host or moderator whose data is erased, §47)."""
    if not value:
        return False
    try:
        pinned = json.loads(value)
    except ValueError:
        return False
    return isinstance(pinned, dict) and isinstance(pinned.get("by"), dict) and pinned["by"].get("id") == user_id


def unpinned_frame() -> dict[str, Any]:
    """The frame telling a room's clients its pinned announcement is gone (an unpin, an erasure)."""
    return {"type": "pinned", "announcement": None}


def deleted_frame(message_id: str) -> dict[str, Any]:
    """The frame telling a room's clients to drop one message (a moderator's delete, an erasure)."""
    return {"type": "deleted", "id": message_id}


def erased_frame(item: dict[str, Any]) -> dict[str, Any]:
    """For moderators: a review-queue item left the queue because its person's data was erased (§47)."""
    return {"type": "held_resolved", "id": item.get("id"), "kind": item.get("kind"), "approved": False, "outcome": "erased"}


def written_by(message: dict[str, Any], user_id: str) -> bool:
    """A chat message (or held message) whose author is ``user_id``."""
    user = message.get("user")
    return isinstance(user, dict) and user.get("id") == user_id


def concerns(item: dict[str, Any], user_id: str) -> bool:
    """A review-queue item that carries ``user_id``: a held message of theirs, a report by or about them."""
    reporter = item.get("reporter")
    return written_by(item, user_id) or (isinstance(reporter, dict) and reporter.get("id") == user_id)


def held_copy(room: str, item: dict[str, Any], user_id: str) -> dict[str, Any]:
    """A review-queue item as the person's §45 copy shows it: a report about them keeps its text and
    time but not who reported it."""
    copy = {"room": room, **item}
    reporter = copy.get("reporter")
    if isinstance(reporter, dict) and reporter.get("id") != user_id:
        copy.pop("reporter")
    return copy


def create_bus(redis_url: str | None) -> Bus:
    """``RedisBus`` when a Redis URL is set, else ``MemoryBus`` (ARCHITECTURE.md §3)."""
    if redis_url:
        from chat.bus_redis import RedisBus

        return RedisBus(redis_url)
    from chat.bus_memory import MemoryBus

    return MemoryBus()
