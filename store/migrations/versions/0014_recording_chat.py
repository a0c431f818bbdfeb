"""A replay's chat (``store.recording_tables.recording_chat``) and the owner's choice to show it
(``recordings.chat_replay``); the node writing a replay (``recordings.origin``), which other nodes forward
requests for its growing file to.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("recordings", sa.Column("chat_replay", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("recordings", sa.Column("origin", sa.String(300), nullable=True))
    op.create_table(
        "recording_chat",
        sa.Column("recording_id", sa.String(32), nullable=False),
        sa.Column("message_id", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("recording_id", "message_id"),
    )
    op.create_index("ix_recording_chat_at", "recording_chat", ["recording_id", "at"])
    op.create_index("ix_recording_chat_message", "recording_chat", ["message_id"])
    op.create_index("ix_recording_chat_user", "recording_chat", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_recording_chat_user", table_name="recording_chat")
    op.drop_index("ix_recording_chat_message", table_name="recording_chat")
    op.drop_index("ix_recording_chat_at", table_name="recording_chat")
    op.drop_table("recording_chat")
    op.drop_column("recordings", "origin")
    op.drop_column("recordings", "chat_replay")
