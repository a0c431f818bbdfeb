"""The forwarding (or MediaRelay) server of ``livehire bench media`` in its own process, CPU read from ``/proc``.

Shared by the bench's runs (bench/media.py) and the worker scaling run (bench/media_workers.py).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys


class ServerProcess:
    def __init__(self, mode: str, profile: bool = False, directory: str | None = None) -> None:
        self.mode = mode
        self.profile = profile
        self.directory = directory
        self.proc: asyncio.subprocess.Process | None = None
        self.base = ""
        self.profile_text = ""

    async def __aenter__(self) -> ServerProcess:
        extra = ["--profile"] if self.profile else []
        if self.directory:
            extra += ["--directory", self.directory]
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.media", "serve", "--mode", self.mode, *extra,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE if self.profile else None)
        assert self.proc.stdout is not None
        line = (await asyncio.wait_for(self.proc.stdout.readline(), 60)).decode()
        if not line.startswith("READY"):
            raise RuntimeError(f"bench server failed to start: {line!r}")
        self.base = f"http://127.0.0.1:{int(line.split()[1])}"
        return self

    def cpu_seconds(self) -> float:
        assert self.proc is not None
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def __aexit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                _, err = await asyncio.wait_for(self.proc.communicate(), 30)
                self.profile_text = (err or b"").decode()
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
