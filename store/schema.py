"""The foundation tables: organisations, users, members, rooms (standard 5.1.2, 3.1).

One SQLAlchemy ``MetaData`` holds every table of the store; other modules of
``store`` add their tables to :data:`metadata` and a migration in
``store/migrations/versions``. Columns use portable types so the
same schema runs on SQLite (embedded default) and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

# Times are integer milliseconds since the epoch (UTC): portable and sortable.

organisations = Table(
    "organisations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False, server_default="employer"),
    Column("created_at", BigInteger, nullable=False),
    # enterprise review (5.1.3 a, migration 0009): pending | approved | rejected; existing ones are approved
    Column("state", String(16), nullable=False, server_default="approved"),
)

users = Table(
    "users",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("display_name", String(100), nullable=False),
    Column("password_hash", String(200), nullable=True),
    Column("created_at", BigInteger, nullable=False),
    # identity (migration 0008): the sign-in phone of a person, as a keyed hash for look-up and sealed
    # for the person's own copy (§45); members without a phone sign in with a password only.
    Column("phone_hash", String(64), nullable=True),
    Column("phone", String(200), nullable=True),
    Column("password_changed_at", BigInteger, nullable=True),
    UniqueConstraint("phone_hash"),
)

members = Table(
    "members",
    metadata,
    Column("org_id", String(64), ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", String(64), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("reports_to", String(64), nullable=True),
    Column("created_at", BigInteger, nullable=False),
    # The member's own phone, sealed by store.sealing (A of the AXB binding, 5.1.5); migration 0006.
    Column("phone", String(200), nullable=True),
)

rooms = Table(
    "rooms",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("slug", String(64), nullable=False),
    Column("title", String(200), nullable=False),
    Column("org_id", String(64), ForeignKey("organisations.id", ondelete="SET NULL"), nullable=True),
    Column("visibility", String(16), nullable=False, server_default="public"),
    Column("stream_key_hash", String(64), nullable=False),
    Column("archived", Boolean, nullable=False, server_default=false()),
    Column("description", Text, nullable=False, server_default=""),
    Column("created_at", BigInteger, nullable=False),
    UniqueConstraint("slug"),
)

Index("ix_members_user", members.c.user_id)
