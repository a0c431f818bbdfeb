"""``bench chat --target URL``: the bench loads a server it did not start (ARCHITECTURE.md §4)."""

from __future__ import annotations

import asyncio
import contextlib
import sys

import pytest

from bench.apply.server import free_port
from bench.chat import PROBE_EVERY, ROOM, SECRET, connect_plan, run
from bench.registry import BenchContext
from livehire.auth import TokenSigner

pytestmark = pytest.mark.slow


class Progress:
    def __init__(self) -> None:
        self.done = 0

    def start(self, total: int, description: str) -> None: ...

    def advance(self, steps: int = 1) -> None:
        self.done += steps


async def test_target_mode_loads_a_running_server_and_counts_every_delivery() -> None:
    port = free_port()
    server = await asyncio.create_subprocess_exec(sys.executable, "-m", "bench.chat", "serve", "--mode", "fast",
                                                  "--port", str(port))
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            await asyncio.sleep(0.1)
        token = TokenSigner(SECRET).mint(role="host", user="bench-host", room=ROOM)
        progress = Progress()
        ctx = BenchContext(progress=progress, target=f"http://127.0.0.1:{port}",
                           options={"token": token, "audiences": "20", "rates": "20", "duration": "0.5",
                                    "server_pid": str(server.pid)})
        result = await run(ctx)
    finally:
        server.terminate()
        await server.wait()
    run_ = result.figures["runs"][0]
    assert result.baseline == {} and progress.done == 1
    assert run_["clients"] == 20 and run_["sent"] > 0
    assert run_["deliveries"] == run_["sent"] * 20 and run_["drops"] == 0
    assert run_["server_cpu_s"] is not None


async def test_target_mode_needs_a_token() -> None:
    with pytest.raises(ValueError, match="token"):
        await run(BenchContext(progress=Progress(), target="http://127.0.0.1:9", options={}))


def test_probes_are_spread_one_per_round_through_the_connection_order() -> None:
    plan = connect_plan(5000, 2)
    assert len(plan) == 5000 // PROBE_EVERY
    assert all(rnd[0] == {"n": 1, "probe": True} and len(rnd) == 3 and not any("probe" in s for s in rnd[1:]) for rnd in plan)
    assert sum(s["n"] for rnd in plan for s in rnd) == 5000
    assert sum(s["n"] for s in connect_plan(30, 2)[0]) == 30 and connect_plan(0, 2) == []
