"""Evaluation and improvement (standard 6.1, 6.2): ratings of live sessions and of the platform, and
corrective actions (``store.evaluation_tables``); the durable queue of delivered-apply batches for the
service ledger (4.4.1 f, ``store.outbox_tables.ledger_queue``); an agency job's mandate end date
(``jobs.mandate_valid_until``, 5.1.3 c); why a resume was read (``resume_reads.purpose``, 4.4.1 b); moderators' decisions as labelled examples for
the filter (``store.moderation_tables``).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("target_type", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(64), nullable=False),
        sa.Column("org_id", sa.String(64), nullable=True),
        sa.Column("host", sa.String(64), nullable=True),
        sa.Column("rater", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("comment_state", sa.String(16), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("target_type", "target_id", "rater"),
    )
    op.create_index("ix_ratings_created", "ratings", ["target_type", "created_at"])
    op.create_index("ix_ratings_org", "ratings", ["org_id"])
    op.create_table(
        "corrective_actions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=True),
        sa.Column("host", sa.String(64), nullable=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("follow_up_at", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.Column("done_at", sa.BigInteger(), nullable=True),
        sa.Column("verified_at", sa.BigInteger(), nullable=True),
    )
    op.create_index("ix_corrective_actions_status", "corrective_actions", ["status", "follow_up_at"])
    op.create_index("ix_corrective_actions_org", "corrective_actions", ["org_id"])
    op.create_table(
        "ledger_queue",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("rows", sa.Text(), nullable=False),
    )
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("mandate_valid_until", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("resume_reads") as batch:
        batch.add_column(sa.Column("purpose", sa.String(16), nullable=True))
    op.create_table(
        "moderation_labels",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("room", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("context", sa.String(16), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("category", sa.String(32), nullable=True),
        sa.Column("reviewer", sa.String(64), nullable=False),
    )
    op.create_index("ix_moderation_labels_at", "moderation_labels", ["at"])


def downgrade() -> None:
    op.drop_table("moderation_labels")
    with op.batch_alter_table("resume_reads") as batch:
        batch.drop_column("purpose")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("mandate_valid_until")
    op.drop_table("ledger_queue")
    op.drop_table("corrective_actions")
    op.drop_table("ratings")
