"""The bench's server side: seeding, the server subprocess, tokens and scratch databases.

``python -m bench.apply serve`` runs the real ``livehire.app.create_app`` on uvloop, as
``livehire serve`` does, with the apply batch limit set (1 = the baseline, one commit
per apply).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ORG = "bench-org"
ROOM = "bench"
SECRET = "bench-secret-" + "x" * 32
DAY_MS = 24 * 3600 * 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def seed(database_url: str, users: int, jobs: int) -> list[str]:
    """Creates the org, its room, ``jobs`` published jobs and ``users`` consenting profiles."""
    from recruiting.repositories.jobs import JobRepository
    from store.engine import open_store
    from store.orgs import OrgRepository
    from store.recruiting_tables import profiles
    from store.rooms import RoomRepository

    store = await open_store(database_url)
    try:
        orgs = OrgRepository(store)
        if await orgs.get_org(ORG) is None:
            await orgs.create_org(ORG, "压测机构")
            await RoomRepository(store).create(ROOM, title="压测直播间", org_id=ORG)
        repo = JobRepository(store)
        if not await repo.verified_licences(ORG):
            await repo.add_qualification(ORG, "business_licence", "BENCH", state="verified")
        now = int(time.time() * 1000)
        job_ids = [j["id"] for j in await repo.of_org(ORG)]
        for index in range(len(job_ids), jobs):
            body = {
                "id": f"bench-job-{index}",
                "title": f"压测岗位 {index}",
                "employer": "压测公司",
                "kind": "own",
                "location": "北京",
                "salary_min": 5000,
                "salary_max": 9000,
                "headcount": 100,
                "valid_from": now - 1000,
                "valid_until": now + 30 * DAY_MS,
            }
            job_ids.append((await repo.create(ORG, body, created_by="bench"))["id"])
        rows = [
            {"user_id": f"u{i}", "name": f"用户{i}", "phone": "13800000000", "resume": "r",
             "consent_to_share": True, "consent_at": now, "updated_at": now}
            for i in range(users)
        ]
        async with store.engine.begin() as connection:
            await connection.execute(profiles.delete())
            await connection.execute(profiles.insert(), rows)
        return sorted(job_ids)[:jobs]
    finally:
        await store.close()


def use_uvloop() -> None:
    """Server and load processes run on uvloop when installed, as ``livehire serve`` does."""
    with contextlib.suppress(ImportError):
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


async def serve(database_url: str, port: int, *, redis_url: str | None, max_batch: int, gc_freeze: bool = False) -> None:
    """The real server (``livehire.app.create_app``) with the apply batch limit set (1 = baseline).

    ``gc_freeze``: after start-up, ``gc.collect(); gc.freeze()`` and the serving thresholds, as
    ``livehire serve`` does (:func:`livehire.serve.prepare_collector`); on by default,
    ``-o gc_freeze=0`` measures without either.
    """
    import signal

    from aiohttp import web

    from livehire.app import RECRUITING, create_app
    from livehire.settings import Settings

    data_dir = Path(tempfile.mkdtemp(prefix="livehire-bench-serve-"))
    settings = Settings(port=port, data_dir=data_dir, database_url=database_url, redis_url=redis_url,
                        secret=SECRET, seed_demo=False, log_level="WARNING")
    app = create_app(settings)
    app[RECRUITING].set_max_batch(max_batch)
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=2.0)
    await runner.setup()
    listener = socket.socket()
    listener.bind(("127.0.0.1", port))  # 0: the kernel's choice, reported on the READY line
    await web.SockSite(runner, listener).start()
    port = int(listener.getsockname()[1])
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if gc_freeze:
        from livehire.serve import prepare_collector

        prepare_collector()
    print(f"READY {port}", flush=True)
    await stop.wait()
    await runner.cleanup()
    await asyncio.to_thread(shutil.rmtree, data_dir, True)


@dataclass
class ServerProcess:
    process: asyncio.subprocess.Process
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.terminate()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.process.wait(), 15)
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


async def start_server(
    database_url: str, *, redis_url: str | None = None, max_batch: int = 2000, port: int | None = None,
    env: dict[str, str] | None = None, gc_freeze: bool = False, prefix: Sequence[str] = (),
    ready_timeout: float = 60,
) -> ServerProcess:
    """``env`` adds variables to the server's environment (e.g. the tests' fault injection); ``prefix``
    runs the server under another program (``valgrind ...`` for the instruction counts).

    Without ``port`` the server binds port 0 itself and reports the port it got: a port picked
    here and bound later could be taken meanwhile (under valgrind that is minutes, and a bench
    beside it opening thousands of sockets took it once).
    """
    port = port or 0
    args = [*prefix, sys.executable, "-m", "bench.apply", "serve", "--database-url", database_url,
            "--port", str(port), "--max-batch", str(max_batch)]
    if redis_url:
        args += ["--redis-url", redis_url]
    if gc_freeze:
        args.append("--gc-freeze")
    process = await asyncio.create_subprocess_exec(
        *args, stdout=asyncio.subprocess.PIPE, stderr=None, preexec_fn=_die_with_parent,
        env={**os.environ, **env} if env else None,
    )
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), ready_timeout)
    if not line.startswith(b"READY"):
        process.kill()
        await process.wait()
        raise RuntimeError(f"the bench server did not start: {line!r}")
    return ServerProcess(process, int(line.split()[1]))


def _die_with_parent() -> None:
    """Linux: the server gets SIGTERM when the bench or test process dies, so none is left behind."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def viewer_token(user: str) -> str:
    from identity.tokens import TokenSigner

    return TokenSigner(SECRET).mint(session="test", role="viewer", user=user)


def office_token() -> str:
    from identity.tokens import TokenSigner

    return TokenSigner(SECRET).mint(session="test", role="recruiter", user="bench-recruiter", org=ORG)


async def postgres_database() -> tuple[str, Any] | None:
    """A scratch PostgreSQL database on 127.0.0.1 (DATABASE_URL), or None when there is none."""
    import asyncpg
    from sqlalchemy.engine import make_url

    base = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    url = make_url(base)
    name = f"bench_apply_{os.getpid()}"
    try:
        admin = await asyncpg.connect(
            host=url.host or "127.0.0.1", port=url.port or 5432, user=url.username or "postgres",
            password=url.password, database=url.database or "postgres", timeout=3,
        )
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return None
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    await admin.execute(f'CREATE DATABASE "{name}"')

    async def drop() -> None:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()

    return url.set(database=name).render_as_string(hide_password=False), drop



async def reset_applications(database_url: str) -> None:
    """Empties the applications and the outbox; on PostgreSQL also vacuums and analyzes what the runs churn.

    Why the vacuum: the local test server runs with ``autovacuum = off``, so without it the dead
    rows of every earlier run in the same bench stay in the tables and their indexes, and each later
    run (the open loop comes last) is slower than the one before it for that reason alone (figures:
    docs/measurements/2026-11-29-apply-rounds.md). A production server's autovacuum does this work in the
    background.
    """
    from store.engine import open_store
    from store.outbox_tables import event_outbox
    from store.recruiting_tables import applications, jobs, profiles

    store = await open_store(database_url)
    try:
        async with store.engine.begin() as connection:
            await connection.execute(applications.delete())
            await connection.execute(event_outbox.delete())
        if store.dialect == "postgresql":
            tables = ", ".join(t.name for t in (applications, event_outbox, jobs, profiles))
            async with store.engine.connect() as connection:
                autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
                await autocommit.exec_driver_sql(f"VACUUM ANALYZE {tables}")  # not allowed in a transaction
    finally:
        await store.close()

