"""What recruiting writes into the platform's service ledger (standard 4.4.1 f), and in which words.

Every job publication and change (the full version: the job's public fields, which hold no personal
data), pins and unpins, interview invitations and answers (ids and times: never the place, link, contact
or the candidate's note, which may name people), and application deliveries. People appear only as the
ledger's pseudonyms (:meth:`recruiting.ports.ServiceLedger.person`).

Deliveries come from the apply hot path, so they do not pass here: the apply writer queues each batch's
rows in the batch's own transaction (``store.outbox_tables.ledger_queue``) and the ledger's feed appends
them later, many rows per entry (``governance.deliveries``; docs/governance.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from recruiting.ports import ServiceLedger

#: The interview facts the ledger keeps (``place``, ``link``, ``contact``, ``candidate_note`` may name people).
INTERVIEW_FACTS = ("id", "application_id", "org", "at", "state")


class Ledgered:
    """Recruiting's side of the ledger port; every method does nothing when the service has no ledger."""

    def __init__(self, ledger: ServiceLedger | None) -> None:
        self._ledger = ledger

    async def _record(self, kind: str, subject: str, body: dict[str, Any], actor: str | None,
                      connection: Any = None) -> None:
        if self._ledger is not None:
            if actor:
                body["by"] = self._ledger.person(actor)
            if connection is None:
                await self._ledger.record(kind, subject, body)
            else:
                await self._ledger.record_with(connection, kind, subject, body)

    async def job(self, connection: Any, change: str, job: Mapping[str, Any], actor: str | None = None) -> None:
        """``change``: ``created``, ``changed`` or ``closed``, in the job's own transaction (``connection``);
        a job that is published after it is ``job.published`` (creation) or ``job.changed``; the body holds
        the whole version."""
        kind = "job.published" if change == "created" and job.get("status") == "published" else f"job.{change}"
        await self._record(kind, f"job:{job['id']}", {"org": job.get("org"), "status": job.get("status"),
                                                      "job": dict(job)}, actor, connection)

    async def resume_read(self, application_id: str, org: str, reader: str, purpose: str) -> None:
        """Who read which resume and why (4.4.1 b): the reader as a pseudonym, no resume content."""
        await self._record("resume.read", f"application:{application_id}", {"org": org, "purpose": purpose}, reader)

    async def pin(self, room: str, job_id: str, org: str | None, actor: str, *, pinned: bool) -> None:
        await self._record("job.pinned" if pinned else "job.unpinned", f"job:{job_id}",
                           {"room": room, "org": org}, actor)

    async def interview(self, change: str, interview: Mapping[str, Any], actor: str | None = None) -> None:
        """``change``: ``invited`` or ``answered``; the candidate as a pseudonym."""
        if self._ledger is None:
            return
        body = {name: interview.get(name) for name in INTERVIEW_FACTS}
        body["candidate"] = self._ledger.person(str(interview.get("user_id")))
        await self._record(f"interview.{change}", f"interview:{interview['id']}", body, actor)

    async def moderation(self, action: str, subject: str, facts: Mapping[str, Any], actor: str | None = None) -> None:
        """``action``: ``blocked`` (a text refused) or ``flagged`` (delivered, queued for a reviewer); the
        facts name the field and the filter's categories, never the text (5.1.3 d)."""
        await self._record(f"moderation.{action}", subject, dict(facts), actor)
