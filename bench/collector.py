"""The load generator's own collector, kept out of the figures it measures.

A full collection of the load process's heap (its viewers, pre-built frames and the samples
gathered so far) stops it now and then: every reply that arrives meanwhile is timed late, and
those few late samples are the tail the bench reports (figures:
docs/measurements/2026-11-29-apply-rounds.md). While measuring, the load process does what
``livehire serve`` does (:func:`livehire.serve.prepare_collector`): what is alive moves out of
the collector and the serving thresholds apply; afterwards the collector is as it was (the bench
also runs inside test processes).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

from livehire.serve import prepare_collector


@contextlib.contextmanager
def quiet_collector() -> Iterator[None]:
    thresholds = gc.get_threshold()
    prepare_collector()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
