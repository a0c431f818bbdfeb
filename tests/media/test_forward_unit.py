"""ForwardedTrack / ViewerSink without sockets: keyframe gating, resume, NACK → RTX, PLI throttling."""

from __future__ import annotations

import struct

from media_server.sfu.forward import CodecInfo, ForwardedTrack, ViewerSink
from media_server.sfu.rtp import HeaderWriter, parse_header

VP8 = CodecInfo("video", "vp8", 90000)
KEY = bytes([0x10, 0x00, 0x9D])  # VP8 partition start, keyframe
DELTA = bytes([0x10, 0x01, 0x00])
CONT = bytes([0x00, 0xAA])  # continuation of a frame


class ListWriter:
    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.connected = True

    def send(self, data: bytes) -> bool:
        self.sent.append(data)
        return True


def make(track: ForwardedTrack, rtx: tuple[int, int] | None = None) -> tuple[ViewerSink, ListWriter]:
    writer = ListWriter()
    sink = ViewerSink(track, writer, HeaderWriter(0xABC, 100), clock_rate=90000, rtx=rtx)
    track.add_sink(sink)
    return sink, writer


def test_video_starts_at_keyframe_and_asks_for_one() -> None:
    requests: list[int] = []
    track = ForwardedTrack("video", keyframe_interval=0.3)
    source = track.bind_source(VP8, lambda: requests.append(1))
    sink, writer = make(track)
    track.push(source, 10, 1000, 1, DELTA, 0.0)
    assert writer.sent == [] and requests == [1]  # a delta frame is never the first thing a decoder sees
    track.push(source, 11, 4000, 0, KEY, 0.1)
    track.push(source, 12, 4000, 1, CONT, 0.1)
    assert len(writer.sent) == 2
    seqs = [parse_header(d)[2] for d in writer.sent]
    assert seqs[1] == (seqs[0] + 1) & 0xFFFF
    assert {parse_header(d)[4] for d in writer.sent} == {0xABC}
    assert all(parse_header(d)[1] == 100 for d in writer.sent)
    assert sink.keyframes_started == 1


def test_keyframe_start_replays_earlier_packets_of_the_same_frame() -> None:
    """Packets of the keyframe's access unit that precede the IDR (AUD, SEI) are sent first, from the cache."""
    track = ForwardedTrack("video")
    h264 = CodecInfo("video", "h264", 90000, parameters={"packetization-mode": 1})
    source = track.bind_source(h264, lambda: None)
    sink, writer = make(track)
    sink.writer.connected = False  # type: ignore[misc]
    track.push(source, 100, 5000, 0, bytes([0x09, 0xF0]), 0.0)  # access unit delimiter, same timestamp as the IDR
    sink.writer.connected = True  # type: ignore[misc]
    track.push(source, 101, 5000, 0, bytes([0x7C, 0x85, 0x00]), 0.0)  # FU-A start of IDR
    assert [d[12:] for d in writer.sent] == [bytes([0x09, 0xF0]), bytes([0x7C, 0x85, 0x00])]


def test_resume_after_host_reconnect_keeps_viewer_sequence_continuous() -> None:
    track = ForwardedTrack("video")
    first = track.bind_source(VP8, lambda: None)
    _, writer = make(track)
    track.push(first, 500, 10, 1, KEY, 0.0)
    track.push(first, 501, 3010, 1, DELTA, 0.033)
    track.unbind_source(first)
    second = track.bind_source(VP8, lambda: None)  # new publisher, unrelated sequence space
    track.push(second, 9, 77, 1, DELTA, 1.0)  # dropped until a keyframe
    track.push(first, 502, 6010, 1, DELTA, 1.0)  # stale source: ignored
    track.push(second, 10, 3077, 1, KEY, 1.1)
    seqs = [parse_header(d)[2] for d in writer.sent]
    assert len(seqs) == 3 and seqs[2] == (seqs[1] + 1) & 0xFFFF
    ts = [parse_header(d)[3] for d in writer.sent]
    assert (ts[2] - ts[1]) % (1 << 32) > 3000  # timestamp moved on with wall-clock time


def test_new_publisher_codec_the_viewer_did_not_negotiate_is_not_forwarded() -> None:
    track = ForwardedTrack("video")
    first = track.bind_source(VP8, lambda: None)
    _, writer = make(track)
    track.push(first, 1, 0, 1, KEY, 0.0)
    second = track.bind_source(CodecInfo("video", "h264", 90000), lambda: None)
    track.push(second, 1, 0, 1, bytes([0x65, 0x88]), 0.5)
    assert len(writer.sent) == 1


def test_nack_is_answered_from_cache_as_rtx() -> None:
    track = ForwardedTrack("video")
    source = track.bind_source(VP8, lambda: None)
    sink, writer = make(track, rtx=(101, 0xDEF))
    for i in range(5):
        track.push(source, 1000 + i, 90 * i, 1, KEY if i == 0 else DELTA + bytes([i]), 0.0)
    lost = parse_header(writer.sent[2])[2]
    sink.on_nack([lost, (lost + 100) & 0xFFFF], 0.1)  # the second is unknown
    assert len(writer.sent) == 6 and sink.stats.retransmitted == 1
    _, pt, _, ts, ssrc = parse_header(writer.sent[-1])
    assert (pt, ssrc) == (101, 0xDEF)
    assert ts == parse_header(writer.sent[2])[3]
    payload = writer.sent[-1][12:]
    assert struct.unpack("!H", payload[:2])[0] == lost and payload[2:] == DELTA + bytes([2])


def test_viewer_plis_are_throttled_upstream() -> None:
    requests: list[int] = []
    track = ForwardedTrack("video", keyframe_interval=0.3)
    track.bind_source(VP8, lambda: requests.append(1))
    sink, _ = make(track)
    sink.on_keyframe_request(10.0)
    assert requests == [1]
    track.throttle.request(10.1)  # folded (no event loop needed for the pure decision)
    assert track.throttle.poll(10.3) and sink.stats.plis_received == 1


def test_audio_is_never_gated() -> None:
    track = ForwardedTrack("audio")
    source = track.bind_source(CodecInfo("audio", "opus", 48000, 2), lambda: None)
    _, writer = make(track)
    track.push(source, 7, 960, 1, b"\x01\x02", 0.0)
    assert len(writer.sent) == 1
