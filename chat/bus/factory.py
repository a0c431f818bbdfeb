"""Builds a node's :class:`~chat.bus.ports.ChatBus`: memory ports, or Redis ports sharing one client.

Its own module so the ports never import their implementations (no import cycle), and the
composition root picks the kind by whether a Redis URL is configured (ARCHITECTURE.md §3).
"""

from __future__ import annotations

from chat.bus.memory import (
    MemoryAuditLog,
    MemoryBroker,
    MemoryControls,
    MemoryPersonalData,
    MemoryReviewQueue,
)
from chat.bus.ports import HELD_LIMIT, HISTORY_LIMIT, PENDING_REPORTS_PER_USER, ChatBus
from chat.bus.redis_broker import (
    BACKOFF_MAX_SECONDS,
    BACKOFF_MIN_SECONDS,
    PING_INTERVAL_SECONDS,
    PING_TIMEOUT_SECONDS,
    RedisBroker,
)
from chat.bus.redis_common import connect
from chat.bus.redis_personal import RedisPersonalData
from chat.bus.redis_ratelimit import RedisRateLimiter
from chat.bus.redis_stores import RedisAuditLog, RedisControls, RedisReviewQueue


def create_bus(redis_url: str | None) -> ChatBus:
    """Redis ports when a Redis URL is set, else memory ports."""
    return redis_bus(redis_url) if redis_url else memory_bus()


def memory_bus(
    *, history_limit: int = HISTORY_LIMIT, held_limit: int = HELD_LIMIT, reports_per_user: int = PENDING_REPORTS_PER_USER,
) -> ChatBus:
    """One process: no shared rate limiter (the protocol core's local buckets are exact)."""
    broker = MemoryBroker(history_limit=history_limit)
    review = MemoryReviewQueue(held_limit=held_limit, reports_per_user=reports_per_user)
    controls = MemoryControls(broker)
    return ChatBus(broker, review, controls, MemoryAuditLog(), MemoryPersonalData(broker, review, controls))


def redis_bus(
    url: str, *, history_limit: int = HISTORY_LIMIT, held_limit: int = HELD_LIMIT,
    reports_per_user: int = PENDING_REPORTS_PER_USER, ping_interval: float = PING_INTERVAL_SECONDS,
    ping_timeout: float = PING_TIMEOUT_SECONDS, backoff: tuple[float, float] = (BACKOFF_MIN_SECONDS, BACKOFF_MAX_SECONDS),
) -> ChatBus:
    """Many nodes: every port on one client; a user's sockets on several nodes share one rate bucket."""
    client = connect(url)
    broker = RedisBroker(client, history_limit=history_limit, ping_interval=ping_interval, ping_timeout=ping_timeout,
                         backoff=backoff)
    return ChatBus(
        broker=broker,
        review=RedisReviewQueue(client, held_limit=held_limit, reports_per_user=reports_per_user),
        controls=RedisControls(client, broker),
        audit=RedisAuditLog(client),
        personal=RedisPersonalData(client, broker),
        rate_limiter=RedisRateLimiter(client),
        release=client.aclose,
    )
