"""``bench media``'s recording run: the same fan-out with the room recorded (issue 16: per-viewer cost with one
recording running within 5 % of none). The bench server records through the media plane's own recorder,
into a temporary directory removed at exit."""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from media_server.recording.recorder import Recorder, RecordingResult
from signaling.service import SignalingService


def attach_recorder(service: SignalingService) -> Callable[[], Awaitable[RecordingResult | None]]:
    """Records every room of ``service`` while it is live; the returned coroutine stops and cleans up."""
    directory = Path(tempfile.mkdtemp(prefix="livehire-bench-rec-"))
    recorders: dict[str, Recorder] = {}
    pending: set[asyncio.Task[Any]] = set()

    def on_live(room: str, live: bool) -> None:
        media = service.room_media(room)
        if live and media is not None and room not in recorders:
            recorders[room] = Recorder(media.broadcast, directory, room)
            recorders[room].start()
        elif not live and room in recorders:
            task = asyncio.ensure_future(recorders.pop(room).stop())
            pending.add(task)
            task.add_done_callback(pending.discard)

    service.on_live_change = on_live

    async def stop() -> RecordingResult | None:
        running = list(recorders.values())  # the room may go idle (and pop itself) while these stop
        recorders.clear()
        results = [await recorder.stop() for recorder in running]
        await asyncio.gather(*pending, return_exceptions=True)
        shutil.rmtree(directory, ignore_errors=True)
        for result in results:  # shown in the bench's output: the recording did run
            print(f"bench recording: {result.video_frames} video frames, {result.audio_frames} audio frames, "
                  f"{result.duration_s:.1f} s, {result.dropped_frames} dropped", file=sys.stderr, flush=True)
        return results[0] if results else None

    return stop


def recording_cost(without: dict[str, Any], recorded: dict[str, Any]) -> dict[str, Any]:
    """The recorded run's figures and its per-viewer CPU against the run without (1.0 = free)."""
    return {**recorded, "per_viewer_cost_ratio": round(recorded["cpu_pct_per_viewer"] / without["cpu_pct_per_viewer"], 3)}
