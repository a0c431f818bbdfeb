"""``livehire bench moderation``: the inline chat filter, messages/s and per-message latency.

Mix: every line of the labelled corpus, clean lines weighted ×7 so about one message in
ten is a violation (a busy recruitment room is mostly questions about pay and shifts).
Baseline, measured in the same run: pyahocorasick over the same lexicon with the same
folding done naively (a Python loop per character calling ``unicodedata``), flagging a
message on any hit. Quality: per-category precision/recall of both on the corpus.
CPU-bound and single-threaded on purpose (one worker thread): the per-message cost on one core.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
import unicodedata
from collections.abc import Callable, Sequence

import ahocorasick

from bench.registry import BenchContext, BenchResult, Series
from moderation.corpus import Line, load
from moderation.decision import CATEGORIES
from moderation.engine import Moderator
from moderation.lexicon import ALLOW, Lexicon
from moderation.normalize import CJK_DIGITS, HOMOGLYPHS, load_t2s

CLEAN_WEIGHT = 7
_NAIVE_DELETE = ("Z", "C", "M", "P", "S")
_PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


class NaiveFilter:
    """The baseline: what a first version usually looks like. Same lexicon, same folding
    steps, one character at a time in Python, then one Aho–Corasick scan."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._t2s = load_t2s()
        self._automaton = ahocorasick.Automaton()
        for entry in lexicon.entries():
            if entry.category != ALLOW:
                folded = self.normalise(entry.term)
                if folded:
                    self._automaton.add_word(folded, (len(folded), entry.category))
        self._automaton.make_automaton()

    def normalise(self, text: str) -> str:
        out: list[str] = []
        for ch in unicodedata.normalize("NFKC", text).casefold():
            ch = HOMOGLYPHS.get(ch, ch)
            ch = self._t2s.get(ch, ch)
            if unicodedata.category(ch).startswith(_NAIVE_DELETE):
                continue
            if out and out[-1] == ch and not ch.isdigit() and ch not in CJK_DIGITS and not ch.isascii():
                continue
            out.append(ch)
        return "".join(out)

    def check(self, text: str) -> tuple[str, ...]:
        folded = self.normalise(text)
        found = {category for _, (_, category) in self._automaton.iter(folded)}
        digits = "".join(CJK_DIGITS.get(c, c) for c in folded)
        if _PHONE.search(digits):
            found.add("pii")
        return tuple(c for c in CATEGORIES if c in found)


def mix(lines: Sequence[Line]) -> list[Line]:
    out = [x for x in lines for _ in range(CLEAN_WEIGHT if x.action == "allow" else 1)]
    random.Random(4).shuffle(out)
    return out


def throughput(call: Callable[[Line], object], messages: Sequence[Line], seconds: float) -> float:
    done = 0
    started = time.perf_counter()
    while True:
        for line in messages:
            call(line)
        done += len(messages)
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return done / elapsed


def latencies_us(call: Callable[[Line], object], messages: Sequence[Line], rounds: int) -> list[float]:
    clock = time.perf_counter_ns
    samples: list[float] = []
    for _ in range(rounds):
        for line in messages:
            started = clock()
            call(line)
            samples.append((clock() - started) / 1000)
    samples.sort()
    return samples


def percentile(sorted_samples: Sequence[float], q: float) -> float:
    return sorted_samples[min(len(sorted_samples) - 1, int(q * len(sorted_samples)))]


def quality(flagged: Callable[[Line], tuple[str, ...]], lines: Sequence[Line]) -> dict[str, object]:
    """Per-category precision/recall, violation recall, share of clean lines flagged."""
    result: dict[str, object] = {}
    got = [(x, flagged(x)) for x in lines]
    for c in CATEGORIES:
        tp = sum(1 for x, g in got if c in x.categories and c in g)
        fp = sum(1 for x, g in got if c not in x.categories and c in g)
        fn = sum(1 for x, g in got if c in x.categories and c not in g)
        result[c] = {"precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
                     "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0}  # fmt: skip
    violations = [(x, g) for x, g in got if x.action != "allow"]
    clean = [(x, g) for x, g in got if x.action == "allow"]
    result["violation_recall"] = round(sum(1 for x, g in violations if set(x.categories) <= set(g)) / len(violations), 3)
    result["clean_flagged"] = round(sum(1 for _, g in clean if g) / len(clean), 4)
    return result


async def run(ctx: BenchContext) -> BenchResult:
    """The bench entry point; the CPU work runs in a worker thread so the loop stays free."""
    return await asyncio.to_thread(measure, ctx)


def measure(ctx: BenchContext) -> BenchResult:
    lines = load()
    messages = mix(lines)
    seconds = 0.5 if ctx.quick else 3.0
    rounds = 3 if ctx.quick else 20
    ctx.progress.start(6, "moderation: build")
    moderator = Moderator()
    naive = NaiveFilter(moderator.lexicon)
    ctx.progress.advance()

    def ours(x: Line) -> object:
        return moderator.moderate(x.text, role=x.role, context=x.context)

    def base(x: Line) -> object:
        return naive.check(x.text)

    def ours_flags(x: Line) -> tuple[str, ...]:
        return moderator.moderate(x.text, role=x.role, context=x.context).categories

    for call in (ours, base):  # warm caches and the automata
        for line in messages[:200]:
            call(line)
    ours_rate = throughput(ours, messages, seconds)
    ctx.progress.advance()
    base_rate = throughput(base, messages, seconds)
    ctx.progress.advance()
    ours_lat = latencies_us(ours, messages, rounds)
    ctx.progress.advance()
    base_lat = latencies_us(base, messages, max(1, rounds // 4))
    ctx.progress.advance()
    figures: dict[str, object] = {
        "messages_per_s": round(ours_rate),
        "p50_us": round(percentile(ours_lat, 0.50), 2),
        "p99_us": round(percentile(ours_lat, 0.99), 2),
        "p999_us": round(percentile(ours_lat, 0.999), 2),
        "mix_messages": len(messages),
        "mix_violation_share": round(sum(1 for x in messages if x.action != "allow") / len(messages), 3),
        "quality": quality(ours_flags, lines),
    }
    baseline: dict[str, object] = {
        "messages_per_s": round(base_rate),
        "p50_us": round(percentile(base_lat, 0.50), 2),
        "p99_us": round(percentile(base_lat, 0.99), 2),
        "quality": quality(lambda x: naive.check(x.text), lines),
    }
    ctx.progress.advance()
    qs = [0.5, 0.9, 0.99, 0.999]
    return BenchResult(
        figures=figures,
        baseline=baseline,
        ratios={
            "throughput": round(ours_rate / base_rate, 2),
            "p50_speedup": round(percentile(base_lat, 0.5) / percentile(ours_lat, 0.5), 2),
            "p99_speedup": round(percentile(base_lat, 0.99) / percentile(ours_lat, 0.99), 2),
        },
        notes=[
            f"mix: {len(lines)} labelled corpus lines, clean lines x{CLEAN_WEIGHT}; one process, one core, synchronous",
            "baseline: pyahocorasick over the same lexicon, naive per-character folding, flags on any hit",
            "goal: >= 200k messages/s, p99 <= 20 us, >= 3x baseline",
        ],
        plot_title="moderation: per-message latency percentiles",
        x_label="percentile",
        y_label="microseconds",
        series=[
            Series("livehire", [q * 100 for q in qs], [percentile(ours_lat, q) for q in qs]),
            Series("naive + pyahocorasick", [q * 100 for q in qs], [percentile(base_lat, q) for q in qs]),
        ],
    )
