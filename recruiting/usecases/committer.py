"""Group commit: applies that arrive while a commit is in flight share the next one.

Theory of operation: callers :meth:`GroupCommitter.submit` an item and await
its result. One writer task loops: it takes *everything* queued (up to
``max_batch``), hands the batch to ``flush`` (one transaction, one fsync),
resolves every caller's future, then runs ``after`` (e.g. publishing
resume-delivery events) before taking the next batch. A lone item is flushed
at once, so nobody waits for a timer; under load the batch grows by itself to
whatever arrived during the previous fsync. ``max_batch=1`` is the baseline:
one commit per apply.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class CommitterClosed(RuntimeError):
    """Submitted after :meth:`GroupCommitter.close` began."""


class GroupCommitter(Generic[T, R]):
    """Batches submitted items into as few ``flush`` calls as the load allows."""

    def __init__(
        self,
        flush: Callable[[Sequence[T]], Awaitable[Sequence[R]]],
        *,
        after: Callable[[Sequence[R]], Awaitable[None]] | None = None,
        max_batch: int = 2000,
    ) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self._flush = flush
        self._after = after
        self._max_batch = max_batch
        self._pending: list[tuple[T, asyncio.Future[R]]] = []
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self.batches = 0
        self.items = 0

    def set_max_batch(self, max_batch: int) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self._max_batch = max_batch

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="group-committer")

    async def submit(self, item: T) -> R:
        return await self.enqueue(item)

    def enqueue(self, item: T) -> asyncio.Future[R]:
        """:meth:`submit` without a coroutine of its own: the future to await (on the hot path one
        coroutine frame less to create and to pass through). After :meth:`close` began, the future
        holds :class:`CommitterClosed`, so awaiting it raises as ``submit`` does."""
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        if self._closing:
            future.set_exception(CommitterClosed("the committer is closing"))
            return future
        if self._task is None:
            self.start()
        self._pending.append((item, future))
        self._wakeup.set()
        return future

    async def close(self) -> None:
        """Flushes everything already submitted, then stops the writer."""
        self._closing = True
        self._wakeup.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            if not self._pending:
                if self._closing:
                    return
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            batch = self._pending[: self._max_batch]
            del self._pending[: self._max_batch]
            await self._commit(batch)

    async def _commit(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            results = await self._flush([item for item, _ in batch])
            if len(results) != len(batch):
                raise RuntimeError("flush returned a different number of results")
        except Exception as exc:
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        self.batches += 1
        self.items += len(batch)
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)
        if self._after is not None:
            with contextlib.suppress(Exception):
                await self._after(results)
