"""Sequence-number and timestamp munging for one viewer track (sans-I/O).

A viewer sees one continuous RTP stream with its own SSRC even when the host
reconnects and the upstream SSRC, sequence and timestamp bases all change.
The mapping is an offset per upstream source: ``out = in + offset (mod 2^n)``,
so a viewer's NACK maps back to an upstream sequence number by subtraction and
can be answered from the shared packet cache.
"""

from __future__ import annotations

SEQ_MOD = 1 << 16
TS_MOD = 1 << 32


def seq_newer(a: int, b: int) -> bool:
    """True if 16-bit sequence number ``a`` is after ``b`` (RFC 3550 wrap-around)."""
    return a != b and ((a - b) % SEQ_MOD) < SEQ_MOD // 2


class SequenceMunger:
    """Maps upstream (seq, timestamp) of the current source onto the viewer's stream."""

    __slots__ = ("_clock_rate", "_last_out_seq", "_last_out_ts", "_last_wall", "_seq_offset",
                 "_source", "_ts_offset", "started")

    def __init__(self, clock_rate: int, first_seq: int = 0, first_ts: int = 0) -> None:
        self._clock_rate = clock_rate
        self._seq_offset = 0
        self._ts_offset = 0
        self._source: int | None = None
        self._last_out_seq = (first_seq - 1) % SEQ_MOD
        self._last_out_ts = first_ts % TS_MOD
        self._last_wall: float | None = None
        self.started = False

    @property
    def source(self) -> int | None:
        return self._source

    def start(self, source: int, seq: int, timestamp: int, now: float) -> None:
        """Begin (or resume after a host reconnect) forwarding ``source`` at this packet.

        The first forwarded packet follows the last one sent without a gap, and
        its timestamp advances by the wall-clock time since then so the
        viewer's jitter buffer sees plausible timing.
        """
        self._seq_offset = (self._last_out_seq + 1 - seq) % SEQ_MOD
        advance = 0 if self._last_wall is None else max(1, round((now - self._last_wall) * self._clock_rate))
        self._ts_offset = (self._last_out_ts + advance - timestamp) % TS_MOD
        self._source = source
        self.started = True

    def map(self, seq: int, timestamp: int, now: float) -> tuple[int, int]:
        """The viewer's (seq, timestamp) for an upstream packet of the current source."""
        out_seq = (seq + self._seq_offset) % SEQ_MOD
        out_ts = (timestamp + self._ts_offset) % TS_MOD
        ahead = (out_seq - self._last_out_seq) % SEQ_MOD
        if 0 < ahead < SEQ_MOD // 2:  # seq_newer(out_seq, last), inlined: once per packet and viewer
            self._last_out_seq = out_seq
            self._last_out_ts = out_ts
            self._last_wall = now
        return out_seq, out_ts

    def state(self) -> tuple[int, int, int, int, float | None]:
        """(seq offset, timestamp offset, last sent seq, last sent timestamp, its wall time): for the C fan-out."""
        return self._seq_offset, self._ts_offset, self._last_out_seq, self._last_out_ts, self._last_wall

    def restore(self, seq_offset: int, ts_offset: int, last_seq: int, last_ts: int, last_wall: float | None) -> None:
        """Take back the state the C fan-out advanced (``_fanout.Viewer``) before a rare event changes it."""
        self._seq_offset, self._ts_offset = seq_offset, ts_offset
        self._last_out_seq, self._last_out_ts, self._last_wall = last_seq, last_ts, last_wall

    def unmap_seq(self, out_seq: int) -> int:
        """The upstream sequence number behind a viewer sequence number (for NACKs)."""
        return (out_seq - self._seq_offset) % SEQ_MOD
