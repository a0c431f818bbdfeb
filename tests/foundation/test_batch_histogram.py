"""BatchHistogram is exposed exactly like prometheus_client's Histogram fed the same values."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry, Histogram, generate_latest

from common.batch_histogram import BatchHistogram


def _exposition(registry: CollectorRegistry) -> str:
    """The text with times and sums blanked: a batch's sum is added in another order, so it may differ
    from the per-value sum in the last bits (rounding it hid that only until a sum fell on a rounding edge)."""
    text = generate_latest(registry).decode()
    text = re.sub(r"_created \S+", "_created T", text)
    return re.sub(r"_sum \S+", "_sum S", text)


def _sums(registry: CollectorRegistry) -> list[float]:
    return [float(value) for value in re.findall(r"_sum (\S+)", generate_latest(registry).decode())]


@given(st.lists(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), max_size=20), max_size=8),
       st.sampled_from([Histogram.DEFAULT_BUCKETS, (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000)]))
def test_same_exposition_as_histogram(batches: list[list[float]], buckets: tuple[float, ...]) -> None:
    reference, ours = CollectorRegistry(), CollectorRegistry()
    histogram = Histogram("livehire_test_seconds", "doc", buckets=buckets, registry=reference)
    batched = BatchHistogram("livehire_test_seconds", "doc", buckets=buckets, registry=ours)
    for batch in batches:
        for value in batch:
            histogram.observe(value)
        batched.observe_many(batch)
    assert _exposition(ours) == _exposition(reference)
    assert _sums(ours) == pytest.approx(_sums(reference), rel=1e-12, abs=1e-9)


def test_a_value_on_a_bound_is_counted_in_that_bucket() -> None:
    registry = CollectorRegistry()
    batched = BatchHistogram("livehire_edge_seconds", "doc", buckets=(1.0, 2.0), registry=registry)
    batched.observe(1.0)
    batched.observe_many([2.0, 2.5])
    text = generate_latest(registry).decode()
    assert 'livehire_edge_seconds_bucket{le="1.0"} 1.0' in text
    assert 'livehire_edge_seconds_bucket{le="2.0"} 2.0' in text
    assert 'livehire_edge_seconds_bucket{le="+Inf"} 3.0' in text and "livehire_edge_seconds_count 3.0" in text
