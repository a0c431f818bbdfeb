"""The collector settings `livehire serve` applies after start-up (in a subprocess: freezing is process-wide)."""

from __future__ import annotations

import json
import subprocess
import sys

from livehire.serve import SERVING_GC_THRESHOLDS


def test_prepare_collector_freezes_the_start_up_heap_and_sets_the_serving_thresholds() -> None:
    script = ("import gc, json; from livehire.serve import prepare_collector; before = gc.get_threshold(); "
              "prepare_collector(); print(json.dumps([before, gc.get_threshold(), gc.get_freeze_count()]))")
    before, after, frozen = json.loads(subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                                                      text=True, timeout=60).stdout)
    assert tuple(after) == SERVING_GC_THRESHOLDS != tuple(before)
    assert after[0] > 10 * before[0], "young collections far rarer than CPython's default"
    assert frozen > 10_000, "the imported modules and their objects are out of the collector"


def test_the_bench_load_quiets_its_collector_while_measuring_and_restores_it_after() -> None:
    script = ("import gc, json; from bench.collector import quiet_collector; before = gc.get_threshold()\n"
              "with quiet_collector():\n    inside = [gc.get_threshold(), gc.get_freeze_count()]\n"
              "print(json.dumps([before, inside, gc.get_threshold(), gc.get_freeze_count()]))")
    before, (during, frozen), after, left_frozen = json.loads(subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True, timeout=60).stdout)
    assert tuple(during) == SERVING_GC_THRESHOLDS and frozen > 10_000
    assert after == before and left_frozen == 0, "the process's collector is as it was (tests run the bench too)"
