"""Instructions per apply: the server's own work, counted by callgrind instead of timed.

Why: this machine's two cores are shared with other work, so CPU seconds per apply move by
±10–30 % between minutes (and the machine itself may run at a different speed on another
day). An instruction count does not: callgrind counts the user-space instructions the server
process executes, whatever else the machine is doing. It leaves out the kernel's work
(``send``/``recv``/``fsync``) and the database server's; it is the figure to compare two
versions of the code, or group commit against one commit per apply, not a rate.

How: the bench server (``python -m bench.apply serve``) runs under ``valgrind
--tool=callgrind --instr-atstart=no`` (start-up runs uninstrumented), the viewers connect,
instrumentation is switched on (``callgrind_control -i on``) for exactly the closed-loop
load, then off, and the profile is dumped and summed. Under valgrind the server runs ≈ 50×
slower, so the load is small (default 100 viewers × 10 jobs) and batches are whatever that
pace gives: both sides of a ratio are measured the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import shutil
import tempfile
from pathlib import Path
from typing import Any

from bench.apply.load import load
from bench.apply.server import office_token, reset_applications, seed, start_server, viewer_token

TOOLS = ("valgrind", "callgrind_control")


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def callgrind_total(path: str) -> int:
    """The sum of a callgrind output file's self costs (its first event: ``Ir``).

    Cost lines start with a position (a number, or ``+n``/``-n``/``*`` relative to the previous one);
    the line after a ``calls=`` line is the call's inclusive cost, already counted in the callee.
    """
    total = 0
    after_call = False
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            first = line[:1]
            if first.isdigit() or first in "+-*":
                if after_call:
                    after_call = False
                    continue
                parts = line.split()
                if len(parts) >= 2:
                    total += int(parts[1])
            elif line.startswith("calls="):
                after_call = True
    return total


async def _control(*args: str) -> None:
    process = await asyncio.create_subprocess_exec("callgrind_control", *args, stdout=asyncio.subprocess.DEVNULL,
                                                   stderr=asyncio.subprocess.DEVNULL)
    if await process.wait() != 0:
        raise RuntimeError(f"callgrind_control {' '.join(args)} failed")


async def measure_instructions(database_url: str, users: int, jobs: int, max_batch: int, progress: Any, *,
                               gc_freeze: bool = True) -> dict[str, Any]:
    """User-space instructions the server executes per apply over a closed loop of ``users`` × ``jobs``."""
    job_ids = await seed(database_url, users, jobs)
    await reset_applications(database_url)
    scratch = Path(tempfile.mkdtemp(prefix="livehire-callgrind-"))
    prefix = ["valgrind", "-q", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={scratch}/out.%p"]
    server = await start_server(database_url, max_batch=max_batch, gc_freeze=gc_freeze, prefix=prefix,
                                ready_timeout=900)
    pid = str(server.process.pid)
    viewers = [(f"u{i}", viewer_token(f"u{i}")) for i in range(users)]
    connected, go = asyncio.Event(), asyncio.Event()
    try:
        task = asyncio.create_task(load(server.base, viewers, job_ids, progress, office=office_token(),
                                        connected=connected, go=go))
        await connected.wait()
        await asyncio.sleep(1)  # the connections' own work settles before counting starts
        await _control("-i", "on", pid)
        go.set()
        figures = await task
        await _control("-i", "off", pid)
        await _control("-d", pid)
    finally:
        await server.stop()
    try:
        total = sum([await asyncio.to_thread(callgrind_total, path) for path in glob.glob(f"{scratch}/out.*")])
    finally:
        with contextlib.suppress(OSError):
            await asyncio.to_thread(shutil.rmtree, scratch)
    applies = max(int(figures["applies"]), 1)
    return {
        "applies": figures["applies"],
        "statuses": figures["statuses"],
        "instructions": total,
        "instructions_per_apply": round(total / applies),
        "note": "server user-space instructions under callgrind (kernel and database server not counted)",
    }
