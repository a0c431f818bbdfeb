"""The recruiting records that cross layers, typed: a job, an application, an interview, a live session.

Frozen and slotted: made by the repositories from rows, read by the service's rules, turned into
the wire format by :meth:`as_json` only at the edge (the JSON keys and values are the API's, so
``as_json`` is the one place that says what a client sees). Not on the apply hot path, which has
its own records (:mod:`recruiting.domain.apply`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from recruiting.domain.review import STATE_LABEL, review_message


@dataclass(frozen=True, slots=True)
class Job:
    """A job posting (人力资源市场暂行条例 §24 fields, standard 5.1.1)."""

    id: str
    org: str
    title: str
    employer: str
    kind: str
    location: str
    salary_min: int
    salary_max: int
    headcount: int
    requirements: str
    benefits: str
    valid_from: int
    valid_until: int
    status: str
    industry: str | None = None
    client_company: str | None = None  # agency (代招) jobs: the company recruited for, and its mandate
    mandate_ref: str | None = None
    mandate_valid_until: int | None = None  # the mandate's end (ms), when the poster gave it
    version: int = 0  # the last published version (0: never published)
    review_flags: tuple[Mapping[str, Any], ...] = ()  # why the filter or the industry list doubts it
    review_reason: str | None = None  # the reviewer's reason (a rejection's)
    status_reason: str | None = None  # why the platform closed it (a licence lapsed)
    mandate_file: Mapping[str, Any] | None = None  # agency jobs: the mandate document (sha256, type, size, name)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "org": self.org, "title": self.title, "employer": self.employer, "kind": self.kind,
            "location": self.location, "salary_min": self.salary_min, "salary_max": self.salary_max,
            "headcount": self.headcount, "requirements": self.requirements, "benefits": self.benefits,
            "valid_from": self.valid_from, "valid_until": self.valid_until, "status": self.status,
            "industry": self.industry, "client_company": self.client_company, "mandate_ref": self.mandate_ref,
            "mandate_valid_until": self.mandate_valid_until,
            "version": self.version,
        }

    def review_json(self) -> dict[str, Any]:
        """What the poster (and the reviewer) see of the review: the reasons, the message, the decision."""
        return {"status_label": STATE_LABEL.get(self.status, self.status), "review_flags": list(self.review_flags),
                "review_message": review_message(self.review_flags) if self.status == "pending_review" else None,
                "review_reason": self.review_reason, "status_reason": self.status_reason,
                "mandate_file": None if self.mandate_file is None else dict(self.mandate_file)}


@dataclass(frozen=True, slots=True)
class Application:
    """One application as the inbox lists it (no contact data: the resume is read and audited apart)."""

    id: str
    job_id: str
    job_title: str
    org: str
    user_id: str
    name: str | None
    room: str | None
    status: str
    assigned_to: str | None
    created_at: int
    updated_at: int
    source: str | None = None  # "replay": applied from a replay's job card

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "job_id": self.job_id, "job_title": self.job_title, "org": self.org,
            "user_id": self.user_id, "name": self.name, "room": self.room, "status": self.status,
            "assigned_to": self.assigned_to, "created_at": self.created_at, "updated_at": self.updated_at,
            "source": self.source or "live",
        }


@dataclass(frozen=True, slots=True)
class Interview:
    """An interview invitation and the candidate's answer (standard 4.3.1 c)."""

    id: str
    application_id: str
    org: str
    user_id: str
    at: int
    place: str
    link: str
    contact: str
    state: str
    candidate_note: str
    job_title: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "application_id": self.application_id, "org": self.org, "user_id": self.user_id,
            "at": self.at, "place": self.place, "link": self.link, "contact": self.contact, "state": self.state,
            "candidate_note": self.candidate_note, "job_title": self.job_title,
        }


@dataclass(frozen=True, slots=True)
class LiveSession:
    """A planned, running or ended live session of a room and the jobs it shows (standard 5.2)."""

    id: str
    room: str
    org: str
    title: str
    host: str
    starts_at: int
    state: str
    started_at: int | None
    ended_at: int | None
    jobs: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "room": self.room, "org": self.org, "title": self.title, "host": self.host,
            "starts_at": self.starts_at, "state": self.state, "started_at": self.started_at,
            "ended_at": self.ended_at, "jobs": list(self.jobs),
        }
