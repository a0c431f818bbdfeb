"""Recruiting: room for the encrypted phone number in profiles (standard 4.4.1 c).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.alter_column("phone", type_=sa.String(200), existing_type=sa.String(32), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.alter_column("phone", type_=sa.String(32), existing_type=sa.String(200), existing_nullable=False)
