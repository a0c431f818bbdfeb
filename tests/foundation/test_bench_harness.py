"""The bench harness writes the JSON contract of ARCHITECTURE.md §2 and a PNG plot."""

from __future__ import annotations

import json
from pathlib import Path

from bench.harness import run_bench
from bench.registry import BenchContext, BenchRegistry, BenchResult, Series, default_registry


async def _square(ctx: BenchContext) -> BenchResult:
    ctx.progress.start(3, "squares")
    xs = [1.0, 2.0, 3.0]
    for _ in xs:
        ctx.progress.advance()
    return BenchResult(
        figures={"per_second": 300.0, "quick": ctx.quick, "options": ctx.options},
        baseline={"per_second": 100.0},
        ratios={"per_second": 3.0},
        series=[Series("ours", xs, [x * x for x in xs]), Series("baseline", xs, xs)],
        x_label="n",
        y_label="value",
    )


def test_bench_writes_json_and_plot(tmp_path: Path) -> None:
    registry = BenchRegistry()
    registry.add("square", _square)
    target = tmp_path / "out" / "square.json"
    assert run_bench("square", json_path=str(target), quick=True, registry=registry, options={"room": "x"}) == 0
    document = json.loads(target.read_text())
    assert document["bench"] == "square"
    assert {"machine", "figures", "baseline", "ratios"} <= set(document)
    assert document["figures"]["quick"] is True and document["ratios"] == {"per_second": 3.0}
    assert document["figures"]["options"] == {"room": "x"}
    assert document["machine"]["cpus"] >= 1
    png = target.with_suffix(".png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 1000


def test_unknown_bench_is_refused_and_all_are_registered(tmp_path: Path) -> None:
    assert run_bench("nope", json_path=str(tmp_path / "x.json"), registry=BenchRegistry()) == 2
    assert default_registry().names() == ["apply", "chat", "media", "moderation", "soak"]
