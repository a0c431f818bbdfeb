"""Recordings of lives and the clips cut from them (standard 4.3.1 a, 5.2). Migrations 0013, 0014.

One table holds both kinds: a ``replay`` is the recording of one live of a room (``session_id`` the
recruiting live session running when it started, if any); a ``clip`` is cut from a replay (``parent_id``)
with a title and a job. Job cards are not copied: a replay's cards are the room's ``job_pins`` made
between its ``started_at`` and ``ended_at``. ``blob_key`` names the file in the recordings' blob store;
``taken_down_at`` hides a recording from everyone but platform staff, with the reviewer's reason.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Float, Index, PrimaryKeyConstraint, String, Table, Text

from store.schema import metadata

recordings = Table(
    "recordings",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(8), nullable=False),  # replay | clip
    Column("room", String(64), nullable=False),
    Column("org_id", String(64), nullable=True),
    Column("session_id", String(64), nullable=True),
    Column("parent_id", String(32), nullable=True),
    Column("blob_key", String(200), nullable=True),  # None while nothing is written yet
    Column("media_type", String(32), nullable=False),
    Column("codec", String(16), nullable=True),
    Column("started_at", BigInteger, nullable=False),
    Column("ended_at", BigInteger, nullable=True),  # None while recording
    Column("duration_s", Float, nullable=False, server_default="0"),
    Column("offset_s", Float, nullable=False, server_default="0"),  # a clip's start in its replay
    Column("visibility", String(16), nullable=False),
    Column("title", String(200), nullable=True),
    Column("job_id", String(64), nullable=True),
    Column("created_by", String(64), nullable=True),
    Column("taken_down_at", BigInteger, nullable=True),
    Column("takedown_reason", Text, nullable=True),
    Column("created_at", BigInteger, nullable=False),
    Column("chat_replay", Boolean, nullable=False, server_default="false"),  # the owner's choice (0014)
    Column("origin", String(300), nullable=True),  # the node writing it, for the others while it grows (0014)
)
Index("ix_recordings_room", recordings.c.room, recordings.c.started_at)
Index("ix_recordings_org", recordings.c.org_id, recordings.c.kind)
Index("ix_recordings_created", recordings.c.created_at)

#: The chat messages delivered in a room while it was recorded (migration 0014): kept for every replay, shown
#: only when its owner turns ``chat_replay`` on; a moderator's later delete removes the row. ``at`` in ms.
recording_chat = Table(
    "recording_chat",
    metadata,
    Column("recording_id", String(32), nullable=False),
    Column("message_id", String(32), nullable=False),
    Column("user_id", String(64), nullable=False),  # never served: the §45 copy and §47 erasure find it by this
    Column("at", BigInteger, nullable=False),
    Column("name", String(200), nullable=False),
    Column("role", String(32), nullable=False),
    Column("text", Text, nullable=False),
    PrimaryKeyConstraint("recording_id", "message_id"),
)
Index("ix_recording_chat_at", recording_chat.c.recording_id, recording_chat.c.at)
Index("ix_recording_chat_message", recording_chat.c.message_id)
Index("ix_recording_chat_user", recording_chat.c.user_id)
