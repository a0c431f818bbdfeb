"""Recruiting: distinct viewers per live session, counted across nodes (standard 5.2).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_viewers",
        sa.Column("session_id", sa.String(64), sa.ForeignKey("live_sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("viewer", sa.String(32), nullable=False),
        sa.Column("joined_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("session_id", "viewer"),
    )


def downgrade() -> None:
    op.drop_table("session_viewers")
