"""Job review (standard 5.1.3 c, 人力资源市场暂行条例 §26): jobs gain their industry, an agency job's client
company, mandate reference and mandate document (a sha256 in the blob store), the filter's reasons, the reviewer's decision and the number of the version
that is live; ``job_versions`` keeps every published version. Existing jobs keep their state; every
published one gets its content as version 1 (published at its last update, approved by nobody).

Revision ID: 0011
Revises: 0010
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("industry", sa.String(32)), ("client_company", sa.String(200)), ("mandate_ref", sa.String(100)),
    ("mandate_sha256", sa.String(64)), ("mandate_type", sa.String(32)), ("mandate_size", sa.Integer()),
    ("mandate_name", sa.String(200)),
    ("review_flags", sa.Text()), ("review_reason", sa.Text()), ("reviewed_by", sa.String(64)),
    ("reviewed_at", sa.BigInteger()),
)
#: The content of a version, as recruiting.domain.review.content builds it.
_CONTENT = ("title", "employer", "kind", "location", "salary_min", "salary_max", "headcount", "requirements",
            "benefits", "valid_from", "valid_until", "industry", "client_company", "mandate_ref", "mandate_sha256")


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        for name, type_ in _COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_jobs_status", "jobs", ["status"])
    versions = op.create_table(
        "job_versions",
        sa.Column("job_id", sa.String(64), sa.ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("published_at", sa.BigInteger(), nullable=False),
        sa.Column("approved_by", sa.String(64), nullable=True),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, updated_at, " + ", ".join(_CONTENT) + " FROM jobs WHERE status = 'published'"))
    backfill = [{"job_id": row.id, "version": 1, "published_at": row.updated_at, "approved_by": None,
                 "content": json.dumps({key: getattr(row, key) for key in _CONTENT}, ensure_ascii=False,
                                       sort_keys=True)} for row in rows]
    if backfill:
        op.bulk_insert(versions, backfill)
        op.execute("UPDATE jobs SET version = 1 WHERE status = 'published'")


def downgrade() -> None:
    op.drop_table("job_versions")
    op.drop_index("ix_jobs_status", "jobs")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("version")
        for name, _ in reversed(_COLUMNS):
            batch.drop_column(name)
