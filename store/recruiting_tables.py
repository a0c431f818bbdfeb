"""Recruiting tables on the shared :data:`store.schema.metadata`.

Qualifications (5.1.1), jobs (4.3.1 b), live sessions and pinned cards (5.2),
profiles with separate consent (个人信息保护法 §23), applications (the hot
path, unique per (user, job) and per (user, ref) so an apply is exactly once),
the back-office log and resume-read audit (5.1.4, 4.4.1 b), interviews
(4.3.1 c), virtual-number bindings and call records (5.1.5). Times are
integer milliseconds; created by migration ``0002_recruiting``.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from store.schema import metadata

qualifications = Table(
    "qualifications",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("org_id", String(64), ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("number", String(100), nullable=False, server_default=""),
    Column("state", String(16), nullable=False, server_default="pending"),
    Column("created_at", BigInteger, nullable=False),
    Column("decided_at", BigInteger, nullable=True),
    # licence evidence and review (governance/licences_sql.py, migration 0010_licences)
    Column("authority", String(200), nullable=True),
    Column("valid_from", BigInteger, nullable=True),
    Column("valid_until", BigInteger, nullable=True),
    Column("file_sha256", String(64), nullable=True),
    Column("file_type", String(32), nullable=True),
    Column("file_size", Integer, nullable=True),
    Column("file_name", String(200), nullable=True),
    Column("submitted_by", String(64), nullable=True),
    Column("decided_by", String(64), nullable=True),
    Column("reason", Text, nullable=True),
)

invitations = Table(
    "org_invitations",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("org_id", String(64), ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
    Column("role", String(16), nullable=False),
    Column("reports_to", String(64), nullable=True),
    Column("created_by", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("used_by", String(64), nullable=True),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("org_id", String(64), ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("employer", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("location", String(200), nullable=False),
    Column("salary_min", Integer, nullable=False),
    Column("salary_max", Integer, nullable=False),
    Column("headcount", Integer, nullable=False),
    Column("requirements", Text, nullable=False, server_default=""),
    Column("benefits", Text, nullable=False, server_default=""),
    Column("valid_from", BigInteger, nullable=False),
    Column("valid_until", BigInteger, nullable=False),
    Column("status", String(16), nullable=False, server_default="published"),
    Column("status_reason", String(400), nullable=True),  # why it was closed by the platform (0010_licences)
    # job review (0011_job_review): industry, agency client and mandate, the filter's reasons, the decision
    Column("industry", String(32), nullable=True),
    Column("client_company", String(200), nullable=True),
    Column("mandate_ref", String(100), nullable=True),
    Column("mandate_valid_until", BigInteger, nullable=True),  # the mandate's end, when given (0012)
    Column("mandate_sha256", String(64), nullable=True),  # the mandate document in the blob store, its type,
    Column("mandate_type", String(32), nullable=True),  # size and name
    Column("mandate_size", Integer, nullable=True),
    Column("mandate_name", String(200), nullable=True),
    Column("review_flags", Text, nullable=True),  # JSON list: why the filter or the industry list doubts it
    Column("review_reason", Text, nullable=True),  # the reviewer's reason (a rejection's, shown to the poster)
    Column("reviewed_by", String(64), nullable=True),
    Column("reviewed_at", BigInteger, nullable=True),
    Column("version", Integer, nullable=False, server_default="0"),  # the last published version (job_versions)
    Column("created_by", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)

#: Every published version of a job (standard 5.1.3 c, 人力资源市场暂行条例 §26): the full content as JSON.
job_versions = Table(
    "job_versions",
    metadata,
    Column("job_id", String(64), ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("content", Text, nullable=False),
    Column("published_at", BigInteger, nullable=False),
    Column("approved_by", String(64), nullable=True),  # the reviewer; None: passed the filter unreviewed
)

live_sessions = Table(
    "live_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("room", String(64), nullable=False),
    Column("org_id", String(64), ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("host_user", String(64), nullable=False),
    Column("starts_at", BigInteger, nullable=False),
    Column("state", String(16), nullable=False, server_default="planned"),
    Column("started_at", BigInteger, nullable=True),
    Column("ended_at", BigInteger, nullable=True),
    Column("peak_viewers", Integer, nullable=False, server_default="0"),
    Column("total_viewers", Integer, nullable=False, server_default="0"),
    Column("chat_messages", Integer, nullable=False, server_default="0"),
    Column("blocked_messages", Integer, nullable=False, server_default="0"),
    Column("created_at", BigInteger, nullable=False),
)

session_jobs = Table(
    "session_jobs",
    metadata,
    Column("session_id", String(64), ForeignKey("live_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("job_id", String(64), ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False),
)

job_pins = Table(
    "job_pins",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("room", String(64), nullable=False),
    Column("session_id", String(64), nullable=True),
    Column("job_id", String(64), ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
    Column("pinned_by", String(64), nullable=False),
    Column("pinned_at", BigInteger, nullable=False),
    Column("unpinned_at", BigInteger, nullable=True),
    Column("impressions", Integer, nullable=False, server_default="0"),
)

profiles = Table(
    "profiles",
    metadata,
    Column("user_id", String(64), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("phone", String(200), nullable=False),  # encrypted (store.sealing), 0004
    Column("resume", Text, nullable=False),
    Column("consent_to_share", Boolean, nullable=False, server_default="0"),
    Column("consent_at", BigInteger, nullable=True),
    Column("updated_at", BigInteger, nullable=False),
)

applications = Table(
    "applications",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", String(64), nullable=False),
    Column("job_id", String(64), ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
    Column("org_id", String(64), nullable=False),
    Column("room", String(64), nullable=True),
    Column("ref", String(128), nullable=True),
    Column("source", String(16), nullable=True),  # None: the live (or the API); "replay": a replay's card (0013)
    Column("status", String(16), nullable=False, server_default="new"),
    Column("assigned_to", String(64), nullable=True),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    UniqueConstraint("user_id", "job_id", name="uq_applications_user_job"),
    UniqueConstraint("user_id", "ref", name="uq_applications_user_ref"),
)

application_log = Table(
    "application_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("application_id", String(64), ForeignKey("applications.id", ondelete="CASCADE"), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("detail", Text, nullable=False, server_default=""),
    Column("created_at", BigInteger, nullable=False),
)

resume_reads = Table(
    "resume_reads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("application_id", String(64), nullable=False),
    Column("org_id", String(64), nullable=False),
    Column("reader", String(64), nullable=False),
    Column("read_at", BigInteger, nullable=False),
    Column("purpose", String(16), nullable=True),  # why it was read (recruiting.domain.rules.READ_PURPOSES; 0012)
)

interviews = Table(
    "interviews",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("application_id", String(64), ForeignKey("applications.id", ondelete="CASCADE"), nullable=False),
    Column("org_id", String(64), nullable=False),
    Column("user_id", String(64), nullable=False),
    Column("at", BigInteger, nullable=False),
    Column("place", String(300), nullable=False, server_default=""),
    Column("link", String(500), nullable=False, server_default=""),
    Column("contact", String(100), nullable=False),
    Column("state", String(24), nullable=False, server_default="invited"),
    Column("candidate_note", Text, nullable=False, server_default=""),
    Column("created_by", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)

interview_reminders = Table(
    "interview_reminders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("interview_id", String(64), ForeignKey("interviews.id", ondelete="CASCADE"), nullable=False),
    Column("remind_at", BigInteger, nullable=False),
    Column("sent_at", BigInteger, nullable=True),
)

number_bindings = Table(
    "number_bindings",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("application_id", String(64), ForeignKey("applications.id", ondelete="CASCADE"), nullable=False),
    Column("recruiter", String(64), nullable=False),
    Column("number_x", String(32), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("released_at", BigInteger, nullable=True),
)

call_records = Table(
    "call_records",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("binding_id", String(64), ForeignKey("number_bindings.id", ondelete="CASCADE"), nullable=False),
    Column("caller", String(64), nullable=False),
    Column("started_at", BigInteger, nullable=False),
    Column("answered_at", BigInteger, nullable=True),
    Column("ended_at", BigInteger, nullable=True),
    Column("release_cause", String(32), nullable=False, server_default=""),
)

Index("ix_qualifications_org", qualifications.c.org_id)
Index("ix_qualifications_state", qualifications.c.state)
Index("ix_jobs_org", jobs.c.org_id)
Index("ix_jobs_status", jobs.c.status)
Index("ix_applications_org_created", applications.c.org_id, applications.c.created_at)
Index("ix_application_log_app", application_log.c.application_id)
Index("ix_interviews_user", interviews.c.user_id)
Index("ix_job_pins_room", job_pins.c.room)
Index("ix_live_sessions_room", live_sessions.c.room)
