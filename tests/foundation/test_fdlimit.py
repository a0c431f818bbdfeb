"""Open-file limits stated, not discovered (common.fdlimit): the server and the bench raise and log theirs,
and a bench asked for more sockets than fit stops at once and says why."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from common.fdlimit import FileLimit, NotEnoughFiles, open_files, raise_open_files, require

LOW = 256  # a soft limit the test's child processes start with, under any machine's hard limit


def low_limit() -> None:
    """In the child before exec: a soft limit of LOW (the hard limit kept), as a stingy default shell has."""
    resource.setrlimit(resource.RLIMIT_NOFILE, (LOW, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))


def test_raising_reaches_the_hard_limit_and_says_so() -> None:
    limit = raise_open_files()
    assert limit.soft == limit.hard or limit.hard == resource.RLIM_INFINITY
    assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] == limit.soft
    assert f"soft limit {limit.soft}" in limit.describe() and open_files() > 0


def test_a_plan_over_the_limit_is_refused_with_its_numbers() -> None:
    limit = FileLimit(before=1024, soft=20_000, hard=20_000)
    require(19_000, limit, "a server")
    with pytest.raises(NotEnoughFiles) as refused:
        require(20_064, limit, "the chat server process with 20000 viewer sockets")
    assert "needs about 20064 open files but may have 20000 (hard limit 20000)" in str(refused.value)


def test_serve_logs_its_raised_limit(tmp_path: Path) -> None:
    server = subprocess.Popen([sys.executable, "-m", "livehire.cli", "serve", "--port", "0", "--data-dir", str(tmp_path / "d")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=low_limit)
    try:
        assert server.stdout is not None and server.stderr is not None
        while "serving on" not in server.stdout.readline():
            assert server.poll() is None
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        with open(f"/proc/{server.pid}/limits") as limits:
            assert any(line.startswith("Max open files") and line.split()[3] == str(hard) for line in limits)
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert any(entry["msg"] == f"open files: soft limit {hard} (raised from {LOW}), hard limit {hard}" for entry in lines)


@pytest.mark.timeout(60)
def test_a_chat_bench_bigger_than_the_hard_limit_stops_at_once_and_says_why(tmp_path: Path) -> None:
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard == resource.RLIM_INFINITY or hard > 1_000_000:
        pytest.skip("no finite hard limit to exceed here")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "livehire.cli", "bench", "chat", "-o", f"audiences={hard}", "-o", "rates=50",
                           "--json", str(tmp_path / "chat.json")], capture_output=True, text=True, timeout=50,
                          preexec_fn=low_limit)
    assert done.returncode == 2, done.stdout + done.stderr
    assert time.monotonic() - started < 20  # at once: no server started, no socket opened
    said = " ".join((done.stdout + done.stderr).split())
    assert f"open files: soft limit {hard} (raised from {LOW})" in said
    assert f"the chat server process with {hard} viewer sockets needs about {hard + 64} open files" in said
    assert not (tmp_path / "chat.json").exists()
