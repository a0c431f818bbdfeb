"""Per-user chat limits without I/O: token buckets, slow-mode stamps and the verdict type.

The protocol core (:mod:`chat.protocol` via :mod:`chat.controls`) uses these directly;
the Redis limiter that shares them between nodes is :mod:`chat.bus.redis_ratelimit`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, NamedTuple

RATE_CAPACITY: Final = 20  # Twitch: 20 messages per 30 seconds for a regular user
RATE_WINDOW_SECONDS: Final = 30.0


class Verdict(NamedTuple):
    """A limiter's answer: ``code`` is ``""`` (admitted), ``rate_limited`` or ``slow_mode``."""

    code: str
    wait: float


ADMITTED: Final = Verdict("", 0.0)


@dataclass(slots=True)
class TokenBucket:
    """``capacity`` messages at once, refilled at ``capacity / window`` per second."""

    capacity: float = RATE_CAPACITY
    window: float = RATE_WINDOW_SECONDS
    tokens: float = RATE_CAPACITY
    updated: float = 0.0
    last: float | None = None  # when the last message was admitted (slow mode)

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
        return self._bucket(key, now).take(now)

    def _bucket(self, key: str, now: float) -> TokenBucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(self.capacity, self.window, self.capacity, now)
        return bucket

    async def take(self, room: str, user: str, now: float, slow_mode: float = 0.0) -> Verdict:
        bucket = self._bucket(f"{room}\0{user}", now)
        if slow_mode > 0 and bucket.last is not None and now - bucket.last < slow_mode:
            return Verdict("slow_mode", slow_mode - (now - bucket.last))
        wait = bucket.take(now)
        if wait > 0:
            return Verdict("rate_limited", wait)
        bucket.last = now
        return ADMITTED

    def prune(self, now: float) -> None:
        """Forget buckets idle for a window (they would be full again anyway)."""
        self._buckets = {k: b for k, b in self._buckets.items() if now - b.updated < b.window}
