"""One helper for the server's periodic background work (term sync, revocation sync, ...).

A tick that fails is logged and the loop goes on after the next interval; stopping cancels the task and
waits for it, so shutdown never leaves a tick half-run behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

log = logging.getLogger("livehire.periodic")


@contextlib.asynccontextmanager
async def every(interval: float, tick: Callable[[], Awaitable[object]], *, name: str) -> AsyncIterator[None]:
    """Runs ``tick`` every ``interval`` seconds while the ``async with`` block lasts."""

    async def loop() -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await tick()
            except Exception:
                log.exception("%s failed; retrying in %.1f s", name, interval)

    task = asyncio.get_running_loop().create_task(loop(), name=name)
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
