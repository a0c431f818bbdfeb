"""Per-viewer delivery statistics from what we send and the viewer's receiver reports.

RFC 3550 §6.4.2: a receiver report block tells the sender the fraction lost
since the last report, the cumulative loss and the interarrival jitter (in
RTP timestamp units). We keep the latest values and a bitrate over a sliding
window of what we sent, so operators can see who is struggling (issue 3).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class ViewerStats:
    """Counters of one viewer track; ``snapshot`` turns them into a JSON-ready dict."""

    clock_rate: int
    packets_sent: int = 0
    bytes_sent: int = 0
    retransmitted: int = 0
    nacks_received: int = 0
    plis_received: int = 0
    fraction_lost: float = 0.0
    packets_lost: int = 0
    jitter_units: int = 0
    reports: int = 0
    _window_start: float = 0.0
    _window_bytes: int = 0
    bitrate_bps: float = 0.0

    def on_sent(self, size: int, now: float) -> None:
        self.packets_sent += 1
        self.bytes_sent += size
        self._window_bytes += size
        elapsed = now - self._window_start
        if elapsed >= 1.0:
            self.bitrate_bps = self._window_bytes * 8 / elapsed
            self._window_start = now
            self._window_bytes = 0

    def on_report(self, fraction_lost: int, packets_lost: int, jitter: int) -> None:
        """One RTCP report block about our stream (fraction is the RFC's 8-bit fixed point)."""
        self.reports += 1
        self.fraction_lost = fraction_lost / 256.0
        self.packets_lost = packets_lost
        self.jitter_units = jitter

    def snapshot(self) -> dict[str, float | int]:
        return {
            "packets_sent": self.packets_sent,
            "bytes_sent": self.bytes_sent,
            "retransmitted": self.retransmitted,
            "nacks_received": self.nacks_received,
            "plis_received": self.plis_received,
            "fraction_lost": round(self.fraction_lost, 4),
            "packets_lost": self.packets_lost,
            "jitter_ms": round(1000.0 * self.jitter_units / self.clock_rate, 2) if self.clock_rate else 0.0,
            "bitrate_bps": round(self.bitrate_bps),
        }
