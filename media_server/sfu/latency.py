"""Time inside the server per forwarded packet, as a small log-bucket histogram (sans-I/O).

Why buckets: one observation per upstream packet must cost little (a
``bisect`` and an increment), and a p99 needs no stored samples. Buckets grow
by 25 %, so a quantile is exact to within one bucket (≤ 25 % high).
The window keeps the current and the previous period, so a quantile always
covers between one and two periods of recent packets.
"""

from __future__ import annotations

from bisect import bisect_left

FIRST_EDGE = 10e-6
GROWTH = 1.25
EDGES = tuple(FIRST_EDGE * GROWTH**k for k in range(60))  # 10 µs … ≈ 6.5 s


class LatencyHistogram:
    """Counts of durations (seconds) per bucket; the last bucket also takes anything longer."""

    __slots__ = ("counts", "total")

    def __init__(self) -> None:
        self.counts = [0] * (len(EDGES) + 1)
        self.total = 0

    def observe(self, seconds: float) -> None:
        self.counts[bisect_left(EDGES, seconds)] += 1
        self.total += 1

    def merge(self, other: LatencyHistogram) -> None:
        for i, count in enumerate(other.counts):
            self.counts[i] += count
        self.total += other.total

    def quantile(self, q: float) -> float | None:
        """The upper edge of the bucket holding quantile ``q`` (0..1); ``None`` when empty."""
        if self.total == 0:
            return None
        rank = max(1, round(q * self.total))
        seen = 0
        for i, count in enumerate(self.counts):
            seen += count
            if seen >= rank:
                return EDGES[min(i, len(EDGES) - 1)]
        return EDGES[-1]


class LatencyWindow:
    """A histogram of the last one to two ``period`` seconds (time is passed in)."""

    __slots__ = ("_current", "_previous", "_started", "period")

    def __init__(self, period: float = 10.0) -> None:
        self.period = period
        self._current = LatencyHistogram()
        self._previous = LatencyHistogram()
        self._started: float | None = None

    def observe(self, seconds: float, now: float) -> None:
        if self._started is None:
            self._started = now
        elif now - self._started >= self.period:
            self._previous, self._current = self._current, LatencyHistogram()
            self._started = now
        self._current.observe(seconds)

    def recent(self) -> LatencyHistogram:
        both = LatencyHistogram()
        both.merge(self._previous)
        both.merge(self._current)
        return both

    def take(self) -> LatencyHistogram:
        """Everything since the last ``take`` (the bench's measuring windows), and start afresh."""
        both = self.recent()
        self._current, self._previous, self._started = LatencyHistogram(), LatencyHistogram(), None
        return both
