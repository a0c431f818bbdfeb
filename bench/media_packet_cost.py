"""Per packet and viewer cost of forwarding, for ``livehire bench media`` (``figures.per_packet_us``).

Three ways of sending one clip's packets to ``viewers`` viewers, in the same run:

* ``batched``: the production path: ``ForwardedTrack.push`` → one ``_fanout.forward``
  C call per packet that rewrites the header (munger, stats) of each steady viewer,
  protects it with that viewer's SRTP context and sends it on that viewer's UDP socket
  (the first packets of each viewer go through its ``ViewerSink`` in Python, batched);
* ``unbatched``: the same sinks, each copy protected by pylibsrtp and sent with
  its own ``sendto`` (the path before batching, and the fallback without the C module);
* ``repacketising``: the other hook option of issue 3: aiortc's ``pack()`` of
  the frame per viewer, then SRTP and ``sendto``.
"""

from __future__ import annotations

import asyncio
import fractions
import os
import socket
import time
from types import SimpleNamespace
from typing import Any

from aiortc.rtcdtlstransport import SRTP_PROFILES, State
from pylibsrtp import Policy, Session

from media_server.sfu import aiortc_hooks
from media_server.sfu.aiortc_hooks import RtpWriter
from media_server.sfu.fanout import SendBatch
from media_server.sfu.forward import CodecInfo, ForwardedTrack, ViewerSink
from media_server.sfu.rtp import HeaderWriter, mid_extension

#: What aiortc's DTLS negotiates with aiortc and Chromium peers (its first profile: AEAD AES-256-GCM).
PROFILE = SRTP_PROFILES[0].libsrtp_profile
KEY_BYTES = 44 if PROFILE == Policy.SRTP_PROFILE_AEAD_AES_256_GCM else 30


def _writers(loop: asyncio.AbstractEventLoop, count: int, target: tuple[str, int],
             batch: SendBatch) -> list[RtpWriter]:
    """Production writers (``aiortc_hooks.RtpWriter``) over a stand-in for a connected DTLS transport.

    Each has its own UDP socket (an asyncio datagram transport under aioice's
    ``StunProtocol``, as a nominated ICE pair has) and its own SRTP session.
    """
    from aioice.ice import StunProtocol

    class Protocol(StunProtocol):
        def connection_lost(self, exc: Exception | None) -> None:
            pass  # no ICE connection behind it to tell

    writers = []
    for _ in range(count):
        _, protocol = loop.run_until_complete(loop.create_datagram_endpoint(
            lambda: Protocol(None), local_addr=("127.0.0.1", 0)))  # type: ignore[arg-type]
        pair = SimpleNamespace(protocol=protocol, remote_addr=target)
        session = Session(Policy(key=os.urandom(KEY_BYTES), ssrc_type=Policy.SSRC_ANY_OUTBOUND, srtp_profile=PROFILE))
        dtls = SimpleNamespace(_state=State.CONNECTED, _tx_srtp=session, on=lambda event, callback: None,
                               transport=SimpleNamespace(_connection=SimpleNamespace(_nominated={1: pair})))
        writers.append(RtpWriter(dtls, batch))  # type: ignore[arg-type]
    return writers


def _through_sinks(frames: list[tuple[list[bytes], int]], viewers: int, target: tuple[str, int],
                   batch: SendBatch) -> tuple[float, float]:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    writers = _writers(loop, viewers, target, batch)
    track = ForwardedTrack("video", batch=batch)
    track.bind_source(CodecInfo("video", "H264", 90000), lambda: None)
    sinks = [ViewerSink(track, w, HeaderWriter(1000 + v, 102, mid_extension(1, "0"), abs_send_time_id=2),
                        clock_rate=90000, codec_name="H264") for v, w in enumerate(writers)]
    for sink in sinks:
        track.add_sink(sink)
    seq, now = 0, 0.0
    try:
        t0, c0 = time.perf_counter(), time.thread_time()
        for payloads, ts in frames:
            now += 1 / 30
            for i, payload in enumerate(payloads):
                track.push(track.source_id, seq, ts, int(i == len(payloads) - 1), payload, now)
                seq += 1
        elapsed, cpu = time.perf_counter() - t0, time.thread_time() - c0
    finally:
        for w in writers:
            w._transport.close()
        loop.run_until_complete(asyncio.sleep(0))
        asyncio.set_event_loop(None)
        loop.close()
    if not all(sink.started for sink in sinks) or sinks[0].stats.packets_sent < seq:
        raise RuntimeError("not every packet was forwarded: the measurement would be meaningless")
    return elapsed, cpu


def packet_cost(clip: list[bytes], viewers: int = 20) -> dict[str, float]:
    """µs per packet per viewer of the three paths above (same clip, same machine, same run).

    Wall-clock (``batched``, ...) and this thread's CPU time, user + system (``batched_cpu``, ...):
    on a machine shared with other work the wall clock also counts the waits for a core.
    """
    import av
    from aiortc import clock
    from aiortc.codecs import get_encoder
    from aiortc.rtcrtpparameters import RTCRtpCodecParameters
    from aiortc.rtp import HeaderExtensionsMap, RtpPacket

    codec = RTCRtpCodecParameters(mimeType="video/H264", clockRate=90000, payloadType=102,
                                  parameters={"packetization-mode": "1"})
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.0.1", 0))
    target = sink.getsockname()

    def packet(i: int) -> Any:
        p = av.Packet(clip[i])
        p.pts, p.time_base = i * 3000, fractions.Fraction(1, 90000)
        return p

    frames = [get_encoder(codec).pack(packet(i)) for i in range(len(clip))]
    count = sum(len(p) for p, _ in frames) * viewers
    figures: dict[str, float] = {}
    cpu: dict[str, float] = {}
    batch = SendBatch()
    if aiortc_hooks.enable_batched_sends(batch):
        figures["batched"], cpu["batched"] = _through_sinks(frames, viewers, target, batch)
        if batch.failed:
            raise RuntimeError(f"{batch.failed} batched copies were not sent")
    unbatched = SendBatch()
    unbatched.enabled = False
    figures["unbatched"], cpu["unbatched"] = _through_sinks(frames, viewers, target, unbatched)

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    key = os.urandom(KEY_BYTES)
    encoders, extmap = [get_encoder(codec) for _ in range(viewers)], HeaderExtensionsMap()
    sessions = [Session(Policy(key=key, ssrc_type=Policy.SSRC_ANY_OUTBOUND, srtp_profile=PROFILE))
                for _ in range(viewers)]
    seqs = [0] * viewers
    t0, c0 = time.perf_counter(), time.thread_time()
    for i in range(len(clip)):
        for v in range(viewers):
            payloads, ts = encoders[v].pack(packet(i))
            for j, payload in enumerate(payloads):
                rtp = RtpPacket(payload_type=102, sequence_number=seqs[v], timestamp=ts, ssrc=1000 + v, payload=payload)
                seqs[v] = (seqs[v] + 1) & 0xFFFF
                rtp.marker = int(j == len(payloads) - 1)
                rtp.extensions.abs_send_time = (clock.current_ntp_time() >> 14) & 0x00FFFFFF
                rtp.extensions.mid = "0"
                sock.sendto(sessions[v].protect(rtp.serialize(extmap)), target)
    figures["repacketising"], cpu["repacketising"] = time.perf_counter() - t0, time.thread_time() - c0
    sock.close()
    sink.close()
    figures.update({f"{name}_cpu": seconds for name, seconds in cpu.items()})
    return {name: round(seconds / count * 1e6, 2) for name, seconds in figures.items()}
