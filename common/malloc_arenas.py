"""glibc's malloc arenas capped while serving, so memory a thread frees is reused by the others.

Why: glibc gives each new thread its own arena (up to eight per core) and rarely returns an arena's
free space to the OS. The node's threads (the default executor, chat write helpers, recorders,
aiortc's encoders) each grew one, and the soak bench's RSS rose in steps for 30 minutes while no
Python object grew; with two arenas the same load grew a third as much and levelled off (figures:
docs/operations.md, soak). An operator's ``MALLOC_ARENA_MAX`` (read by glibc at start) wins.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

SERVING_ARENAS: Final = 2
M_ARENA_MAX: Final = -8  # glibc's mallopt parameter number


@dataclass(frozen=True, slots=True)
class ArenaLimit:
    arenas: int | None  # None: the C library's own default is in force
    source: str

    def describe(self) -> str:
        if self.arenas is None:
            return f"malloc arenas: C library default ({self.source})"
        return f"malloc arenas: at most {self.arenas} ({self.source})"


def limit_malloc_arenas(arenas: int = SERVING_ARENAS, environ: Mapping[str, str] = os.environ) -> ArenaLimit:
    """At most ``arenas`` malloc arenas from now on; call it before the process starts threads."""
    chosen = environ.get("MALLOC_ARENA_MAX")
    if chosen is not None:
        return ArenaLimit(int(chosen) if chosen.isdigit() else None, "MALLOC_ARENA_MAX")
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return ArenaLimit(None, "no mallopt")
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    if mallopt(M_ARENA_MAX, arenas) != 1:  # musl and others accept the call and do nothing
        return ArenaLimit(None, "mallopt refused")
    return ArenaLimit(arenas, "mallopt")
