"""``bench chat --target URL``: the bench loads a server it did not start (ARCHITECTURE.md §4)."""

from __future__ import annotations

import asyncio
import sys

import pytest

from bench.apply.server import free_port
from bench.chat import PROBE_EVERY, ROOM, SECRET, connect_plan, run, trace, wait_listening
from bench.chat.clients import Viewer
from bench.registry import BenchContext
from chat.frames import Encoded
from identity.tokens import TokenSigner
from tests.bench_progress import CountingProgress

pytestmark = pytest.mark.slow


async def test_target_mode_loads_a_running_server_and_counts_every_delivery() -> None:
    port = free_port()
    server = await asyncio.create_subprocess_exec(sys.executable, "-m", "bench.chat", "serve", "--mode", "fast",
                                                  "--port", str(port))
    try:
        await wait_listening(port)
        token = TokenSigner(SECRET).mint(session="test", role="host", user="bench-host", room=ROOM)
        progress = CountingProgress()
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
        await run(BenchContext(progress=CountingProgress(), target="http://127.0.0.1:9", options={}))


def test_probes_are_spread_one_per_round_through_the_connection_order() -> None:
    plan = connect_plan(5000, 2)
    assert len(plan) == 5000 // PROBE_EVERY
    assert all(rnd[0] == {"n": 1, "probe": True} and len(rnd) == 3 and not any("probe" in s for s in rnd[1:]) for rnd in plan)
    assert sum(s["n"] for rnd in plan for s in rnd) == 5000
    assert sum(s["n"] for s in connect_plan(30, 2)[0]) == 30 and connect_plan(0, 2) == []


async def test_probes_time_the_bench_hosts_stamped_messages_only() -> None:
    samples: list[tuple[float, float]] = []
    probe = Viewer("/", True, samples)
    probe.ready.set_result(None)
    stamped = Encoded({"id": "m12", "seq": 12, "type": "chat", "user": {"id": "h", "name": "h", "role": "host"},
                       "text": "岗位讲解第3条 t=1764392000.123456", "ts": 1}).text
    other = Encoded({"id": "m13", "seq": 13, "type": "chat", "user": {"id": "v", "name": "v", "role": "viewer"},
                     "text": "what is t=abc", "ts": 1}).text
    probe.data_received(stamped[:7])  # frames split across reads
    probe.data_received(stamped[7:] + other)
    assert probe.last_seq == 13 and [s for s, _ in samples] == [1764392000.123456]


def test_trace_figures_place_each_probe_within_its_flush() -> None:
    flushes = [[100.0, 100.04, 0.03, 5000, [[99.999, 99.999]]], [100.2, 100.26, 0.05, 5000, [[100.199, 100.2]]]]
    samples = [[99.999, 0.021], [100.199, 0.061]]  # received at 100.02 (mid-flush) and 100.26 (its end)
    got = trace.figures(flushes, samples)
    assert got["flushes"] == 2 and got["flush_ms_p99"] == 60.0 and got["flush_cpu_ms_p50"] == 50.0
    assert got["send_to_server_ms_p50"] == 1.0
    assert got["probe_position_p10_p50_p90"] == [0.5, 1.0, 1.0]
    assert got["probe_after_flush_end_ms_max"] == 0.0 and got["probe_after_flush_end_ms_p99"] == 0.0
