"""What recruiting needs from the rest of the server, as small protocols the composition root fills.

Recruiting never imports chat or identity's account code: ``livehire.app`` passes objects that
satisfy these to :class:`recruiting.service.RecruitingService` when it builds it (``ChatService``
satisfies :class:`Audience` as it is).
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from common.clock import Clock
from recruiting.domain.rules import DEFAULT_VALIDITY_DAYS
from recruiting.domain.tally import Presence


class Audience(Protocol):
    """The people in the live rooms (the chat): counted for statistics and impressions, reached for
    interview notices."""

    def viewers(self, room: str) -> int:
        """Viewers of ``room`` now (a pinned card's impressions)."""
        ...

    def stats(self, room: str) -> Mapping[str, Any]:
        """The room's chat counters (``messages``, ``blocked``) on this node."""
        ...

    def present(self, room: str) -> Iterable[Presence]:
        """Who is in ``room`` on this node (user id or None, socket serial): counted when a session starts."""
        ...

    def send_to_user(self, room: str | None, user_id: str, frame: Mapping[str, Any]) -> Awaitable[None]:
        """Best effort: ``frame`` to the user's open sockets (``room`` None: in every room)."""
        ...


class PersonalData(Protocol):
    """Another holder of a person's data (chat history, sessions, the account): its part of the
    §45 copy and of the §47 erasure (个人信息保护法), keyed by section name."""

    async def export(self, user_id: str) -> Mapping[str, list[dict[str, Any]]]:
        """Section name → what is held about ``user_id`` (may be empty)."""
        ...

    async def erase(self, user_id: str) -> Mapping[str, int]:
        """Deletes what is held about ``user_id``; section name → how much was deleted."""
        ...


class LiveLicence(Protocol):
    """Whether an organisation may recruit live (standard 4.2.3): returns, or raises
    ``Forbidden("licence_required")`` naming the licence the platform's settings ask for."""

    def __call__(self, org_id: str) -> Awaitable[None]: ...


class ServiceLedger(Protocol):
    """The platform's service ledger (standard 4.4.1 f; ``governance.feeds.LedgerFeed``): job versions,
    pins and interview invitations, with people as pseudonyms (no personal data). Deliveries do not pass
    here: with a ledger, the apply writer queues them in its own transactions (``ledger_queue``)."""

    def person(self, user_id: str) -> str:
        """The pseudonym that stands for a person in the ledger."""
        ...

    def record(self, kind: str, subject: str, body: Mapping[str, Any]) -> Awaitable[None]:
        """Appends one entry (awaited: a pin is on record before it is answered)."""
        ...

    def record_with(self, connection: Any, kind: str, subject: str, body: Mapping[str, Any]) -> Awaitable[None]:
        """Appends one entry in the caller's store transaction (a job's version commits with its entry)."""
        ...



class JobIndustry(Protocol):
    """The platform's industry list applied to a job (standard 5.1.3 b): ``allowed`` or ``review`` for the
    organisation posting (``industry`` None: the organisation's own industry); a refused industry raises
    ``Forbidden("industry_refused")``, an unknown code ``Invalid("invalid_industry")``."""

    def __call__(self, org_id: str, industry: str | None) -> Awaitable[str]: ...


class JobDecisions(Protocol):
    """Where a reviewer's decision on a job is recorded (the service ledger, 4.4.1 f): ``kind``
    (``job.approved`` / ``job.rejected``), the job, non-personal facts and the reviewer's user id (the
    receiver turns it into a pseudonym)."""

    def __call__(self, kind: str, job_id: str, facts: Mapping[str, Any], reviewer: str,
                 connection: Any = None) -> Awaitable[None]:
        """``connection``: the decision's store transaction (the entry commits with it)."""
        ...


class MandateFiles(Protocol):
    """Where an agency job's mandate document (委托书) is kept (governance's blob store): ``store_mandate``
    checks and stores ``{"name", "content_type"?, "data": base64}`` and answers ``{"sha256", "content_type",
    "size", "name"}`` (or raises a 4xx error); ``mandate`` reads it back."""

    @property
    def mandate_max_bytes(self) -> int: ...

    def store_mandate(self, raw: Any) -> Awaitable[Mapping[str, Any]]: ...

    def mandate(self, sha256: str) -> Awaitable[bytes | None]: ...


class ContentReview(Protocol):
    """The review desk's queue for a text the filter only doubts and that was delivered anyway (standard
    5.1.3 d: interview invitations, candidates' replies): ``target_type`` (``interview``), its id, the
    organisation and the filter's reasons in Chinese (terms masked); answers the queue item's id."""

    def __call__(self, target_type: str, target_id: str, org_id: str | None, reasons: str) -> Awaitable[str]: ...


@dataclass(frozen=True, slots=True)
class JobPorts:
    """What job posting and review need from the server (``livehire.app`` fills it; the defaults: every
    industry allowed, decisions recorded nowhere, 30 days' validity, the system clock, no mandate documents)."""

    industry: JobIndustry | None = None
    decisions: JobDecisions | None = None
    validity_days: int = DEFAULT_VALIDITY_DAYS
    clock: Clock | None = None
    mandates: MandateFiles | None = None  # None: an agency job's mandate document is not asked for
