"""A broadcast's recording: taps on its forwarded tracks, a queue, and a writer thread that remuxes.

The packet path pays one queue put per packet (the tap is a sink of the
track, like a viewer's); reordering, depacketising and muxing happen on the
writer thread, so a slow disk never delays a viewer. A publisher that
reconnects binds a new source to the same tracks, so the same recording goes
on. With simulcast the top layer (the highest measured bitrate) is recorded,
chosen at a keyframe once the layers' rates are known (:meth:`Recorder.wants_video`). The recorder asks for a
keyframe every :data:`KEYFRAME_EVERY` seconds, so a clip or a seek never starts far from where it was asked.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from dataclasses import dataclass
from pathlib import Path

from aiortc.codecs.h264 import h264_depayload
from aiortc.codecs.vpx import vp8_depayload

from ..sfu.broadcast import Broadcast
from ..sfu.cache import CachedPacket
from ..sfu.forward import ForwardedTrack
from .clip import finalize
from .container import ContainerWriter, format_for
from .frames import Reassembler, Timeline

log = logging.getLogger("livehire.recording")

#: Seconds a simulcast recording waits for every bound layer to have a measured rate before choosing.
LAYER_WAIT = 5.0
#: Seconds between keyframes the recorder asks for: clips and seeks start at one (browsers send them on demand only).
KEYFRAME_EVERY = 2.0

DEPAYLOADERS = {"h264": h264_depayload, "vp8": vp8_depayload}

_Item = tuple[str, int, str, int, CachedPacket]


@dataclass(frozen=True, slots=True)
class RecordingResult:
    """What a stopped recording left: its file (None if no frame ever came), codec, length and frame counts."""

    path: Path | None
    video_codec: str | None
    audio_codec: str | None
    duration_s: float
    video_frames: int
    audio_frames: int
    dropped_frames: int


class _Tap:
    """A sink on one forwarded track: hands each packet to the writer thread."""

    def __init__(self, recorder: Recorder, track: ForwardedTrack) -> None:
        self.recorder = recorder
        self.track = track
        self.last_keyframe = 0.0

    def forward(self, packet: CachedPacket, now: float) -> None:
        codec = self.track.codec
        if codec is None:
            return
        if self.track.kind == "video":
            if not self.recorder.wants_video(self.track, packet):
                if self.recorder.video_track is None:
                    self.track.request_keyframe(now)  # the file starts at one: do not wait for the encoder's
                return
            if packet.keyframe:
                self.last_keyframe = now
            elif now - self.last_keyframe >= KEYFRAME_EVERY:
                self.track.request_keyframe(now)  # throttled with the viewers' own requests
        self.recorder.queue.put((self.track.kind, self.track.source_id, codec.name, codec.clock_rate, packet))


class Recorder:
    """Records one broadcast to ``directory/name`` + the container's suffix until :meth:`stop`."""

    def __init__(self, broadcast: Broadcast, directory: Path, name: str) -> None:
        self.broadcast = broadcast
        self.directory = directory
        self.name = name
        self.queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self.video_track: ForwardedTrack | None = None
        self._first_keyframe_at: float | None = None
        self.path: Path | None = None
        self._taps: list[_Tap] = []
        self._thread = threading.Thread(target=self._run, name=f"recorder-{name}", daemon=True)
        self._writer: ContainerWriter | None = None
        self._expect_video = False
        self._t0: float | None = None
        self._assembly: dict[str, tuple[int, Reassembler]] = {}
        self._timelines: dict[str, Timeline] = {}
        self._video_codec: str | None = None
        self._codec_changed = False
        self._failed = False
        self._result: RecordingResult | None = None

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        video = self.broadcast.tracks["video"]
        self._expect_video = video.codec is not None or bool(self.broadcast.layers)
        tracks = [self.broadcast.tracks["audio"], *(self.broadcast.layers.values() or [video])]
        for track in tracks:
            tap = _Tap(self, track)
            track.add_sink(tap)
            self._taps.append(tap)
        self._thread.start()

    def wants_video(self, track: ForwardedTrack, packet: CachedPacket) -> bool:
        """Runs on the packet path: the recorded layer, chosen once at a keyframe.

        With simulcast: the highest measured rate once every bound layer has one, or among those that have
        one :data:`LAYER_WAIT` seconds after the first keyframe (a browser may hold its top layer back while
        its bandwidth estimate ramps up, or never send it).
        """
        if self.video_track is None and packet.keyframe:
            layers = [t for t in self.broadcast.layers.values() if t.bound]
            if not layers:
                self.video_track = track
                return True
            if self._first_keyframe_at is None:
                self._first_keyframe_at = packet.arrival
            rated = [t for t in layers if t.peak_bps > 0]
            if rated and (len(rated) == len(layers) or packet.arrival - self._first_keyframe_at >= LAYER_WAIT):
                self.video_track = max(rated, key=lambda t: t.peak_bps)
                log.info("recording %s: simulcast layer at %.0f kbit/s of %d bound", self.name,
                         self.video_track.peak_bps / 1000, len(layers))
        return track is self.video_track

    async def stop(self) -> RecordingResult:
        for tap in self._taps:
            tap.track.remove_sink(tap)
        self._taps.clear()
        self.queue.put(None)
        await asyncio.get_running_loop().run_in_executor(None, self._thread.join)
        assert self._result is not None
        return self._result

    # -- the writer thread ---------------------------------------------------------------------

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            if self._failed:
                continue
            try:
                self._handle(*item)
            except Exception:
                self._failed = True  # keep what is written; the file stays playable up to here
                log.exception("recording %s failed; the file ends here", self.name)
        self._result = self._finish()

    def _handle(self, kind: str, source: int, codec: str, clock_rate: int, packet: CachedPacket) -> None:
        if kind == "video" and self._writer is not None and codec != self._video_codec:
            if not self._codec_changed:  # a host who came back with another codec: the file keeps its own
                self._codec_changed = True
                log.warning("recording %s: video codec changed to %s; its video is not recorded", self.name, codec)
            return
        current = self._assembly.get(kind)
        if current is None or current[0] != source:
            current = (source, Reassembler(DEPAYLOADERS[codec] if kind == "video" else None))
            self._assembly[kind] = current
        for frame in current[1].push(packet.seq, packet.timestamp, bool(packet.marker), packet.payload,
                                     packet.keyframe):
            if self._writer is None:
                if kind == "audio" and self._expect_video:
                    continue  # the file starts at the first keyframe
                self._open(kind, codec, frame.data)
                self._t0 = packet.arrival
            assert self._writer is not None and self._t0 is not None
            timeline = self._timelines.setdefault(kind, Timeline(clock_rate))
            pts = timeline.pts(source, frame.timestamp, packet.arrival - self._t0)
            self._writer.write(kind, pts, frame.data, frame.keyframe)

    def _open(self, kind: str, codec: str, first: bytes) -> None:
        audio = self.broadcast.tracks["audio"].codec
        video = self.broadcast.tracks["video"].codec if kind == "video" else None
        video_codec = codec if kind == "video" else None
        _, suffix = format_for(video_codec)
        self._video_codec = video_codec
        self.path = self.directory / f"{self.name}{suffix}"
        self._writer = ContainerWriter(
            self.path, video=video_codec, video_clock=video.clock_rate if video else 90000,
            audio=audio.name if audio else None, audio_clock=audio.clock_rate if audio else 48000,
            first_keyframe=first if kind == "video" else None,
        )
        log.info("recording %s to %s", self.name, self.path)

    def _finish(self) -> RecordingResult:
        dropped = sum(r.dropped_frames for _, r in self._assembly.values())
        writer = self._writer
        if writer is None:
            return RecordingResult(None, None, None, 0.0, 0, 0, dropped)
        try:
            writer.close()
            if self.path is not None and writer.frames["video"] + writer.frames["audio"]:
                finalize(self.path)
        except Exception:
            log.exception("recording %s: closing the file failed (the fragmented file is kept)", self.name)
        return RecordingResult(self.path, self._video_codec, "opus" if "audio" in writer.streams else None,
                               writer.duration(), writer.frames["video"], writer.frames["audio"], dropped)
