"""common.periodic.every: ticks repeat, a failure does not stop them, and stopping never cuts a tick halfway
(a tick cancelled inside a database call left its aiosqlite connection to answer into a closed loop)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from common.periodic import every


async def test_ticks_repeat_and_a_failing_tick_does_not_stop_them(caplog: pytest.LogCaptureFixture) -> None:
    calls = 0
    third = asyncio.Event()

    async def tick() -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            third.set()
        if calls == 1:
            raise RuntimeError("first tick fails")

    async with every(0.001, tick, name="test ticks"):
        await asyncio.wait_for(third.wait(), 5)
    assert calls >= 3
    assert any("test ticks failed" in record.getMessage() for record in caplog.records)


async def test_stopping_lets_a_running_tick_finish() -> None:
    started, release = asyncio.Event(), asyncio.Event()
    finished = False

    async def tick() -> None:
        nonlocal finished
        started.set()
        await release.wait()
        finished = True

    async with every(0.001, tick, name="slow tick"):
        await asyncio.wait_for(started.wait(), 5)
        asyncio.get_running_loop().call_soon(release.set)  # the tick ends only after the block is left
    assert finished, "the running tick was waited for, not cancelled"


async def test_a_tick_still_running_after_the_grace_is_cancelled(caplog: pytest.LogCaptureFixture) -> None:
    started = asyncio.Event()
    cancelled = False

    async def tick() -> None:
        nonlocal cancelled
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled = True
            raise

    caplog.set_level(logging.WARNING, logger="livehire.periodic")
    async with every(0.001, tick, name="stuck tick", grace=0.05):
        await asyncio.wait_for(started.wait(), 5)
    assert cancelled
    assert any("stuck tick" in record.getMessage() for record in caplog.records)


async def test_no_tick_runs_after_stop() -> None:
    calls = 0

    async def tick() -> None:
        nonlocal calls
        calls += 1

    async with every(3600, tick, name="hourly"):
        pass
    assert calls == 0
