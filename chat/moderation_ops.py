"""Moderation actions shared by websocket commands and the REST API, each one audited.

Held messages and reports share one review queue (standard 4.4.1 e: complaints and
reports; 5.1.3 d: prohibited behaviour). For a held *message*, approve publishes it
and reject drops it. For a *report*, approve upholds the report and removes the
reported message from the room and from history; reject dismisses the report.

The queue is capped (per room, and per reporter for reports: :meth:`chat.bus.ports.ReviewQueue.hold`).
Its refusal (:class:`~chat.bus.ports.QueueFull`) leaves :meth:`ModerationOps.hold` and
:meth:`ModerationOps.report` for the service, which answers the sender with an ``error`` frame
(``review_queue_full``, ``too_many_reports``), never an exception out of the socket's receive loop.

The actions take only the ports they use (broker, review queue, controls, audit) and a clock,
not the chat service, so this module and :mod:`chat.service` do not import each other.

Every action by a person (delete, mute, ban, slow mode, pin, review decisions) is also noted in the
platform's service ledger (standard 4.4.1 f, :class:`chat.ports.ServiceLedger`): the actor and any person
targeted as pseudonyms, the room, the message or queue item, the reason; never names or message texts.
A report its room's moderators leave unsettled for ``escalate_after`` seconds (:meth:`ModerationOps.escalate_due`,
run periodically by the service), or that its reporter escalates (the ``escalate`` frame), leaves the room's
queue and becomes a complaint in the platform's queue (4.4.1 e, :class:`chat.ports.ComplaintDesk`), which
the room's organisation never handles.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from chat.bus.ports import (
    PIN_CONTROL,
    AuditLog,
    AuditRecord,
    Broker,
    ControlStore,
    Envelope,
    EnvelopeKind,
    ReviewQueue,
)
from chat.frames import BanIn, DeleteIn, EscalateIn, MuteIn, PinIn, ReviewIn, SlowModeIn, deleted_frame
from chat.ports import ComplaintDesk, ReviewLabels, ServiceLedger
from chat.protocol import Report, user_of
from common.clock import Clock
from common.errors import NotFound
from common.frames import error_frame_of
from identity.principal import Principal

log = logging.getLogger(__name__)
REPORT_LOOKBACK = 200
DAY_S = 24 * 3600
#: Audited actions that are also service-ledger entries (``chat.<action>``): a person's moderation decisions.
LEDGERED = frozenset({"delete", "mute", "unmute", "ban", "unban", "slow_mode", "pin", "unpin", "approve", "reject",
                      "escalate"})
_ON_PEOPLE = frozenset({"mute", "unmute", "ban", "unban"})
_FACTS = ("reason", "duration", "seconds", "outcome", "kind", "message_id", "complaint", "why")


class OpError(NotFound):
    """A moderation action whose target is gone (``not_found``): an ``error`` frame on a socket, 404 over REST."""


class Caller(Protocol):
    """The socket a command came from (``chat.service.Connection``)."""

    @property
    def room(self) -> str: ...

    @property
    def principal(self) -> Principal: ...

    def reply(self, frame: Mapping[str, Any]) -> None: ...


class ModerationOps:
    def __init__(self, *, broker: Broker, review: ReviewQueue, controls: ControlStore, audit: AuditLog, clock: Clock,
                 ledger: ServiceLedger | None = None, complaints: ComplaintDesk | None = None,
                 escalate_after: float = DAY_S, labels: ReviewLabels | None = None) -> None:
        """``ledger`` (None: not noted), ``complaints`` (None: reports never escalate) and ``labels`` (None:
        decisions not kept as examples) are the platform's."""
        self.labels = labels
        self._broker = broker
        self._review = review
        self._controls = controls
        self._audit_log = audit
        self._clock = clock
        self._ledger = ledger
        self.complaints = complaints
        self.escalate_after = escalate_after
        self.on_deleted: Callable[[str, str], None] | None = None  # (room, message id), on the deleting node

    async def _emit(self, kind: EnvelopeKind, room: str, frame: dict[str, Any], target: str | None = None) -> None:
        await self._broker.emit(Envelope(kind, room, frame, target=target, node=self._broker.node_id))

    async def _audit(self, room: str, actor: Principal | None, action: str, target: str | None, **detail: Any) -> None:
        await self._audit_log.record(
            AuditRecord(
                room=room,
                actor=actor.user_id if actor else "system",
                actor_role=actor.role if actor else "system",
                action=action,
                target=target,
                detail=detail,
                ts=self._clock.now(),
            )
        )
        if self._ledger is not None and action in LEDGERED:
            self._note(self._ledger, room, actor, action, target, detail)

    @staticmethod
    def _note(ledger: ServiceLedger, room: str, actor: Principal | None, action: str, target: str | None,
              detail: Mapping[str, Any]) -> None:
        """The action as a ledger entry: people as pseudonyms; an announcement as its sha256, not its text."""
        person = ledger.person
        body: dict[str, Any] = {"room": room, "action": action, "by": person(actor.user_id) if actor else "system",
                                "role": actor.role if actor else "system"}
        if target is not None:
            body["user" if action in _ON_PEOPLE else "target"] = person(target) if action in _ON_PEOPLE else target
        body.update((name, detail[name]) for name in _FACTS if detail.get(name) not in (None, ""))
        if detail.get("user"):
            body["author"] = person(str(detail["user"]))
        if detail.get("reporter"):
            body["reporter"] = person(str(detail["reporter"]))
        if detail.get("text"):
            body["text_sha256"] = hashlib.sha256(str(detail["text"]).encode()).hexdigest()
        ledger.note(f"chat.{action}", f"room:{room}", body)

    async def hold(self, room: str, item: dict[str, Any], actor: Principal | None = None) -> None:
        """Queue ``item`` for review and tell the moderators; raises :class:`QueueFull` when the queue refuses it."""
        await self._review.hold(room, item)
        await self._emit("moderators", room, {"type": "held", "item": item})
        await self._audit(room, actor, "hold" if item.get("kind") == "message" else "report", item["id"],
                          categories=item.get("categories", []), user=(item.get("user") or {}).get("id"))  # None: a report of a message no longer in history

    async def report(self, caller: Caller, event: Report) -> None:
        """A user's report enters the review queue; raises :class:`QueueFull` when the queue refuses it."""
        room = caller.room
        recent = await self._broker.history(room, since=None, limit=REPORT_LOOKBACK)
        reported = next((m for m in recent.messages if m.get("id") == event.message_id), None)
        item = {
            "id": "r" + uuid.uuid4().hex[:16],
            "kind": "report",
            "message_id": event.message_id,
            "reason": event.reason,
            "reporter": user_of(caller.principal),
            "user": reported["user"] if reported else None,
            "text": reported["text"] if reported else None,
            "ts": int(self._clock.now() * 1000),
        }
        await self.hold(room, item, caller.principal)
        caller.reply({"type": "ok", "ref": event.ref, "action": "report", "id": item["id"]})

    async def command(self, caller: Caller, frame: DeleteIn | MuteIn | BanIn | SlowModeIn | PinIn | ReviewIn) -> None:
        room, actor = caller.room, caller.principal
        try:
            if isinstance(frame, DeleteIn):
                await self.delete(room, frame.message_id, actor)
            elif isinstance(frame, MuteIn):
                await self.mute(room, frame.user_id, frame.duration, frame.reason, actor)
            elif isinstance(frame, BanIn):
                await self.ban(room, frame.user_id, frame.reason, actor, lift=frame.lift)
            elif isinstance(frame, SlowModeIn):
                await self.slow_mode(room, frame.seconds, actor)
            elif isinstance(frame, PinIn):
                await self.pin(room, frame.text, actor)
            else:
                await self.review(room, frame.held_id, frame.approve, actor, frame.category)
        except OpError as exc:
            caller.reply(error_frame_of(exc, frame.ref))
            return
        caller.reply({"type": "ok", "ref": frame.ref, "action": type(frame).__name__.removesuffix("In").lower()})

    async def delete(self, room: str, message_id: str, actor: Principal) -> None:
        """Removed for everyone now and from history, so no reconnect brings it back."""
        if not await self._broker.remove(room, message_id):
            raise OpError("not_found", "消息不存在或已被删除")
        await self._emit("frame", room, deleted_frame(message_id))
        if self.on_deleted is not None:  # copies kept elsewhere (a replay's chat) go too
            self.on_deleted(room, message_id)
        await self._audit(room, actor, "delete", message_id)

    async def mute(self, room: str, user_id: str, duration: int, reason: str, actor: Principal) -> None:
        until = self._clock.now() + duration if duration else None
        await self._controls.save_control(room, f"mute:{user_id}", None if until is None else repr(until))
        frame = {"type": "muted", "room": room, "until": None if until is None else int(until * 1000), "reason": reason}
        await self._emit("user", room, frame, target=user_id)
        await self._audit(room, actor, "mute" if duration else "unmute", user_id, duration=duration, reason=reason)

    async def ban(self, room: str, user_id: str, reason: str, actor: Principal, *, lift: bool = False) -> None:
        await self._controls.save_control(room, f"ban:{user_id}", None if lift else (reason or "1"))
        await self._emit("user", room, {"type": "banned", "room": room, "banned": not lift, "reason": reason}, target=user_id)
        await self._audit(room, actor, "unban" if lift else "ban", user_id, reason=reason)

    async def slow_mode(self, room: str, seconds: int, actor: Principal) -> None:
        await self._controls.save_control(room, "slow_mode", str(seconds) if seconds else None)
        await self._emit("frame", room, {"type": "slow_mode", "seconds": seconds})
        await self._audit(room, actor, "slow_mode", None, seconds=seconds)

    async def pin(self, room: str, text: str | None, actor: Principal) -> None:
        """A pinned announcement (standard 4.3.2); the text was moderated by the protocol core."""
        pinned = None if text is None else {"text": text, "by": user_of(actor), "ts": int(self._clock.now() * 1000)}
        await self._controls.save_control(room, PIN_CONTROL, None if pinned is None else json.dumps(pinned, ensure_ascii=False))
        await self._emit("frame", room, {"type": "pinned", "announcement": pinned})
        await self._audit(room, actor, "pin" if text else "unpin", None, text=text)

    async def review(self, room: str, held_id: str, approve: bool, actor: Principal,
                     category: str | None = None) -> dict[str, Any]:
        """Resolve one queue item; the result names what happened (``published``, ``dropped``...). A held
        message's decision is also a labelled example for the filter (``labels``; a rejection's category:
        ``category``, else the filter's first)."""
        item = await self._review.take_held(room, held_id)
        if item is None:
            raise OpError("not_found", "该条目不存在或已被处理")
        result: dict[str, Any] = {"id": held_id, "kind": item.get("kind"), "approved": approve}
        if item.get("kind") == "report":
            if approve and item.get("message_id"):
                removed = await self._broker.remove(room, str(item["message_id"]))
                if removed:
                    await self._emit("frame", room, deleted_frame(str(item["message_id"])))
                result["outcome"] = "message_removed" if removed else "message_gone"
            else:
                result["outcome"] = "dismissed"
        elif approve:
            message = {"type": "chat", "user": item["user"], "text": item["text"], "ts": item["ts"]}
            stored = await self._broker.append(room, message)
            result.update(outcome="published", message_id=stored["id"], seq=stored["seq"])
        else:
            result["outcome"] = "dropped"
        if item.get("kind") == "message" and self.labels is not None:
            await self._label(room, item, approve, category, actor)
        await self._emit("moderators", room, {"type": "held_resolved", **result})
        await self._audit(room, actor, "approve" if approve else "reject", held_id, outcome=result["outcome"],
                          kind=item.get("kind"), message_id=item.get("message_id"),
                          user=(item.get("user") or {}).get("id"), reporter=(item.get("reporter") or {}).get("id"))
        return result

    async def _label(self, room: str, item: dict[str, Any], approve: bool, category: str | None,
                     actor: Principal) -> None:
        assert self.labels is not None
        chosen = None if approve else category or next(iter(item.get("categories") or ()), None)
        try:
            await self.labels.add(room, str(item.get("text") or ""), str((item.get("user") or {}).get("role") or
                                                                         "viewer"), approve, chosen, actor.user_id)
        except Exception:  # an example lost is not a decision lost: the review stands
            log.exception("chat %s: the decision on %s was not kept as an example", room, item.get("id"))

    # ---- reports the room does not settle: the platform's complaint queue (4.4.1 e) ----------------

    async def escalate_report(self, caller: Caller, frame: EscalateIn) -> None:
        """The ``escalate`` frame: only the report's own reporter, only while it waits in the queue."""
        item = next((i for i in await self._review.held(caller.room) if i.get("id") == frame.report_id), None)
        if item is None or item.get("kind") != "report" \
                or (item.get("reporter") or {}).get("id") != caller.principal.user_id:
            caller.reply(error_frame_of(OpError("not_found", "没有你的这条待处理举报（可能已被处理）"), frame.ref))
            return
        if self.complaints is None:
            caller.reply(error_frame_of(OpError("not_available", "平台投诉暂不可用"), frame.ref))
            return
        try:
            complaint = await self.escalate(caller.room, item, "reporter", caller.principal)
        except Exception:  # the store: the report stays in the room's queue and the socket stays open
            log.exception("chat %s: report %s could not be escalated", caller.room, frame.report_id)
            caller.reply(error_frame_of(OpError("unavailable", "暂时无法提交平台，请稍后再试"), frame.ref))
            return
        if complaint is None:
            caller.reply(error_frame_of(OpError("not_found", "该举报刚被处理"), frame.ref))
            return
        caller.reply({"type": "ok", "ref": frame.ref, "action": "escalate", "id": frame.report_id,
                      "complaint": complaint})

    async def escalate_due(self) -> int:
        """Reports older than ``escalate_after`` seconds, in every room's queue, become complaints; returns
        how many (run every few minutes on every node: :meth:`ReviewQueue.take_held` lets one node win each)."""
        if self.complaints is None:
            return 0
        cutoff = int((self._clock.now() - self.escalate_after) * 1000)
        done = 0
        for room in await self._review.rooms():
            for item in await self._review.held(room):
                if item.get("kind") == "report" and int(item.get("ts") or 0) <= cutoff:
                    try:
                        done += await self.escalate(room, item, "timeout") is not None
                    except Exception:
                        log.exception("chat %s: report %s could not be escalated", room, item.get("id"))
        return done

    async def escalate(self, room: str, item: dict[str, Any], why: str,
                       actor: Principal | None = None) -> dict[str, Any] | None:
        """Takes the report out of the room's queue and files it as a complaint (back in the queue if filing
        fails); None when a moderator or another node took it first. The reporter is told, with the link."""
        assert self.complaints is not None
        if await self._review.take_held(room, str(item["id"])) is None:
            return None
        reporter = str((item.get("reporter") or {}).get("id") or "")
        try:
            complaint = await self.complaints.escalate(room, str(item.get("message_id") or "-"), reporter,
                                                       str(item.get("reason") or ""), item.get("text"), why)
        except BaseException:
            await self._review.hold(room, item)
            raise
        await self._emit("moderators", room, {"type": "held_resolved", "id": item["id"], "kind": "report",
                                              "approved": False, "outcome": "escalated"})
        await self._emit("user", room, {"type": "report_escalated", "room": room, "report_id": item["id"],
                                        "complaint": complaint}, target=reporter)
        await self._audit(room, actor, "escalate", str(item["id"]), why=why, complaint=complaint["id"],
                          message_id=item.get("message_id"), user=(item.get("user") or {}).get("id"),
                          reporter=reporter)
        return complaint

