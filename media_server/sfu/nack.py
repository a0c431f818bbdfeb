"""Upstream loss bookkeeping: which sequence numbers to NACK, and when (sans-I/O).

The server is the publisher's receiver, so it must ask for retransmission of
the gaps it sees (RFC 4585 §6.2.1) before its viewers ask it for them. Each
missing packet is requested at most ``max_retries`` times, ``retry_interval``
apart, and forgotten once it is more than ``horizon`` packets old.
"""

from __future__ import annotations

from .munger import SEQ_MOD, seq_newer


class NackTracker:
    """Tracks missing upstream sequence numbers of one media SSRC."""

    __slots__ = ("_horizon", "_max_retries", "_missing", "_retry_interval", "highest", "recovered")

    def __init__(self, *, max_retries: int = 5, retry_interval: float = 0.05, horizon: int = 1024) -> None:
        self._max_retries = max_retries
        self._retry_interval = retry_interval
        self._horizon = horizon
        # seq -> (requests made, time of last request)
        self._missing: dict[int, tuple[int, float]] = {}
        self.highest: int | None = None
        self.recovered = 0

    @property
    def missing(self) -> list[int]:
        highest = self.highest or 0
        return sorted(self._missing, key=lambda s: (s - highest) % SEQ_MOD)

    def reset(self) -> None:
        self._missing.clear()
        self.highest = None

    def add(self, seq: int, now: float) -> list[int]:
        """Record a received packet; returns sequence numbers to NACK now."""
        if self.highest is None:
            self.highest = seq
            return []
        if seq_newer(seq, self.highest):
            gap = (seq - self.highest) % SEQ_MOD
            if gap > self._horizon:
                # a jump this large is a new stream, not loss
                self._missing.clear()
            else:
                for offset in range(1, gap):
                    self._missing[(self.highest + offset) % SEQ_MOD] = (0, -1e9)
            self.highest = seq
            self._forget_old()
        elif self._missing.pop(seq, None) is not None:
            self.recovered += 1
        return self.due(now)

    def due(self, now: float) -> list[int]:
        """Sequence numbers whose next NACK is due; marks them requested."""
        out: list[int] = []
        for seq, (count, last) in list(self._missing.items()):
            if now - last < self._retry_interval:
                continue
            if count >= self._max_retries:
                del self._missing[seq]
                continue
            self._missing[seq] = (count + 1, now)
            out.append(seq)
        highest = self.highest or 0
        return sorted(out, key=lambda s: (s - highest) % SEQ_MOD)

    def _forget_old(self) -> None:
        if self.highest is None:
            return
        for seq in [s for s in self._missing if (self.highest - s) % SEQ_MOD > self._horizon]:
            del self._missing[seq]
