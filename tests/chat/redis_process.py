"""A throw-away ``redis-server`` for fault tests: started on a free port, killed with SIGKILL, started again.

Never the shared Redis: each test owns its process, with no persistence, so a restart comes back empty.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import subprocess


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisProcess:
    """A throw-away redis-server: no persistence, so a restart comes back empty."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self._process = await asyncio.create_subprocess_exec(
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        async with asyncio.timeout(10):
            while not await self._answers():
                assert self._process.returncode is None, "redis-server exited"
                await asyncio.sleep(0.05)

    async def _answers(self) -> bool:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        except OSError:
            return False
        try:
            writer.write(b"PING\r\n")
            return (await reader.readline()).startswith(b"+PONG")
        except OSError:
            return False
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    def pause(self, paused: bool = True) -> None:
        """SIGSTOP: connections stay open and the kernel still accepts bytes, nothing answers (a blackhole)."""
        assert self._process is not None
        self._process.send_signal(signal.SIGSTOP if paused else signal.SIGCONT)

    async def kill(self) -> None:
        if self._process is not None and self._process.returncode is None:
            self._process.send_signal(signal.SIGKILL)
            async with asyncio.timeout(10):
                await self._process.wait()
        self._process = None
