"""The recorder's core: reordering, holes, keyframe gating, timelines; the simulcast layer it records (issue 16)."""

from __future__ import annotations

import asyncio
import fractions
from pathlib import Path

import av
import numpy as np
from aiortc.codecs.h264 import h264_depayload
from aiortc.codecs.vpx import Vp8Encoder

from media_server.recording.frames import Reassembler, Timeline
from media_server.recording.recorder import Recorder
from media_server.sfu.broadcast import Broadcast
from media_server.sfu.forward import CodecInfo


def single(nal_type: int, body: bytes = b"x") -> bytes:
    return bytes([0x60 | nal_type]) + body


def test_reordered_packets_make_whole_frames_in_order() -> None:
    r = Reassembler(h264_depayload)
    assert r.push(10, 1000, False, single(7), True) == []  # SPS of a keyframe
    assert r.push(12, 4000, True, single(1, b"b"), False) == []  # next frame arrives before the IDR's end
    frames = r.push(11, 1000, True, single(5), False)
    assert [f.timestamp for f in frames] == [1000, 4000]
    assert frames[0].keyframe and frames[0].data == b"\x00\x00\x00\x01" + single(7) + b"\x00\x00\x00\x01" + single(5)


def test_a_hole_that_never_fills_drops_frames_until_the_next_keyframe() -> None:
    r = Reassembler(h264_depayload, horizon=4)
    out = r.push(1, 0, True, single(5), True)
    assert len(out) == 1
    # seq 2 is lost for good; 3..7 are delta frames, then a keyframe at 8
    for seq in range(3, 8):
        out += r.push(seq, seq * 3000, True, single(1), False)
    out += r.push(8, 8 * 3000, True, single(5), True)
    assert [f.timestamp for f in out] == [0, 8 * 3000]
    assert r.skipped_packets == 1 and r.dropped_frames >= 1
    assert r.push(2, 6000, True, single(1), False) == [] and r.late_packets == 1


def test_video_starts_at_a_keyframe_and_sequence_numbers_wrap() -> None:
    r = Reassembler(h264_depayload)
    assert r.push(65534, 0, True, single(1), False) == []
    out = r.push(65535, 3000, True, single(5), True) + r.push(0, 6000, True, single(1), False)
    assert [f.timestamp for f in out] == [3000, 6000]


def test_audio_packets_are_frames_of_their_own() -> None:
    r = Reassembler(None)
    assert [f.data for f in r.push(5, 960, False, b"a", False) + r.push(6, 1920, False, b"b", False)] == [b"a", b"b"]


def test_timeline_continues_across_sources_and_timestamp_wraps() -> None:
    t = Timeline(90000)
    assert t.pts(1, 0xFFFFF000, 0.0) == 0
    assert t.pts(1, 0x00000800, 0.05) == 0x1800  # wrapped
    # the publisher reconnects 2 s in with new random timestamps: the frame lands at 2 s
    assert t.pts(2, 123, 2.0) == 180000
    assert t.pts(2, 123 + 3000, 2.03) == 183000
    # never backwards, even if a new source claims an earlier arrival
    assert t.pts(3, 5, 0.0) == 183001


def vp8_frames(width: int, height: int, count: int, key_every: int = 1000) -> list[tuple[int, list[bytes]]]:
    encoder = Vp8Encoder()
    out = []
    for i in range(count):
        image = np.zeros((height, width, 3), dtype=np.uint8)
        image[:, : (i * 4) % width + 1, 1] = 200
        frame = av.VideoFrame.from_ndarray(image, format="rgb24")
        frame.pts, frame.time_base = i * 3000, fractions.Fraction(1, 90000)
        payloads, timestamp = encoder.encode(frame, force_keyframe=i % key_every == 0)
        out.append((timestamp, payloads))
    return out


async def encoded_layers(count: int, *, key_every: int) -> dict[str, list[tuple[int, list[bytes]]]]:
    """Two simulcast layers' VP8 frames, encoded in a thread: 0.7 s of encoding on the loop would trip the
    blocked-loop guard on a loaded machine (the test's own work, not the recorder's)."""
    low, high = await asyncio.gather(asyncio.to_thread(vp8_frames, 160, 120, count, key_every=key_every),
                                     asyncio.to_thread(vp8_frames, 320, 240, count, key_every=key_every))
    return {"h": low, "f": high}


async def test_simulcast_records_the_top_layer_only(tmp_path: Path) -> None:
    broadcast = Broadcast()
    layers = dict(broadcast.use_layers(["h", "f"]))  # the first rid feeds tracks["video"]: not the top one here
    codec = CodecInfo("video", "vp8", 90000)
    sources = {rid: track.bind_source(codec, lambda: None) for rid, track in layers.items()}
    layers["h"].peak_bps, layers["f"].peak_bps = 300_000.0, 1_200_000.0  # as measured once both flow
    streams = await encoded_layers(20, key_every=1000)
    recorder = Recorder(broadcast, tmp_path, "simulcast")
    recorder.start()
    loop = asyncio.get_running_loop()
    seqs = {"h": 100, "f": 5000}
    for index in range(20):
        for rid in ("h", "f"):
            timestamp, payloads = streams[rid][index]
            for n, payload in enumerate(payloads):
                layers[rid].push(sources[rid], seqs[rid], timestamp, int(n == len(payloads) - 1), payload, loop.time())
                seqs[rid] = (seqs[rid] + 1) % 65536
    result = await recorder.stop()
    assert recorder.video_track is layers["f"]
    assert result.path is not None and result.video_frames == 20
    with av.open(str(result.path)) as container:
        sizes = {(f.width, f.height) for f in container.decode(container.streams.video[0])}
    assert sizes == {(320, 240)}


async def test_simulcast_does_not_wait_for_a_layer_that_never_flows(tmp_path: Path) -> None:
    broadcast = Broadcast()
    layers = dict(broadcast.use_layers(["h", "f", "q"]))
    codec = CodecInfo("video", "vp8", 90000)
    sources = {rid: track.bind_source(codec, lambda: None) for rid, track in layers.items()}
    layers["h"].peak_bps, layers["f"].peak_bps = 300_000.0, 1_200_000.0  # "q" is bound but never sends
    streams = await encoded_layers(80, key_every=10)
    recorder = Recorder(broadcast, tmp_path, "held-back")
    recorder.start()
    start = asyncio.get_running_loop().time()
    seqs = {"h": 100, "f": 5000}
    for index in range(80):  # 8 s at 10 frames a second
        for rid in ("h", "f"):
            timestamp, payloads = streams[rid][index]
            for n, payload in enumerate(payloads):
                layers[rid].push(sources[rid], seqs[rid], timestamp, int(n == len(payloads) - 1), payload,
                                 start + index * 0.1)
                seqs[rid] += 1
    result = await recorder.stop()
    assert recorder.video_track is layers["f"]
    assert result.path is not None and 20 <= result.video_frames <= 30  # from the keyframe at LAYER_WAIT (5 s) on
