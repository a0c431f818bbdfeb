"""A full garbage collection on a clock while serving, so cycles left by closed peers do not pile up.

Why: ``livehire serve`` raises the collector's thresholds (``livehire.serve.SERVING_GC_THRESHOLDS``)
so that no full collection pauses an apply batch; with them a full collection comes only after very
many allocations. WebRTC peers (aiortc) and other closed connections leave reference cycles, which
then survived for hours: the soak bench showed the server's RSS climbing while viewers came and went,
and a full collection returning it (docs/measurements/2026-12-05-reliability.md). One full collection
every ``FULL_COLLECTION_SECONDS`` bounds that; the start-up heap is frozen (``gc.freeze``), so the
collection walks only what the server made since.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import AsyncIterator

from aiohttp import web

from common.periodic import every

log = logging.getLogger(__name__)
FULL_COLLECTION_SECONDS = 30.0
#: A collection slower than this is logged (the pause every request of the node waited for).
SLOW_COLLECTION_SECONDS = 0.2


async def collect() -> None:
    started = time.perf_counter()
    found = gc.collect()
    took = time.perf_counter() - started
    if took > SLOW_COLLECTION_SECONDS:
        log.warning("a full garbage collection took %.2f s (%d unreachable objects)", took, found)


async def collector_context(app: web.Application) -> AsyncIterator[None]:
    async with every(FULL_COLLECTION_SECONDS, collect, name="full garbage collection"):
        yield
