"""Moderators' decisions on held chat messages, kept as labelled examples for the filter (issue 14's feedback
loop; ``livehire moderate export-labels``). Migration 0012.

``text`` has personal data masked before it is stored; ``reviewer`` is a pseudonym. Rows older than the
setting ``moderation_label_days`` are purged daily: they exist to grow the corpus, not to keep people's words.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table, Text

from store.schema import metadata

moderation_labels = Table(
    "moderation_labels",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("at", BigInteger, nullable=False),
    Column("room", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("context", String(16), nullable=False),
    Column("approved", Boolean, nullable=False),
    Column("category", String(32), nullable=True),
    Column("reviewer", String(64), nullable=False),
)
Index("ix_moderation_labels_at", moderation_labels.c.at)
