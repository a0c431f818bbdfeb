"""``livehire bench soak``: a short run of the fair in miniature does every kind of traffic and samples the
server (RSS, descriptors, tasks); the long runs and their figures are in docs/operations.md."""

from __future__ import annotations

import pytest

from bench.registry import BenchContext
from bench.soak import growth, run, warmup_samples
from tests.bench_progress import CountingProgress

pytestmark = [pytest.mark.slow, pytest.mark.timeout(150)]


async def test_a_short_soak_drives_every_kind_of_traffic_and_samples_the_server() -> None:
    progress = CountingProgress()
    result = await run(BenchContext(progress=progress, options={"minutes": "0.75", "sample_s": "2"}))
    figures, load = result.figures, result.figures["load"]
    assert progress.done == progress.total == len(figures["samples"]) == 22
    assert all(s["rss"] > 50 * 2**20 and s["fds"] > 10 and s["tasks"] > 10 for s in figures["samples"])
    assert load["chat_sent"] > 100 and load["chat_joins"] > load["chat_leaves"] > 20
    assert load["applies_sent"] > 20 and load["applies_sent"] - load["applies_answered"] <= 3  # answered (bar the last)
    assert load["publishes"] >= 1 and load["whep_joins"] >= 3 and load["whep_packets"] > 1000
    assert load["office_opens"] >= 3 and load["office_events"] > 0
    assert figures["server_log_errors"] == 0 and not any(key.startswith("media failed") for key in load)
    assert {"RSS", "open descriptors", "asyncio tasks"} == {s.label for s in result.series}
    assert figures["objects_grown_most"]  # the live-object census ran after warm-up and at the end


def test_growth_is_measured_from_the_end_of_warm_up_to_the_mean_of_the_last_three() -> None:
    samples = [{"v": v} for v in (50, 100, 100, 103, 104, 105)]
    assert growth(samples, 1, "v") == {"after_warmup": 100, "end": 104.0, "growth_pct": 4.0}


def test_warm_up_is_the_first_fifth_unless_given_in_seconds() -> None:
    assert warmup_samples({}, 600, 5) == 24
    assert warmup_samples({"warmup_s": "360"}, 36 * 60, 5) == 72  # 30 minutes measured after 6 of warm-up
    assert warmup_samples({"warmup_s": "0"}, 60, 2) == 1  # the first sample is never the baseline
