"""The apply bench itself stays runnable: a tiny load through a real server and two worker processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.apply import measure, percentile
from tests.bench_progress import CountingProgress

pytestmark = pytest.mark.slow


def test_percentile() -> None:
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 0.5) == 3.0
    assert percentile([1.0] * 99 + [100.0], 0.99) == 100.0


async def test_tiny_bench_run_with_two_workers(tmp_path: Path) -> None:
    progress = CountingProgress()
    figures = await measure(f"sqlite:///{tmp_path / 'bench.db'}", 10, 2, 2000, progress, workers=2)
    assert figures["statuses"] == {"delivered": 20} and figures["office_events"] == 20
    assert figures["workers"] == 2 and progress.done == 20
    assert figures["durable_applies_per_s"] > 0


async def test_tiny_open_loop_run_counts_every_apply(tmp_path: Path) -> None:
    """Open loop: the applies leave at the offered rate, answered or not; every one is answered and delivered."""
    progress = CountingProgress()
    figures = await measure(f"sqlite:///{tmp_path / 'bench.db'}", 10, 3, 2000, progress, rate=300.0)
    assert figures["mode"] == "open loop" and figures["offered_per_s"] == 300.0
    assert figures["statuses"] == {"delivered": 30} and figures["office_events"] == 30 and progress.done == 30
    assert figures["send_lag_p99_ms"] >= 0


@pytest.mark.postgres
@pytest.mark.redis
async def test_tiny_two_node_run_shares_postgresql_and_redis() -> None:
    """Viewers on two server processes; the office page on the first sees the second's applications too."""
    from tests import services

    base = services.postgres_url()
    redis_url = services.redis_url()
    url = await services.create_scratch_database(base)
    try:
        progress = CountingProgress()
        figures = await measure(url, 10, 2, 2000, progress, nodes=2, redis_url=redis_url)
    finally:
        await services.drop_scratch_database(base, url)
    assert figures["nodes"] == 2 and figures["statuses"] == {"delivered": 20} and figures["office_events"] == 20
