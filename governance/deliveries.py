"""Resume deliveries into the service ledger, durably and once (standard 4.4.1 f).

The apply writer queues each batch that delivered something in the batch's own transaction
(``store.outbox_tables.ledger_queue``: the batch's rows as it already encoded them, so the hot path pays one
more statement per batch and nothing per apply). :class:`DeliveryDrain` moves queued batches into the
ledger: under the ledger head's lock (drains of several server processes take turns), it reads the oldest
queued batches (the writer queues delivered rows only: a row that conflicted is left out), pseudonymises the
applicants, appends ``application.delivered`` entries of up to :data:`DELIVERY_ROWS`
rows and deletes the queued batches, all in one transaction. A crash before the commit leaves the batches
for the next drain; after it, they are gone with their entries written: each delivery is in the ledger
once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from sqlalchemy import delete, func, select

from governance.ledger import MAX_BODY_CHARS, canonical
from governance.ledger_sql import StoreLedger
from store.engine import Store
from store.outbox_tables import LEDGER_QUEUE_COLUMNS, ledger_queue

#: Deliveries per ``application.delivered`` entry (≈ 100 characters a row); a body over the ledger's cap is split.
DELIVERY_ROWS: Final = 120
#: Queued batches per drain transaction (a bounded transaction under heavy load; the drain loops).
QUEUE_BATCHES: Final = 100
DELIVERY_COLUMNS: Final = ("application", "job", "org", "room", "applicant")
_ID, _USER, _JOB, _ORG, _ROOM = (LEDGER_QUEUE_COLUMNS.index(name) for name in ("id", "user_id", "job_id", "org_id",
                                                                               "room"))
Delivery = tuple[str, str, str | None, str | None, str]  # application id, job id, org id, room, applicant user id
Item = tuple[str, str, Mapping[str, Any]]


def delivery_entries(rows: Sequence[Delivery], person: Callable[[str], str]) -> list[Item]:
    """``application.delivered`` entries of up to :data:`DELIVERY_ROWS` rows, applicants as pseudonyms."""
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


def _too_long(body: Mapping[str, Any]) -> bool:
    """Over the ledger's body cap: estimated from the values' lengths (quotes, commas, brackets: 16 a row);
    encoded only when the estimate comes near the cap (an escaped character takes up to 6)."""
    estimate = 100 + sum(sum(len(value or "") for value in row) + 16 for row in body["rows"])
    return estimate > MAX_BODY_CHARS or (estimate > MAX_BODY_CHARS * 0.8 and len(canonical(body)) > MAX_BODY_CHARS)


class DeliveryDrain:
    def __init__(self, store: Store, ledger: StoreLedger, person: Callable[[str], str]) -> None:
        self._store = store
        self._ledger = ledger
        self._person = person

    async def drain(self) -> int:
        """Everything queued now, in transactions of :data:`QUEUE_BATCHES` batches; the entries appended."""
        total = 0
        while True:
            appended, more = await self._once()
            total += appended
            if not more:
                return total

    async def _once(self) -> tuple[int, bool]:
        async with self._store.engine.begin() as connection:
            await self._ledger.lock_head(connection)  # first: another process's drain has finished or waits
            queued = (await connection.execute(select(ledger_queue.c.id, ledger_queue.c.rows)
                                               .order_by(ledger_queue.c.id).limit(QUEUE_BATCHES))).all()
            if not queued:
                return 0, False
            deliveries = [(row[_ID], row[_JOB], row[_ORG], row[_ROOM], row[_USER])
                          for batch in queued for row in json.loads(batch.rows)]
            entries = await self._ledger.append_all_with(connection, delivery_entries(deliveries, self._person))
            await connection.execute(delete(ledger_queue).where(ledger_queue.c.id.in_([batch.id for batch in queued])))
        return len(entries), len(queued) == QUEUE_BATCHES

    async def waiting(self) -> int:
        """Queued batches not yet in the ledger (tests, operators)."""
        async with self._store.engine.connect() as connection:
            return int((await connection.execute(select(func.count()).select_from(ledger_queue))).scalar() or 0)
