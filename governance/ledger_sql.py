"""The service ledger in the store (4.4.1 f): appends from several server processes make one chain.

Serialisation: an append first *updates* the head row (``seq = seq + 1``), which locks it until the
transaction ends: a row lock on PostgreSQL, the database write lock on SQLite (others wait for it,
``busy_timeout``). Only then does it read the head, so two appends never take the same ``seq`` or the
same ``prev_hash``. :meth:`StoreLedger.append_with` appends inside a caller's transaction, so an outcome
(a complaint answered, an organisation approved) and its ledger entry commit together or not at all.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from common.clock import Clock, now_ms
from common.errors import Conflict, Invalid
from governance.anchors import Anchor, anchor_problem
from governance.ledger import ChainCheck, Entry, Verification, checked_body, iso, make_entry, retention_cutoff
from store.engine import Store
from store.governance_tables import ledger_entries, ledger_head

DEFAULT_RETENTION_YEARS = 3
_HEAD = ledger_head.c.id == 1


class StoreLedger:
    """The :class:`governance.ledger.Ledger` port on the store."""

    def __init__(self, store: Store, *, clock: Clock | None = None,
                 retention_years: int = DEFAULT_RETENTION_YEARS) -> None:
        self._store = store
        self._clock = clock
        self.retention_years = retention_years

    async def append(self, kind: str, subject: str, body: Mapping[str, Any]) -> Entry:
        async with self._store.engine.begin() as connection:
            return await self.append_with(connection, kind, subject, body)

    async def append_all(self, items: Sequence[tuple[str, str, Mapping[str, Any]]]) -> list[Entry]:
        """Several entries, in order, in one transaction (the feeds' batches)."""
        if not items:
            return []
        async with self._store.engine.begin() as connection:
            return await self.append_all_with(connection, items)

    async def lock_head(self, connection: AsyncConnection) -> None:
        """Takes the head row's lock in the caller's transaction (appends of other processes wait)."""
        await connection.execute(update(ledger_head).where(_HEAD).values(seq=ledger_head.c.seq))

    async def append_all_with(self, connection: AsyncConnection,
                              items: Sequence[tuple[str, str, Mapping[str, Any]]]) -> list[Entry]:
        """Several entries in the caller's transaction, in four statements whatever their number: the head
        moves by ``len(items)`` under its lock, one multi-row insert."""
        if not items:
            return []
        texts = [checked_body(kind, subject, body) for kind, subject, body in items]
        await connection.execute(update(ledger_head).where(_HEAD).values(seq=ledger_head.c.seq + len(items)))
        head = (await connection.execute(select(ledger_head.c.seq, ledger_head.c.hash).where(_HEAD))).one()
        seq, prev, at = int(head.seq) - len(items), str(head.hash), now_ms(self._clock)
        entries: list[Entry] = []
        for (kind, subject, body), text in zip(items, texts, strict=True):
            seq += 1
            entries.append(make_entry(seq, at, kind, subject, text, prev, dict(body)))
            prev = entries[-1].hash
        await connection.execute(ledger_entries.insert(), [
            {"seq": e.seq, "at": e.at, "kind": e.kind, "subject": e.subject, "body": text,
             "prev_hash": e.prev_hash, "hash": e.hash} for e, text in zip(entries, texts, strict=True)])
        await connection.execute(update(ledger_head).where(_HEAD).values(hash=prev))
        return entries

    async def append_with(self, connection: AsyncConnection, kind: str, subject: str,
                          body: Mapping[str, Any]) -> Entry:
        """Appends in the caller's transaction (which then holds the head lock until it ends)."""
        text = checked_body(kind, subject, body)
        await connection.execute(update(ledger_head).where(_HEAD).values(seq=ledger_head.c.seq + 1))
        head = (await connection.execute(select(ledger_head.c.seq, ledger_head.c.hash).where(_HEAD))).one()
        entry = make_entry(int(head.seq), now_ms(self._clock), kind, subject, text, str(head.hash))
        await connection.execute(ledger_entries.insert().values(
            seq=entry.seq, at=entry.at, kind=kind, subject=subject, body=text, prev_hash=entry.prev_hash,
            hash=entry.hash))
        await connection.execute(update(ledger_head).where(_HEAD).values(hash=entry.hash))
        return entry

    async def verify(self) -> Verification:
        """Walks the chain from the checkpoint to the head; names the first entry that does not verify."""
        async with self._store.engine.connect() as connection:
            if self._store.dialect == "postgresql":  # one snapshot: the head and the entries it names
                await connection.execution_options(isolation_level="REPEATABLE READ")
            head = (await connection.execute(select(ledger_head).where(_HEAD))).one()
            check = ChainCheck(int(head.checkpoint_seq), str(head.checkpoint_hash))
            rows = await connection.stream(
                select(ledger_entries).where(ledger_entries.c.seq <= head.seq).order_by(ledger_entries.c.seq)
                .execution_options(yield_per=500))
            async for row in rows:
                if not check.feed(int(row.seq), int(row.at), row.kind, row.subject, row.body, row.prev_hash,
                                  row.hash):
                    break
            await rows.close()
        return check.finish(int(head.seq), str(head.hash))

    async def anchor(self) -> Anchor:
        """The head as an anchor (governance.anchors), taken now."""
        async with self._store.engine.connect() as connection:
            head = (await connection.execute(select(ledger_head.c.seq, ledger_head.c.hash).where(_HEAD))).one()
        return Anchor(int(head.seq), str(head.hash), now_ms(self._clock))

    async def check_anchors(self, anchors: Sequence[Anchor]) -> list[str]:
        """Each anchor the chain no longer holds, as a sentence (empty: all held)."""
        async with self._store.engine.connect() as connection:
            head = (await connection.execute(select(ledger_head).where(_HEAD))).one()
            seqs = sorted({anchor.seq for anchor in anchors})
            stored: dict[int, str] = {}
            for start in range(0, len(seqs), 500):
                rows = await connection.execute(select(ledger_entries.c.seq, ledger_entries.c.hash).where(
                    ledger_entries.c.seq.in_(seqs[start:start + 500])))
                stored.update((int(row.seq), str(row.hash)) for row in rows)
        problems = (anchor_problem(anchor, stored.get(anchor.seq), int(head.checkpoint_seq),
                                   str(head.checkpoint_hash), int(head.seq)) for anchor in anchors)
        return [problem for problem in problems if problem is not None]

    async def export(self, start: int, end: int) -> AsyncIterator[Entry]:
        """Entries with ``start <= time < end`` (ms), in ``seq`` order, as stored."""
        async with self._store.engine.connect() as connection:
            rows = await connection.stream(
                select(ledger_entries).where(ledger_entries.c.at >= start, ledger_entries.c.at < end)
                .order_by(ledger_entries.c.seq).execution_options(yield_per=500))
            async for row in rows:
                body = json.loads(row.body)
                yield Entry(int(row.seq), int(row.at), row.kind, row.subject, body, row.prev_hash, row.hash)

    async def count(self) -> int:
        async with self._store.engine.connect() as connection:
            return int((await connection.execute(select(func.count()).select_from(ledger_entries))).scalar() or 0)

    async def purge(self, before: int) -> int:
        """Removes the oldest entries written before ``before`` (ms) and records the checkpoint.

        Refused while ``before`` is inside the retention (4.4.1 f: kept at least 3 years): no entry younger
        than the retention can go. Removal stops at the first entry at or after ``before``, so the chain
        left behind is one unbroken run from the checkpoint. The purge itself is appended as an entry.
        """
        now = now_ms(self._clock)
        cutoff = retention_cutoff(now, self.retention_years)
        if before > cutoff:
            raise Conflict("ledger_retention", f"台账至少保存 {self.retention_years} 年：只能清理 {iso(cutoff)} 之前的条目",
                           details={"earliest_allowed": iso(cutoff)})
        async with self._store.engine.begin() as connection:
            await connection.execute(update(ledger_head).where(_HEAD).values(seq=ledger_head.c.seq))  # the lock
            head = (await connection.execute(select(ledger_head).where(_HEAD))).one()
            young = (await connection.execute(select(func.min(ledger_entries.c.seq))
                                              .where(ledger_entries.c.at >= before))).scalar()
            upto = int(head.seq) if young is None else int(young) - 1
            if upto <= int(head.checkpoint_seq):
                return 0
            last = (await connection.execute(select(ledger_entries.c.hash)
                                             .where(ledger_entries.c.seq == upto))).scalar()
            if last is None:
                raise Invalid("ledger_broken", f"台账条目 {upto} 缺失：请先运行 livehire ledger verify")
            removed = await connection.execute(delete(ledger_entries).where(ledger_entries.c.seq <= upto))
            await connection.execute(update(ledger_head).where(_HEAD).values(
                checkpoint_seq=upto, checkpoint_hash=str(last), checkpoint_at=now))
            count = int(removed.rowcount or 0)
            await self.append_with(connection, "ledger.purged", "ledger:checkpoint", {  # the purge is a fact too
                "through_seq": upto, "checkpoint_hash": str(last), "removed": count, "before": before,
                "retention_years": self.retention_years})
        return count
