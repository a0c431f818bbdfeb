"""One helper for the server's periodic background work (term sync, revocation sync, sweeps...).

A tick that fails is logged and the loop goes on after the next interval. Stopping lets a tick that is
running finish (up to ``grace`` seconds) instead of cancelling it halfway: a tick cancelled inside a
database call left its connection to be closed after the event loop had gone (aiosqlite then answered
into a closed loop), and a half-run tick is what shutdown must never leave behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

log = logging.getLogger("livehire.periodic")


@contextlib.asynccontextmanager
async def every(interval: float, tick: Callable[[], Awaitable[object]], *, name: str,
                grace: float = 5.0) -> AsyncIterator[None]:
    """Runs ``tick`` every ``interval`` seconds while the ``async with`` block lasts."""
    stop = asyncio.Event()

    async def loop() -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)
            if stop.is_set():
                return
            try:
                await tick()
            except Exception:
                log.exception("%s failed; retrying in %.1f s", name, interval)

    task = asyncio.get_running_loop().create_task(loop(), name=name)
    try:
        yield
    finally:
        stop.set()
        done, _ = await asyncio.wait({task}, timeout=grace)
        if not done:
            log.warning("%s: a tick still ran %.1f s after stop; cancelled", name, grace)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
