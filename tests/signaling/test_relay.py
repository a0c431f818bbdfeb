"""Node-to-node relay (ARCHITECTURE.md §1 "Scaling out"): two services, one shared directory, real aiortc."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from media_server.sfu.relay_peer import munge_answer
from signaling.directory import MemoryRoomDirectory
from signaling.relay import RELAY_HEADER, RelayAuth
from signaling.service import SignalingService
from tests.media.peers import Viewer, answer_into, publisher, wait_for
from tests.signaling.helpers import KEY, PRIVATE_KEY, VIEWER_TOKEN, make_app, make_service, post_sdp
from tests.signaling.offers import aiortc_offer

pytestmark = pytest.mark.media

SECRET = "x" * 48


@dataclass
class Node:
    service: SignalingService
    client: TestClient[Any, Any]

    @property
    def url(self) -> str:
        return str(self.client.make_url("")).rstrip("/")


@pytest.fixture
async def nodes(aiohttp_client: Any) -> AsyncIterator[tuple[Node, Node]]:
    directory = MemoryRoomDirectory()
    made: list[Node] = []
    for _ in range(2):
        with socket.socket() as probe:  # a service needs its own URL before its server starts
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        service = make_service(directory=directory, node_url=f"http://127.0.0.1:{port}",
                               relay_secret=SECRET, relay_grace=0.5)
        client = await aiohttp_client(TestServer(make_app(service), host="127.0.0.1", port=port))
        made.append(Node(service, client))
    yield made[0], made[1]


async def go_live(node: Node, room: str = "demo", key: str = KEY) -> Any:
    pub, offer = await publisher("video/VP8")
    created = await post_sdp(node.client, f"/whip/{room}", offer, token=key)
    assert created.status == 201, created.sdp
    await answer_into(pub, created.sdp)
    await wait_for(lambda: node.service.room_state(room)["live"], 10)
    return pub, created.location


async def watch(node: Node, room: str = "demo", token: str | None = None) -> tuple[Viewer, str]:
    viewer = Viewer()
    created = await post_sdp(node.client, f"/whep/{room}", await viewer.offer(), token=token)
    assert created.status == 201, created.sdp
    await viewer.answer(created.sdp)
    return viewer, created.location


async def test_viewers_on_b_are_served_by_one_relay_from_a(nodes: tuple[Node, Node]) -> None:
    a, b = nodes
    pub, whip_location = await go_live(a)
    assert await a.service.announcer.directory.lookup("demo") == a.url  # type: ignore[union-attr]
    started = time.monotonic()
    first, _ = await watch(b)
    assert time.monotonic() - started < 3.5  # the first WHEP waits for the relay, boundedly
    second, second_location = await watch(b)
    try:
        for viewer in (first, second):
            await viewer.wait_frames(5, limit=10)
            assert {(w, h) for _, w, h in viewer.frames} == {(160, 120)}
        assert b.service.room_state("demo")["viewers"] == 2
        assert a.service.room_state("demo")["viewers"] == 1  # one relay peer, however many viewers B has
        assert b.service.relays is not None and b.service.relays.relayed_rooms() == ["demo"]
        # B's viewers' keyframe requests go upstream as PLI on the relay peer
        relay = b.service.room_stats("demo")["publisher"]
        plis_before = relay["tracks"]["video"]["plis_sent"]
        b.service.room_media("demo").broadcast.tracks["video"].request_keyframe(10**9)  # type: ignore[union-attr]
        await wait_for(lambda: b.service.room_stats("demo")["publisher"]["tracks"]["video"]["plis_sent"]
                       > plis_before, 3)
        # the host stops: A withdraws the room, B closes the relay and its room goes idle
        response = await a.client.delete(whip_location)
        assert response.status == 200
        await wait_for(lambda: not b.service.room_state("demo")["live"], 5)
        await wait_for(lambda: a.service.room_state("demo")["viewers"] == 0, 5)
        assert await b.service.announcer.directory.lookup("demo") is None  # type: ignore[union-attr]
        # viewers stay connected and resume when the host comes back on any node: here, B itself
        pub2, _ = await go_live(b)
        since = len(first.frames)
        await first.wait_frames(3, limit=10, since=since)
        await pub2.close()
    finally:
        for viewer in (first, second):
            await viewer.close()
        await pub.close()
    del second_location


async def test_relay_closes_after_last_viewer_leaves(nodes: tuple[Node, Node]) -> None:
    a, b = nodes
    pub, _ = await go_live(a)
    viewer, location = await watch(b)
    try:
        await viewer.wait_frames(2, limit=10)
        response = await b.client.delete(location)
        assert response.status == 200
        await wait_for(lambda: a.service.room_state("demo")["viewers"] == 0, 6)
        assert b.service.session_count() == 0
        assert a.service.room_state("demo")["live"]
    finally:
        await viewer.close()
        await pub.close()


@pytest.mark.clause("4.4.1 a")
async def test_relay_pull_needs_a_token_minted_from_the_shared_secret(nodes: tuple[Node, Node]) -> None:
    """Standard 4.4.1 a: a forged or foreign relay header does not open a private room."""
    a, _ = nodes
    pub, _ = await go_live(a, "private", PRIVATE_KEY)
    try:
        client_pc = Viewer()
        offer = await client_pc.offer()
        for token in ("1.abc", RelayAuth("y" * 48).mint("private"), RelayAuth(SECRET).mint("demo")):
            response = await a.client.post("/whep/private", data=offer.encode(),
                                           headers={"Content-Type": "application/sdp", RELAY_HEADER: token})
            assert response.status == 401
        response = await a.client.post("/whep/private", data=offer.encode(),
                                       headers={"Content-Type": "application/sdp"})
        assert response.status == 401
        ok = await a.client.post("/whep/private", data=offer.encode(), headers={
            "Content-Type": "application/sdp", RELAY_HEADER: RelayAuth(SECRET).mint("private")})
        assert ok.status == 201
        await a.client.delete(ok.headers["Location"])
    finally:
        await client_pc.close()
        await pub.close()


@pytest.mark.clause("4.3.1 a", "4.4.1 a")
async def test_private_room_rules_apply_on_the_relaying_node(nodes: tuple[Node, Node]) -> None:
    a, b = nodes
    pub, _ = await go_live(a, "private", PRIVATE_KEY)
    try:
        client_pc = Viewer()
        refused = await post_sdp(b.client, "/whep/private", await client_pc.offer(), token=None)
        await client_pc.close()
        assert refused.status == 401
        assert b.service.relays is not None and b.service.relays.relayed_rooms() == []
        viewer, _ = await watch(b, "private", VIEWER_TOKEN)
        await viewer.wait_frames(2, limit=10)
        await viewer.close()
    finally:
        await pub.close()


async def test_room_not_live_anywhere_is_409_at_once(nodes: tuple[Node, Node]) -> None:
    _, b = nodes
    client_pc = Viewer()
    started = time.monotonic()
    refused = await post_sdp(b.client, "/whep/demo", await client_pc.offer(), token=None)
    await client_pc.close()
    assert refused.status == 409 and refused.headers["Retry-After"] == "5"
    assert time.monotonic() - started < 1


async def test_room_live_on_an_unreachable_origin_is_409_with_a_link_to_it(aiohttp_client: Any) -> None:
    """The relay does not come up within ``relay_wait``: the client may go to the origin itself."""
    directory = MemoryRoomDirectory()
    with socket.socket() as probe:  # a port nobody listens on: the origin refuses the relay at once
        probe.bind(("127.0.0.1", 0))
        origin = f"http://127.0.0.1:{probe.getsockname()[1]}"
    await directory.announce("demo", origin, 10)
    service = make_service(directory=directory, node_url="http://127.0.0.1:1", relay_secret=SECRET,
                           relay_wait=0.3, relay_grace=0.1)
    client = await aiohttp_client(make_app(service))
    viewer = Viewer()
    try:
        refused = await post_sdp(client, "/whep/demo", await viewer.offer(), token=None)
    finally:
        await viewer.close()
    assert refused.status == 409 and refused.body["error"]["code"] == "not_live"
    assert refused.headers["Retry-After"] == "5"
    assert refused.headers["Link"] == f'<{origin}/whep/demo>; rel="alternate"'
    assert "Link" in refused.headers["Access-Control-Expose-Headers"]
    assert service.session_count() == 0


def test_relay_tokens_expire_and_bind_the_room() -> None:
    auth = RelayAuth(SECRET, lifetime=60)
    token = auth.mint("demo", now=1000)
    assert auth.verify(token, "demo", now=1010)
    assert not auth.verify(token, "demo", now=1061)
    assert not auth.verify(token, "other", now=1010)
    assert not auth.verify("notatoken", "demo", now=1010)


async def test_h264_high_profile_is_relayed_with_its_real_fmtp(nodes: tuple[Node, Node]) -> None:
    """aiortc only negotiates Constrained Baseline, yet B relays an OBS-style High stream (no decoding)
    and offers its viewers the real profile, refusing those who cannot decode it (422)."""
    a, b = nodes
    pub, offer = await aiortc_offer("video/H264")
    high = re.sub("profile-level-id=42[0-9a-f]{4}", "profile-level-id=640028", offer)
    created = await post_sdp(a.client, "/whip/demo", high)
    assert created.status == 201, created.sdp
    await a.service.announcer.directory.announce("demo", a.url, 10)  # type: ignore[union-attr]
    chrome, baseline_only = Viewer(), Viewer()
    try:
        chrome_offer = re.sub("profile-level-id=42[0-9a-f]{4}", "profile-level-id=640028", await chrome.offer())
        accepted = await post_sdp(b.client, "/whep/demo", chrome_offer, token=None)
        assert accepted.status == 201, accepted.sdp
        assert "profile-level-id=640028" in accepted.sdp
        assert b.service.room_state("demo")["codecs"]["video"].lower() == "video/h264"
        refused = await post_sdp(b.client, "/whep/demo", await baseline_only.offer(), token=None)
        assert refused.status == 422
    finally:
        await chrome.close()
        await baseline_only.close()
        await pub.close()


def test_munge_answer_shows_aiortc_baseline_and_keeps_the_real_fmtp() -> None:
    answer = ("v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96 97\r\na=mid:0\r\na=rtpmap:96 H264/90000\r\n"
              "a=fmtp:96 packetization-mode=1;profile-level-id=640028\r\na=rtpmap:97 rtx/90000\r\n"
              "a=fmtp:97 apt=96\r\na=ssrc-group:FID 111 222\r\na=ssrc:111 cname:x\r\na=ssrc:222 cname:x\r\n")
    munged, original, ssrcs = munge_answer(answer)
    assert "profile-level-id=42e01f" in munged and "640028" not in munged
    assert original[96]["profile-level-id"] == "640028" and str(original[96]["packetization-mode"]) == "1"
    assert ssrcs == {"video": 111}
