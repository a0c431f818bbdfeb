"""The bench registry: each hot-path bench registers one function under a name.

A bench receives a :class:`BenchContext` (where to aim, how hard, a progress
reporter) and returns a :class:`BenchResult`; the harness in
:mod:`bench.harness` adds machine facts, writes the JSON and draws the plot,
so a bench only measures.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Protocol


class Progress(Protocol):
    """Reports progress of one bench (a rich progress bar in the terminal)."""

    def start(self, total: int, description: str) -> None: ...

    def advance(self, steps: int = 1) -> None: ...


@dataclass(frozen=True, slots=True)
class BenchContext:
    """What a bench is told: target deployment (None = start its own), scale, progress."""

    progress: Progress
    target: str | None = None
    workers: int = 1
    quick: bool = False
    options: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Series:
    """One line of the plot: x values against y values for a named variant."""

    label: str
    x: list[float]
    y: list[float]


@dataclass(slots=True)
class BenchResult:
    """Figures of our implementation, the same figures for the baseline, and their ratios."""

    figures: dict[str, Any]
    baseline: dict[str, Any]
    ratios: dict[str, float]
    notes: list[str] = field(default_factory=list)
    plot_title: str = ""
    x_label: str = ""
    y_label: str = ""
    series: list[Series] = field(default_factory=list)


BenchFunction = Callable[[BenchContext], Coroutine[Any, Any, BenchResult]]


class BenchRegistry:
    """Name → bench function. Built by :func:`default_registry`, never a module global."""

    def __init__(self) -> None:
        self._benches: dict[str, BenchFunction | str] = {}

    def add(self, name: str, function: BenchFunction | str) -> None:
        """Registers a function, or the name of a module whose ``run`` is the bench.

        Module names are imported only when that bench runs, so ``livehire bench
        moderation`` does not load aiortc.
        """
        if name in self._benches:
            raise ValueError(f"bench {name!r} is registered twice")
        self._benches[name] = function

    def names(self) -> list[str]:
        return sorted(self._benches)

    def get(self, name: str) -> BenchFunction:
        try:
            entry = self._benches[name]
        except KeyError:
            raise KeyError(f"unknown bench {name!r}; known: {', '.join(self.names()) or 'none'}") from None
        if isinstance(entry, str):
            function: BenchFunction = importlib.import_module(entry).run
            return function
        return entry


def default_registry() -> BenchRegistry:
    """Every bench the project ships. Each area adds one line here when its bench lands."""
    registry = BenchRegistry()
    registry.add("chat", "bench.chat")
    registry.add("moderation", "bench.moderation")
    registry.add("media", "bench.media")
    registry.add("apply", "bench.apply")
    registry.add("soak", "bench.soak")
    return registry
