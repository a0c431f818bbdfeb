"""Sans-I/O parts of the forwarder: keyframe detection, header rewrite, munging, cache, throttle, NACK."""

from __future__ import annotations

import struct

import pytest

from media_server.sfu.cache import CachedPacket, PacketCache
from media_server.sfu.keyframe import KeyframeThrottle
from media_server.sfu.munger import SequenceMunger, seq_newer
from media_server.sfu.nack import NackTracker
from media_server.sfu.rtp import (
    HeaderWriter,
    h264_is_keyframe_start,
    is_keyframe_start,
    mid_extension,
    parse_header,
    vp8_is_keyframe_start,
)


def test_vp8_keyframe_detection_rfc7741() -> None:
    # S=1, PartID=0, no extension; VP8 header P bit 0 = keyframe
    assert vp8_is_keyframe_start(bytes([0x10, 0x00, 0x00]))
    assert not vp8_is_keyframe_start(bytes([0x10, 0x01]))  # inter frame
    assert not vp8_is_keyframe_start(bytes([0x00, 0x00]))  # not a partition start
    # X=1 with I (15-bit picture id), L and T/K present
    assert vp8_is_keyframe_start(bytes([0x90, 0xE0, 0x80, 0x01, 0x05, 0x20, 0x00]))
    assert not vp8_is_keyframe_start(bytes([0x90, 0xE0, 0x80, 0x01, 0x05, 0x20, 0x01]))
    assert not vp8_is_keyframe_start(b"")
    assert not vp8_is_keyframe_start(bytes([0x90]))


def test_h264_keyframe_detection_rfc6184() -> None:
    assert h264_is_keyframe_start(bytes([0x67, 0x42]))  # SPS
    assert h264_is_keyframe_start(bytes([0x65, 0x88]))  # IDR slice
    assert not h264_is_keyframe_start(bytes([0x41, 0x9A]))  # non-IDR slice
    stap = bytes([0x78]) + struct.pack("!H", 2) + bytes([0x67, 0x42]) + struct.pack("!H", 2) + bytes([0x68, 0xCE])
    assert h264_is_keyframe_start(stap)
    assert not h264_is_keyframe_start(bytes([0x78]) + struct.pack("!H", 2) + bytes([0x41, 0x00]))
    assert h264_is_keyframe_start(bytes([0x7C, 0x85, 0x00]))  # FU-A start of IDR
    assert not h264_is_keyframe_start(bytes([0x7C, 0x05, 0x00]))  # FU-A continuation
    assert not h264_is_keyframe_start(bytes([0x7C, 0x81, 0x00]))  # FU-A start of non-IDR
    assert not is_keyframe_start("opus", bytes([0x67]))
    assert is_keyframe_start("H264", bytes([0x65]))


def test_header_writer_rewrites_ssrc_pt_seq_ts_and_mid() -> None:
    ext = mid_extension(1, "0")
    assert ext[:2] == b"\xbe\xde" and len(ext) % 4 == 0
    writer = HeaderWriter(0xDEADBEEF, 102, ext)
    data = writer.write(65535, 4_000_000_000, 1, b"payload")
    assert parse_header(data) == (1, 102, 65535, 4_000_000_000, 0xDEADBEEF)
    assert data[0] & 0x10  # extension bit set
    assert data.endswith(b"payload")
    plain = HeaderWriter(1, 96).write(1, 2, 0, b"x")
    assert len(plain) == 13 and not plain[0] & 0x10
    assert mid_extension(None, "0") == b"" and mid_extension(15, "0") == b""
    with pytest.raises(ValueError):
        parse_header(b"\x00" * 12)


def test_header_writer_forward_equals_write() -> None:
    """The fan-out's positional fast path writes the same bytes as ``write``, with and without abs-send-time."""
    stamp = b"\x12\x34\x56"
    for writer in (HeaderWriter(7, 102, mid_extension(1, "0"), abs_send_time_id=3),
                   HeaderWriter(7, 102, mid_extension(1, "0")), HeaderWriter(7, 96)):
        for marker in (0, 1):
            assert writer.forward(65535, 4_000_000_000, marker, b"payload", stamp) == writer.write(
                65535, 4_000_000_000, marker, b"payload", stamp=stamp)


def test_munger_continuity_across_source_switch() -> None:
    munger = SequenceMunger(90000, first_seq=1000, first_ts=5000)
    munger.start(1, seq=40000, timestamp=123, now=0.0)
    assert munger.map(40000, 123, 0.0) == (1000, 5000)
    assert munger.map(40001, 3123, 0.033) == (1001, 8000)
    assert munger.unmap_seq(1001) == 40001
    # host reconnects: new source with unrelated bases, one second later
    munger.start(2, seq=7, timestamp=999, now=1.033)
    seq, ts = munger.map(7, 999, 1.033)
    assert seq == 1002
    assert ts == (8000 + 90000) % (1 << 32)
    assert munger.unmap_seq(1002) == 7


def test_munger_wraps_sequence_numbers() -> None:
    munger = SequenceMunger(48000, first_seq=65535)
    munger.start(1, seq=10, timestamp=0, now=0.0)
    assert munger.map(10, 0, 0.0)[0] == 65535
    assert munger.map(11, 960, 0.02)[0] == 0
    assert seq_newer(0, 65535) and not seq_newer(65535, 0)


def _pkt(seq: int, ts: int = 0, at: float = 0.0) -> CachedPacket:
    return CachedPacket(seq, ts, 0, b"p", at)


def test_packet_cache_lookup_age_and_frame_start() -> None:
    cache = PacketCache(size=8, max_age=1.0)
    for seq in (65534, 65535, 0, 1):
        cache.put(_pkt(seq, ts=100 if seq != 1 else 200))
    assert cache.get(0) is not None and cache.get(0).seq == 0  # type: ignore[union-attr]
    assert cache.frame_start(0) == 65534  # same timestamp back across the wrap
    assert cache.frame_start(1) == 1
    cache.put(_pkt(8))  # evicts slot 0
    assert cache.get(0) is None
    assert cache.get(65535, now=2.0) is None  # too old
    with pytest.raises(ValueError):
        PacketCache(size=6)


def test_keyframe_throttle_aggregates_requests() -> None:
    throttle = KeyframeThrottle(0.3)
    assert throttle.request(0.0)
    assert not any(throttle.request(0.01 * i) for i in range(1, 20))  # 19 folded into one
    assert throttle.due_in(0.1) == pytest.approx(0.2)
    assert not throttle.poll(0.2)
    assert throttle.poll(0.3)
    assert throttle.due_in(0.31) is None
    assert throttle.sent == 2 and throttle.requests == 20
    assert throttle.request(0.61)


def test_nack_tracker_gaps_retries_and_recovery() -> None:
    nack = NackTracker(max_retries=2, retry_interval=0.05)
    assert nack.add(100, 0.0) == []
    assert nack.add(104, 0.0) == [101, 102, 103]
    assert nack.add(105, 0.01) == []  # retry interval not reached
    assert nack.add(102, 0.02) == []  # recovered
    assert nack.recovered == 1
    assert nack.add(106, 0.1) == [101, 103]  # second and last retry
    assert nack.add(107, 0.2) == []  # gave up
    assert nack.missing == []
    assert nack.add(5000, 0.3) == []  # a huge jump is a new stream, not loss
    fresh = NackTracker()
    fresh.add(65534, 0.0)
    assert fresh.add(1, 0.0) == [65535, 0]  # across the wrap
