"""The service ledger's feeds from chat and recruiting (4.4.1 f), and chat reports escalated to complaints (4.4.1 e).

Chat and recruiting never import governance: each declares the small port it reports into
(``chat.ports.ServiceLedger``, ``recruiting.ports.ServiceLedger``; ``chat.ports.ComplaintDesk``) and
``livehire/app.py`` hands them the objects below.

Theory of operation. :class:`LedgerFeed` offers two ways in:

* ``await record(kind, subject, body)``: one entry, appended before the call returns (job versions, pins,
  interview invitations: a few per minute, and the caller's answer may wait for them);
* ``note(kind, subject, body)``: the same entry queued and appended in order by the feed's one writer task,
  off the caller's path (chat moderation actions: a socket's receive loop never waits for the ledger's head
  lock, and a store failure cannot break it).

Everything the writer has at a time goes into one transaction (:meth:`StoreLedger.append_all`). People
appear only as :func:`governance.ledger.pseudonym`; free-text ``reason`` values pass ``mask`` (the filter's
personal data masked) before they are hashed into the chain. Queued notes are lost if the process dies
before the writer ran (docs/governance.md lists it). Resume deliveries do not pass here: they are queued in
the store by the apply writer and drained by :mod:`governance.deliveries`, durably.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Protocol

from governance.complaints import Filing, iso, parse_filing
from governance.complaints_sql import ComplaintRepository
from governance.ledger import Entry, pseudonym

log = logging.getLogger(__name__)

MASKED_KEYS: Final = ("reason",)
Item = tuple[str, str, Mapping[str, Any]]


class Appends(Protocol):
    """What the feed needs of the ledger (``StoreLedger``, ``MemoryLedger``)."""

    async def append(self, kind: str, subject: str, body: Mapping[str, Any]) -> Entry: ...

    async def append_all(self, items: Sequence[Item]) -> list[Entry]: ...

    async def append_with(self, connection: Any, kind: str, subject: str, body: Mapping[str, Any]) -> Entry: ...


class LedgerFeed:
    """The ledger as chat's and recruiting's ``ServiceLedger`` port."""

    def __init__(self, ledger: Appends, key: bytes, *, mask: Callable[[str], str] | None = None) -> None:
        self._ledger = ledger
        self._key = key
        self._mask = mask
        self._notes: list[Item] = []
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

    async def record_with(self, connection: Any, kind: str, subject: str, body: Mapping[str, Any]) -> None:
        """In the caller's store transaction: the fact and its entry commit together or not at all."""
        await self._ledger.append_with(connection, kind, subject, self._clean(body))

    def note(self, kind: str, subject: str, body: Mapping[str, Any]) -> None:
        self._notes.append((kind, subject, self._clean(body)))
        self._start()
        self._wake.set()

    def _start(self) -> None:
        if self._task is None and not self._closing:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="ledger-feed")

    async def _run(self) -> None:
        while not self._closing:
            if not self._notes:
                await self._wake.wait()
            self._wake.clear()
            await self._write()

    async def _write(self) -> None:
        async with self._writing:
            items, self._notes = self._notes, []
            if not items:
                return
            try:
                await self._ledger.append_all(items)
            except Exception:  # the caller is long gone: say what the ledger lost
                log.exception("ledger feed: %d entries not written (%s)", len(items),
                              ", ".join(sorted({kind for kind, _, _ in items})))

    async def drain(self) -> None:
        """Writes everything queued now (tests; shutdown)."""
        await self._write()

    async def close(self) -> None:
        self._closing = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.drain()


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
