"""Runs a registered bench, adds machine facts, writes the JSON and a PNG plot.

``livehire bench NAME --json PATH`` → PATH holds
``{"bench", "machine", "figures", "baseline", "ratios", "notes"}`` and
PATH with ``.png`` holds the plot. ``all`` runs every bench, each into its own
file next to PATH (``PATH-stem.NAME.json``).
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from bench.registry import BenchContext, BenchRegistry, BenchResult, default_registry
from common.fdlimit import NotEnoughFiles, raise_open_files

DEFAULT_DIR = Path("bench-results")


class RichProgress:
    """The :class:`bench.registry.Progress` reporter, drawn by rich on stderr."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task: TaskID | None = None

    def start(self, total: int, description: str) -> None:
        if self._task is not None:
            self._progress.remove_task(self._task)
        self._task = self._progress.add_task(description, total=total)

    def advance(self, steps: int = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, steps)


def machine_info() -> dict[str, Any]:
    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model,
        "loadavg": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "open_files_limit": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
    }


def document(name: str, result: BenchResult) -> dict[str, Any]:
    return {
        "bench": name,
        "machine": machine_info(),
        "figures": result.figures,
        "baseline": result.baseline,
        "ratios": result.ratios,
        "notes": result.notes,
    }


def write_plot(result: BenchResult, path: Path, name: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.2), dpi=110)
    if result.series:
        for series in result.series:
            axes.plot(series.x, series.y, marker="o", label=series.label)
        axes.legend()
    else:
        labels = list(result.ratios)
        axes.bar(labels, [result.ratios[label] for label in labels])
        axes.axhline(1.0, color="grey", linewidth=0.8)
        axes.set_ylabel("ratio to baseline")
    axes.set_title(result.plot_title or f"livehire bench {name}")
    if result.x_label:
        axes.set_xlabel(result.x_label)
    if result.y_label:
        axes.set_ylabel(result.y_label)
    axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def run_bench(
    name: str,
    *,
    json_path: str | None = None,
    target: str | None = None,
    workers: int = 1,
    quick: bool = False,
    registry: BenchRegistry | None = None,
    options: dict[str, str] | None = None,
) -> int:
    registry = registry or default_registry()
    names = registry.names() if name == "all" else [name]
    if name != "all" and name not in registry.names():
        print(f"livehire bench: unknown bench {name!r}; known: {', '.join(registry.names()) or 'none'}", file=sys.stderr)
        return 2
    limit = raise_open_files()  # the bench's client and server processes inherit it
    print(f"livehire bench: {limit.describe()}", file=sys.stderr)
    base = Path(json_path) if json_path else DEFAULT_DIR / f"{name}.json"
    base.parent.mkdir(parents=True, exist_ok=True)
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(), transient=False,
    ) as progress:
        for bench_name in names:
            context = BenchContext(
                progress=RichProgress(progress), target=target, workers=workers, quick=quick, options=dict(options or {})
            )
            try:
                result = asyncio.run(registry.get(bench_name)(context))
            except NotEnoughFiles as exc:  # said at once, instead of sockets waiting in a backlog
                progress.console.print(f"[red]livehire bench {bench_name}: {exc}[/red]")
                return 2
            path = base if name != "all" else base.with_name(f"{base.stem}.{bench_name}.json")
            doc = document(bench_name, result)
            path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            write_plot(result, path.with_suffix(".png"), bench_name)
            progress.console.print(f"[green]{bench_name}[/green]: ratios {json.dumps(result.ratios)} → {path}")
    return 0
