"""The private aiortc/aioice hooks the forwarder relies on (pinned to aiortc 1.16.0): each one exercised."""

from __future__ import annotations

import asyncio
import re

import aiortc
import pytest

from media_server.sfu import aiortc_hooks
from media_server.sfu.broadcast import Broadcast
from media_server.sfu.ice import IceOptions
from media_server.sfu.peer import PublisherPeer, ViewerPeer
from tests.media.peers import Viewer, answer_into, publisher, wait_for

pytestmark = pytest.mark.media


def test_aiortc_version_is_pinned() -> None:
    assert aiortc.__version__ == aiortc_hooks.PINNED_AIORTC
    aiortc_hooks.check_version()


async def test_hooks_bypass_decoding_and_keep_rtcp_working() -> None:
    broadcast = Broadcast()
    pub_pc, offer = await publisher("video/VP8", audio=False)
    server_pub = PublisherPeer(broadcast)
    await answer_into(pub_pc, await server_pub.accept(offer))
    viewer = Viewer(audio=False)
    server_view = ViewerPeer(broadcast)
    try:
        await wait_for(lambda: broadcast.tracks["video"].packets_in > 30, 10)
        receiver = server_pub.pc.getTransceivers()[0].receiver
        # receive hook: packets never reach aiortc's jitter buffer / decoder
        assert receiver._handle_rtp_packet.__func__ is not type(receiver)._handle_rtp_packet  # type: ignore[attr-defined]
        assert receiver._RTCRtpReceiver__decoder_queue.qsize() == 0  # type: ignore[attr-defined]
        assert receiver.track._queue.qsize() == 0  # type: ignore[attr-defined]
        # our statistics feed aiortc's receiver reports upstream
        streams = receiver._RTCRtpReceiver__remote_streams  # type: ignore[attr-defined]
        assert sum(s.packets_received for s in streams.values()) > 30

        await viewer.answer(await server_view.accept(await viewer.offer()))
        await viewer.wait_frames(3)
        sink = server_view.sinks["video"]
        sender = server_view.pc.getTransceivers()[0].sender
        # send side: our packets are counted in aiortc's sender reports, and receiver reports reach us
        await wait_for(lambda: sink.stats.reports > 0, 5)
        assert 0 < sender._RTCRtpSender__packet_count <= sink.stats.packets_sent  # type: ignore[attr-defined]
        sent_in_reports = 0
        for _ in range(50):  # aiortc sends an SR every 0.5-1.5 s
            stats = await viewer.pc.getStats()
            sent_in_reports = max([s.packetsSent for s in stats.values() if s.type == "remote-outbound-rtp"] or [0])
            if sent_in_reports:
                break
            await asyncio.sleep(0.1)
        assert sent_in_reports > 0, "viewer got no sender report"
        snapshot = sink.stats.snapshot()
        assert snapshot["packets_sent"] > 0 and snapshot["bytes_sent"] > 0
    finally:
        await viewer.close()
        await server_view.close()
        await server_pub.close()
        await pub_pc.close()


async def test_port_range_and_loopback_candidates() -> None:
    broadcast = Broadcast()
    pub_pc, offer = await publisher("video/VP8", audio=False)
    server_pub = PublisherPeer(broadcast, ice=IceOptions(port_range=(42000, 42010), include_loopback=True))
    try:
        answer = await server_pub.accept(offer)
        candidates = re.findall(r"a=candidate:\S+ 1 udp \d+ (\S+) (\d+) typ host", answer)
        assert candidates
        assert all(42000 <= int(port) <= 42010 for _, port in candidates)
        assert "127.0.0.1" in {host for host, _ in candidates}
        await answer_into(pub_pc, answer)
        await wait_for(lambda: broadcast.tracks["video"].packets_in > 0, 10)
    finally:
        await server_pub.close()
        await pub_pc.close()
