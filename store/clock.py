"""Store time: integer milliseconds since the epoch (UTC), portable across databases."""

from __future__ import annotations

import time


def now_ms() -> int:
    return int(time.time() * 1000)
