"""Moderators' decisions on held messages as labelled examples (issue 14; chat's ``ReviewLabels`` port).

Stored with personal data masked and the reviewer as a pseudonym; exported in the corpus format by
``livehire moderate export-labels`` (``moderation.labels``); purged after ``retention_days``.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select

from common.clock import Clock, now_ms
from governance.ledger import pseudonym
from moderation.labels import ReviewedMessage
from store.engine import Store
from store.moderation_tables import moderation_labels

DAY_MS = 24 * 3600 * 1000
MAX_TEXT = 2000


class LabelBook:
    def __init__(self, store: Store, mask: Callable[[str], str], *, pseudonym_key: bytes, retention_days: int = 365,
                 clock: Clock | None = None) -> None:
        self._store = store
        self._mask = mask
        self._key = pseudonym_key
        self.retention_days = retention_days
        self._clock = clock

    async def add(self, room: str, text: str, role: str, approved: bool, category: str | None,
                  reviewer: str) -> None:
        async with self._store.engine.begin() as connection:
            await connection.execute(moderation_labels.insert().values(
                at=now_ms(self._clock), room=room, text=self._mask(text)[:MAX_TEXT], role=role, context="chat",
                approved=approved, category=None if approved else category,
                reviewer=pseudonym(self._key, "user", reviewer)))

    async def rows(self, since: int = 0) -> list[ReviewedMessage]:
        """Decisions from ``since`` (ms) on, oldest first."""
        async with self._store.engine.connect() as connection:
            found = await connection.execute(select(moderation_labels).where(moderation_labels.c.at >= since)
                                             .order_by(moderation_labels.c.id))
            return [ReviewedMessage(r.text, r.role, r.context, bool(r.approved), r.category) for r in found]

    async def purge(self) -> int:
        """Rows older than the retention go (run daily)."""
        cutoff = now_ms(self._clock) - self.retention_days * DAY_MS
        async with self._store.engine.begin() as connection:
            result = await connection.execute(delete(moderation_labels).where(moderation_labels.c.at < cutoff))
        return int(result.rowcount or 0)
