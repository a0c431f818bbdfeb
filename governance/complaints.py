"""Complaints and reports, without I/O (standard 4.4.1 e; 人力资源市场暂行条例 §29).

Theory of operation. Anyone, signed in or not, files a complaint against a room, job, organisation,
message, call or replay (or "other"). It is ``received`` with a deadline of N working days (settings,
default 5; Saturdays and Sundays skipped, China time; public holidays are not known here). Platform staff
handle it: ``assign`` (→ ``in_progress``), ``answer`` with a reply (→ ``answered``), ``close``. A complaint
not answered or closed by its deadline is *overdue*. Organisations never see or handle complaints, so a
complaint against an organisation is never handled by it. The complainant follows it through an
unguessable link that shows the status and the reply only.

Transitions (action, from) → to:

=========  ================================  ==============
action     from                              to
=========  ================================  ==============
assign     received, in_progress             in_progress
answer     received, in_progress             answered
close      received, in_progress, answered   closed
=========  ================================  ==============
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Final, Literal

from common.clean_text import INVALID_TEXT_MESSAGE, unusable
from common.errors import Conflict, Invalid, Malformed

TargetType = Literal["room", "job", "org", "message", "call", "replay", "interview", "other"]
TARGET_TYPES: Final[tuple[TargetType, ...]] = ("room", "job", "org", "message", "call", "replay", "interview", "other")
Status = Literal["received", "in_progress", "answered", "closed"]
STATUSES: Final[tuple[Status, ...]] = ("received", "in_progress", "answered", "closed")
Action = Literal["assign", "answer", "close"]
ACTIONS: Final[tuple[Action, ...]] = ("assign", "answer", "close")
TRANSITIONS: Final[Mapping[tuple[Action, Status], Status]] = {
    ("assign", "received"): "in_progress", ("assign", "in_progress"): "in_progress",
    ("answer", "received"): "answered", ("answer", "in_progress"): "answered",
    ("close", "received"): "closed", ("close", "in_progress"): "closed", ("close", "answered"): "closed",
}
OPEN_STATUSES: Final = ("received", "in_progress")
CHINA: Final = timezone(timedelta(hours=8))
MIN_TEXT, MAX_TEXT, MAX_REPLY, MAX_CONTACT, MAX_TARGET = 5, 2000, 2000, 100, 128
MASK: Final = "＊"
_TARGET_ID: Final = re.compile(r"[^\s]{1,128}")


def deadline_after(filed_ms: int, working_days: int, zone: timezone = CHINA) -> int:
    """The end (23:59:59.999 local time) of the ``working_days``-th working day after the filing day."""
    day = datetime.fromtimestamp(filed_ms / 1000, tz=zone).date()
    left = working_days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    end = datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(days=1)
    return int(end.timestamp() * 1000) - 1


def is_overdue(status: str, deadline: int, now: int) -> bool:
    return status in OPEN_STATUSES and now > deadline


def next_status(action: str, status: str) -> Status:
    if action not in ACTIONS:
        raise Invalid("invalid_action", f"操作须为 {', '.join(ACTIONS)} 之一")
    for (name, before), after in TRANSITIONS.items():
        if name == action and before == status:
            return after
    raise Conflict("invalid_transition", f"状态为 {status} 的投诉不能执行 {action}")


def checked_text(raw: object, field: str, low: int, high: int) -> str:
    if not isinstance(raw, str):
        raise Malformed("missing_field", f"缺少字段 {field}")
    text = raw.strip()
    if unusable(text):
        raise Invalid("invalid_text", INVALID_TEXT_MESSAGE)
    if not low <= len(text) <= high:
        raise Invalid(f"invalid_{field}", f"{field} 须为 {low}-{high} 个字符")
    return text


@dataclass(frozen=True, slots=True)
class Filing:
    target_type: TargetType
    target_id: str
    text: str
    contact: str | None


def parse_filing(body: Mapping[str, Any]) -> Filing:
    """``{"target_type", "target_id", "text", "contact"?}`` checked (types, lengths, usable text)."""
    target_type = body.get("target_type")
    if target_type not in TARGET_TYPES:
        raise Invalid("invalid_target_type", f"投诉对象类型须为 {', '.join(TARGET_TYPES)} 之一")
    target_id = checked_text(body.get("target_id", "-" if target_type == "other" else None), "target_id", 1, MAX_TARGET)
    if not _TARGET_ID.fullmatch(target_id):
        raise Invalid("invalid_target_id", "投诉对象编号不能含空白字符")
    text = checked_text(body.get("text"), "text", MIN_TEXT, MAX_TEXT)
    contact = body.get("contact")
    contact = None if contact is None or contact == "" else checked_text(contact, "contact", 1, MAX_CONTACT)
    return Filing(target_type, target_id, text, contact)


def parse_reply(raw: object) -> str:
    return checked_text(raw, "reply", 1, MAX_REPLY)


def mask_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with each ``[start, end)`` span replaced by ``＊`` (personal data the filter found)."""
    chars = list(text)
    for start, end in spans:
        for index in range(max(0, start), min(len(chars), end)):
            if not chars[index].isspace():
                chars[index] = MASK
    return "".join(chars)


@dataclass(frozen=True, slots=True)
class Complaint:
    id: str
    target_type: str
    target_id: str
    target_org: str | None
    text: str
    status: str
    assignee: str | None
    reply: str | None
    created_at: int
    deadline: int
    answered_at: int | None
    closed_at: int | None

    def overdue(self, now: int) -> bool:
        return is_overdue(self.status, self.deadline, now)

    def public_json(self, now: int) -> dict[str, Any]:
        """What the complainant's link shows: status and the reply, nothing else (no staff, no text)."""
        return {"status": self.status, "deadline": iso(self.deadline), "overdue": self.overdue(now),
                "reply": self.reply, "answered_at": None if self.answered_at is None else iso(self.answered_at)}

    def review_json(self, now: int, contact: str | None) -> dict[str, Any]:
        return {"id": self.id, "target_type": self.target_type, "target_id": self.target_id,
                "target_org": self.target_org, "text": self.text, "contact": contact, "status": self.status,
                "assignee": self.assignee, "reply": self.reply, "created_at": iso(self.created_at),
                "deadline": iso(self.deadline), "overdue": self.overdue(now),
                "answered_at": None if self.answered_at is None else iso(self.answered_at),
                "closed_at": None if self.closed_at is None else iso(self.closed_at)}


def iso(at_ms: int) -> str:
    """China time, as the platform's users read it."""
    return datetime.fromtimestamp(at_ms / 1000, tz=UTC).astimezone(CHINA).isoformat(timespec="seconds")
