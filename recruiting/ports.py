"""What recruiting needs from the rest of the server, as small protocols the composition root fills.

Recruiting never imports chat or identity's account code: ``livehire.app`` passes objects that
satisfy these to :class:`recruiting.service.RecruitingService` when it builds it (``ChatService``
satisfies :class:`Audience` as it is).
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Mapping, Sequence
from typing import Any, Protocol

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


#: One delivered application as the ledger gets it: (application id, job id, org id, room, applicant's user id).
Delivery = tuple[str | None, str, str | None, str | None, str]


class ServiceLedger(Protocol):
    """The platform's service ledger (standard 4.4.1 f; ``governance.feeds.LedgerFeed``): job versions,
    pins, interview invitations and deliveries, with people as pseudonyms (no personal data)."""

    def person(self, user_id: str) -> str:
        """The pseudonym that stands for a person in the ledger."""
        ...

    def record(self, kind: str, subject: str, body: Mapping[str, Any]) -> Awaitable[None]:
        """Appends one entry (awaited: a job's version is on record before its change is answered)."""
        ...

    def delivered(self, rows: Sequence[Delivery]) -> None:
        """A committed apply batch: never awaits (the hot path); the ledger pseudonymises the applicants and
        appends the batch's rows later, off the request path."""
        ...
