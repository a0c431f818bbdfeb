"""A Prometheus histogram fed a whole batch of observations at once.

Why: ``prometheus_client.Histogram.observe`` takes a lock and walks the bucket
bounds in Python for every value, a visible share of the apply path's
instructions (one latency per apply; docs/recruiting.md). :meth:`BatchHistogram.observe_many` finds
each value's bucket with :func:`bisect.bisect_left` (C) and adds the batch's
counts under one lock. It is exposed exactly like a ``Histogram`` of the same
name and bounds (``_bucket`` with cumulative ``le``, ``_count``, ``_sum``,
``_created``), through the public custom-collector interface.
"""

from __future__ import annotations

import bisect
import math
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import cast

from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import HistogramMetricFamily
from prometheus_client.registry import Collector
from prometheus_client.samples import Sample
from prometheus_client.utils import floatToGoString

_go_float = cast(Callable[[float], str], floatToGoString)  # how prometheus_client writes a bound (``+Inf``)


class BatchHistogram(Collector):
    """An unlabelled histogram; ``observe_many`` per batch, ``observe`` for a single value."""

    def __init__(self, name: str, documentation: str, *, buckets: Sequence[float] = Histogram.DEFAULT_BUCKETS,
                 registry: CollectorRegistry | None = None) -> None:
        bounds = sorted(float(b) for b in buckets)
        if not bounds or bounds[-1] != math.inf:
            bounds.append(math.inf)
        self.name = name
        self.documentation = documentation
        self._bounds = bounds
        self._counts = [0] * len(bounds)  # per bucket, not cumulative
        self._sum = 0.0
        self._created = time.time()
        self._lock = threading.Lock()  # scrapes may come from another thread
        if registry is not None:
            registry.register(self)

    def observe(self, value: float) -> None:
        self.observe_many((value,))

    def observe_many(self, values: Sequence[float]) -> None:
        bounds, locate = self._bounds, bisect.bisect_left
        found = [locate(bounds, value) for value in values]  # bucket i holds values <= bounds[i]
        total = math.fsum(values)
        with self._lock:
            counts = self._counts
            for index in found:
                counts[index] += 1
            self._sum += total

    def collect(self) -> Iterator[HistogramMetricFamily]:
        with self._lock:
            counts = list(self._counts)
            total = self._sum
        cumulative, running = [], 0
        for bound, count in zip(self._bounds, counts, strict=True):
            running += count
            cumulative.append((_go_float(bound), running))
        family = HistogramMetricFamily(self.name, self.documentation)
        family.add_metric([], cumulative, total)
        family.samples.append(Sample(f"{self.name}_created", {}, self._created))
        yield family
