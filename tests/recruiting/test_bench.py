"""The apply bench itself stays runnable: a tiny load through a real server and two worker processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

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


def test_callgrind_total_sums_self_costs_and_skips_inclusive_call_costs(tmp_path: Path) -> None:
    """Against a file in callgrind's format: relative positions count, a call's inclusive cost does not."""
    from bench.apply.instructions import callgrind_total

    profile = tmp_path / "callgrind.out"
    profile.write_text(
        "# callgrind format\nversion: 1\nevents: Ir\nsummary: 0\n\n"
        "fl=(1) a.c\nfn=(1) main\n10 100\n+2 50\ncalls=3 20\n* 7000\n-1 25\n"
        "fn=(2) helper\n20 7000\n\ntotals: 0\n",
        encoding="utf-8",
    )
    assert callgrind_total(str(profile)) == 100 + 50 + 25 + 7000


async def test_instruction_count_of_a_tiny_run_under_callgrind(tmp_path: Path) -> None:
    """The bench's noise-free figure: the server under valgrind, counted only while the load runs."""
    import os
    import shutil

    from bench.apply.instructions import measure_instructions, missing_tools

    if missing_tools():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must have valgrind: {missing_tools()} missing")
        pytest.skip(f"valgrind not installed ({', '.join(missing_tools())})")
    assert shutil.which("callgrind_control")
    progress = CountingProgress()
    figures = await measure_instructions(f"sqlite:///{tmp_path / 'bench.db'}", 4, 2, 2000, progress)
    assert figures["statuses"] == {"delivered": 8} and progress.done == 8
    # a Python server does tens of thousands of instructions per apply at least; the start-up
    # (hundreds of millions) must not be in the count, or one apply would "cost" far more
    assert 10_000 < figures["instructions_per_apply"] < 20_000_000


@pytest.mark.postgres
async def test_reset_vacuums_the_churned_tables_on_postgresql() -> None:
    """The local server has autovacuum off: each bench run must not inherit the dead rows of the last one."""
    import asyncpg

    from bench.apply.server import reset_applications, seed
    from tests import services

    base = services.postgres_url()
    url = await services.create_scratch_database(base)
    try:
        await seed(url, 3, 2)
        await reset_applications(url)
        connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            vacuumed = {row["relname"] for row in await connection.fetch(
                "SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL")}
        finally:
            await connection.close()
    finally:
        await services.drop_scratch_database(base, url)
    assert {"applications", "event_outbox", "jobs", "profiles"} <= vacuumed


def test_target_mode_applies_with_operator_minted_viewer_tokens(live_server: Any, tmp_path: Path) -> None:
    """``--target``: a load tester gets viewer tokens from the deployment's operator (people sign in by SMS)."""
    def livehire(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "livehire.cli", *args], capture_output=True, text=True,
                              timeout=120, check=False)

    tokens = tmp_path / "tokens.txt"
    tokens.write_text("\n".join(
        livehire("token", "--role", "viewer", "--user", f"bench-{i}", "--ttl", "600",
                 "--data-dir", str(live_server.data_dir)).stdout.strip() for i in range(4)) + "\n")
    out = tmp_path / "apply.json"
    run = livehire("bench", "apply", "--target", live_server.base_url, "--quick", "-o", "viewers=4", "-o", "jobs=2",
                   "-o", f"tokens={tokens}", "--json", str(out))
    assert run.returncode == 0, run.stderr[-2000:]
    figures = json.loads(out.read_text())["figures"]["target"]
    assert figures["statuses"] == {"delivered": 8}
    missing = livehire("bench", "apply", "--target", live_server.base_url, "--quick")
    assert missing.returncode != 0 and "tokens=FILE" in missing.stderr
