"""Evaluation and improvement (standard 6.1, 6.2): ratings of live sessions and of the platform, and the
corrective actions the platform records. Migration 0012.

A rating is kept once per rater and target (rating again replaces it). ``rater`` is a keyed-hash pseudonym,
not the user id (个人信息保护法 §6, §51): the figures need one vote per person, not who voted. ``comment`` has
personal data masked and passed the filter; a comment the filter doubts is ``held`` (shown to the platform's
reviewers only).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, SmallInteger, String, Table, Text, UniqueConstraint

from store.schema import metadata

#: ``target_type`` ``session`` (``target_id`` a live session, ``org_id``/``host`` its organisation and host,
#: ``role`` viewer or candidate) or ``platform`` (``target_id`` the month ``YYYY-MM``, ``org_id`` the rating
#: organisation, ``role`` org).
ratings = Table(
    "ratings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("target_type", String(16), nullable=False),
    Column("target_id", String(64), nullable=False),
    Column("org_id", String(64), nullable=True),
    Column("host", String(64), nullable=True),
    Column("rater", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("score", SmallInteger, nullable=False),
    Column("comment", Text, nullable=True),
    Column("comment_state", String(16), nullable=True),  # shown | held | None (no comment)
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    UniqueConstraint("target_type", "target_id", "rater"),
)
Index("ix_ratings_created", ratings.c.target_type, ratings.c.created_at)
Index("ix_ratings_org", ratings.c.org_id)

#: A corrective action (6.2): the problem found (by an evaluation, a complaint, an inspection), what is to be
#: done, its owner and follow-up date; ``open`` → ``done`` (with the outcome) → ``verified`` by a second look,
#: or back to ``open``.
corrective_actions = Table(
    "corrective_actions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("org_id", String(64), nullable=True),
    Column("host", String(64), nullable=True),
    Column("source", String(64), nullable=False),
    Column("problem", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("owner", String(64), nullable=False),
    Column("follow_up_at", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("outcome", Text, nullable=True),
    Column("created_by", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("done_at", BigInteger, nullable=True),
    Column("verified_at", BigInteger, nullable=True),
)
Index("ix_corrective_actions_status", corrective_actions.c.status, corrective_actions.c.follow_up_at)
Index("ix_corrective_actions_org", corrective_actions.c.org_id)
