"""The arena cap: a process with eight threads allocating at once keeps to two malloc arenas."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from common.malloc_arenas import ArenaLimit, limit_malloc_arenas

ROOT = Path(__file__).resolve().parents[2]

#: Eight threads alive at once, each allocating blocks malloc serves from its thread's arena (below
#: the mmap threshold), then glibc's own per-arena report on stderr.
CHILD = """
import ctypes, sys, threading
from common.malloc_arenas import limit_malloc_arenas
if sys.argv[1] == "limit":
    print(limit_malloc_arenas().describe())
barrier, kept = threading.Barrier(8), []
def allocate() -> None:
    barrier.wait()
    kept.append([bytearray(100_000) for _ in range(5)])
    barrier.wait()
threads = [threading.Thread(target=allocate) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
ctypes.CDLL(None).malloc_stats()
"""


def arenas_used(mode: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-c", CHILD, mode], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=True, env=env)
    return sum(line.startswith("Arena ") for line in done.stderr.splitlines()), done.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_stats")
def test_eight_threads_share_two_arenas_once_limited() -> None:
    unlimited, _ = arenas_used("none")
    limited, said = arenas_used("limit")
    assert unlimited > 2, "without the cap each thread takes an arena of its own"
    assert limited == 2 and said == "malloc arenas: at most 2 (mallopt)"


def test_the_operators_setting_wins() -> None:
    assert limit_malloc_arenas(environ={"MALLOC_ARENA_MAX": "4"}) == ArenaLimit(4, "MALLOC_ARENA_MAX")
    assert limit_malloc_arenas(environ={"MALLOC_ARENA_MAX": "x"}).describe() == (
        "malloc arenas: C library default (MALLOC_ARENA_MAX)")
