"""WHIP ingest and WHEP playback over HTTP with real aiortc peers (issue 3, priorities 1, 2, 4, 5)."""

from __future__ import annotations

import random
import re
import time
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from prometheus_client import CollectorRegistry, generate_latest

from media_server.sfu.forward import ViewerSink
from media_server.sfu.peer import PublisherPeer, ViewerPeer
from signaling.service import SignalingService
from signaling.sessions import RoomMedia
from tests.media.peers import Viewer, answer_into, publisher, wait_for
from tests.signaling.helpers import make_app, make_service, post_sdp

pytestmark = pytest.mark.media


@pytest.fixture
def registry() -> CollectorRegistry:
    return CollectorRegistry()


@pytest.fixture
def service(registry: CollectorRegistry) -> SignalingService:
    return make_service(registry=registry)


@pytest.fixture
async def client(aiohttp_client: Any, service: SignalingService) -> TestClient[Any, Any]:
    return await aiohttp_client(make_app(service))  # type: ignore[no-any-return]


def media_of(service: SignalingService, room: str = "demo") -> RoomMedia:
    media = service.room_media(room)
    assert media is not None, f"room {room} has no session"
    return media


async def start_viewer(client: TestClient[Any, Any], room: str = "demo") -> Viewer:
    viewer = Viewer()
    created = await post_sdp(client, f"/whep/{room}", await viewer.offer(), token=None)
    assert created.status == 201, created.sdp
    assert created.location.startswith(f"/whep/{room}/")
    await viewer.answer(created.sdp)
    return viewer


@pytest.mark.parametrize("mime", ["video/VP8", "video/H264"])
@pytest.mark.clause("3.1", "4.3.1 a")
async def test_whip_then_whep_viewers_decode_right_size(client: TestClient[Any, Any], service: SignalingService,
                                                        registry: CollectorRegistry, mime: str) -> None:
    live_changes: list[tuple[str, bool]] = []
    service.on_live_change = lambda room, live: live_changes.append((room, live))
    pub, offer = await publisher(mime)
    created = await post_sdp(client, "/whip/demo", offer)
    assert created.status == 201
    assert created.headers["Content-Type"].startswith("application/sdp")
    assert created.location.startswith("/whip/demo/") and len(created.location) > 30
    assert created.etag.startswith('"')
    assert "a=candidate:" in created.sdp  # every server candidate is in the answer (OBS never trickles)
    await answer_into(pub, created.sdp)
    await wait_for(lambda: service.room_state("demo")["live"], 10)
    viewers = [await start_viewer(client) for _ in range(3)]
    try:
        for viewer in viewers:
            await viewer.wait_frames(5, limit=10)
            assert {(w, h) for _, w, h in viewer.frames} == {(160, 120)}
        state = service.room_state("demo")
        assert state["viewers"] == 3
        assert state["codecs"]["video"].lower() == mime.lower()
        assert state["codecs"]["audio"].lower() == "audio/opus"
        assert service.live_rooms() == ["demo"]
        metrics = generate_latest(registry).decode()
        assert 'livehire_media_room_viewers{room="demo"} 3.0' in metrics
        assert 'livehire_media_room_bitrate_bps{room="demo"}' in metrics
        assert 'livehire_media_live_rooms 1.0' in metrics
        p99 = re.search(r'livehire_media_forward_latency_p99_seconds\{room="demo"\} (\S+)', metrics)
        assert p99 is not None and 0 < float(p99.group(1)) < 1.0  # hook → last viewer's send, per packet
        assert state["layers"] == []  # one layer: no quality menu
        response = await client.delete(created.location)
        assert response.status == 200
        await wait_for(lambda: not service.room_state("demo")["live"], 5)
        assert live_changes == [("demo", True), ("demo", False)]
    finally:
        for viewer in viewers:
            await viewer.close()
        await pub.close()


async def test_late_joiner_gets_keyframe_within_one_second(client: TestClient[Any, Any],
                                                            service: SignalingService) -> None:
    """aiortc's VP8 encoder sends a keyframe only every 3000 frames: only our PLI can make this pass."""
    pub, offer = await publisher("video/VP8", audio=False)
    created = await post_sdp(client, "/whip/demo", offer)
    await answer_into(pub, created.sdp)
    first = await start_viewer(client)
    try:
        await first.wait_frames(3)
        connected: list[float] = []
        late = Viewer(audio=False)
        late.pc.on("connectionstatechange",
                   lambda: connected.append(time.monotonic()) if late.pc.connectionState == "connected" else None)
        created_v = await post_sdp(client, "/whep/demo", await late.offer(), token=None)
        await late.answer(created_v.sdp)
        await late.wait_frames(1, limit=5)
        assert connected, "viewer never reported connected"
        assert late.frames[0][0] - connected[0] <= 1.0
        upstream = media_of(service).publisher.peer  # type: ignore[union-attr]
        assert isinstance(upstream, PublisherPeer)
        assert upstream.upstream["video"].plis_sent >= 1
        assert service.room_state("demo")["viewers"] == 2
        # WHEP sessions follow the same rules as WHIP: PATCH needs If-Match, DELETE ends the session
        frag = {"Content-Type": "application/trickle-ice-sdpfrag"}
        assert (await client.patch(created_v.location, data="a=end-of-candidates\r\n", headers=frag)).status == 428
        response = await client.patch(created_v.location, data="a=end-of-candidates\r\n",
                                      headers={**frag, "If-Match": created_v.etag})
        assert response.status == 204 and response.headers["ETag"] == created_v.etag
        assert (await client.delete(created_v.location)).status == 200
        await wait_for(lambda: service.room_state("demo")["viewers"] == 1, 5)
        await late.close()
    finally:
        await first.close()
        await pub.close()


async def test_keyframe_requests_are_aggregated(client: TestClient[Any, Any], service: SignalingService) -> None:
    pub, offer = await publisher("video/VP8", audio=False)
    await answer_into(pub, (await post_sdp(client, "/whip/demo", offer)).sdp)
    await wait_for(lambda: service.room_state("demo")["live"], 10)
    viewers = [await start_viewer(client) for _ in range(4)]
    try:
        for viewer in viewers:
            await viewer.wait_frames(2)
        media = media_of(service)
        track = media.broadcast.tracks["video"]
        before = track.throttle.sent
        loop_now = __import__("asyncio").get_running_loop().time()
        for peer in [s.peer for s in media.viewers.values()]:
            assert isinstance(peer, ViewerPeer)
            for _ in range(10):
                peer.sinks["video"].on_keyframe_request(loop_now)  # 40 PLIs from viewers at once
        await __import__("asyncio").sleep(0.5)
        assert track.throttle.sent - before <= 2  # one now, one folded at the end of the 300 ms window
        assert track.throttle.requests >= 40
    finally:
        for viewer in viewers:
            await viewer.close()
        await pub.close()


class LossyWriter:
    """Drops ~5 % of first transmissions (media payload type) of one viewer, never retransmissions."""

    def __init__(self, inner: Any, media_pt: int, rate: float = 0.05) -> None:
        self.inner = inner
        self.media_pt = media_pt
        self.rate = rate
        self.dropped = 0
        self.random = random.Random(7)

    @property
    def connected(self) -> bool:
        return bool(self.inner.connected)

    def send(self, data: bytes) -> bool:
        if data[1] & 0x7F == self.media_pt and self.random.random() < self.rate:
            self.dropped += 1
            return True
        return bool(self.inner.send(data))


async def test_viewer_with_five_percent_loss_recovers_via_nack(client: TestClient[Any, Any],
                                                               service: SignalingService) -> None:
    pub, offer = await publisher("video/VP8", audio=False, fps=30)
    await answer_into(pub, (await post_sdp(client, "/whip/demo", offer)).sdp)
    await wait_for(lambda: service.room_state("demo")["live"], 10)
    viewer = await start_viewer(client)
    try:
        peer = next(iter(media_of(service).viewers.values())).peer
        assert isinstance(peer, ViewerPeer)
        sink: ViewerSink = peer.sinks["video"]
        lossy = LossyWriter(sink.writer, sink.header.payload_type)
        sink.writer = lossy
        start = len(viewer.frames)
        t0 = time.monotonic()
        await wait_for(lambda: lossy.dropped >= 10, 15)
        await viewer.wait_frames(60, since=start, limit=10)
        elapsed = time.monotonic() - t0
        assert sink.stats.nacks_received > 0
        assert sink.stats.retransmitted >= lossy.dropped * 0.8
        fps = (len(viewer.frames) - start) / elapsed
        assert fps > 15, f"viewer decoded only {fps:.1f} fps under 5% loss"
        assert service.room_stats("demo")["viewer_stats"][0]["tracks"]["video"]["retransmitted"] > 0
    finally:
        await viewer.close()
        await pub.close()


async def test_viewers_survive_host_reconnect(client: TestClient[Any, Any], service: SignalingService) -> None:
    pub, offer = await publisher("video/VP8", audio=False)
    created = await post_sdp(client, "/whip/demo", offer)
    await answer_into(pub, created.sdp)
    viewer = await start_viewer(client)
    try:
        await viewer.wait_frames(5)
        assert (await client.delete(created.location)).status == 200
        await pub.close()
        await wait_for(lambda: not service.room_state("demo")["live"], 5)
        assert service.room_state("demo")["viewers"] == 1
        before = len(viewer.frames)
        pub2, offer2 = await publisher("video/VP8", audio=False)
        created2 = await post_sdp(client, "/whip/demo", offer2)
        assert created2.status == 201
        await answer_into(pub2, created2.sdp)
        await viewer.wait_frames(10, since=before, limit=10)
        assert viewer.pc.connectionState == "connected"
        await pub2.close()
    finally:
        await viewer.close()


async def test_upstream_loss_is_nacked_and_recovered(client: TestClient[Any, Any], service: SignalingService) -> None:
    """5 % of the publisher's packets vanish before the server sees them: it NACKs the media SSRC and
    the publisher resends them as RTX (RFC 4588), which the server unwraps and forwards."""
    pub, offer = await publisher("video/VP8", audio=False, rtx=True)
    assert "rtx/90000" in offer
    await answer_into(pub, (await post_sdp(client, "/whip/demo", offer)).sdp)
    await wait_for(lambda: service.room_state("demo")["live"], 10)
    peer = media_of(service).publisher.peer  # type: ignore[union-attr]
    assert isinstance(peer, PublisherPeer)
    upstream = peer.upstream["video"]
    assert upstream.rtx_payload_type is not None
    receiver = upstream.receiver
    hook = receiver._handle_rtp_packet
    rng = random.Random(3)
    dropped: list[int] = []

    async def lossy(packet: Any, arrival_time_ms: int) -> None:
        # SRTP already accepted the packet, so a plain resend would be a replay: only RTX can recover it
        if packet.payload_type == upstream.payload_type and rng.random() < 0.05:
            dropped.append(packet.sequence_number)
            return
        await hook(packet, arrival_time_ms)

    receiver._handle_rtp_packet = lossy  # type: ignore[method-assign]
    viewer = await start_viewer(client)
    try:
        await wait_for(lambda: len(dropped) >= 10, 20)
        await viewer.wait_frames(30, limit=10)
        assert upstream.nacks_sent > 0 and upstream.rtx_packets > 0
        assert upstream.nack is not None and upstream.nack.recovered >= len(dropped) * 0.7
    finally:
        await viewer.close()
        await pub.close()
