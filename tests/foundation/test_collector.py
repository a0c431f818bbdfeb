"""livehire.collector: under the serving thresholds, cycles of closed objects wait for the clock's full collection."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from livehire.app import create_app
from livehire.collector import (
    FULL_COLLECTION_SECONDS,
    PAUSE_SHARE,
    Paced,
    collect,
    collector_context,
    spacing,
)
from livehire.serve import SERVING_GC_THRESHOLDS
from livehire.settings import Settings


class Peer:
    """Stands in for a closed WebRTC peer: it and its transport refer to each other (a cycle)."""

    def __init__(self) -> None:
        self.transport: dict[str, object] = {"peer": self}


@pytest.fixture
def serving_thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    gc.collect()
    gc.set_threshold(*SERVING_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


async def test_a_closed_peers_cycle_survives_the_young_collections_and_goes_at_the_full_one(serving_thresholds: None) -> None:
    peer = Peer()
    gone = weakref.ref(peer)
    gc.collect(0)
    gc.collect(1)  # now in the oldest generation, where serving thresholds rarely look
    del peer
    gc.collect(0)
    gc.collect(1)
    assert gone() is not None  # young collections do not reach it
    await collect()
    assert gone() is None


def test_every_app_runs_the_clocked_collection(app_settings: Settings) -> None:
    assert collector_context in create_app(app_settings).cleanup_ctx


def test_a_slow_full_collection_spaces_out_the_next_ones() -> None:
    assert spacing(0.01) == FULL_COLLECTION_SECONDS  # a small heap: on the clock as before
    assert spacing(1.2) == pytest.approx(1.2 / PAUSE_SHARE)  # ten thousand sockets: minutes apart
    assert spacing(1.2) * PAUSE_SHARE <= 1.2 + 1e-9


async def test_ticks_before_the_spacing_has_passed_collect_nothing(serving_thresholds: None) -> None:
    now = [1000.0]
    paced = Paced(lambda: now[0])
    await paced.tick()  # the first tick collects and sets when the next is due
    assert paced.due >= now[0] + FULL_COLLECTION_SECONDS
    peer = Peer()
    gone = weakref.ref(peer)
    gc.collect(0)
    gc.collect(1)
    del peer
    now[0] = paced.due - 1  # not yet due
    await paced.tick()
    assert gone() is not None
    now[0] = paced.due
    await paced.tick()
    assert gone() is None
