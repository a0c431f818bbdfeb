"""Aggregated, throttled keyframe requests towards the publisher (sans-I/O).

Every joining viewer and every viewer PLI/FIR wants a keyframe, but thousands
of viewers must not turn into thousands of PLIs upstream: at most one request
per ``interval`` (≈ 300 ms, issue 3) leaves; requests arriving inside the
window are folded into one that is sent when the window ends.
"""

from __future__ import annotations


class KeyframeThrottle:
    """Decides when a keyframe request may go upstream."""

    __slots__ = ("_interval", "_last_sent", "_pending", "requests", "sent")

    def __init__(self, interval: float = 0.3) -> None:
        self._interval = interval
        self._last_sent: float | None = None
        self._pending = False
        self.requests = 0
        self.sent = 0

    def request(self, now: float) -> bool:
        """Record a request; True if one should be sent upstream now."""
        self.requests += 1
        if self._last_sent is None or now - self._last_sent >= self._interval:
            self._mark_sent(now)
            return True
        self._pending = True
        return False

    def due_in(self, now: float) -> float | None:
        """Seconds until a folded request is due, or None if nothing is pending."""
        if not self._pending or self._last_sent is None:
            return None
        return max(0.0, self._last_sent + self._interval - now)

    def poll(self, now: float) -> bool:
        """True if a folded request is due now (and marks it sent)."""
        due = self.due_in(now)
        if due is None or due > 0:
            return False
        self._mark_sent(now)
        return True

    def reset(self) -> None:
        """Forget history, e.g. when a new publisher replaces the old one."""
        self._last_sent = None
        self._pending = False

    def _mark_sent(self, now: float) -> None:
        self._last_sent = now
        self._pending = False
        self.sent += 1
