"""The transactional outbox of resume-delivery events (standard 5.1.4).

A row is written in the same transaction as its application, so a committed
application always has its event on record even if the node dies before the
publish. ``lease_owner``/``lease_until`` say which node may publish the row now
(the writer, for a short lease). Once published the row is deleted; ``published_at``
is only set on rows left by versions before 2026-11-29 (which marked instead of
deleting), and those are pruned a day later. Created by migration ``0005``.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, Text

from store.schema import metadata

event_outbox = Table(
    "event_outbox",
    metadata,
    Column("id", String(64), primary_key=True),  # the event id: stable, so a republish is recognisable
    Column("payload", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("lease_owner", String(64), nullable=False),
    Column("lease_until", BigInteger, nullable=False),
    Column("published_at", BigInteger, nullable=True),
)

Index("ix_event_outbox_pending", event_outbox.c.published_at, event_outbox.c.lease_until)

#: Delivered-apply batches waiting for the service ledger (standard 4.4.1 f): the apply writer inserts one
#: row per batch that delivered something, in the batch's own transaction (``rows``: the JSON array of its
#: delivered ``recruiting.domain.apply.COLUMNS`` rows, the text the writer already encoded when none
#: conflicted); the governance feed appends them to the ledger and deletes the row in one transaction. Durable and once: a crash between the two leaves the row for the
#: next drain. Created by migration ``0012``.
ledger_queue = Table(
    "ledger_queue",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("created_at", BigInteger, nullable=False),
    Column("rows", Text, nullable=False),
)

#: The columns of a ``ledger_queue.rows`` row, in order (``recruiting.domain.apply.COLUMNS``, which writes
#: them; a test keeps the two equal).
LEDGER_QUEUE_COLUMNS = ("id", "user_id", "job_id", "org_id", "room", "ref", "source")
