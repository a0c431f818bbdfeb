"""Quality figures per organisation and host, and the monthly evaluation report, without I/O (standard 6.1).

The store layer loads one month's facts (``MonthFacts``); the functions here count them. Attribution: a
session belongs to its organisation and host; a complaint about a room or one of its messages, and an
application made in a room, belong to the host of that room's latest session started at or before them
(sessions from the week before the month are loaded for this). Complaints about a job or an organisation
count for the organisation only.

Figures (each ``None`` where its denominator is zero):

- ``blocked_rate``: blocked chat messages / (published + blocked) of the month's sessions;
- ``complaints_per_1000_viewers``: complaints filed in the month / distinct viewers of its sessions × 1000;
- ``first_response_median_s`` / ``_p90_s``: from an application to the first action of the organisation on
  it (read, status change, assignment, note); ``unanswered``: applications without one;
- ``satisfaction``: the mean session rating, with ``ratings`` votes.

An organisation or host needs attention when one figure crosses a line of ``ATTENTION``; the reasons are
listed so a reviewer can record a corrective action (6.2).
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final


@dataclass(frozen=True, slots=True)
class SessionFact:
    id: str
    room: str
    org: str
    host: str
    started_at: int
    viewers: int
    messages: int
    blocked: int
    in_month: bool = True


@dataclass(frozen=True, slots=True)
class ComplaintFact:
    created_at: int
    target_type: str
    room: str | None  # the room of a room or message complaint
    org: str | None
    deadline_at: int
    answered_at: int | None  # answered or closed


@dataclass(frozen=True, slots=True)
class ApplicationFact:
    org: str
    room: str | None
    created_at: int
    first_response_at: int | None


@dataclass(frozen=True, slots=True)
class RatingFact:
    org: str | None
    host: str | None
    score: int


@dataclass(frozen=True, slots=True)
class MonthFacts:
    month: str
    sessions: tuple[SessionFact, ...]
    complaints: tuple[ComplaintFact, ...]
    applications: tuple[ApplicationFact, ...]
    session_ratings: tuple[RatingFact, ...]
    platform_ratings: tuple[int, ...] = ()
    org_names: Mapping[str, str] = field(default_factory=dict)


#: figure → (direction, line): "above" needs attention when the figure exceeds the line, "below" under it.
ATTENTION: Final[Mapping[str, tuple[str, float]]] = {
    "blocked_rate": ("above", 0.05),
    "complaints_per_1000_viewers": ("above", 10.0),
    "first_response_median_s": ("above", 2 * 24 * 3600.0),
    "satisfaction": ("below", 3.0),
}


@dataclass(slots=True)
class _Tally:
    sessions: int = 0
    viewers: int = 0
    messages: int = 0
    blocked: int = 0
    complaints: int = 0
    applications: int = 0
    waits: list[int] = field(default_factory=list)
    unanswered: int = 0
    scores: list[int] = field(default_factory=list)


def _ratio(part: float, whole: float, scale: float = 1.0) -> float | None:
    return None if whole <= 0 else round(part * scale / whole, 4)


def _percentile(values: list[int], share: float) -> float | None:
    """Nearest-rank percentile, in seconds."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(share * len(ordered)) - 1)] / 1000, 1)


def attention(figures: Mapping[str, Any]) -> list[str]:
    """The figures that cross their line, as ``name`` (for a corrective action's problem)."""
    found = []
    for name, (direction, line) in ATTENTION.items():
        value = figures.get(name)
        if value is not None and (value > line if direction == "above" else value < line):
            found.append(name)
    return found


def _figures(tally: _Tally) -> dict[str, Any]:
    figures: dict[str, Any] = {
        "sessions": tally.sessions, "viewers": tally.viewers, "messages": tally.messages, "blocked": tally.blocked,
        "blocked_rate": _ratio(tally.blocked, tally.messages + tally.blocked),
        "complaints": tally.complaints,
        "complaints_per_1000_viewers": _ratio(tally.complaints, tally.viewers, 1000),
        "applications": tally.applications, "unanswered": tally.unanswered,
        "first_response_median_s": _percentile(tally.waits, 0.5),
        "first_response_p90_s": _percentile(tally.waits, 0.9),
        "ratings": len(tally.scores),
        "satisfaction": None if not tally.scores else round(sum(tally.scores) / len(tally.scores), 2),
    }
    figures["attention"] = attention(figures)
    return figures


class _Attributor:
    """The host of a room's latest session started at or before a moment."""

    def __init__(self, sessions: Iterable[SessionFact]) -> None:
        by_room: dict[str, list[SessionFact]] = defaultdict(list)
        for session in sessions:
            by_room[session.room].append(session)
        self._rooms = {room: sorted(found, key=lambda s: s.started_at) for room, found in by_room.items()}
        self._starts = {room: [s.started_at for s in found] for room, found in self._rooms.items()}

    def host(self, room: str | None, at: int) -> str | None:
        if room is None or room not in self._rooms:
            return None
        index = bisect.bisect_right(self._starts[room], at) - 1
        return None if index < 0 else self._rooms[room][index].host


def quality(facts: MonthFacts) -> dict[str, Any]:
    """Figures for the platform, each organisation and each host of the month."""
    orgs: dict[str, _Tally] = defaultdict(_Tally)
    hosts: dict[str, _Tally] = defaultdict(_Tally)
    host_org: dict[str, str] = {}
    total = _Tally()
    for session in facts.sessions:
        host_org[session.host] = session.org
        if not session.in_month:
            continue
        for tally in (orgs[session.org], hosts[session.host], total):
            tally.sessions += 1
            tally.viewers += session.viewers
            tally.messages += session.messages
            tally.blocked += session.blocked
    attributor = _Attributor(facts.sessions)
    for complaint in facts.complaints:
        host = attributor.host(complaint.room, complaint.created_at)
        for tally in _tallies(orgs, hosts, total, complaint.org, host):
            tally.complaints += 1
    for application in facts.applications:
        host = attributor.host(application.room, application.created_at)
        for tally in _tallies(orgs, hosts, total, application.org, host):
            tally.applications += 1
            if application.first_response_at is None:
                tally.unanswered += 1
            else:
                tally.waits.append(max(0, application.first_response_at - application.created_at))
    for rating in facts.session_ratings:
        for tally in _tallies(orgs, hosts, total, rating.org, rating.host):
            tally.scores.append(rating.score)
    return {
        "month": facts.month,
        "platform": _figures(total),
        "orgs": [{"org": org, "name": facts.org_names.get(org, org), **_figures(tally)}
                 for org, tally in sorted(orgs.items())],
        "hosts": [{"host": host, "org": host_org.get(host), **_figures(tally)} for host, tally in sorted(hosts.items())],
    }


def _tallies(orgs: dict[str, _Tally], hosts: dict[str, _Tally], total: _Tally, org: str | None,
             host: str | None) -> list[_Tally]:
    found = [total]
    if org is not None:
        found.append(orgs[org])
    if host is not None:
        found.append(hosts[host])
    return found


def complaint_handling(complaints: Iterable[ComplaintFact], now: int) -> dict[str, int]:
    """How the month's complaints were handled (4.4.1 e): answered in time, late, still open past deadline."""
    counts = {"filed": 0, "answered_in_time": 0, "answered_late": 0, "open": 0, "open_overdue": 0}
    for complaint in complaints:
        counts["filed"] += 1
        if complaint.answered_at is None:
            counts["open"] += 1
            counts["open_overdue"] += now > complaint.deadline_at
        elif complaint.answered_at <= complaint.deadline_at:
            counts["answered_in_time"] += 1
        else:
            counts["answered_late"] += 1
    return counts


def change(current: float | None, before: float | None) -> float | None:
    return None if current is None or before is None else round(current - before, 4)


def monthly_report(facts: MonthFacts, before: MonthFacts, actions: Mapping[str, int], now: int) -> dict[str, Any]:
    """The monthly evaluation report (6.1, 6.2): this month's figures, the change from the month before,
    complaint handling, the organisations' rating of the platform and the corrective actions."""
    current, previous = quality(facts), quality(before)
    trend = {name: change(current["platform"][name], previous["platform"][name])
             for name in ("blocked_rate", "complaints_per_1000_viewers", "first_response_median_s", "satisfaction")}
    platform_scores = list(facts.platform_ratings)
    return {
        **current,
        "previous_month": before.month,
        "previous": previous["platform"],
        "trend": trend,
        "complaint_handling": complaint_handling(facts.complaints, now),
        "platform_rating": {"ratings": len(platform_scores),
                            "mean": None if not platform_scores else round(sum(platform_scores) / len(platform_scores), 2)},
        "corrective_actions": dict(actions),
        "attention": [{"org": row["org"], "name": row["name"], "figures": row["attention"]}
                      for row in current["orgs"] if row["attention"]],
    }
