"""Governance: the service ledger (4.4.1 f), complaints (4.4.1 e), organisation review (5.1.3 a).

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
    op.create_table(
        "complaints",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("target_type", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(128), nullable=False),
        sa.Column("target_org", sa.String(64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(400), nullable=True),
        sa.Column("filed_by", sa.String(64), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("assignee", sa.String(64), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("follow_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("deadline_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.Column("answered_at", sa.BigInteger(), nullable=True),
        sa.Column("closed_at", sa.BigInteger(), nullable=True),
        sa.UniqueConstraint("follow_hash", name="uq_complaints_follow_hash"),
    )
    op.create_index("ix_complaints_status_deadline", "complaints", ["status", "deadline_at"])
    op.create_index("ix_complaints_filed_by", "complaints", ["filed_by"])
    with op.batch_alter_table("organisations") as batch:  # organisations made before the review: approved
        batch.add_column(sa.Column("state", sa.String(16), nullable=False, server_default="approved"))
    op.create_table(
        "org_profiles",
        sa.Column("org_id", sa.String(64), sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("credit_code", sa.String(18), nullable=True),
        sa.Column("address", sa.String(200), nullable=True),
        sa.Column("website", sa.String(200), nullable=True),
        sa.Column("contact_phone", sa.String(32), nullable=True),
        sa.Column("industry", sa.String(64), nullable=True),
        sa.Column("industry_access", sa.String(16), nullable=True),
        sa.Column("flags", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("change", sa.Text(), nullable=True),
        sa.Column("registered_by", sa.String(64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("decided_at", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_org_profiles_credit_code", "org_profiles", ["credit_code"])
    op.create_index("ix_org_profiles_registered_by", "org_profiles", ["registered_by"])


def downgrade() -> None:
    op.drop_table("org_profiles")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("state")
    op.drop_table("complaints")
    op.drop_table("ledger_head")
    op.drop_index("ix_ledger_entries_subject", "ledger_entries")
    op.drop_index("ix_ledger_entries_at", "ledger_entries")
    op.drop_table("ledger_entries")
