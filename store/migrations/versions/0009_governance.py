"""Governance: the service ledger (4.4.1 f).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64


def upgrade() -> None:
    op.create_table(
        "ledger_entries",
        sa.Column("seq", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(160), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_ledger_entries_at", "ledger_entries", ["at"])
    op.create_index("ix_ledger_entries_subject", "ledger_entries", ["subject"])
    head = op.create_table(
        "ledger_head",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("checkpoint_seq", sa.BigInteger(), nullable=False),
        sa.Column("checkpoint_hash", sa.String(64), nullable=False),
        sa.Column("checkpoint_at", sa.BigInteger(), nullable=True),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS_HASH, "checkpoint_seq": 0,
                           "checkpoint_hash": GENESIS_HASH, "checkpoint_at": None}])


def downgrade() -> None:
    op.drop_table("ledger_head")
    op.drop_index("ix_ledger_entries_subject", "ledger_entries")
    op.drop_index("ix_ledger_entries_at", "ledger_entries")
    op.drop_table("ledger_entries")
