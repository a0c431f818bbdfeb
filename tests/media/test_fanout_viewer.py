"""The per-copy path in C (``_fanout.Viewer`` / ``_fanout.forward``) against the Python munger, header and stats.

Same bytes (after SRTP, opened with the viewer's key) and the same state afterwards, on random
upstream sequences with sequence and timestamp wraps, reordering and re-bases (layer switches,
host reconnects); and a whole track where steady sinks (C) and Python sinks see the same stream.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
from collections.abc import Iterator

import pytest
from pylibsrtp import Policy, Session

from bench.media_packet_cost import KEY_BYTES, PROFILE, _writers
from media_server.sfu import aiortc_hooks
from media_server.sfu.fanout import SendBatch
from media_server.sfu.forward import CodecInfo, ForwardedTrack, PacketWriter, ViewerSink
from media_server.sfu.munger import SequenceMunger
from media_server.sfu.rtp import HeaderWriter, mid_extension
from media_server.sfu.stats import ViewerStats
from media_server.sfu.steady import load, pull

_fanout = pytest.importorskip("media_server.sfu._fanout", reason="not built (scripts/install compiles it)")


@pytest.fixture
def into() -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    sock.settimeout(2)
    yield sock
    sock.close()


def _session(key: bytes, inbound: bool = False) -> Session:
    kind = Policy.SSRC_ANY_INBOUND if inbound else Policy.SSRC_ANY_OUTBOUND
    return Session(Policy(key=key, ssrc_type=kind, srtp_profile=PROFILE))


@pytest.mark.parametrize("header", [HeaderWriter(0xDEADBEEF, 96, mid_extension(1, "0"), abs_send_time_id=3),
                                    HeaderWriter(7, 111, mid_extension(4, "1")), HeaderWriter(9, 100)],
                         ids=["abs-send-time", "mid", "bare"])
@pytest.mark.parametrize("seed", range(3))
def test_c_rewrite_matches_the_python_munger(into: socket.socket, header: HeaderWriter, seed: int) -> None:
    rng = random.Random(seed)
    assert aiortc_hooks.enable_batched_sends(SendBatch())
    key = os.urandom(KEY_BYTES)
    sender, receiver = _session(key), _session(key, inbound=True)
    out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    head, stamp_at = header.template()
    copy = _fanout.Viewer(aiortc_hooks.srtp_context_address(sender), out.fileno(),
                          aiortc_hooks.sockaddr_bytes(socket.AF_INET, into.getsockname()), head, stamp_at, sender)
    first_seq, first_ts = rng.randrange(1 << 16), rng.randrange(1 << 32)
    munger, stats = SequenceMunger(90000, first_seq, first_ts), ViewerStats(90000)
    reference = SequenceMunger(90000, first_seq, first_ts)  # Python alone, for the state comparison
    ref_stats = ViewerStats(90000)
    held: tuple[int, int] | None = None
    seq, ts, now, source, start = 65500 + rng.randrange(30), (1 << 32) - 40000 - rng.randrange(9000), 0.0, 0, 0
    try:
        for step in range(600):
            now += rng.choice([0.001, 0.01, 0.3, 1.2])
            if step % 150 == 0:  # a layer switch or host reconnect: a new source, its own bases, Python re-bases
                if step:
                    pull(copy, munger, stats)  # as ViewerSink.unsteady() does first
                source += 1
                seq, ts = rng.randrange(1 << 16), rng.randrange(1 << 32)
                start, held = seq, None
                for m in (munger, reference):
                    m.start(source, seq, ts, now)
                load(copy, munger, stats, start)
            # reordering as upstream does it: a packet held back arrives after its successor (never twice:
            # the track drops duplicates, and libsrtp refuses to protect one index twice)
            back = held is not None and rng.random() < 0.5
            if step % 150 == 1:  # a late packet from before this viewer's start: not forwarded
                assert _fanout.forward([copy], (start - 1) & 0xFFFF, ts, 0, b"late", b"abc", now) == (0, 0, [])
            if back:
                assert held is not None
                up_seq, up_ts, held = *held, None
            elif held is None and step % 150 < 148 and rng.random() < 0.1:
                held = (seq, ts)
                seq, ts = (seq + 1) & 0xFFFF, ts
                continue
            else:
                up_seq, up_ts = seq, ts
            marker = int(rng.random() < 0.3)
            payload = os.urandom(rng.randrange(1, 1200))
            stamp = os.urandom(3)
            sent, failed, retry = _fanout.forward([copy], up_seq, up_ts, marker, payload, stamp, now)
            if 0 < (start - up_seq) % 65536 < 32768:  # before this viewer's start: skipped, as ViewerSink does
                assert (sent, failed, retry) == (0, 0, [])
            else:
                assert (sent, failed, retry) == (1, 0, [])
                out_seq, out_ts = reference.map(up_seq, up_ts, now)
                ref_stats.on_sent(len(payload), now)
                expected = header.forward(out_seq, out_ts, marker, payload, stamp)
                assert receiver.unprotect(into.recv(2048)) == expected
            if not back:
                seq, ts = (seq + 1) & 0xFFFF, (ts + rng.choice([0, 0, 3000])) & 0xFFFFFFFF
            if rng.random() < 0.05:  # a rare event reads the state back, then hands it over again
                pull(copy, munger, stats)
                assert munger.state() == reference.state()
                assert (stats.packets_sent, stats.bytes_sent, stats.bitrate_bps) == \
                    (ref_stats.packets_sent, ref_stats.bytes_sent, ref_stats.bitrate_bps)
                load(copy, munger, stats, start)
        pull(copy, munger, stats)
        assert munger.state() == reference.state() and stats == ref_stats
    finally:
        out.close()


def test_viewer_refuses_bad_arguments() -> None:
    sender = _session(os.urandom(KEY_BYTES))
    ctx = aiortc_hooks.srtp_context_address(sender)
    addr = aiortc_hooks.sockaddr_bytes(socket.AF_INET, ("127.0.0.1", 9))
    with pytest.raises(ValueError):
        _fanout.Viewer(ctx, 3, addr, b"\x80" * 11, -1, sender)  # shorter than the fixed header
    with pytest.raises(ValueError):
        _fanout.Viewer(ctx, 3, addr, b"\x80" * 16, 14, sender)  # stamp past the template's end
    with pytest.raises(ValueError):
        _fanout.Viewer(0, 3, addr, b"\x80" * 12, -1, sender)
    with pytest.raises(TypeError):
        _fanout.forward([object()], 1, 1, 0, b"x", b"abc", 0.0)
    with pytest.raises(ValueError):
        _fanout.forward([], 1, 1, 0, b"x", b"ab", 0.0)


class _Listed:
    """The Python path's writer: keeps what it would send."""

    connected = True

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def send(self, data: bytes) -> bool:
        self.sent.append(data)
        return True


def test_steady_sinks_in_c_send_what_python_sinks_send(into: socket.socket) -> None:
    """A whole track: C-forwarded viewers and a Python one see one stream, through NACKs and a host reconnect."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    batch = SendBatch()
    assert aiortc_hooks.enable_batched_sends(batch)
    writers = _writers(loop, 2, into.getsockname(), batch)
    receivers = {}
    for v, writer in enumerate(writers):  # known keys, so the test can open what each viewer receives
        key = os.urandom(KEY_BYTES)
        writer._dtls._tx_srtp = _session(key)
        receivers[0x1000 + v] = _session(key, inbound=True)
    track = ForwardedTrack("video", batch=batch)
    source = track.bind_source(CodecInfo("video", "H264", 90000), lambda: None)
    headers = [HeaderWriter(0x1000 + v, 102, mid_extension(1, "0"), abs_send_time_id=2) for v in range(3)]
    listed = _Listed()
    sink_writers: list[PacketWriter] = [*writers, listed]
    reports: list[list[tuple[int, int, int, float]]] = [[], [], []]  # what each sink gives the sender report
    sinks = [ViewerSink(track, w, h, clock_rate=90000, codec_name="H264", rtx=(103, 0x2000),
                        on_sent=lambda *r, v=v: reports[v].append(r))  # type: ignore[misc]
             for v, (w, h) in enumerate(zip(sink_writers, headers, strict=True))]
    for sink in sinks:
        sink.munger = SequenceMunger(90000, 4000, 123456)
        sink._rtx_seq = 77
        track.add_sink(sink)
    keyframe, delta = b"\x65" + bytes(800), b"\x41" + bytes(600)  # H264 IDR / non-IDR NAL units
    try:
        seq, ts, now = 65530, 90000, 0.0
        for n in range(120):
            if n == 60:  # the host reconnects: steady sinks go back to Python until the next keyframe
                source = track.bind_source(CodecInfo("video", "H264", 90000), lambda: None)
                seq, ts = 100, 5_000_000
                assert not track._steady
            now += 0.01
            track.push(source, seq, ts, int(n % 4 == 3), keyframe if n % 20 in (0, 1) else delta, now)
            if n == 5:
                assert len(track._steady) == 2  # both real writers went steady, the list writer cannot
            if n in (30, 90):
                for sink in sinks:
                    sink.on_nack([(4000 + n - 3) & 0xFFFF], now)
            seq, ts = (seq + 1) & 0xFFFF, ts + (3000 if n % 4 == 3 else 0)
        loop.run_until_complete(asyncio.sleep(0))  # NACK answers go through asyncio's transport
        assert len(track._steady) == 2
        received: dict[int, list[bytes]] = {0x1000: [], 0x1001: []}
        for _ in range(len(listed.sent) * 2):
            owner, plain = receivers_open(receivers, into.recv(2048))
            received[owner].append(plain)
        for v in range(2):  # the same stream but for the SSRC (the RTX SSRC is the same for all here)
            expected = [p[:8] + (0x1000 + v).to_bytes(4, "big") + p[12:] if p[8:12] == b"\x00\x00\x10\x02" else p
                        for p in listed.sent]
            assert received[0x1000 + v] == expected
        for sink in sinks:
            sink.refresh()  # the peer's tick: the C counters at the last frame end go to the sender report
        assert reports[0][-1] == reports[1][-1] == reports[2][-1]  # (packets, octets, RTP ts, when it was sent)
        assert len(reports[2]) == 30 and len(reports[0]) < 30  # Python: every frame end; C: read on events
        assert all(s.stats.packets_sent == sinks[2].stats.packets_sent for s in sinks)
        assert all(s.stats.retransmitted == sinks[2].stats.retransmitted > 0 for s in sinks)
    finally:
        for w in writers:
            w._transport.close()
        loop.run_until_complete(asyncio.sleep(0))
        asyncio.set_event_loop(None)
        loop.close()


def receivers_open(receivers: dict[int, Session], data: bytes) -> tuple[int, bytes]:
    ssrc = int.from_bytes(data[8:12], "big")
    if ssrc not in receivers:  # an RTX answer: its own SSRC, protected with the same viewer's key
        for owner, session in receivers.items():
            try:
                return owner, session.unprotect(data)
            except Exception:
                continue
        raise AssertionError("a packet no viewer's key opens")
    return ssrc, receivers[ssrc].unprotect(data)
