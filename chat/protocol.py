"""The chat protocol core for one connection: frames in, events out, no I/O.

Theory of operation (after h11 / python-websockets): the adapter feeds every
websocket message to :meth:`ChatSession.receive` and carries out the events it
returns, in order:

==============  =====================================================================
``Reply``       write this frame to this connection only (errors, moderation, pong)
``Publish``     append the message to history and deliver it to the room (allowed/masked)
``Hold``        keep the message in the review queue; moderators see it, no one else
``Report``      a user reports a message (after ban, mute and the report bucket): it enters the same review queue
``Escalate``    the reporter sends a waiting report of theirs to the platform's complaint queue (4.4.1 e)
``Command``     an authorised host/moderator command (delete, mute, ban, slow mode, pin, review)
``Extension``   a frame type registered by another area (``apply``, ``pin_job``...)
``Admit``       (shared rate limits only) ask the bus's limiter, then pass its answer
                to :meth:`ChatSession.admit`, which returns the rest of the events
==============  =====================================================================

Nothing the client sends can raise out of ``receive``: bad input becomes an
``error`` frame with the client's ``ref`` and the connection stays open (standard
4.4.1 a). Every chat message passes the moderator before anyone else sees it
(standard 5.1.3 d; 4.4.1 c: personal data masked).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from chat.buckets import Verdict
from chat.controls import Refusal, RoomControls, rate_refusal, slow_refusal
from chat.frames import (
    BanIn,
    ChatIn,
    ClientFrame,
    DeleteIn,
    EscalateIn,
    ExtensionIn,
    FrameError,
    MuteIn,
    PingIn,
    PinIn,
    ReportIn,
    ReviewIn,
    SlowModeIn,
    decode_client,
    parse_client,
)
from common.frames import error_frame
from identity.policy import RoomFacts, chat_permissions
from identity.principal import Principal
from moderation.decision import Decision

log = logging.getLogger(__name__)


class Moderates(Protocol):
    """What the chat needs of ``moderation.engine.Moderator``."""

    def moderate(self, text: str, *, role: str = ..., context: str = ..., org: str | None = ...) -> Decision: ...


@dataclass(frozen=True, slots=True)
class Reply:
    frame: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Publish:
    message: dict[str, Any]
    ref: str | None = None
    action: str = "allow"  # or "mask": the text was masked


@dataclass(frozen=True, slots=True)
class Hold:
    item: dict[str, Any]
    ref: str | None = None  # the sender's, for an error frame if the review queue refuses the item


#: A user's report needs nothing beyond the parsed frame, so the frame itself is the event.
Report = ReportIn
#: Likewise the reporter's escalation of a report to the platform's complaint queue (4.4.1 e).
Escalate = EscalateIn


@dataclass(frozen=True, slots=True)
class Command:
    frame: DeleteIn | MuteIn | BanIn | SlowModeIn | PinIn | ReviewIn


@dataclass(frozen=True, slots=True)
class Extension:
    frame: ExtensionIn


@dataclass(frozen=True, slots=True)
class Admit:
    """A chat message that passed ban, mute and this node's slow-mode check; the shared limiter
    decides the rest (rate limit, and slow mode across nodes: ``slow_mode`` seconds, 0 = off)."""

    frame: ChatIn
    user: str
    now: float
    slow_mode: float = 0.0


Event = Reply | Publish | Hold | Report | Escalate | Command | Extension | Admit

#: The name of each built-in frame in the policy's chat command table (``identity.policy.CHAT_COMMANDS``).
_COMMAND: dict[type, str] = {ChatIn: "chat", ReportIn: "report", EscalateIn: "escalate", DeleteIn: "delete", MuteIn: "mute", BanIn: "ban",
                             SlowModeIn: "slow_mode", PinIn: "pin", ReviewIn: "review"}


@dataclass(slots=True)
class Counters:
    """Tallies of chat outcomes: the service gives every session of a room the room's one object."""

    received: int = 0
    published: int = 0
    masked: int = 0
    held: int = 0
    blocked: int = 0
    refused: int = 0
    errors: int = 0
    by_code: dict[str, int] = field(default_factory=dict)


def user_of(principal: Principal) -> dict[str, Any]:
    return {"id": principal.user_id, "name": principal.name or principal.user_id, "role": principal.role}


class ChatSession:
    """One connection's protocol state; ``controls`` is the room's shared (per-node) state."""

    def __init__(
        self,
        room: str,
        principal: Principal,
        *,
        moderator: Moderates,
        controls: RoomControls,
        extensions: frozenset[str] = frozenset(),
        clock: Callable[[], float] = time.time,
        counters: Counters | None = None,
        room_facts: RoomFacts | None = None,
    ) -> None:
        """``counters``: tallies to add to, e.g. one object shared by every session of a room, so the
        room's totals are read in O(1) instead of summed over its sockets; by default the session's own.
        ``room_facts``: the room's organisation and visibility, from which the policy's chat command table
        (``identity.policy.CHAT_COMMANDS``) decides what this caller may send (default: a public room of no
        organisation)."""
        self.room = room
        self.principal = principal
        self.permissions = chat_permissions(principal, room_facts or RoomFacts(room, None, "public"))
        self.is_moderator = "delete" in self.permissions
        self.counters = counters if counters is not None else Counters()
        self._moderator = moderator
        self._controls = controls
        self._extensions = extensions
        self._clock = clock

    def receive(self, data: str | bytes) -> list[Event]:
        self.counters.received += 1
        try:
            frame = parse_client(decode_client(data), self._extensions)
            return self._handle(frame)
        except FrameError as exc:
            return [self._error(exc.code, exc.message, exc.ref)]

    def _error(self, code: str, message: str, ref: str | None, **extra: Any) -> Reply:
        self.counters.errors += 1
        self.counters.by_code[code] = self.counters.by_code.get(code, 0) + 1
        log.info("chat %s: refused a frame from %s: %s", self.room, self.principal.user_id, code)
        return Reply({**error_frame(code, message, ref), **extra})

    def _handle(self, frame: ClientFrame) -> list[Event]:
        if isinstance(frame, PingIn):
            return [Reply({"type": "pong", "ref": frame.ref})]
        if isinstance(frame, ExtensionIn):
            if frame.type not in self.permissions and not self.principal.anonymous:
                return [self._error("forbidden", "你没有权限执行此操作", frame.ref)]
            return [Extension(frame)]  # anonymous callers get the handler's own "sign in first" answer
        if self.principal.anonymous:
            return [self._error("auth_required", "请先登录再发言", frame.ref)]
        if isinstance(frame, ChatIn | ReportIn | EscalateIn) and _COMMAND[type(frame)] not in self.permissions:
            return [self._error("forbidden", "你没有权限在这个直播间发言", frame.ref)]
        if isinstance(frame, EscalateIn):
            return [frame]
        if isinstance(frame, ChatIn):
            return self._chat(frame)
        if isinstance(frame, ReportIn):
            refusal = self._controls.check_report(self.principal, self._clock())
            return [frame] if refusal is None else [self._refused(refusal, frame.ref)]
        if _COMMAND[type(frame)] not in self.permissions:
            return [self._error("forbidden", "只有主播和管理员可以执行此操作", frame.ref)]
        if isinstance(frame, PinIn) and frame.text is not None:
            decision = self._moderator.moderate(frame.text, role=self.principal.role, context="chat", org=self.principal.org)
            if decision.action in ("block", "review"):
                return [Reply(self._moderation_frame(decision, frame.ref))]
            frame = PinIn(decision.text, frame.ref)
        return [Command(frame)]

    def _chat(self, frame: ChatIn) -> list[Event]:
        now = self._clock()
        refusal = self._controls.check(self.principal, now, moderator=self.is_moderator)
        if refusal is not None:
            return [self._refused(refusal, frame.ref)]
        if self._controls.shared_rate and not self.is_moderator:
            return [Admit(frame, self.principal.user_id, now, self._controls.slow_mode)]
        return self._moderated(frame)

    def admit(self, admit: Admit, verdict: Verdict) -> list[Event]:
        """The shared limiter's answer to ``admit``: a refusal, or (admitted) moderation's events."""
        if verdict.code == "slow_mode":
            return [self._refused(slow_refusal(verdict.wait), admit.frame.ref)]
        if verdict.code:
            return [self._refused(rate_refusal(verdict.wait), admit.frame.ref)]
        self._controls.sent(admit.user, admit.now)
        return self._moderated(admit.frame)

    def _refused(self, refusal: Refusal, ref: str | None) -> Reply:
        self.counters.refused += 1
        return self._error(refusal.code, refusal.message, ref, retry_after=round(refusal.retry_after, 1))

    def _moderated(self, frame: ChatIn) -> list[Event]:
        decision = self._moderator.moderate(frame.text, role=self.principal.role, context="chat", org=self.principal.org)
        message = {
            "type": "chat",
            "user": user_of(self.principal),
            "text": decision.text,
            "ts": int(self._clock() * 1000),
        }
        if decision.action == "allow":
            self.counters.published += 1
            return [Publish(message, frame.ref)]
        if decision.action == "mask":
            self.counters.masked += 1
            return [Publish(message, frame.ref, "mask"), Reply(self._moderation_frame(decision, frame.ref))]
        if decision.action == "review":
            self.counters.held += 1
            item = {
                **message,
                "id": "h" + uuid.uuid4().hex[:16],
                "kind": "message",
                "text": frame.text,
                "categories": list(decision.categories),
                "reason": decision.message,
            }
            return [Hold(item, frame.ref), Reply(self._moderation_frame(decision, frame.ref))]
        self.counters.blocked += 1
        return [Reply(self._moderation_frame(decision, frame.ref))]

    @staticmethod
    def _moderation_frame(decision: Decision, ref: str | None) -> dict[str, Any]:
        message = decision.message or {
            "mask": "消息中的敏感信息已被隐藏后发送。",
            "review": "消息需要审核，通过后才会显示给其他人。",
            "block": "消息包含不允许的内容，未发送。",
        }.get(decision.action, "")
        return {
            "type": "moderation",
            "ref": ref,
            "action": decision.action,
            "categories": list(decision.categories),
            "message": message,
            "text": decision.text,
        }
