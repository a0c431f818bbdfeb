"""Governance tables: the hash-chained service ledger (standard 4.4.1 f), complaints (4.4.1 e) and the
enterprise profiles under review (5.1.3 a). Migration 0009 (which also adds ``organisations.state``).

The ledger is append-only by contract: rows are only ever inserted (under the head row's lock) and, past
the retention, removed from the oldest end by a purge that records a checkpoint in the head row.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from store.schema import metadata

#: Genesis: the ``prev_hash`` of the very first entry.
GENESIS_HASH = "0" * 64

#: One entry of the service ledger. ``body`` is the canonical JSON of non-personal facts (people appear as
#: keyed-hash pseudonyms); ``hash`` = sha256 over the canonical JSON of (seq, time, kind, subject, body,
#: prev_hash), so changing any of them, or removing a row, breaks the chain (governance.ledger).
ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at", BigInteger, nullable=False),
    Column("kind", String(64), nullable=False),
    Column("subject", String(160), nullable=False),
    Column("body", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
Index("ix_ledger_entries_at", ledger_entries.c.at)
Index("ix_ledger_entries_subject", ledger_entries.c.subject)

#: The one head row (id 1): the last seq and hash (appends lock this row, so several server processes
#: append one chain), and the checkpoint a purge leaves: the seq and hash of the last purged entry.
ledger_head = Table(
    "ledger_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("checkpoint_seq", BigInteger, nullable=False),
    Column("checkpoint_hash", String(64), nullable=False),
    Column("checkpoint_at", BigInteger, nullable=True),
)

#: Complaints and reports (4.4.1 e). ``text`` has personal data masked; ``contact`` is sealed
#: (store.sealing, bound to the complaint id); the follow-up link's token is kept only as its sha256.
complaints = Table(
    "complaints",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("target_type", String(16), nullable=False),
    Column("target_id", String(128), nullable=False),
    Column("target_org", String(64), nullable=True),
    Column("text", Text, nullable=False),
    Column("contact", String(400), nullable=True),
    Column("filed_by", String(64), nullable=True),
    Column("status", String(16), nullable=False),
    Column("assignee", String(64), nullable=True),
    Column("reply", Text, nullable=True),
    Column("follow_hash", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("deadline_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("answered_at", BigInteger, nullable=True),
    Column("closed_at", BigInteger, nullable=True),
    UniqueConstraint("follow_hash"),
)
Index("ix_complaints_status_deadline", complaints.c.status, complaints.c.deadline_at)
Index("ix_complaints_filed_by", complaints.c.filed_by)

#: The enterprise information of an organisation under the platform's review (5.1.3 a; 条例 §32); the
#: review state itself is ``organisations.state`` (existing organisations: ``approved``). ``change`` holds a
#: proposed change (JSON) while it waits for review. Columns are nullable: an organisation made before the
#: review existed gets its row with its first change.
org_profiles = Table(
    "org_profiles",
    metadata,
    Column("org_id", String(64), ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column("credit_code", String(18), nullable=True),
    Column("address", String(200), nullable=True),
    Column("website", String(200), nullable=True),
    Column("contact_phone", String(32), nullable=True),
    Column("industry", String(64), nullable=True),
    Column("industry_access", String(16), nullable=True),
    Column("flags", Text, nullable=False, server_default="[]"),
    Column("change", Text, nullable=True),
    Column("registered_by", String(64), nullable=True),
    Column("reason", Text, nullable=True),
    Column("decided_by", String(64), nullable=True),
    Column("decided_at", BigInteger, nullable=True),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)
Index("ix_org_profiles_credit_code", org_profiles.c.credit_code)
Index("ix_org_profiles_registered_by", org_profiles.c.registered_by)
