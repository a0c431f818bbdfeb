"""Time as a dependency: code that waits, expires or stamps asks a :class:`Clock`.

Why: rules such as "a publisher that never connected may be taken over after N seconds" or
"a mute ends at t" are tested by moving a :class:`ManualClock`, not by sleeping, so their
tests take milliseconds and cannot race a slow machine.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Wall-clock seconds since the epoch (stamps, expiries that outlive the process)."""

    def monotonic(self) -> float:
        """Seconds that only go forward (timeouts and ages inside one process)."""


class SystemClock:
    def now(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()


class ManualClock:
    """A clock that moves only when told to: ``advance(seconds)`` or ``set(now)``."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = start
        self._monotonic = 0.0

    def now(self) -> float:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock does not go back")
        self._now += seconds
        self._monotonic += seconds

    def set(self, now: float) -> None:
        """Wall time jumps (as NTP may make it); monotonic time does not go back."""
        self._monotonic += max(0.0, now - self._now)
        self._now = now


def now_ms(clock: Clock | None = None) -> int:
    """Store time: integer milliseconds since the epoch (UTC), portable across databases."""
    return int((clock.now() if clock is not None else time.time()) * 1000)
