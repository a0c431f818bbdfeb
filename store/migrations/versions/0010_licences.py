"""Licences with evidence (standard 5.1.1, 4.2.3): the qualifications table gains the licence's issuing
authority, validity, the evidence file (a sha256 in the blob store), who submitted and who decided, and the
reason; jobs gain the reason the platform closed them. Existing rows keep their state: a ``verified``
qualification counts as approved, without recorded validity (never expires until reviewed again).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("authority", sa.String(200)), ("valid_from", sa.BigInteger()), ("valid_until", sa.BigInteger()),
    ("file_sha256", sa.String(64)), ("file_type", sa.String(32)), ("file_size", sa.Integer()),
    ("file_name", sa.String(200)), ("submitted_by", sa.String(64)), ("decided_by", sa.String(64)),
    ("reason", sa.Text()),
)


def upgrade() -> None:
    with op.batch_alter_table("qualifications") as batch:
        for name, type_ in _COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
    op.create_index("ix_qualifications_state", "qualifications", ["state"])
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("status_reason", sa.String(400), nullable=True))
    # rows filed before the review: a verified one is approved (decided when it was filed, if unknown)
    op.execute("UPDATE qualifications SET decided_at = created_at WHERE state = 'verified' AND decided_at IS NULL")


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("status_reason")
    op.drop_index("ix_qualifications_state", "qualifications")
    with op.batch_alter_table("qualifications") as batch:
        for name, _ in reversed(_COLUMNS):
            batch.drop_column(name)
