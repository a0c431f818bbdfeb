"""Picks the event log at start-up: Redis when configured (many nodes), memory otherwise."""

from __future__ import annotations

from recruiting.events.memory import MemoryEventLog
from recruiting.events.port import EventLog
from recruiting.events.redis_stream import RedisStreamEventLog


def event_log_for(redis_url: str | None) -> EventLog:
    """Redis Stream when Redis is configured, memory otherwise."""
    return RedisStreamEventLog(redis_url) if redis_url else MemoryEventLog()
