"""A full garbage collection on a clock while serving, so cycles left by closed peers do not pile up.

Why: ``livehire serve`` raises the collector's thresholds (``livehire.serve.SERVING_GC_THRESHOLDS``)
so that no full collection pauses an apply batch; with them a full collection comes only after very
many allocations. WebRTC peers (aiortc) and other closed connections leave reference cycles, which
then survived for hours: the soak bench showed the server's RSS climbing while viewers came and went,
and a full collection returning it (docs/measurements/2026-12-05-reliability.md). One full collection
every ``FULL_COLLECTION_SECONDS`` bounds that; the start-up heap is frozen (``gc.freeze``), so the
collection walks only what the server made since.

A full collection stops the event loop for as long as it walks the heap, and the heap grows with
the connections: with ten thousand chat sockets in one process it took over a second, every 30 s,
and every message of the room waited for it (docs/measurements/2026-12-05-chat-20k.md). So the
next one is spaced by what the last one cost: at most :data:`PAUSE_SHARE` of the time goes to these
pauses, which keeps them out of the 99th percentile of any steady traffic, while a small heap is
still collected every ``FULL_COLLECTION_SECONDS``.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from common.periodic import every

log = logging.getLogger(__name__)
FULL_COLLECTION_SECONDS = 30.0
#: A collection slower than this is logged (the pause every request of the node waited for).
SLOW_COLLECTION_SECONDS = 0.2
#: The share of the loop's time full collections may take: the next waits ``took / PAUSE_SHARE``.
PAUSE_SHARE = 0.0025


async def collect() -> float:
    """One full collection; returns how long it stopped the loop (seconds)."""
    started = time.perf_counter()
    found = gc.collect()
    took = time.perf_counter() - started
    if took > SLOW_COLLECTION_SECONDS:
        log.warning("a full garbage collection took %.2f s (%d unreachable objects); the next in %.0f s",
                    took, found, spacing(took))
    return took


def spacing(took: float) -> float:
    """Seconds from a full collection that took ``took`` to the next one."""
    return max(FULL_COLLECTION_SECONDS, took / PAUSE_SHARE)


class Paced:
    """The clock's ticks, each a full collection once the last one's :func:`spacing` has passed."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.due = 0.0  # the clock's time from which a tick collects

    async def tick(self) -> None:
        started = self._clock()
        if started < self.due:
            return
        self.due = started + spacing(await collect())


async def collector_context(app: web.Application) -> AsyncIterator[None]:
    async with every(FULL_COLLECTION_SECONDS, Paced().tick, name="full garbage collection"):
        yield
