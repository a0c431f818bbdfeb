"""Shared fixtures: real services, event-loop blocking guard."""

from __future__ import annotations

import asyncio
import gc
import os
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from livehire.app import create_app
from livehire.settings import Settings, load_settings
from tests import services
from tests.chat.redis_process import RedisProcess
from tests.server import ServerProcess

BLOCKING_LIMIT_SECONDS = 1.0


@pytest.fixture
def redis_url() -> str:
    return services.redis_url()


@pytest.fixture
def postgres_url() -> str:
    return services.postgres_url()


@pytest.fixture
async def redis_server() -> AsyncIterator[RedisProcess]:
    """A ``redis-server`` of the test's own on a free port, for fault tests that kill it (never the shared one)."""
    server = RedisProcess()
    await server.start()
    try:
        yield server
    finally:
        await server.kill()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database URL: a SQLite file, or a scratch PostgreSQL database.

    Store tests take this fixture so every one of them runs on both databases.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    base = services.postgres_url()
    url = await services.create_scratch_database(base)
    try:
        yield url
    finally:
        await services.drop_scratch_database(base, url)


def _where(handle: asyncio.events.Handle) -> str:
    """The task a slow callback stepped, and the line it suspended at afterwards."""
    task = getattr(handle._callback, "__self__", None)  # type: ignore[attr-defined]
    if not isinstance(task, asyncio.Task):
        return ""
    frames = []
    coroutine = task.get_coro()
    while coroutine is not None and len(frames) < 8:
        frame = getattr(coroutine, "cr_frame", None)
        if frame is None:
            break
        frames.append(f"{frame.f_code.co_filename.rsplit('/', 2)[-1]}:{frame.f_lineno}")
        coroutine = getattr(coroutine, "cr_await", None)
    return f" (task {task.get_name()}, then at {' > '.join(frames)})"


@pytest.fixture(scope="session", autouse=True)
def moderation_tables_built() -> None:
    """Builds the filter's per-process tables (model, normaliser, folder) once, before any test's loop runs.

    They take a few hundred milliseconds on a free core and over a second on a loaded one. The test that
    built the first ``Moderator`` of a process paid that inside its event loop, and when run alone under
    load it failed the blocked-loop guard below for a cost that a server pays before it serves.
    """
    from moderation.engine import Moderator

    Moderator()


@pytest.fixture(autouse=True)
def fail_on_blocked_loop(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fails a test whose code blocks the event loop for longer than the limit.

    Every callback the test's loop runs is timed (``asyncio.events.Handle._run`` wrapped for the test); one
    slower than the limit fails the test, naming the task and where it stopped next, so the blocking
    code is the one just before that point. Two things are not the code's: the garbage collector's pauses
    inside a callback (a late test of a long run collects a large heap) are taken out of its time, and
    callbacks of loops in other threads (a worker thread's own loop, as migrations use) are not timed.
    ``LIVEHIRE_TEST_BLOCK_LOG=FILE`` also appends every callback slower than 0.2 s to FILE.
    """
    slow: list[str] = []
    original = asyncio.events.Handle._run
    report = os.environ.get("LIVEHIRE_TEST_BLOCK_LOG")
    test_thread = threading.get_ident()
    collecting = [0.0, 0.0]  # started at, total seconds in collections on the test's thread

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if threading.get_ident() != test_thread:
            return
        if phase == "start":
            collecting[0] = time.perf_counter()
        elif collecting[0]:
            collecting[1] += time.perf_counter() - collecting[0]
            collecting[0] = 0.0

    def timed_run(handle: asyncio.events.Handle) -> None:
        if threading.get_ident() != test_thread:
            original(handle)
            return
        started, collected = time.perf_counter(), collecting[1]
        original(handle)
        paused = collecting[1] - collected
        elapsed = time.perf_counter() - started - paused
        if elapsed > BLOCKING_LIMIT_SECONDS or (report and elapsed + paused > 0.2):
            line = (f"{handle!r} blocked the event loop for {elapsed:.2f}s (+{paused:.2f}s collecting "
                    f"garbage){_where(handle)}")
            if elapsed > BLOCKING_LIMIT_SECONDS:
                slow.append(line)
            if report:
                with open(report, "a", encoding="utf-8") as log:
                    log.write(f"{request.node.nodeid}: {line}\n")

    asyncio.events.Handle._run = timed_run  # type: ignore[method-assign]
    gc.callbacks.append(on_gc)
    try:
        yield
    finally:
        asyncio.events.Handle._run = original  # type: ignore[method-assign]
        gc.callbacks.remove(on_gc)
    if slow:
        pytest.fail("; ".join(slow[:3]))


@pytest.fixture
def app_settings(tmp_path: Path) -> Settings:
    """Embedded defaults in a fresh data directory (SQLite, memory bus, demo seed)."""
    return load_settings({"data_dir": tmp_path / "data", "port": 0}, environ={})


@pytest.fixture
async def client(aiohttp_client: Any, app_settings: Settings) -> Any:
    """An aiohttp test client against ``create_app`` on a real loopback socket."""
    return await aiohttp_client(create_app(app_settings))


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path / "server").start()
    try:
        yield server
    finally:
        server.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``@pytest.mark.clause(...)`` names rows of the standard's clause map in their normal form (tests/clauses.py)."""
    from tests.clauses import id_problem

    for item in items:
        for mark in item.iter_markers("clause"):
            problems = [problem for value in mark.args if (problem := id_problem(value))]
            if mark.kwargs or not mark.args:
                problems.append("clause(...) takes one or more clause ids and nothing else")
            if problems:
                raise pytest.UsageError(f"{item.nodeid}: " + "; ".join(problems))
