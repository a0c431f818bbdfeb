"""The chat's shared-state ports: six small protocols, the values they carry, and their one bundle.

Each port has a memory implementation (:mod:`chat.bus.memory`, one process) and a Redis one
(``chat.bus.redis_*``, many nodes), held to the same contract suite (``tests/chat/test_bus_*.py``),
as centrifuge does with its brokers. Splitting them keeps each promise small enough to state:

=================  ==========================================================================
:class:`Broker`     fan-out between nodes and the room history (``seq``, recovery, deletion)
:class:`ReviewQueue`  held messages and reports waiting for a moderator, capped
:class:`ControlStore`  persisted room controls (slow mode, pin, mutes, bans), announced on change
:class:`AuditLog`   append-only record of moderation actions
:class:`RateLimiter`  the per-user bucket every node shares (``None``: one process, local buckets)
:class:`PersonalData`  a person's copy and erasure across the ports (个人信息保护法 §45/§47)
=================  ==========================================================================

A port over a store that can fail (Redis) raises :class:`BusUnavailable`, never the client
library's errors, so callers catch one type. :func:`chat.bus.factory.create_bus` builds a
:class:`ChatBus` of either kind.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol

from common.errors import Unavailable

if TYPE_CHECKING:
    from chat.buckets import Verdict

EnvelopeKind = Literal["message", "frame", "moderators", "user", "control", "presence", "resume"]
HISTORY_LIMIT: Final = 1000  # messages kept per room for recovery and the welcome frame
#: Review-queue items (held messages and reports) a room keeps at most: moderators cannot work
#: through more, and an unbounded queue lets report frames fill Redis (security review M3).
HELD_LIMIT: Final = 500
#: Reports one user may have waiting in one room's queue; more wait until moderators resolve some.
PENDING_REPORTS_PER_USER: Final = 20
#: The room control holding the pinned announcement (standard 4.3.2), as JSON with its author in ``by``.
PIN_CONTROL: Final = "pin"


class QueueFull(Unavailable):
    """:meth:`ReviewQueue.hold` refused an item: the room's queue is full (``review_queue_full``), or the
    reporter has too many reports waiting (``too_many_reports``). Carries the sender's error frame text."""


def review_queue_full() -> QueueFull:
    return QueueFull("review_queue_full", "审核队列已满，请稍后再试")


def too_many_reports() -> QueueFull:
    return QueueFull("too_many_reports", "你的举报尚待处理，请等管理员处理后再举报")


class BusUnavailable(Unavailable):
    """The shared store (Redis) failed or timed out; the chat answers the sender ``unavailable`` and
    keeps the socket open. Memory ports never raise it."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("unavailable", "聊天服务暂时不可用，请稍后再试", details={"detail": detail} if detail else None)


@dataclass(frozen=True, slots=True)
class Envelope:
    """One thing travelling between nodes.

    ``message``: a chat message with its ``seq`` (already in history); ``frame``: any
    frame for the whole room; ``moderators``: a frame for moderators only (held
    messages); ``user``: a frame for ``target`` (room ``None`` = every room);
    ``control``: a persisted control field changed (``data`` = ``{"name", "value"}``);
    ``presence``: a node's connection count for the room; ``resume``: (this node only, room
    ``None``) the broker's subscription was down and is back, envelopes may have been missed.
    ``epoch``: of a ``message``, the room's history epoch it was stored in (:mod:`chat.recovery`).
    """

    kind: EnvelopeKind
    room: str | None
    data: dict[str, Any]
    target: str | None = None
    node: str = ""
    epoch: str = ""


@dataclass(frozen=True, slots=True)
class History:
    """Messages after ``since`` (oldest first), the room's last ``seq``, whether nothing is missing, and the
    room's history ``epoch`` (a new one when the store lost the history: offsets of another epoch mean nothing)."""

    messages: list[dict[str, Any]]
    last_seq: int
    complete: bool
    epoch: str = ""


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


Deliver = Callable[[Envelope], None]


class Broker(Protocol):
    """Fan-out and history. ``deliver`` is called on the event loop for every envelope of a watched room."""

    node_id: str

    async def start(self, deliver: Deliver) -> None: ...

    async def close(self) -> None: ...

    def subscribed(self) -> bool:
        """Envelopes reach this node now (Redis: the pub/sub subscription is up); ``/readyz`` asks."""

    async def watch(self, room: str) -> None:
        """Start delivering this room's envelopes to this node."""

    async def unwatch(self, room: str) -> None: ...

    async def append(self, room: str, message: dict[str, Any]) -> dict[str, Any]:
        """Give ``message`` the room's next ``seq``, keep it in history and deliver it everywhere. The answer
        is the stored message plus the history's ``epoch`` (not part of what history keeps)."""

    async def emit(self, envelope: Envelope) -> None:
        """Deliver a transient envelope to every node (not kept in history)."""

    async def history(self, room: str, *, since: int | None, limit: int = 50) -> History:
        """``since=None``: the last ``limit`` messages. Else every message after ``since``, or ``complete=False``.
        Either way with the room's ``epoch``; the caller compares it with a client's (``chat.recovery``)."""

    async def remove(self, room: str, message_id: str) -> bool:
        """Remove a message from history, leaving its ``seq`` as a tombstone; ``False`` if it is not there."""


class ReviewQueue(Protocol):
    """Held messages and reports per room, keyed by their ``id``."""

    async def hold(self, room: str, item: dict[str, Any]) -> None:
        """Keep an item for review under its ``id``.

        Raises :class:`QueueFull` (nothing stored) when the room already holds ``held_limit`` items
        (:func:`review_queue_full`), or when the item is a report and its reporter already has
        ``reports_per_user`` reports in this room's queue (:func:`too_many_reports`). Both caps are
        constructor arguments of each queue. Storing again under an ``id`` already held replaces the
        item and is never refused. The check and the store are one atomic step on every node.
        """

    async def held(self, room: str) -> list[dict[str, Any]]:
        """The room's items, oldest (``ts``) first."""

    async def take_held(self, room: str, held_id: str) -> dict[str, Any] | None:
        """Remove and return an item; ``None`` if another moderator took it first."""

    async def rooms(self) -> list[str]:
        """The rooms whose queue holds at least one item (the escalation sweep walks them)."""


class ControlStore(Protocol):
    """Room controls as ``name → value`` strings (``slow_mode``, ``pin``, ``mute:<user>``, ``ban:<user>``)."""

    async def load_controls(self, room: str) -> dict[str, str]: ...

    async def save_control(self, room: str, name: str, value: str | None) -> None:
        """Persist one field (``None`` deletes it) and emit a ``control`` envelope, so every node's cache follows."""


class AuditLog(Protocol):
    """Append-only record of every moderation action."""

    async def record(self, entry: AuditRecord) -> None: ...

    async def recent(self, room: str, limit: int = 100) -> list[AuditRecord]: ...


class RateLimiter(Protocol):
    """A per-user token bucket and slow-mode stamp every node shares (:mod:`chat.bus.redis_ratelimit`)."""

    async def take(self, room: str, user: str, now: float, slow_mode: float = 0.0) -> Verdict:
        """Admit one message of ``user`` in ``room`` (a token spent), or say why not and for how long."""


class PersonalData(Protocol):
    """What the chat holds of one person, across history, the review queue and the pin."""

    async def erase_user(self, user_id: str) -> int:
        """Deletion on request (个人信息保护法 §47, standard 4.4.1 c): everything of ``user_id`` the ports hold.

        Every room's history loses the user's messages, each leaving its ``seq`` as a tombstone
        as :meth:`Broker.remove` does (``since=`` recovery stays exact), and each room gets a
        ``deleted`` frame per message (clients drop it as after a moderator's delete).
        Review-queue items written by or about the user (held messages, reports) are dropped
        and moderators get ``held_resolved`` with outcome ``erased``. A room's pinned announcement
        the user wrote (as host or moderator; it names them in ``by``) is unpinned: the control
        goes, as :meth:`ControlStore.save_control` with ``None`` does, and the room gets ``pinned``
        with no announcement. Returns how many history messages, queue items and pins were removed;
        a second call finds nothing.
        """

    async def user_messages(self, user_id: str) -> list[dict[str, Any]]:
        """The user's messages still in any room's history, each with its ``room`` (the copy of
        个人信息保护法 §45), oldest first per room."""

    async def user_held(self, user_id: str) -> list[dict[str, Any]]:
        """Review-queue items by or about the user, each with its ``room`` (the rest of the chat's part
        of the §45 copy): held messages of theirs, reports they made, reports about their messages
        with the reporter left out (another person's identity, :func:`chat.bus.privacy.held_copy`)."""


@dataclass(frozen=True, slots=True)
class ChatBus:
    """The ports one node uses, built together because they share a store (one Redis client).

    Not a port itself: the chat service and the moderation actions take the ports they need.
    """

    broker: Broker
    review: ReviewQueue
    controls: ControlStore
    audit: AuditLog
    personal: PersonalData
    #: ``None``: rate limits stay in each node's own buckets (one process: exact, and no await per message).
    rate_limiter: RateLimiter | None = None
    #: Releases what the ports share once the broker has stopped (the Redis connection pool).
    release: Callable[[], Awaitable[None]] | None = None

    @property
    def node_id(self) -> str:
        return self.broker.node_id

    async def start(self, deliver: Deliver) -> None:
        await self.broker.start(deliver)

    async def close(self) -> None:
        await self.broker.close()
        if self.release is not None:
            await self.release()
