"""The per-packet latency histogram: quantiles within one bucket, windows that forget."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from media_server.sfu.latency import GROWTH, LatencyHistogram, LatencyWindow


def test_quantiles_are_exact_to_one_bucket() -> None:
    histogram = LatencyHistogram()
    assert histogram.quantile(0.99) is None
    for _ in range(990):
        histogram.observe(0.0002)
    for _ in range(10):
        histogram.observe(0.004)
    p50, p99, top = histogram.quantile(0.5), histogram.quantile(0.99), histogram.quantile(1.0)
    assert p50 is not None and 0.0002 <= p50 < 0.0002 * GROWTH
    assert p99 is not None and 0.0002 <= p99 < 0.0002 * GROWTH  # the 990th of 1000 is still fast
    assert top is not None and 0.004 <= top < 0.004 * GROWTH
    histogram.observe(100.0)  # beyond the last edge: counted in the last bucket
    assert histogram.total == 1001


@given(st.lists(st.floats(1e-6, 5.0), min_size=1, max_size=200), st.floats(0.0, 1.0))
def test_quantile_bounds_the_sample_quantile(samples: list[float], q: float) -> None:
    histogram = LatencyHistogram()
    for sample in samples:
        histogram.observe(sample)
    value = histogram.quantile(q)
    ranked = sorted(samples)[max(1, round(q * len(samples))) - 1]
    assert value is not None and value >= min(ranked, 5.0) * 0.999


def test_window_keeps_one_to_two_periods_and_take_starts_afresh() -> None:
    window = LatencyWindow(period=10.0)
    window.observe(0.001, 0.0)
    window.observe(0.001, 11.0)  # rotates: the first is now in the previous period
    assert window.recent().total == 2
    window.observe(0.001, 22.0)  # rotates again: the first is forgotten
    assert window.recent().total == 2
    assert window.take().total == 2 and window.recent().total == 0


@pytest.mark.parametrize("q", [0.5, 0.99])
def test_merge_adds_counts(q: float) -> None:
    a, b = LatencyHistogram(), LatencyHistogram()
    a.observe(0.001)
    b.observe(0.001)
    a.merge(b)
    assert a.total == 2 and a.quantile(q) == b.quantile(q)
