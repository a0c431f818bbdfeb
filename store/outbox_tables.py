"""The transactional outbox of resume-delivery events (standard 5.1.4).

A row is written in the same transaction as its application, so a committed
application always has its event on record even if the node dies before the
publish. ``lease_owner``/``lease_until`` say which node may publish the row now
(the writer, for a short lease). Once published the row is deleted; ``published_at``
is only set on rows left by versions before 2026-11-29 (which marked instead of
deleting), and those are pruned a day later. Created by migration ``0005``.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, String, Table, Text

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
