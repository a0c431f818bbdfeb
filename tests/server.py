"""A real ``livehire serve`` subprocess on a free port, for functional and integration tests."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO

from tests import services

START_TIMEOUT_SECONDS = 60.0


class ServerProcess:
    """Starts the CLI exactly as a user would, waits until it serves, and stops it."""

    def __init__(self, data_dir: Path, *, env: dict[str, str] | None = None, args: list[str] | None = None) -> None:
        self.data_dir = data_dir
        self.env = {**os.environ, **(env or {})}
        self.args = args or []
        self.process: subprocess.Popen[str] | None = None
        self.base_url = ""
        self.output: list[str] = []
        self._log: IO[str] | None = None

    def start(self) -> ServerProcess:
        command = [sys.executable, "-m", "livehire.cli", "serve", "--port", "0", "--data-dir", str(self.data_dir), *self.args]
        log = open(self.data_dir.parent / f"{self.data_dir.name}-server.log", "a", encoding="utf-8")  # noqa: SIM115
        self._log = log
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True, env=self.env)
        assert self.process.stdout is not None
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"server exited early with {self.process.wait()}; see {log.name}")
            self.output.append(line)
            match = re.search(r"serving on (http://\S+)", line)
            if match:
                self.base_url = match.group(1)
                break
        else:
            raise RuntimeError("server did not start in time")
        while True:  # read the rest of the banner
            line = self.process.stdout.readline()
            self.output.append(line)
            if not line.strip():  # the banner ends with an empty line
                break
        self.wait_healthy()
        return self

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server never became healthy")

    def banner_value(self, label: str) -> str:
        for line in self.output:
            if line.strip().startswith(label):
                return line.split(":", 1)[1].strip()
        raise KeyError(label)

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers run, as in a crash or power cut of the process."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
        self._close_files()

    def _close_files(self) -> None:
        if self.process and self.process.stdout:
            self.process.stdout.close()
        if self._log:
            self._log.close()
            self._log = None

    def stop(self) -> int:
        if self.process is None:
            return 0
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    return self.process.wait(20)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    return self.process.wait(10)
            return self.process.returncode
        finally:
            self._close_files()


@contextlib.asynccontextmanager
async def two_nodes(tmp_path: Path, postgres_url: str, env: dict[str, str]) -> AsyncIterator[tuple[ServerProcess, ServerProcess]]:
    """Nodes A and B of one deployment on a scratch PostgreSQL database (``env`` adds Redis, the secret…)."""
    database = await services.create_scratch_database(postgres_url)
    started: list[ServerProcess] = []
    try:
        for name in ("node-a", "node-b"):  # one after the other: A migrates and seeds the shared database
            (tmp_path / name).mkdir()
            server = ServerProcess(tmp_path / name, env={**env, "LIVEHIRE_DATABASE_URL": database})
            started.append(server)
            await asyncio.to_thread(server.start)
        yield started[0], started[1]
    finally:
        for server in started:
            await asyncio.to_thread(server.stop)
        await services.drop_scratch_database(postgres_url, database)
