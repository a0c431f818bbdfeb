"""Moves a viewer sink's rewrite state and counters between Python and its ``_fanout.Viewer``.

While a sink is steady the C fan-out owns the mutable part of its
:class:`SequenceMunger` and :class:`ViewerStats` (see ``_fanout_viewer.c``);
Python takes them back (:func:`pull`) before any rare event reads or changes
them, and hands them over again (:func:`load`) afterwards.
"""

from __future__ import annotations

from typing import Any

from .munger import SequenceMunger
from .stats import ViewerStats


def load(copy: Any, munger: SequenceMunger, stats: ViewerStats, start_seq: int) -> None:
    seq_offset, ts_offset, last_seq, last_ts, last_wall = munger.state()
    copy.seq_offset, copy.ts_offset, copy.last_out_seq, copy.last_out_ts = seq_offset, ts_offset, last_seq, last_ts
    copy.last_wall, copy.has_wall = (0.0, 0) if last_wall is None else (last_wall, 1)
    copy.start_seq = start_seq
    copy.packets, copy.octets = stats.packets_sent, stats.bytes_sent
    copy.window_bytes, copy.window_start, copy.bitrate = stats._window_bytes, stats._window_start, stats.bitrate_bps
    copy.sr_new = 0


def pull(copy: Any, munger: SequenceMunger, stats: ViewerStats) -> tuple[int, int, int, float] | None:
    """Copy the C state back; returns the counters at the last frame end sent since the last pull, if any."""
    munger.restore(copy.seq_offset, copy.ts_offset, copy.last_out_seq, copy.last_out_ts,
                   copy.last_wall if copy.has_wall else None)
    stats.packets_sent, stats.bytes_sent = copy.packets, copy.octets
    stats._window_bytes, stats._window_start, stats.bitrate_bps = copy.window_bytes, copy.window_start, copy.bitrate
    if not copy.sr_new:
        return None
    copy.sr_new = 0
    return copy.sr_packets, copy.sr_octets, copy.sr_ts, copy.sr_wall
