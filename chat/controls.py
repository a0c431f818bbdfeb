"""Room controls without I/O: who may moderate, rate limits, slow mode, mutes, bans, the pin.

Every check takes ``now`` from the caller so tests drive time explicitly. The state
here is a per-node cache of what the bus stores (:meth:`RoomControls.apply` takes
the same ``(field, value)`` pairs the bus persists), so every node enforces the same
mutes and bans (standard 4.4.1 a: rate and input limits; 4.4.1 d / 5.1.3 d:
prohibited behaviour in live rooms is stopped by the host and the platform).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Final

from livehire.auth import Principal

MODERATOR_ROLES: Final = frozenset({"host", "admin", "reviewer"})
RATE_CAPACITY: Final = 20  # Twitch: 20 messages per 30 seconds for a regular user
RATE_WINDOW_SECONDS: Final = 30.0


def may_moderate(principal: Principal, room: str) -> bool:
    """Hosts, admins and reviewers moderate; a host token scoped to another room may not."""
    return not principal.anonymous and principal.role in MODERATOR_ROLES and principal.may_act_in_room(room)


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
        self.tokens = min(self.capacity, self.tokens + max(0.0, now - self.updated) * rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / rate


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a chat message is refused before moderation, as an ``error`` frame code."""

    code: str
    message: str
    retry_after: float = 0.0


@dataclass(slots=True)
class RoomControls:
    """Slow mode, the pinned announcement, mutes (until a time), bans, and per-user buckets."""

    slow_mode: int = 0
    pinned: dict[str, Any] | None = None
    muted_until: dict[str, float] = field(default_factory=dict)
    banned: set[str] = field(default_factory=set)
    buckets: dict[str, TokenBucket] = field(default_factory=dict)
    last_sent: dict[str, float] = field(default_factory=dict)

    def apply(self, name: str, value: str | None) -> None:
        """One persisted field (``slow_mode``, ``pin``, ``mute:<user>``, ``ban:<user>``)."""
        if name == "slow_mode":
            self.slow_mode = int(value or 0)
        elif name == "pin":
            self.pinned = None if value is None else json.loads(value)
        elif name.startswith("mute:"):
            user = name[5:]
            if value is None:
                self.muted_until.pop(user, None)
            else:
                self.muted_until[user] = float(value)
        elif name.startswith("ban:"):
            user = name[4:]
            if value is None:
                self.banned.discard(user)
            else:
                self.banned.add(user)

    def load(self, fields: dict[str, str]) -> None:
        for name, value in fields.items():
            self.apply(name, value)

    def prune(self, now: float) -> None:
        """Forget idle buckets, old slow-mode stamps and expired mutes (memory stays bounded)."""
        self.buckets = {u: b for u, b in self.buckets.items() if now - b.updated < b.window}
        self.last_sent = {u: t for u, t in self.last_sent.items() if now - t < self.slow_mode}
        self.muted_until = {u: t for u, t in self.muted_until.items() if t > now}

    def check(self, principal: Principal, now: float, *, moderator: bool) -> Refusal | None:
        """Ban, mute, rate limit and slow mode, in that order; moderators skip the last two."""
        user = principal.user_id
        if user in self.banned:
            return Refusal("banned", "你已被禁止在本直播间发言")
        until = self.muted_until.get(user)
        if until is not None:
            if until > now:
                return Refusal("muted", f"你已被禁言，还剩 {int(until - now) + 1} 秒", until - now)
            del self.muted_until[user]
        if moderator:
            return None
        if self.slow_mode:
            last = self.last_sent.get(user)
            if last is not None and now - last < self.slow_mode:
                wait = self.slow_mode - (now - last)
                return Refusal("slow_mode", f"慢速模式：请 {int(wait) + 1} 秒后再发言", wait)
        bucket = self.buckets.get(user)
        if bucket is None:
            bucket = self.buckets[user] = TokenBucket(updated=now)
        wait = bucket.take(now)
        if wait > 0:
            return Refusal("rate_limited", f"发言太频繁，请 {int(wait) + 1} 秒后再试", wait)
        self.last_sent[user] = now
        return None
