"""Who a stored chat item names: the rules the §45 copy, the §47 erasure and the report cap share.

Pure functions over the JSON both backends store, so the memory and Redis ports cannot disagree
on whose data an item is (the Redis Lua scripts mirror :func:`written_by` and :func:`reporter_id`).
"""

from __future__ import annotations

import json
from typing import Any


def written_by(message: dict[str, Any], user_id: str) -> bool:
    """A chat message (or held message) whose author is ``user_id``."""
    user = message.get("user")
    return isinstance(user, dict) and user.get("id") == user_id


def concerns(item: dict[str, Any], user_id: str) -> bool:
    """A review-queue item that carries ``user_id``: a held message of theirs, a report by or about them."""
    reporter = item.get("reporter")
    return written_by(item, user_id) or (isinstance(reporter, dict) and reporter.get("id") == user_id)


def held_copy(room: str, item: dict[str, Any], user_id: str) -> dict[str, Any]:
    """A review-queue item as the person's §45 copy shows it: a report about them keeps its text and
    time but not who reported it."""
    copy = {"room": room, **item}
    reporter = copy.get("reporter")
    if isinstance(reporter, dict) and reporter.get("id") != user_id:
        copy.pop("reporter")
    return copy


def pinned_by(value: str | None, user_id: str) -> bool:
    """A pin control value written by ``user_id`` (a host or moderator whose data is erased, §47)."""
    if not value:
        return False
    try:
        pinned = json.loads(value)
    except ValueError:
        return False
    return isinstance(pinned, dict) and isinstance(pinned.get("by"), dict) and pinned["by"].get("id") == user_id


def reporter_id(item: dict[str, Any]) -> str | None:
    """The user who made a report (``None`` for a held message): the per-reporter cap counts by it."""
    reporter = item.get("reporter")
    if item.get("kind") != "report" or not isinstance(reporter, dict) or not isinstance(reporter.get("id"), str):
        return None
    return str(reporter["id"])
