"""``livehire bench moderation`` runs end to end in quick mode and reports what it promises."""

from __future__ import annotations

from bench.corpus import HELD_OUT_FROM
from bench.moderation import NaiveFilter, run
from bench.registry import BenchContext
from moderation.lexicon import Lexicon
from tests.bench_progress import CountingProgress


async def test_quick_bench_reports_figures_baseline_and_ratios() -> None:
    progress = CountingProgress()
    result = await run(BenchContext(progress=progress, quick=True))
    assert progress.done == progress.total
    for key in ("messages_per_s", "p50_us", "p99_us", "quality"):
        assert key in result.figures and key in result.baseline
    assert set(result.ratios) == {"throughput", "throughput_vs_lite", "cached_throughput", "cached_p99_speedup", "p50_speedup", "p99_speedup"}
    assert 0 < result.figures["cache_hit_rate"] < 1
    by_split = result.figures["quality_by_split"]
    assert by_split["train"]["violation_recall"] >= 0.95  # the split rules and model were tuned on
    assert by_split["train"]["clean_flagged"] <= 0.02 and by_split["dev"]["clean_flagged"] <= 0.02
    assert result.figures["quality_test_split"] == {k: v for k, v in by_split["test"].items() if k != "lines"}
    adversarial = result.figures["quality_adversarial"]
    assert adversarial["lines"] > 1000 and 0 < adversarial["violation_recall"] <= 1
    assert set(adversarial["recall_by_transform"]) >= {"homoglyph", "full_width", "traditional", "pinyin"}
    validation = result.figures["quality_validation"]
    assert validation["lines"] >= 300 and 0 < validation["violation_recall"] <= 1
    assert "clean_flagged" in result.figures["rules_only_quality_validation"]
    # held-out batches are counted, never decided: the bench leaves them to the rounds they are kept for
    by_batch, held = result.figures["quality_validation_by_batch"], result.figures["held_out_batches"]
    assert held and min(map(int, held)) == HELD_OUT_FROM and max(map(int, by_batch)) == HELD_OUT_FROM - 1
    assert validation["lines"] == sum(b["lines"] for b in by_batch.values())
    assert result.figures["p50_us"] <= result.figures["p99_us"]


def test_naive_baseline_is_a_real_filter() -> None:
    for offsets in (True, False):
        naive = NaiveFilter(Lexicon.from_directory(), offsets=offsets)
        assert naive.check("押 金 两 百") == ("fee",)
        assert naive.check("电话13812345678") == ("pii",)
        assert naive.check("今天天气不错") == ()
    folded, starts = NaiveFilter(Lexicon(), offsets=True).normalise("加 Ｖ 信")
    assert (folded, starts) == ("加v信", [0, 2, 4])


def test_chat_stream_repeats_only_short_lines_and_keeps_decisions() -> None:
    from bench.corpus import load
    from bench.moderation import chat_stream, mix
    from moderation.engine import Moderator

    messages = mix(load())
    stream = chat_stream(messages)
    assert len(stream) == len(messages)
    repeated = [x.text for x in stream if len(x.text) > 12]
    assert len(repeated) == len(set(repeated))  # longer lines never hit the cache
    moderator = Moderator(cache_size=0)
    for plain, streamed in zip(messages[:300], stream[:300], strict=True):
        a = moderator.moderate(plain.text, role=plain.role, context=plain.context)
        b = moderator.moderate(streamed.text, role=streamed.role, context=streamed.context)
        assert (a.action, a.categories, a.matches) == (b.action, b.categories, b.matches)
