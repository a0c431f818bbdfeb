"""Recordings and clips (standard 4.3.1 a, 5.2; ``store.recording_tables``); where an application was made
(``applications.source``: None for the live or the API, ``replay`` from a replay's job card).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recordings",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("room", sa.String(64), nullable=False),
        sa.Column("org_id", sa.String(64), nullable=True),
        sa.Column("session_id", sa.String(64), nullable=True),
        sa.Column("parent_id", sa.String(32), nullable=True),
        sa.Column("blob_key", sa.String(200), nullable=True),
        sa.Column("media_type", sa.String(32), nullable=False),
        sa.Column("codec", sa.String(16), nullable=True),
        sa.Column("started_at", sa.BigInteger(), nullable=False),
        sa.Column("ended_at", sa.BigInteger(), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=False, server_default="0"),
        sa.Column("offset_s", sa.Float(), nullable=False, server_default="0"),
        sa.Column("visibility", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=True),
        sa.Column("job_id", sa.String(64), nullable=True),
        sa.Column("created_by", sa.String(64), nullable=True),
        sa.Column("taken_down_at", sa.BigInteger(), nullable=True),
        sa.Column("takedown_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_recordings_room", "recordings", ["room", "started_at"])
    op.create_index("ix_recordings_org", "recordings", ["org_id", "kind"])
    op.create_index("ix_recordings_created", "recordings", ["created_at"])
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("source", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("source")
    op.drop_table("recordings")
