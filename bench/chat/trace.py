"""Flush tracing for ``bench chat -o trace=1``: where the latency of a point comes from.

The bench server (fast mode, ``serve --trace``) wraps ``RoomHub.flush`` to stamp every
flush's start and end (wall clock, and the process's CPU time) with the send times of
the timestamped bench messages it carried (and the server's ``ts`` of each, stamped when it
moderated the message, to the millisecond); ``GET /bench/flushes`` returns the stamps
and forgets them. Probes report (send time, latency) pairs. Per point the bench then
reports how long flushes took (wall and CPU), where within its flush each probe got
its message (0 = when the flush began, 1 = when it ended: uniform if probes are spread
evenly through the write order) and how long after the flush's end (≤ 0 when the viewer
processes keep up with the server). Instrumentation of the bench server only: the
product's ``RoomHub`` is not changed by it.
"""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from chat.fanout import RoomHub

FLUSHES = web.AppKey("bench_flushes", list)
MIN_SOCKETS = 100  # flushes to fewer sockets (the sender's own acks, presence) are not the fan-out


def install(app: web.Application) -> None:
    """Stamp every flush of this process's hubs; serve and clear the stamps at ``/bench/flushes``."""
    records: list[list[Any]] = []
    app[FLUSHES] = records
    plain = RoomHub.flush

    def traced(hub: RoomHub) -> None:
        batch = hub._batch  # a read-only peek by the bench's instrumentation
        sends = [[float(e.frame["text"].rsplit(" t=", 1)[1]), e.frame.get("ts", 0) / 1000] for e, _, _ in batch
                 if e.frame.get("type") == "chat" and " t=" in str(e.frame.get("text", ""))]
        wall, cpu = time.time(), time.process_time()
        plain(hub)
        if len(hub) >= MIN_SOCKETS and sends:
            records.append([wall, time.time(), time.process_time() - cpu, len(hub), sends])

    setattr(RoomHub, "flush", traced)  # noqa: B010 - a method replaced on the class, in the bench server only

    async def flushes(request: web.Request) -> web.Response:
        taken = list(records)
        records.clear()
        return web.json_response(taken)

    app.router.add_get("/bench/flushes", flushes)


def _q(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2) if ordered else None


def figures(flushes: list[list[Any]], samples: list[list[float]]) -> dict[str, Any]:
    """Flush duration and CPU (ms), and the probes' receive times against their message's flush."""
    by_send = {round(send, 6): (start, end) for start, end, _, _, sends in flushes for send, _ in sends}
    position, after_end = [], []
    for send, latency in samples:
        flush = by_send.get(round(send, 6))
        if flush is not None:
            start, end = flush
            received = send + latency
            position.append((received - start) / max(end - start, 1e-9))
            after_end.append((received - end) * 1000)
    return {"flushes": len(flushes),
            "flush_ms_p50": _q([(f[1] - f[0]) * 1000 for f in flushes], 0.5),
            "flush_ms_p99": _q([(f[1] - f[0]) * 1000 for f in flushes], 0.99),
            "flush_cpu_ms_p50": _q([f[2] * 1000 for f in flushes], 0.5),
            "send_to_flush_start_ms_p50": _q([(f[0] - s) * 1000 for f in flushes for s, _ in f[4]], 0.5),
            "send_to_flush_start_ms_max": _q([(f[0] - s) * 1000 for f in flushes for s, _ in f[4]], 1.0),
            # ts: the server's clock when it moderated the message (ms): before it, reading; after it, waiting
            "send_to_server_ms_p50": _q([(ts - s) * 1000 for f in flushes for s, ts in f[4]], 0.5),
            "send_to_server_ms_max": _q([(ts - s) * 1000 for f in flushes for s, ts in f[4]], 1.0),
            "probe_position_p10_p50_p90": [_q(position, 0.1), _q(position, 0.5), _q(position, 0.9)],
            "probe_after_flush_end_ms_p99": _q(after_end, 0.99), "probe_after_flush_end_ms_max": _q(after_end, 1.0)}
