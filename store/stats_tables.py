"""Distinct viewers of each live session (standard 5.2 数据分析), created by migration ``0007``.

One row per (session, viewer): every node inserts the viewers who joined its
sockets while the session was live, and duplicates across nodes and reconnects
collapse on the primary key (insert-or-ignore). ``viewer`` is a digest of the
session id and the viewer's id, not the id itself: the count needs no user ids
(个人信息保护法 §6 minimum necessary, §51 de-identification), and the rows of
two sessions cannot be linked to each other.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import BigInteger, Column, ForeignKey, String, Table

from store.schema import metadata

session_viewers = Table(
    "session_viewers",
    metadata,
    Column("session_id", String(64), ForeignKey("live_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("viewer", String(32), primary_key=True),
    Column("joined_at", BigInteger, nullable=False),
)


def viewer_key(session_id: str, viewer: str) -> str:
    """The stored form of a viewer: a per-session digest, no user id (个人信息保护法 §6, §51). Ratings use it
    too, to know that a rater watched the session (standard 6.1)."""
    return hashlib.sha256(f"{session_id}\0{viewer}".encode()).hexdigest()[:32]
