"""Identity tables: sessions, platform staff, SMS codes and messages, one-time sign-in links, server facts.

Migration 0008. Secrets are never stored: session secrets, SMS codes and sign-in link codes are kept as
keyed hashes (standard 4.4.1 a, c).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table, Text

from store.schema import metadata

#: One signed-in capacity of a person (a viewer, or a member role in one organisation, or platform staff).
#: Access tokens name the session (``sid``); revoking the row ends the tokens and the cookie.
sessions = Table(
    "sessions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("secret_hash", String(64), nullable=False),
    Column("user_id", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("org_id", String(64), nullable=True),
    Column("room", String(64), nullable=True),
    Column("name", String(100), nullable=True),
    Column("kind", String(16), nullable=False),  # browser | api | operator | link
    Column("created_at", BigInteger, nullable=False),
    Column("last_seen_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("revoked_at", BigInteger, nullable=True),
    Column("revoked_reason", String(32), nullable=True),
    Column("ip", String(64), nullable=True),
    Column("user_agent", String(200), nullable=True),
)
Index("ix_sessions_user", sessions.c.user_id)
Index("ix_sessions_revoked_at", sessions.c.revoked_at)

#: Platform reviewers and administrators (not members of any organisation).
platform_staff = Table(
    "platform_staff",
    metadata,
    Column("user_id", String(64), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(16), nullable=False),  # admin | reviewer
    Column("created_at", BigInteger, nullable=False),
)

#: The one live SMS code of a phone: a new request replaces it; 5 wrong tries or 5 minutes end it.
sms_codes = Table(
    "sms_codes",
    metadata,
    Column("phone_hash", String(64), primary_key=True),
    Column("code_hash", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
)

#: What the simulated SMS provider "sent": kept for the operator and tests, pruned after a day.
sms_messages = Table(
    "sms_messages",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("phone_hash", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("code", String(16), nullable=True),
    Column("created_at", BigInteger, nullable=False),
)
Index("ix_sms_messages_phone", sms_messages.c.phone_hash, sms_messages.c.created_at)

#: One-time sign-in links (the demo seed's banner, operators): the code is hashed, used once, expires.
login_links = Table(
    "login_links",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("user_id", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("org_id", String(64), nullable=True),
    Column("name", String(100), nullable=True),
    Column("next_path", String(200), nullable=False, server_default="/"),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("used_at", BigInteger, nullable=True),
)

#: Facts a running server records for the operator's commands (e.g. ``public_url``).
server_facts = Table(
    "server_facts",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)
