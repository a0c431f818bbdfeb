"""Run-time moderation terms per organisation or platform-wide.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "moderation_terms",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("term", sa.String(100), nullable=False),
        sa.Column("added_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("org_id", "category", "term", name="uq_moderation_terms_org_id"),
    )


def downgrade() -> None:
    op.drop_table("moderation_terms")
