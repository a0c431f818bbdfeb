"""``livehire bench moderation`` runs end to end in quick mode and reports what it promises."""

from __future__ import annotations

from bench.moderation import NaiveFilter, run
from bench.registry import BenchContext
from moderation.lexicon import Lexicon


class _Progress:
    def __init__(self) -> None:
        self.steps = 0

    def start(self, total: int, description: str) -> None:
        self.total = total

    def advance(self, steps: int = 1) -> None:
        self.steps += steps


async def test_quick_bench_reports_figures_baseline_and_ratios() -> None:
    progress = _Progress()
    result = await run(BenchContext(progress=progress, quick=True))
    assert progress.steps == progress.total
    for key in ("messages_per_s", "p50_us", "p99_us", "quality"):
        assert key in result.figures and key in result.baseline
    assert set(result.ratios) == {"throughput", "throughput_vs_lite", "p50_speedup", "p99_speedup"}
    quality = result.figures["quality"]
    assert quality["violation_recall"] >= 0.95 and quality["clean_flagged"] <= 0.02
    assert result.figures["p50_us"] <= result.figures["p99_us"]


def test_naive_baseline_is_a_real_filter() -> None:
    for offsets in (True, False):
        naive = NaiveFilter(Lexicon.from_directory(), offsets=offsets)
        assert naive.check("押 金 两 百") == ("fee",)
        assert naive.check("电话13812345678") == ("pii",)
        assert naive.check("今天天气不错") == ()
    folded, starts = NaiveFilter(Lexicon(), offsets=True).normalise("加 Ｖ 信")
    assert (folded, starts) == ("加v信", [0, 2, 4])
