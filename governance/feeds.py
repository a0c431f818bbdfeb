"""The service ledger's feeds from chat and recruiting (4.4.1 f), and chat reports escalated to complaints (4.4.1 e).

Chat and recruiting never import governance: each declares the small port it reports into
(``chat.ports.ServiceLedger``, ``recruiting.ports.ServiceLedger``; ``chat.ports.ComplaintDesk``) and
``livehire/app.py`` hands them the objects below.

Theory of operation. :class:`LedgerFeed` offers three ways in:

* ``await record(kind, subject, body)``: one entry, appended before the call returns (job versions, pins,
  interview invitations: a few per minute, and the caller's answer may wait for them);
* ``note(kind, subject, body)``: the same entry queued and appended in order by the feed's one writer task,
  off the caller's path (chat moderation actions: a socket's receive loop never waits for the ledger's head
  lock, and a store failure cannot break it);
* ``delivered(rows)``: a committed apply batch's non-personal facts (application id, job, organisation,
  room, applicant's user id), kept in a list; ``delivery_seconds`` after the first one waited (or at once
  when :data:`FLUSH_ROWS` wait) the writer pseudonymises them and appends them as ``application.delivered``
  entries of up to :data:`DELIVERY_ROWS` rows, all in one transaction. The apply hot path pays one
  ``list.extend`` per batch; the ledger one transaction per interval, whatever the apply rate
  (docs/governance.md, "Feeds": the instruction counts).

Everything the writer has at a time goes into one transaction (:meth:`StoreLedger.append_all`). People
appear only as :func:`governance.ledger.pseudonym`; free-text ``reason`` values pass ``mask`` (the filter's
personal data masked) before they are hashed into the chain. Queued entries are lost if the process dies
before the writer ran (at most ``delivery_seconds`` of deliveries): the applications table keeps the
deliveries themselves; a durable feed from the event outbox is listed as left in docs/governance.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Protocol

from governance.complaints import Filing, iso, parse_filing
from governance.complaints_sql import ComplaintRepository
from governance.ledger import MAX_BODY_CHARS, Entry, canonical, pseudonym

log = logging.getLogger(__name__)

#: Deliveries per ``application.delivered`` entry (≈ 100 characters a row); a body over the ledger's cap is split.
DELIVERY_ROWS: Final = 120
#: Waiting deliveries written at once, before their interval ends (a bounded transaction under heavy load).
FLUSH_ROWS: Final = 5000
DELIVERY_COLUMNS: Final = ("application", "job", "org", "room", "applicant")
MASKED_KEYS: Final = ("reason",)
Delivery = tuple[str | None, str, str | None, str | None, str]  # application id, job id, org id, room, applicant user id
Item = tuple[str, str, Mapping[str, Any]]


class Appends(Protocol):
    """What the feed needs of the ledger (``StoreLedger``, ``MemoryLedger``)."""

    async def append(self, kind: str, subject: str, body: Mapping[str, Any]) -> Entry: ...

    async def append_all(self, items: Sequence[Item]) -> list[Entry]: ...


class LedgerFeed:
    """The ledger as chat's and recruiting's ``ServiceLedger`` port."""

    def __init__(self, ledger: Appends, key: bytes, *, mask: Callable[[str], str] | None = None,
                 delivery_seconds: float = 5.0) -> None:
        self._ledger = ledger
        self._key = key
        self._mask = mask
        self.delivery_seconds = delivery_seconds
        self._notes: list[Item] = []
        self._deliveries: list[Delivery] = []
        self._due = 0.0  # (loop time) when the deliveries waiting now must be written
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._cache: dict[str, str] = {}
        self._writing = asyncio.Lock()  # one write at a time, in order; drain() waits for one in flight

    def person(self, user_id: str) -> str:
        """A person's pseudonym (``p-`` and 24 hex digits); cached, as the same applicants come back."""
        found = self._cache.get(user_id)
        if found is None:
            if len(self._cache) >= 50_000:
                self._cache.clear()
            found = self._cache[user_id] = pseudonym(self._key, "user", user_id)
        return found

    def _clean(self, body: Mapping[str, Any]) -> dict[str, Any]:
        clean = dict(body)
        if self._mask is not None:
            for name in MASKED_KEYS:
                if isinstance(clean.get(name), str) and clean[name]:
                    clean[name] = self._mask(clean[name])
        return clean

    async def record(self, kind: str, subject: str, body: Mapping[str, Any]) -> None:
        await self._ledger.append(kind, subject, self._clean(body))

    def note(self, kind: str, subject: str, body: Mapping[str, Any]) -> None:
        self._notes.append((kind, subject, self._clean(body)))
        self._start()
        self._wake.set()

    def delivered(self, rows: Sequence[Delivery]) -> None:
        """Never awaits: one ``extend``, and a wake-up when the timer must start or an entry is full."""
        waiting = len(self._deliveries)
        self._deliveries.extend(rows)
        if waiting == 0:
            self._due = asyncio.get_running_loop().time() + self.delivery_seconds
        if waiting == 0 or len(self._deliveries) >= FLUSH_ROWS > waiting:
            self._start()
            self._wake.set()

    def _start(self) -> None:
        if self._task is None and not self._closing:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="ledger-feed")

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while not self._closing:
            if not self._notes and len(self._deliveries) < FLUSH_ROWS:
                left = max(0.0, self._due - loop.time()) if self._deliveries else None
                with contextlib.suppress(TimeoutError):  # notes do not restart the deliveries' wait
                    await asyncio.wait_for(self._wake.wait(), left)
            self._wake.clear()
            due = len(self._deliveries) >= FLUSH_ROWS or (bool(self._deliveries) and loop.time() >= self._due)
            await self._write(everything=due)

    async def _write(self, *, everything: bool) -> None:
        async with self._writing:
            await self._write_locked(everything)

    async def _write_locked(self, everything: bool) -> None:
        items, self._notes = self._notes, []
        if everything and self._deliveries:
            rows, self._deliveries = self._deliveries, []
            items.extend(self._delivery_entries(rows))
        if not items:
            return
        try:
            await self._ledger.append_all(items)
        except Exception:  # the caller is long gone: say what the ledger lost
            log.exception("ledger feed: %d entries not written (%s)", len(items),
                          ", ".join(sorted({kind for kind, _, _ in items})))

    def _delivery_entries(self, rows: Sequence[Delivery]) -> list[Item]:
        person = self.person
        table = [[app, job, org, room, person(user)] for app, job, org, room, user in rows]
        entries: list[Item] = []
        chunks = [table[start:start + DELIVERY_ROWS] for start in range(0, len(table), DELIVERY_ROWS)]
        while chunks:
            chunk = chunks.pop(0)
            body = {"count": len(chunk), "columns": list(DELIVERY_COLUMNS), "rows": chunk}
            if len(chunk) > 1 and _too_long(body):  # long ids: halve until it fits
                chunks[:0] = [chunk[:len(chunk) // 2], chunk[len(chunk) // 2:]]
                continue
            entries.append(("application.delivered", f"deliveries:{chunk[0][0]}", body))
        return entries

    async def drain(self) -> None:
        """Writes everything queued now (tests; shutdown)."""
        await self._write(everything=True)

    async def close(self) -> None:
        self._closing = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.drain()


def _too_long(body: Mapping[str, Any]) -> bool:
    """Over the ledger's body cap: estimated from the values' lengths (quotes, commas, brackets: 16 a row);
    encoded only when the estimate comes near the cap (an escaped character takes up to 6)."""
    estimate = 100 + sum(sum(len(value or "") for value in row) + 16 for row in body["rows"])
    return estimate > MAX_BODY_CHARS or (estimate > MAX_BODY_CHARS * 0.8 and len(canonical(body)) > MAX_BODY_CHARS)


class ChatComplaints:
    """Chat's ``ComplaintDesk``: a report its room's host did not settle becomes a complaint (4.4.1 e).

    The target is ``message`` with ``<room>/<message id>``, so the complaint records the room's organisation
    (``target_org``) and only platform staff handle it, never that organisation. The reporter is the filer
    (the complaint follows their deletion, §47); the text is the report's reason and the reported message,
    personal data masked.
    """

    def __init__(self, complaints: ComplaintRepository, mask: Callable[[str], str], base_url: str) -> None:
        self._complaints = complaints
        self._mask = mask
        self._base_url = base_url

    async def escalate(self, room: str, message_id: str, reporter: str, reason: str, text: str | None,
                       why: str) -> dict[str, Any]:
        lead = "直播间举报主播未及时处理，已自动转为平台投诉" if why == "timeout" else "举报人将直播间举报提交平台处理"
        parts = [f"{lead}（直播间 {room}，消息 {message_id}）。", f"举报理由：{reason or '未填写'}。"]
        if text:
            parts.append(f"被举报内容：{text}")
        body = "".join(parts)[:2000]
        filing = Filing("message", f"{room}/{message_id}"[:128], body, None)
        filed = await self._complaints.file(filing, self._mask(body), reporter, origin=f"chat_report_{why}")
        complaint = filed.complaint
        return {"id": complaint.id, "status": complaint.status, "deadline": iso(complaint.deadline),
                "follow_up_url": f"{self._base_url}/api/v1/complaints/follow/{filed.token}",
                "follow_up_page": f"{self._base_url}/complaints/follow/{filed.token}"}


class ContentFlags:
    """Recruiting's ``ContentReview`` (5.1.3 d): an interview text the filter doubts, delivered anyway, becomes
    a complaint against it filed by the platform itself (no filer, origin ``moderation_review``), so it waits
    on the review desk with the filter's reasons, a deadline and an outcome in the ledger."""

    def __init__(self, complaints: ComplaintRepository, mask: Callable[[str], str]) -> None:
        self._complaints = complaints
        self._mask = mask

    async def __call__(self, target_type: str, target_id: str, org_id: str | None, reasons: str) -> str:
        text = self._mask(reasons)[:2000]
        filing = parse_filing({"target_type": target_type, "target_id": target_id[:128], "text": text})
        filed = await self._complaints.file(filing, filing.text, None, origin="moderation_review")
        return filed.complaint.id
