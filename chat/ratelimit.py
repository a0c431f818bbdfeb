"""Per-user chat rate limits: a token bucket per (room, user), local or shared by every node.

Theory of operation. The limit is 20 messages per 30 s per user and room (Twitch's
figure, :data:`RATE_CAPACITY`). With the memory bus there is one
process, so the bucket is local and checked synchronously inside the protocol core
(:class:`chat.controls.RoomControls`). With Redis a user may hold sockets on two
nodes; a per-node bucket would give them twice the allowance, so the bucket lives
in Redis and every chat message spends its token there with one Lua script
(:class:`RedisRateLimiter`): read the bucket, refill it for the time elapsed, take
a token or say how long to wait, write it back with a TTL of one window.

Why one script per message and not leased batches of tokens: the script is exact
whatever the number of nodes (a lease of ``k`` tokens per node lets a user overspend
by up to ``k`` per extra node and needs leases to be handed back), and its cost is
one Redis round trip per *chat message sent* (not per delivery), next to the
``append`` script the message makes anyway; at 200 messages/s in a room that is 200
small scripts/s for Redis. If Redis fails, the node's local bucket decides, so the
limit degrades to per node instead of refusing or admitting everything.

Both limiters implement :class:`chat.bus.RateLimiter`: :meth:`take` answers 0.0 (a token was spent, send) or the seconds
until a token is due; ``now`` comes from the caller, so tests drive time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final

import redis.asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
RATE_CAPACITY: Final = 20  # Twitch: 20 messages per 30 seconds for a regular user
RATE_WINDOW_SECONDS: Final = 30.0

# KEYS[1] the bucket hash; ARGV: now (s), capacity, window (s). Returns the wait (s) as a string.
_TAKE = """
local now, capacity, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 't', 'u')
local tokens = tonumber(state[1]) or capacity
local updated = tonumber(state[2]) or now
local rate = capacity / window
if now > updated then
  tokens = math.min(capacity, tokens + (now - updated) * rate)
  updated = now
end
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 't', string.format('%.6f', tokens), 'u', string.format('%.6f', updated))
redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000))
return string.format('%.6f', wait)
"""


@dataclass(slots=True)
class TokenBucket:
    """``capacity`` messages at once, refilled at ``capacity / window`` per second."""

    capacity: float = RATE_CAPACITY
    window: float = RATE_WINDOW_SECONDS
    tokens: float = RATE_CAPACITY
    updated: float = 0.0

    def take(self, now: float) -> float:
        """0 when a message may go now, else the seconds until one may."""
        rate = self.capacity / self.window
        if now > self.updated:  # a clock stepping back neither refills nor lets a later call refill twice
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * rate)
            self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / rate


class LocalRateLimiter:
    """Buckets in this process: the memory bus (one per room, in ``RoomControls``) and Redis's fallback."""

    def __init__(self, capacity: float = RATE_CAPACITY, window: float = RATE_WINDOW_SECONDS) -> None:
        self.capacity = capacity
        self.window = window
        self._buckets: dict[str, TokenBucket] = {}

    def take_now(self, key: str, now: float) -> float:
        """The synchronous form, for the protocol core: ``key`` is the user (the room is the owner's)."""
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(self.capacity, self.window, self.capacity, now)
        return bucket.take(now)

    async def take(self, room: str, user: str, now: float) -> float:
        return self.take_now(f"{room}\0{user}", now)

    def prune(self, now: float) -> None:
        """Forget buckets idle for a window (they would be full again anyway)."""
        self._buckets = {k: b for k, b in self._buckets.items() if now - b.updated < b.window}


class RedisRateLimiter:
    """One bucket per (room, user) in Redis, shared by every node (key ``chat:{room}:rate:{user}``)."""

    def __init__(self, client: aioredis.Redis, capacity: float = RATE_CAPACITY, window: float = RATE_WINDOW_SECONDS) -> None:
        self.capacity = capacity
        self.window = window
        self._take = client.register_script(_TAKE)
        self.fallback = LocalRateLimiter(capacity, window)

    async def take(self, room: str, user: str, now: float) -> float:
        try:
            wait = await self._take(keys=[f"chat:{room}:rate:{user}"], args=[repr(now), self.capacity, self.window])
        except (RedisError, OSError) as exc:
            log.warning("chat rate limit: redis failed (%s); this node's bucket decides", exc)
            return await self.fallback.take(room, user, now)
        return float(wait)
