"""Ratings and corrective actions, without I/O (standard 6.1 service evaluation, 6.2 service improvement).

Theory of operation. After (or during) a live session, the people who watched it or applied in it rate it,
1–5 with an optional comment that passes the same filter as chat; rating again replaces the earlier rating.
Organisations rate the platform once a month. The review desk turns these and the platform's own records
into quality figures per organisation and host (``governance.quality``) and records corrective actions:
the problem, what is to be done, its owner and follow-up date.

Corrective actions move (action, from) → to:

=========  ===============  ==========
action     from             to
=========  ===============  ==========
done       open             done        (with the outcome)
verify     done             verified    (a second look confirms the outcome)
reopen     done, verified   open
=========  ===============  ==========

An ``open`` action past its follow-up date is *overdue*.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, Literal

from common.errors import Conflict, Invalid, Malformed
from governance.complaints import CHINA, checked_text

MIN_SCORE, MAX_SCORE = 1, 5
MAX_COMMENT = 300
RATING_DAYS: Final = 7  # a session can be rated until this many days after it ended
MAX_PROBLEM, MAX_OUTCOME, MAX_OWNER, MAX_SOURCE = 1000, 1000, 64, 64
DAY_MS: Final = 24 * 3600 * 1000

ActionStatus = Literal["open", "done", "verified"]
ACTION_STATUSES: Final[tuple[ActionStatus, ...]] = ("open", "done", "verified")
Step = Literal["done", "verify", "reopen"]
STEPS: Final[tuple[Step, ...]] = ("done", "verify", "reopen")
ACTION_TRANSITIONS: Final[Mapping[tuple[Step, ActionStatus], ActionStatus]] = {
    ("done", "open"): "done", ("verify", "done"): "verified",
    ("reopen", "done"): "open", ("reopen", "verified"): "open",
}
_MONTH: Final = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
_SOURCE: Final = re.compile(r"(inspection|evaluation:\d{4}-\d{2}|complaint:[\w-]{1,40}|rating:[\w-]{1,40})")
_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class Rating:
    score: int
    comment: str | None


def parse_rating(body: Mapping[str, Any]) -> Rating:
    """``{"score": 1..5, "comment"?}``: an integer score (not a bool, not 4.5) and a usable comment."""
    score = body.get("score")
    if score is None:
        raise Malformed("missing_field", "缺少字段 score")
    if isinstance(score, bool) or not isinstance(score, int) or not MIN_SCORE <= score <= MAX_SCORE:
        raise Invalid("invalid_score", f"评分须为 {MIN_SCORE}-{MAX_SCORE} 的整数")
    comment = body.get("comment")
    if comment is None or (isinstance(comment, str) and not comment.strip()):
        return Rating(score, None)
    return Rating(score, checked_text(comment, "comment", 1, MAX_COMMENT))


def rating_open(state: str, started_at: int | None, ended_at: int | None, now: int) -> None:
    """A session is rated once it has started and until ``RATING_DAYS`` after it ended."""
    if started_at is None or state not in ("live", "ended"):
        raise Conflict("session_not_started", "直播尚未开始，暂不能评价")
    if ended_at is not None and now > ended_at + RATING_DAYS * DAY_MS:
        raise Conflict("rating_closed", f"直播结束超过 {RATING_DAYS} 天，已不能评价")


def parse_month(raw: str) -> str:
    if not _MONTH.fullmatch(raw):
        raise Invalid("invalid_month", "月份须为 YYYY-MM 格式，如 2026-12")
    return raw


def month_of(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=CHINA).strftime("%Y-%m")


def month_window(month: str) -> tuple[int, int]:
    """``[start, end)`` of a calendar month in China time, in ms."""
    year, number = (int(part) for part in parse_month(month).split("-"))
    start = datetime(year, number, 1, tzinfo=CHINA)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=CHINA)
    return int(start.timestamp() * 1000), int(end.timestamp() * 1000)


def previous_month(month: str) -> str:
    start, _ = month_window(month)
    return month_of(start - 1)


@dataclass(frozen=True, slots=True)
class ActionFiling:
    org_id: str | None
    host: str | None
    source: str
    problem: str
    action: str
    owner: str
    follow_up_at: int


def _optional_id(raw: object, field: str) -> str | None:
    if raw is None or raw == "":
        return None
    text = checked_text(raw, field, 1, 64)
    if any(char.isspace() for char in text):
        raise Invalid(f"invalid_{field}", f"{field} 不能含空白字符")
    return text


def follow_up_end(raw: object, now: int) -> int:
    """``YYYY-MM-DD``: the end of that day in China time, not before today."""
    if not isinstance(raw, str):
        raise Malformed("missing_field", "缺少字段 follow_up")
    try:
        day = datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=CHINA) if _DATE.fullmatch(raw) else None
    except ValueError:
        day = None
    if day is None:
        raise Invalid("invalid_follow_up", "跟进日期须为 YYYY-MM-DD 格式的有效日期")
    end = int((day + timedelta(days=1)).timestamp() * 1000) - 1
    if end < now:
        raise Invalid("follow_up_in_past", "跟进日期不能早于今天")
    return end


def parse_action_filing(body: Mapping[str, Any], now: int) -> ActionFiling:
    """``{"problem", "action", "owner", "follow_up": "YYYY-MM-DD", "org_id"?, "host"?, "source"?}``."""
    source = body.get("source") or "inspection"
    if not isinstance(source, str) or not _SOURCE.fullmatch(source):
        raise Invalid("invalid_source", "来源须为 inspection、evaluation:YYYY-MM、complaint:<编号> 或 rating:<编号>")
    return ActionFiling(
        org_id=_optional_id(body.get("org_id"), "org_id"), host=_optional_id(body.get("host"), "host"),
        source=source, problem=checked_text(body.get("problem"), "problem", 2, MAX_PROBLEM),
        action=checked_text(body.get("action"), "action", 2, MAX_PROBLEM),
        owner=checked_text(body.get("owner"), "owner", 1, MAX_OWNER),
        follow_up_at=follow_up_end(body.get("follow_up"), now))


def next_action_status(step: str, status: str) -> ActionStatus:
    if step not in STEPS:
        raise Invalid("invalid_step", f"操作须为 {', '.join(STEPS)} 之一")
    for (name, before), after in ACTION_TRANSITIONS.items():
        if name == step and before == status:
            return after
    raise Conflict("invalid_transition", f"状态为 {status} 的整改措施不能执行 {step}")


def parse_outcome(raw: object) -> str:
    return checked_text(raw, "outcome", 2, MAX_OUTCOME)


def action_overdue(status: str, follow_up_at: int, now: int) -> bool:
    return status == "open" and now > follow_up_at
