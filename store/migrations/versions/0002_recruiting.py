"""Recruiting: qualifications, jobs, live sessions, pins, profiles, applications,
back-office log and resume-read audit, interviews, virtual numbers.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('profiles',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('resume', sa.Text(), nullable=False),
    sa.Column('consent_to_share', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('consent_at', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_profiles'))
    )
    op.create_table('resume_reads',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('application_id', sa.String(length=64), nullable=False),
    sa.Column('org_id', sa.String(length=64), nullable=False),
    sa.Column('reader', sa.String(length=64), nullable=False),
    sa.Column('read_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resume_reads'))
    )
    op.create_table('jobs',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('org_id', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('employer', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('salary_min', sa.Integer(), nullable=False),
    sa.Column('salary_max', sa.Integer(), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=False),
    sa.Column('requirements', sa.Text(), server_default='', nullable=False),
    sa.Column('benefits', sa.Text(), server_default='', nullable=False),
    sa.Column('valid_from', sa.BigInteger(), nullable=False),
    sa.Column('valid_until', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), server_default='published', nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_jobs_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    op.create_index('ix_jobs_org', 'jobs', ['org_id'], unique=False)
    op.create_table('live_sessions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('room', sa.String(length=64), nullable=False),
    sa.Column('org_id', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('host_user', sa.String(length=64), nullable=False),
    sa.Column('starts_at', sa.BigInteger(), nullable=False),
    sa.Column('state', sa.String(length=16), server_default='planned', nullable=False),
    sa.Column('started_at', sa.BigInteger(), nullable=True),
    sa.Column('ended_at', sa.BigInteger(), nullable=True),
    sa.Column('peak_viewers', sa.Integer(), server_default='0', nullable=False),
    sa.Column('total_viewers', sa.Integer(), server_default='0', nullable=False),
    sa.Column('chat_messages', sa.Integer(), server_default='0', nullable=False),
    sa.Column('blocked_messages', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_live_sessions_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_sessions'))
    )
    op.create_index('ix_live_sessions_room', 'live_sessions', ['room'], unique=False)
    op.create_table('org_invitations',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('org_id', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('reports_to', sa.String(length=64), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('expires_at', sa.BigInteger(), nullable=False),
    sa.Column('used_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_org_invitations_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_org_invitations'))
    )
    op.create_table('qualifications',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('org_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('number', sa.String(length=100), server_default='', nullable=False),
    sa.Column('state', sa.String(length=16), server_default='pending', nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('decided_at', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_qualifications_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qualifications'))
    )
    op.create_index('ix_qualifications_org', 'qualifications', ['org_id'], unique=False)
    op.create_table('applications',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('job_id', sa.String(length=64), nullable=False),
    sa.Column('org_id', sa.String(length=64), nullable=False),
    sa.Column('room', sa.String(length=64), nullable=True),
    sa.Column('ref', sa.String(length=128), nullable=True),
    sa.Column('status', sa.String(length=16), server_default='new', nullable=False),
    sa.Column('assigned_to', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_applications_job_id_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('user_id', 'job_id', name='uq_applications_user_job'),
    sa.UniqueConstraint('user_id', 'ref', name='uq_applications_user_ref')
    )
    op.create_index('ix_applications_org_created', 'applications', ['org_id', 'created_at'], unique=False)
    op.create_table('job_pins',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('room', sa.String(length=64), nullable=False),
    sa.Column('session_id', sa.String(length=64), nullable=True),
    sa.Column('job_id', sa.String(length=64), nullable=False),
    sa.Column('pinned_by', sa.String(length=64), nullable=False),
    sa.Column('pinned_at', sa.BigInteger(), nullable=False),
    sa.Column('unpinned_at', sa.BigInteger(), nullable=True),
    sa.Column('impressions', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_pins_job_id_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_pins'))
    )
    op.create_index('ix_job_pins_room', 'job_pins', ['room'], unique=False)
    op.create_table('session_jobs',
    sa.Column('session_id', sa.String(length=64), nullable=False),
    sa.Column('job_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_session_jobs_job_id_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['live_sessions.id'], name=op.f('fk_session_jobs_session_id_live_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'job_id', name=op.f('pk_session_jobs'))
    )
    op.create_table('application_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('application_id', sa.String(length=64), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_log_application_id_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_log'))
    )
    op.create_index('ix_application_log_app', 'application_log', ['application_id'], unique=False)
    op.create_table('interviews',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('application_id', sa.String(length=64), nullable=False),
    sa.Column('org_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.Column('place', sa.String(length=300), server_default='', nullable=False),
    sa.Column('link', sa.String(length=500), server_default='', nullable=False),
    sa.Column('contact', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=24), server_default='invited', nullable=False),
    sa.Column('candidate_note', sa.Text(), server_default='', nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_interviews_application_id_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interviews'))
    )
    op.create_index('ix_interviews_user', 'interviews', ['user_id'], unique=False)
    op.create_table('number_bindings',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('application_id', sa.String(length=64), nullable=False),
    sa.Column('recruiter', sa.String(length=64), nullable=False),
    sa.Column('number_x', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('expires_at', sa.BigInteger(), nullable=False),
    sa.Column('released_at', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_number_bindings_application_id_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_number_bindings'))
    )
    op.create_table('call_records',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('binding_id', sa.String(length=64), nullable=False),
    sa.Column('caller', sa.String(length=64), nullable=False),
    sa.Column('started_at', sa.BigInteger(), nullable=False),
    sa.Column('answered_at', sa.BigInteger(), nullable=True),
    sa.Column('ended_at', sa.BigInteger(), nullable=True),
    sa.Column('release_cause', sa.String(length=32), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['binding_id'], ['number_bindings.id'], name=op.f('fk_call_records_binding_id_number_bindings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_records'))
    )
    op.create_table('interview_reminders',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('interview_id', sa.String(length=64), nullable=False),
    sa.Column('remind_at', sa.BigInteger(), nullable=False),
    sa.Column('sent_at', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_interview_reminders_interview_id_interviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interview_reminders'))
    )


def downgrade() -> None:

    op.drop_table('interview_reminders')
    op.drop_table('call_records')
    op.drop_table('number_bindings')
    op.drop_index('ix_interviews_user', table_name='interviews')
    op.drop_table('interviews')
    op.drop_index('ix_application_log_app', table_name='application_log')
    op.drop_table('application_log')
    op.drop_table('session_jobs')
    op.drop_index('ix_job_pins_room', table_name='job_pins')
    op.drop_table('job_pins')
    op.drop_index('ix_applications_org_created', table_name='applications')
    op.drop_table('applications')
    op.drop_index('ix_qualifications_org', table_name='qualifications')
    op.drop_table('qualifications')
    op.drop_table('org_invitations')
    op.drop_index('ix_live_sessions_room', table_name='live_sessions')
    op.drop_table('live_sessions')
    op.drop_index('ix_jobs_org', table_name='jobs')
    op.drop_table('jobs')
    op.drop_table('resume_reads')
    op.drop_table('profiles')
