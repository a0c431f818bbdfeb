"""The injectable clock: a manual clock moves only when told, and never backwards in monotonic time."""

from __future__ import annotations

import pytest

from common.clock import ManualClock, SystemClock, now_ms


def test_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock(start=100.0)
    assert (clock.now(), clock.monotonic()) == (100.0, 0.0)
    clock.advance(2.5)
    assert (clock.now(), clock.monotonic()) == (102.5, 2.5)
    assert now_ms(clock) == 102_500


def test_wall_time_may_jump_back_but_monotonic_time_does_not() -> None:
    clock = ManualClock(start=100.0)
    clock.set(50.0)
    assert (clock.now(), clock.monotonic()) == (50.0, 0.0)
    clock.set(60.0)
    assert clock.monotonic() == 10.0
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_system_clock_is_the_real_time() -> None:
    import time

    before = time.time()
    assert before - 1 <= SystemClock().now() <= time.time() + 1
    assert SystemClock().monotonic() <= time.monotonic()
