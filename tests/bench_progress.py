"""A bench :class:`bench.registry.Progress` for tests: counts what the bench reports."""

from __future__ import annotations


class CountingProgress:
    def __init__(self) -> None:
        self.total = 0
        self.done = 0

    def start(self, total: int, description: str) -> None:
        self.total = total

    def advance(self, steps: int = 1) -> None:
        self.done += steps
