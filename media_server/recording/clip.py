"""A clip of a recording: the packets from the keyframe at or before ``start`` up to ``end``, remuxed.

Nothing is decoded or encoded, so a clip starts at a keyframe (at most one
keyframe interval before the asked start) and costs a read and a write.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import av
from av.container import InputContainer, OutputContainer

MP4_CLIP_OPTIONS = {"movflags": "+faststart"}


def _keyframe_times(source: Path) -> list[float]:
    with av.open(str(source)) as container:
        assert isinstance(container, InputContainer)
        if not container.streams.video:
            return [0.0]
        video = container.streams.video[0]
        return [float(p.pts * p.time_base) for p in container.demux(video)
                if p.is_keyframe and p.pts is not None and p.time_base is not None]


def cut(source: Path, target: Path, start_s: float, end_s: float) -> tuple[float, float]:
    """Write ``target`` (same container as ``source``); returns (the cut's real start, its duration)."""
    if not 0 <= start_s < end_s:
        raise ValueError("a clip needs 0 <= start < end")
    keys = [t for t in _keyframe_times(source) if t <= start_s] or _keyframe_times(source)[:1]
    if not keys:
        raise ValueError("the recording has no keyframe")
    begin = max(keys)
    if begin >= end_s:
        raise ValueError("no keyframe before the end of the clip")
    last = begin
    with av.open(str(source)) as inp:
        assert isinstance(inp, InputContainer)
        fmt = "mp4" if source.suffix == ".mp4" else "webm"
        with av.open(str(target), "w", format=fmt, options=MP4_CLIP_OPTIONS if fmt == "mp4" else {}) as out:
            assert isinstance(out, OutputContainer)
            streams = [s for s in inp.streams if s.type in ("video", "audio")]
            mapping = {s.index: out.add_stream_from_template(s) for s in streams}
            for packet in inp.demux(streams):
                if packet.pts is None or packet.time_base is None or packet.size == 0:
                    continue
                at = float(packet.pts * packet.time_base)
                if at < begin or at >= end_s:
                    continue
                shift = round(begin / packet.time_base)
                packet.pts -= shift
                if packet.dts is not None:
                    packet.dts -= shift
                packet.stream = mapping[packet.stream.index]
                out.mux(packet)
                last = max(last, at)
    return begin, last - begin


def finalize(path: Path) -> None:
    """Rewrite a finished recording with its index (MP4 ``moov`` up front, WebM cues), so players seek in it.

    The fragmented file is what survives a crash; a stopped one is remuxed once, in place.
    """
    temporary = path.with_name(f".{path.stem}.final{path.suffix}")
    try:
        cut(path, temporary, 0.0, math.inf)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
