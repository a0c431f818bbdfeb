"""Simulcast demux without sockets: rid → layer, SSRCs remembered, RTX by repaired rid, per-layer PLIs."""

from __future__ import annotations

import asyncio

from aiortc.rtp import RtpPacket

from media_server.sfu.forward import ForwardedTrack, ViewerSink
from media_server.sfu.layered_upstream import MAX_SSRCS, LayeredUpstream
from media_server.sfu.rtp import HeaderWriter
from tests.media.test_forward_unit import KEY, VP8, ListWriter


class StubReceiver:
    """The few aiortc receiver internals the hook touches, recording what it sends upstream."""

    def __init__(self) -> None:
        setattr(self, "_RTCRtpReceiver__remote_streams", {})  # noqa: B010
        setattr(self, "_RTCRtpReceiver__remote_bitrate_estimator", None)  # noqa: B010
        setattr(self, "_RTCRtpReceiver__rtcp_ssrc", None)  # noqa: B010
        self.plis: list[int] = []
        self.nacks: list[tuple[int, list[int]]] = []

    async def _send_rtcp_pli(self, ssrc: int) -> None:
        self.plis.append(ssrc)

    async def _send_rtcp_nack(self, ssrc: int, lost: list[int]) -> None:
        self.nacks.append((ssrc, lost))


def rtp(ssrc: int, seq: int, *, pt: int = 96, rid: str | None = None, repaired: str | None = None,
        payload: bytes = KEY) -> RtpPacket:
    packet = RtpPacket(payload_type=pt, sequence_number=seq, timestamp=seq * 3000, ssrc=ssrc, payload=payload)
    packet.extensions.rtp_stream_id = rid
    packet.extensions.repaired_rtp_stream_id = repaired
    return packet


async def test_layers_by_rid_then_by_remembered_ssrc_and_rtx_by_repaired_rid() -> None:
    tracks = {rid: ForwardedTrack("video", keyframe_interval=0.0) for rid in ("h", "l")}
    receiver = StubReceiver()
    upstream = LayeredUpstream(receiver, list(tracks.items()), VP8, payload_type=96,  # type: ignore[arg-type]
                               rtx_payload_type=97)
    writers = {rid: ListWriter() for rid in tracks}
    for rid, track in tracks.items():
        track.add_sink(ViewerSink(track, writers[rid], HeaderWriter(1, 96), clock_rate=90000))
    hook = receiver._handle_rtp_packet  # type: ignore[attr-defined]
    await hook(rtp(111, 10, rid="h"), 0)
    await hook(rtp(222, 50, rid="l"), 0)
    await hook(rtp(111, 11), 0)  # libwebrtc drops the rid once the SSRC is known
    await hook(rtp(333, 1), 0)  # an SSRC never named by a rid: dropped, counted
    assert [len(writers[rid].sent) for rid in ("h", "l")] == [2, 1]
    assert upstream.unknown == 1

    await hook(rtp(222, 53, rid="l"), 0)  # 51 and 52 missing: NACKed to the low layer's SSRC
    await asyncio.sleep(0)
    assert receiver.nacks == [(222, [51, 52])]
    await hook(rtp(444, 7, pt=97, repaired="l", payload=(51).to_bytes(2, "big") + KEY), 0)  # RTX of 51
    assert tracks["l"].cache.get(51) is not None and upstream.rtx_packets == 1

    tracks["h"].request_keyframe(1.0)
    tracks["l"].request_keyframe(1.0)
    await asyncio.sleep(0)
    assert receiver.plis == [111, 222]  # each layer's PLI goes to its own media SSRC
    stats = upstream.stats()
    assert stats["layers"]["h"]["media_ssrc"] == 111 and stats["unknown_packets"] == 1  # type: ignore[index]
    upstream.close()
    assert not tracks["h"].bound and not tracks["l"].bound


async def test_a_flood_of_ssrcs_is_not_remembered_without_bound() -> None:
    track = ForwardedTrack("video")
    receiver = StubReceiver()
    upstream = LayeredUpstream(receiver, [("h", track)], VP8, payload_type=96)  # type: ignore[arg-type]
    hook = receiver._handle_rtp_packet  # type: ignore[attr-defined]
    for ssrc in range(1000, 1100):
        await hook(rtp(ssrc, ssrc, rid="h"), 0)
    assert len(upstream.by_ssrc) + len(upstream.rtx_by_ssrc) <= MAX_SSRCS
