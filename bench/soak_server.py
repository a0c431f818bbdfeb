"""The soak's server: the real ``livehire.app.create_app`` plus ``GET /bench/process`` on a second port.

Why a route of its own: the number of asyncio tasks and the live objects by type are only visible
inside the process; RSS and descriptors are read here too so one sample is one request. The route
exists only in this bench process, never in ``livehire serve``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import signal
import sys
import tracemalloc
from collections import Counter
from pathlib import Path

from aiohttp import web

from bench.apply.server import ORG, ROOM, SECRET, seed, use_uvloop
from common.fdlimit import open_files, raise_open_files
from common.malloc_arenas import limit_malloc_arenas

STREAM_KEY = "bench-stream-key"  # bench.media_loadgen's publisher sends it
ALL_RULES = ("login_ip", "whep_ip", "whip_ip", "apply_user", "session_create_user", "complaint_ip")


FIRST_SNAPSHOT: dict[str, tracemalloc.Snapshot] = {}  # the census after warm-up, which later ones compare to


def rss_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


async def process(request: web.Request) -> web.Response:
    """RSS, descriptors and tasks now; with ``?types=N`` also the N most common live object types (slow)."""
    figures: dict[str, object] = {"rss": rss_bytes(), "fds": open_files(), "tasks": len(asyncio.all_tasks())}
    if "types" in request.query:
        figures["garbage_collected"] = gc.collect()  # garbage is not a leak: only what is still reachable counts
        counts = Counter(type(o).__qualname__ for o in gc.get_objects())
        figures["types"] = dict(counts.most_common(int(request.query["types"])))
        if tracemalloc.is_tracing():  # -o tracemalloc=1: where the allocations still alive grew since the first census
            snapshot = tracemalloc.take_snapshot()
            first = FIRST_SNAPSHOT.setdefault("first", snapshot)
            figures["allocations_grown_most"] = [
                {"where": str(stat.traceback[0]), "kib": round(stat.size_diff / 1024, 1), "blocks": stat.count_diff}
                for stat in snapshot.compare_to(first, "lineno")[:15]]
    return web.json_response(figures)


async def serve(port: int, stats_port: int, data_dir: Path, users: int, jobs: int, trim: float = 0,
                gc_every: float = 0) -> None:
    from livehire.app import create_app
    from livehire.serve import prepare_collector
    from livehire.settings import Settings
    from store.engine import open_store
    from store.rooms import RoomRepository

    database = f"sqlite:///{data_dir / 'soak.db'}"
    settings = Settings(port=port, data_dir=data_dir, database_url=database, secret=SECRET, seed_demo=False,
                        log_level="WARNING", ice_include_loopback=True,
                        rate_limits=tuple((rule, "100000/minute") for rule in ALL_RULES))
    await seed(database, users, jobs)
    store = await open_store(database)
    try:
        await RoomRepository(store).rotate_stream_key(ROOM, STREAM_KEY)
    finally:
        await store.close()
    app = create_app(settings)
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=2.0)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    probe = web.Application()  # its own listener: the app's policy middleware refuses routes it does not know
    probe.router.add_get("/bench/process", process)
    probe_runner = web.AppRunner(probe, handle_signals=False)
    await probe_runner.setup()
    await web.TCPSite(probe_runner, "127.0.0.1", stats_port).start()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    prepare_collector()
    if trim:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")

        async def trimming() -> None:
            while True:
                await asyncio.sleep(trim)
                libc.malloc_trim(0)

        trimmer = asyncio.create_task(trimming())
        trimmer.add_done_callback(lambda _: None)
    if gc_every:
        async def collecting() -> None:
            while True:
                await asyncio.sleep(gc_every)
                gc.collect()

        collector = asyncio.create_task(collecting())
        collector.add_done_callback(lambda _: None)
    print(f"READY {port} {ORG}", flush=True)
    await stop.wait()
    await runner.cleanup()
    await probe_runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.soak_server")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--stats-port", type=int, required=True, help="where GET /bench/process answers")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=10)
    parser.add_argument("--tracemalloc", action="store_true", help="trace allocations (slower) to name what grows")
    parser.add_argument("--malloc-trim", type=float, default=0, help="experiment: malloc_trim(0) every N seconds")
    parser.add_argument("--gc-every", type=float, default=0, help="experiment: a full gc.collect() every N seconds")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("livehire").info(raise_open_files().describe())
    logging.getLogger("livehire").info(limit_malloc_arenas().describe())  # as livehire serve does
    if args.tracemalloc:
        tracemalloc.start(1)
    use_uvloop()
    asyncio.run(serve(args.port, args.stats_port, args.data_dir, args.users, args.jobs, args.malloc_trim,
                      args.gc_every))


if __name__ == "__main__":
    main()
