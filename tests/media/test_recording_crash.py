"""SIGKILL of a recording process: both containers stay playable and lose at most the last second
(issue 16, standard 4.3.1 a; the server-level test for MP4 is tests/media/test_recording_server.py)."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from pathlib import Path

import av
import pytest

pytestmark = pytest.mark.media

FPS = 30


@pytest.mark.parametrize("mime", ["video/VP8", "video/H264"])
@pytest.mark.clause("4.3.1 a")
@pytest.mark.timeout(60)
async def test_a_killed_recorder_leaves_a_playable_file_missing_at_most_a_second(tmp_path: Path, mime: str) -> None:
    child = await asyncio.create_subprocess_exec(sys.executable, "-m", "tests.media.record_child", str(tmp_path), mime,
                                                 stdout=asyncio.subprocess.PIPE)
    assert child.stdout is not None
    try:
        line = (await asyncio.wait_for(child.stdout.readline(), 30)).decode()
        assert line.startswith("RECORDING "), line
        path = Path(line.split(" ", 1)[1].strip())
        first_sent: int | None = None
        started = time.monotonic()
        sent = 0
        while time.monotonic() - started < 5.0:
            fields = (await asyncio.wait_for(child.stdout.readline(), 10)).decode().split()
            if fields and fields[0] == "SENT":
                sent = int(fields[1])
                first_sent = sent if first_sent is None else first_sent
        child.send_signal(signal.SIGKILL)
        await child.wait()
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
    assert first_sent is not None
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        times = [float(f.pts * f.time_base) for f in container.decode(stream) if f.pts is not None and f.time_base]
    recorded = max(times) - min(times) + 1 / FPS
    published = (sent - first_sent) / FPS  # frames sent while the file was open (a lower bound of its span)
    assert stream.codec_context.name == mime.split("/")[1].lower()
    assert recorded >= published - 1.0, (recorded, published)
