"""Room controls without I/O: rate limits, slow mode, mutes, bans, the pin.

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

from chat.buckets import LocalRateLimiter
from chat.bus.ports import PIN_CONTROL
from identity.principal import Principal

#: Reports one user may send in a room: 5 at once, then one every 12 s (5 a minute). Separate from
#: the chat bucket, so reporting does not cost messages and a report flood is stopped early (review
#: M3); the review queue's per-reporter cap (:data:`chat.bus.ports.PENDING_REPORTS_PER_USER`) bounds the
#: rest on every node, since this bucket is per node.
REPORT_CAPACITY: Final = 5
REPORT_WINDOW_SECONDS: Final = 60.0


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a chat message is refused before moderation, as an ``error`` frame code."""

    code: str
    message: str
    retry_after: float = 0.0


@dataclass(slots=True)
class RoomControls:
    """Slow mode, the pinned announcement, mutes (until a time), bans, and per-user buckets.

    ``shared_rate``: the rate limit is decided by the bus's shared limiter (Redis) after
    :meth:`check`; the session then calls :meth:`sent` once the message is admitted.
    """

    slow_mode: int = 0
    pinned: dict[str, Any] | None = None
    muted_until: dict[str, float] = field(default_factory=dict)
    banned: set[str] = field(default_factory=set)
    rate: LocalRateLimiter = field(default_factory=LocalRateLimiter)  # keyed by user: one per room
    last_sent: dict[str, float] = field(default_factory=dict)
    shared_rate: bool = False
    reports: LocalRateLimiter = field(default_factory=lambda: LocalRateLimiter(REPORT_CAPACITY, REPORT_WINDOW_SECONDS))

    def apply(self, name: str, value: str | None) -> None:
        """One persisted field (``slow_mode``, ``pin``, ``mute:<user>``, ``ban:<user>``)."""
        if name == "slow_mode":
            self.slow_mode = int(value or 0)
        elif name == PIN_CONTROL:
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
        self.rate.prune(now)
        self.reports.prune(now)
        self.last_sent = {u: t for u, t in self.last_sent.items() if now - t < self.slow_mode}
        self.muted_until = {u: t for u, t in self.muted_until.items() if t > now}

    def check(self, principal: Principal, now: float, *, moderator: bool) -> Refusal | None:
        """Ban, mute, slow mode and rate limit, in that order; moderators skip the last two.

        With ``shared_rate`` the rate limit is left to the shared limiter (see the class).
        """
        user = principal.user_id
        barred = self._barred(user, now)
        if barred is not None or moderator:
            return barred
        if self.slow_mode:
            last = self.last_sent.get(user)
            if last is not None and now - last < self.slow_mode:
                return slow_refusal(self.slow_mode - (now - last))
        if self.shared_rate:
            return None
        wait = self.rate.take_now(user, now)
        if wait > 0:
            return rate_refusal(wait)
        self.sent(user, now)
        return None

    def check_report(self, principal: Principal, now: float) -> Refusal | None:
        """Ban and mute as for chat, then the report bucket (moderators too: they have no reason to
        report in bulk, they delete). Slow mode does not apply to reports."""
        user = principal.user_id
        barred = self._barred(user, now)
        if barred is not None:
            return barred
        wait = self.reports.take_now(user, now)
        return report_refusal(wait) if wait > 0 else None

    def _barred(self, user: str, now: float) -> Refusal | None:
        if user in self.banned:
            return Refusal("banned", "你已被禁止在本直播间发言")
        until = self.muted_until.get(user)
        if until is not None:
            if until > now:
                return Refusal("muted", f"你已被禁言，还剩 {int(until - now) + 1} 秒", until - now)
            del self.muted_until[user]
        return None

    def sent(self, user: str, now: float) -> None:
        """A message of ``user`` was admitted at ``now`` (slow mode counts from here)."""
        self.last_sent[user] = now


def slow_refusal(wait: float) -> Refusal:
    return Refusal("slow_mode", f"慢速模式：请 {int(wait) + 1} 秒后再发言", wait)


def rate_refusal(wait: float) -> Refusal:
    return Refusal("rate_limited", f"发言太频繁，请 {int(wait) + 1} 秒后再试", wait)


def report_refusal(wait: float) -> Refusal:
    return Refusal("rate_limited", f"举报太频繁，请 {int(wait) + 1} 秒后再试", wait)
