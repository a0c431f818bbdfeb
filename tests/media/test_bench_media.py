"""The media bench runs end to end on a tiny audience and reports both variants (figures are not asserted)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bench.media import run, summarise
from bench.registry import BenchContext
from tests.bench_progress import CountingProgress

pytestmark = [pytest.mark.media, pytest.mark.slow]


async def test_bench_media_smoke() -> None:
    progress = CountingProgress()
    result = await run(BenchContext(progress=progress, quick=True,
                                    options={"steps": "1,3", "baseline_steps": "1", "window": "1",
                                             "simulcast_viewers": "4"}))
    assert progress.done == progress.total == 6  # two steps plain, two recorded, one baseline, simulcast
    assert [r["viewers"] for r in result.figures["steps"]] == [1, 3]
    recorded = result.figures["recording"]  # the same steps with the room recorded (issue 16)
    assert [r["viewers"] for r in recorded["steps"]] == [1, 3] and recorded["per_viewer_cost_ratio"] > 0
    assert all(r["packets_per_viewer_s"] > 50 for r in result.figures["steps"])  # media really flowed
    assert result.baseline["steps"][0]["packets_per_viewer_s"] > 20
    assert result.figures["per_packet_us"] > 0 and result.baseline["per_packet_us"] > 0  # speed is the bench's job, not a test's
    assert set(result.ratios) >= {"viewers_per_core", "cpu_per_viewer"}
    inside = result.figures["steps"][-1]
    assert inside["server_latency_packets"] > 50 and result.figures["server_latency_viewers"] == 3
    assert 0 < result.figures["server_latency_p50_ms"] <= result.figures["server_latency_p99_ms"]
    simulcast = result.figures["simulcast"]
    chosen = simulcast["layers_by_choice"]
    assert {k: chosen[k] for k in "lmh"} == {"l": {"l": 1}, "m": {"m": 1}, "h": {"h": 1}}  # pins hold
    assert "audio" not in chosen["auto"]  # no feedback: starts low, the top layer after 5 s
    assert simulcast["packets_per_viewer_s"] > 20 and set(simulcast["layer_bps"]) == {"l", "m", "h"}
    assert [s.label for s in result.series] == ["RTP forwarding", "aiortc MediaRelay"]


def test_summarise_uses_the_slope_of_healthy_steps() -> None:
    rows = [
        {"viewers": 10, "server_cpu_pct": 6.0, "cpu_pct_per_viewer": 0.6, "loss_pct": 0.0,
         "packets_per_viewer_s": 150.0, "latency_p50_ms": 2.0, "latency_p99_ms": 9.0},
        {"viewers": 20, "server_cpu_pct": 9.0, "cpu_pct_per_viewer": 0.45, "loss_pct": 0.1,
         "packets_per_viewer_s": 149.0, "latency_p50_ms": 3.0, "latency_p99_ms": 12.0},
        {"viewers": 40, "server_cpu_pct": 90.0, "cpu_pct_per_viewer": 2.25, "loss_pct": 4.0,
         "packets_per_viewer_s": 80.0, "latency_p50_ms": 90.0, "latency_p99_ms": 400.0},
    ]
    summary = summarise(rows, 150.0)
    assert summary["cpu_pct_per_viewer"] == pytest.approx(0.3)
    assert summary["viewers_per_core"] == pytest.approx(333.3)
    assert summary["max_healthy_viewers_measured"] == 20
    assert summary["latency_p99_ms"] == 9.0 and summary["latency_at_max_p99_ms"] == 12.0


def test_worker_capacity_is_where_the_busiest_worker_fills_a_core() -> None:
    from bench.media_workers import _capacity

    # one worker: 10 % fixed + 0.5 % per viewer → full at 180 viewers
    steps: list[dict[str, Any]] = [{"viewers": 20, "worker_cpu_pct": [20.0]}, {"viewers": 40, "worker_cpu_pct": [30.0]}]
    assert _capacity({"workers": 1, "steps": steps}) == 180.0
    # two workers: the first (publisher + its viewers) 10 % + 0.5 %/viewer, the second (relay) 5 % + 0.5 %/viewer;
    # viewers alternate, so 10 each at 20 and 20 each at 40: the first fills first at 180 of its own → 360
    two = {"workers": 2, "steps": [{"viewers": 20, "worker_cpu_pct": [15.0, 10.0]},
                                   {"viewers": 40, "worker_cpu_pct": [20.0, 15.0]}]}
    assert _capacity(two) == 360.0
    assert _capacity({"workers": 1, "steps": steps[:1]}) is None  # one step: no slope


@pytest.mark.redis
async def test_bench_media_worker_scaling_runs_both_sizes(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--workers 2``: one and two forwarding servers, viewers spread, media relayed (figures are not asserted)."""
    from bench.media_loadgen import encode_clip
    from bench.media_workers import measure_workers

    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.delenv("LIVEHIRE_REDIS_URL", raising=False)
    clip = await asyncio.to_thread(encode_clip, 320, 240, 1, 300_000)
    progress = CountingProgress()
    progress.start(2, "workers")
    result = await measure_workers(2, [2, 4], 1.0, clip, BenchContext(progress=progress, quick=True, options={}))
    one, two = result["runs"]
    assert [len(r["worker_cpu_pct"]) for r in one["steps"]] == [1, 1]
    assert [len(r["worker_cpu_pct"]) for r in two["steps"]] == [2, 2]
    # every viewer got the stream, those on the second worker through its relay from the first
    assert all(r["packets_per_viewer_s"] > 20 for run in (one, two) for r in run["steps"])
    assert progress.done == 2 and set(result) >= {"scaling", "viewers_per_node_1", "viewers_per_node_n"}
