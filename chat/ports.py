"""What the chat reports to the platform's governance, as two small protocols the composition root fills.

The chat never imports governance (``../shared/ARCHITECTURE.md``: chat, recruiting and governance are
siblings): ``livehire/app.py`` passes ``governance.feeds.LedgerFeed`` as :class:`ServiceLedger` and
``governance.feeds.ChatComplaints`` as :class:`ComplaintDesk` to :class:`chat.service.ChatService`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class ServiceLedger(Protocol):
    """The service ledger (standard 4.4.1 f): moderation actions are noted without waiting for the store."""

    def person(self, user_id: str) -> str:
        """The pseudonym that stands for a person in the ledger (no personal data in entries)."""
        ...

    def note(self, kind: str, subject: str, body: Mapping[str, Any]) -> None:
        """Queues an entry; the ledger writes it, in order, off the caller's path. A ``reason`` is masked
        for personal data by the ledger."""
        ...


class ComplaintDesk(Protocol):
    """The platform's complaint queue (standard 4.4.1 e), where reports a room's moderators do not settle go."""

    async def escalate(self, room: str, message_id: str, reporter: str, reason: str, text: str | None,
                       why: str) -> dict[str, Any]:
        """Files the report as a complaint about the message (``why``: ``timeout`` or ``reporter``); returns
        ``{"id", "status", "deadline", "follow_up_url", "follow_up_page"}`` (the link is shown once)."""
        ...


class ReviewLabels(Protocol):
    """Where moderators' decisions on held messages go as labelled examples (issue 14's feedback loop:
    ``livehire moderate export-labels``): the held text, its author's role, approved or not and, when
    rejected, the category it broke."""

    async def add(self, room: str, text: str, role: str, approved: bool, category: str | None,
                  reviewer: str) -> None: ...
