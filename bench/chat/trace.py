"""Slice tracing for ``bench chat -o trace=1``: where the latency of a point comes from.

The bench server (fast mode, ``serve --trace``) wraps ``RoomHub.write_slice`` to stamp
every slice's start and end (wall clock, and the process's CPU time) with the send times
of the timestamped bench messages some outlet of the slice got (and the server's ``ts`` of
each, stamped when it moderated the message, to the millisecond); ``GET /bench/flushes``
returns the stamps and forgets them. Probes report (send time, latency) pairs. Per point
the bench then reports how long slices took (wall and CPU), how long after its send a
message's first slice began, how long its writing was spread over (first slice's start
to last slice's end: about one pass) and when probes got it against its last slice's end
(≤ 0 when the viewer processes keep up with the server). Instrumentation of the bench
server only: the product's ``RoomHub`` is not changed by it.
"""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from chat.fanout import Outlet, RoomHub

FLUSHES = web.AppKey("bench_flushes", list)
MIN_SOCKETS = 100  # rooms of fewer sockets (the sender's own acks, presence) are not the fan-out


def install(app: web.Application) -> None:
    """Stamp every slice of this process's hubs; serve and clear the stamps at ``/bench/flushes``."""
    records: list[list[Any]] = []
    app[FLUSHES] = records
    plain = RoomHub.write_slice

    def traced(hub: RoomHub, outlets: list[Outlet]) -> None:
        low = min((o.cursor for o in outlets if o in hub.outlets), default=hub.end)
        entries = hub._log[max(0, low - hub._base):]  # a read-only peek by the bench's instrumentation
        sends = [[float(e.frame["text"].rsplit(" t=", 1)[1]), e.frame.get("ts", 0) / 1000] for e, _, _ in entries
                 if e.frame.get("type") == "chat" and " t=" in str(e.frame.get("text", ""))]
        wall, cpu = time.time(), time.process_time()
        plain(hub, outlets)
        if len(hub) >= MIN_SOCKETS and sends:
            records.append([wall, time.time(), time.process_time() - cpu, len(outlets), sends])

    setattr(RoomHub, "write_slice", traced)  # noqa: B010 - a method replaced on the class, in the bench server only

    async def flushes(request: web.Request) -> web.Response:
        taken = list(records)
        records.clear()
        return web.json_response(taken)

    app.router.add_get("/bench/flushes", flushes)


def _q(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2) if ordered else None


def figures(slices: list[list[Any]], samples: list[list[float]]) -> dict[str, Any]:
    """Slice duration and CPU (ms), each message's spread over slices, and the probes against it."""
    spans: dict[float, list[float]] = {}  # send -> [first slice start, last slice end, server ts]
    for start, end, _, _, sends in slices:
        for send, ts in sends:
            span = spans.setdefault(round(send, 6), [start, end, ts])
            span[0], span[1] = min(span[0], start), max(span[1], end)
    after_end = [(send + latency - spans[round(send, 6)][1]) * 1000 for send, latency in samples
                 if round(send, 6) in spans]
    return {"slices": len(slices),
            "slice_ms_p50": _q([(s[1] - s[0]) * 1000 for s in slices], 0.5),
            "slice_ms_p99": _q([(s[1] - s[0]) * 1000 for s in slices], 0.99),
            "slice_cpu_ms_p50": _q([s[2] * 1000 for s in slices], 0.5),
            "send_to_first_slice_ms_p50": _q([(first - s) * 1000 for s, (first, _, _) in spans.items()], 0.5),
            "send_to_first_slice_ms_max": _q([(first - s) * 1000 for s, (first, _, _) in spans.items()], 1.0),
            # ts: the server's clock when it moderated the message (ms): before it, reading; after it, waiting
            "send_to_server_ms_p50": _q([(ts - s) * 1000 for s, (_, _, ts) in spans.items()], 0.5),
            "send_to_server_ms_max": _q([(ts - s) * 1000 for s, (_, _, ts) in spans.items()], 1.0),
            "spread_ms_p50": _q([(last - first) * 1000 for first, last, _ in spans.values()], 0.5),
            "spread_ms_p99": _q([(last - first) * 1000 for first, last, _ in spans.values()], 0.99),
            "probe_after_last_slice_ms_p99": _q(after_end, 0.99), "probe_after_last_slice_ms_max": _q(after_end, 1.0)}
