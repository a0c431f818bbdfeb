"""Small real media files for recording tests that need no live: H264 in MP4, encoded once by PyAV."""

from __future__ import annotations

import fractions
from pathlib import Path

import av
import numpy as np


def h264_mp4(path: Path, seconds: float = 6.0, fps: int = 30) -> bytes:
    """A 160×120 moving pattern with a keyframe every second; returns the file's bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps, options={"g": str(fps), "preset": "ultrafast"})
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        for i in range(int(seconds * fps)):
            image = np.zeros((120, 160, 3), dtype=np.uint8)
            image[:, : (i % 160) + 1, 1] = 200
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts, frame.time_base = i, fractions.Fraction(1, fps)
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path.read_bytes()


def seconds_of(data: bytes, scratch: Path) -> float:
    """Video seconds of a file's bytes (first to last frame, plus one frame)."""
    scratch.write_bytes(data)
    with av.open(str(scratch)) as container:
        stream = container.streams.video[0]
        times = [float(f.pts * f.time_base) for f in container.decode(stream) if f.pts is not None and f.time_base]
        rate = float(stream.average_rate or 30)  # inside: PyAV 18.1.1 refuses a closed container's stream
    return max(times) - min(times) + 1 / rate
