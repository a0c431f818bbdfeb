"""Frames → a fragmented MP4 (H264) or WebM (VP8) file with Opus audio, through PyAV, never re-encoding.

Fragments are cut at least every second and flushed to the file as they are
cut, so a process killed mid-recording leaves a file that plays up to its last
second: an MP4 with an empty ``moov`` and self-contained ``moof`` fragments, a
WebM in live mode whose clusters are written whole.
"""

from __future__ import annotations

import fractions
from pathlib import Path
from typing import cast

import av
from av.container import OutputContainer
from av.stream import Stream
from av.video.codeccontext import VideoCodecContext

#: The longest stretch a crash may lose (microseconds for MP4, milliseconds for WebM).
FRAGMENT_SECONDS = 1.0

MP4_OPTIONS = {
    "movflags": "frag_keyframe+empty_moov+default_base_moof",
    "frag_duration": str(int(FRAGMENT_SECONDS * 1_000_000)),
    "flush_packets": "1",
    "max_interleave_delta": "500000",
}
WEBM_OPTIONS = {
    "live": "1",
    "cluster_time_limit": str(int(FRAGMENT_SECONDS * 1000)),
    "flush_packets": "1",
    "max_interleave_delta": "500000",
}
VIDEO_FORMATS = {"h264": ("mp4", ".mp4"), "vp8": ("webm", ".webm")}


def format_for(video_codec: str | None) -> tuple[str, str]:
    """(PyAV format, file suffix) for a track's codec; audio only goes in WebM."""
    if video_codec is None:
        return "webm", ".webm"
    if video_codec not in VIDEO_FORMATS:
        raise ValueError(f"cannot record video codec {video_codec}")
    return VIDEO_FORMATS[video_codec]


def frame_size(codec: str, keyframe: bytes) -> tuple[int, int]:
    """Width and height of a keyframe, read by decoding it once (the container's header needs them)."""
    context = cast(VideoCodecContext, av.CodecContext.create(codec, "r"))
    for packet in context.parse(keyframe) or [av.Packet(keyframe)]:
        for frame in context.decode(packet):
            return frame.width, frame.height
    for frame in context.decode(None):
        return frame.width, frame.height  # type: ignore[union-attr]
    raise ValueError("the keyframe does not decode")


class ContainerWriter:
    """One open recording file; every call comes from the recorder's writer thread."""

    def __init__(self, path: Path, *, video: str | None, video_clock: int, audio: str | None, audio_clock: int,
                 first_keyframe: bytes | None) -> None:
        fmt, _ = format_for(video)
        self.path = path
        self.container: OutputContainer = av.open(str(path), "w", format=fmt,
                                                  options=MP4_OPTIONS if fmt == "mp4" else WEBM_OPTIONS)
        self.streams: dict[str, Stream] = {}
        self.clocks = {"video": video_clock, "audio": audio_clock}
        self.last_pts: dict[str, int] = {}
        self.frames = {"video": 0, "audio": 0}
        if video is not None:
            if first_keyframe is None:
                raise ValueError("a video recording starts at a keyframe")
            width, height = frame_size(video, first_keyframe)
            stream = self.container.add_mux_stream(video, width=width, height=height)
            stream.time_base = fractions.Fraction(1, video_clock)
            self.streams["video"] = stream
        if audio == "opus":
            # an Opus stream needs its OpusHead as extradata: libopus writes one when the header opens it
            sound = self.container.add_stream("libopus", rate=48000, layout="stereo")
            sound.time_base = fractions.Fraction(1, audio_clock)
            self.streams["audio"] = sound

    def write(self, kind: str, pts: int, data: bytes, keyframe: bool) -> None:
        stream = self.streams.get(kind)
        if stream is None:
            return
        packet = av.Packet(data)
        packet.pts = packet.dts = pts
        packet.time_base = fractions.Fraction(1, self.clocks[kind])
        packet.stream = stream
        packet.is_keyframe = keyframe
        self.container.mux(packet)
        self.last_pts[kind] = pts
        self.frames[kind] += 1

    def duration(self) -> float:
        return max((pts / self.clocks[kind] for kind, pts in self.last_pts.items()), default=0.0)

    def close(self) -> None:
        self.container.close()
