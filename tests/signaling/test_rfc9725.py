"""Every RFC 9725 status code the issue lists, against the real service (aiortc peers over loopback)."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from common.clock import ManualClock
from signaling.service import SignalingService
from tests.media.peers import Viewer, answer_into, publisher, wait_for
from tests.signaling.helpers import KEY, PRIVATE_KEY, VIEWER_TOKEN, make_app, make_service, post_sdp
from tests.signaling.offers import aiortc_offer, obs_shaped, replace

pytestmark = pytest.mark.media


@pytest.fixture
def service() -> SignalingService:
    return make_service(publisher_stale_after=1.0, max_sessions=4)


@pytest.fixture
async def client(aiohttp_client: Any, service: SignalingService) -> TestClient[Any, Any]:
    return await aiohttp_client(make_app(service))  # type: ignore[no-any-return]


@pytest.fixture
async def offer() -> Any:
    pc, sdp = await aiortc_offer()
    yield sdp
    await pc.close()


def assert_json_error(created: Any, status: int, code: str) -> None:
    assert created.status == status, created.sdp
    assert created.body is not None and created.body["error"]["code"] == code
    assert created.body["error"]["message"]


async def test_wrong_content_type_is_415(client: TestClient[Any, Any], offer: str) -> None:
    created = await post_sdp(client, "/whip/demo", offer, content_type="text/plain")
    assert_json_error(created, 415, "unsupported_media_type")
    assert created.headers["Accept-Post"] == "application/sdp"


async def test_malformed_sdp_is_400(client: TestClient[Any, Any]) -> None:
    assert_json_error(await post_sdp(client, "/whip/demo", "hello"), 400, "malformed_sdp")
    assert_json_error(await post_sdp(client, "/whip/demo", ""), 400, "malformed_sdp")
    assert_json_error(await post_sdp(client, "/whip/demo", "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n"),
                      400, "malformed_sdp")


async def test_unacceptable_offers_are_422_naming_the_problem(client: TestClient[Any, Any], offer: str) -> None:
    active = replace(offer, "a=setup:actpass", "a=setup:active")
    created = await post_sdp(client, "/whip/demo", active)
    assert_json_error(created, 422, "setup_active")
    assert "setup" in created.body["error"]["message"]
    no_codec = replace(offer, "VP8/90000", "VP9/90000")
    created = await post_sdp(client, "/whip/demo", no_codec)
    assert_json_error(created, 422, "no_usable_codec")
    assert "video" in created.body["error"]["message"]
    pc, two_videos = await aiortc_offer(videos=2)
    await pc.close()
    assert_json_error(await post_sdp(client, "/whip/demo", two_videos), 422, "too_many_tracks")
    pc, recvonly = await aiortc_offer(direction="recvonly")
    await pc.close()
    assert_json_error(await post_sdp(client, "/whip/demo", recvonly), 422, "wrong_direction")


async def test_auth_401_and_unknown_room_404(client: TestClient[Any, Any], offer: str,
                                             service: SignalingService) -> None:
    created = await post_sdp(client, "/whip/demo", offer, token="wrong")
    assert_json_error(created, 401, "unauthorized")
    assert created.headers["WWW-Authenticate"].startswith("Bearer")
    assert_json_error(await post_sdp(client, "/whip/demo", offer, token=None), 401, "unauthorized")
    assert_json_error(await post_sdp(client, "/whip/nope", offer), 404, "unknown_room")
    # private room: a viewer needs a token; public rooms do not
    pc, view_offer = await aiortc_offer(direction="recvonly")
    await pc.close()
    assert_json_error(await post_sdp(client, "/whep/private", view_offer, token=None), 401, "unauthorized")
    created = await post_sdp(client, "/whep/private", view_offer, token=VIEWER_TOKEN)
    assert_json_error(created, 409, "not_live")
    assert created.headers["Retry-After"] == "5"
    assert service.session_count() == 0


async def test_options_cors_and_accept_post(aiohttp_client: Any) -> None:
    service = make_service(ice_servers=["stun:127.0.0.1:3478"])
    client = await aiohttp_client(make_app(service))
    response = await client.options("/whip/demo")
    assert response.status == 204
    assert response.headers["Accept-Post"] == "application/sdp"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]
    assert response.headers["Link"] == '<stun:127.0.0.1:3478>; rel="ice-server"'
    response = await client.options("/whep/demo/some-session")
    assert "PATCH" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Accept-Patch"] == "application/trickle-ice-sdpfrag"


async def test_patch_trickle_restart_and_preconditions(client: TestClient[Any, Any], offer: str) -> None:
    created = await post_sdp(client, "/whip/demo", offer)
    assert created.status == 201
    url, etag = created.location, created.etag
    frag = "a=ice-ufrag:abcd\r\na=ice-pwd:0123456789abcdef012345\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n" \
           "a=candidate:1 1 udp 2130706431 192.0.2.2 50000 typ host\r\n"
    sdpfrag = {"Content-Type": "application/trickle-ice-sdpfrag"}
    response = await client.patch(url, data=frag, headers=sdpfrag)
    assert response.status == 428
    response = await client.patch(url, data=frag, headers={**sdpfrag, "If-Match": '"stale"'})
    assert response.status == 412
    response = await client.patch(url, data=frag, headers={"Content-Type": "text/plain", "If-Match": etag})
    assert response.status == 415
    # the session's own ufrag is what the offer carried; trickle with it → 204
    ufrag = next(line.split(":", 1)[1] for line in offer.splitlines() if line.startswith("a=ice-ufrag:"))
    pwd = next(line.split(":", 1)[1] for line in offer.splitlines() if line.startswith("a=ice-pwd:"))
    trickle = frag.replace("abcd", ufrag).replace("0123456789abcdef012345", pwd)
    response = await client.patch(url, data=trickle, headers={**sdpfrag, "If-Match": etag})
    assert response.status == 204
    # L9: the session already has the offer's candidates and one trickled: 20 more go over its cap
    many = trickle + "".join(f"a=candidate:{i} 1 udp 1 198.51.100.{i} 40000 typ host\r\n" for i in range(20))
    response = await client.patch(url, data=many, headers={**sdpfrag, "If-Match": etag})
    assert response.status == 400 and (await response.json())["error"]["code"] == "too_many_candidates"
    response = await client.patch(url, data=trickle, headers={**sdpfrag, "If-Match": etag})
    assert response.status == 204  # the same candidate again is nothing new
    # ICE restart: If-Match: * and new credentials → 200, a fragment with our new ufrag/pwd, a new ETag
    restart = "a=ice-ufrag:newu\r\na=ice-pwd:newpasswordnewpassword1\r\n"
    response = await client.patch(url, data=restart, headers={**sdpfrag, "If-Match": "*"})
    assert response.status == 200
    body = await response.text()
    assert response.headers["Content-Type"].startswith("application/trickle-ice-sdpfrag")
    assert "a=ice-ufrag:" in body and "a=ice-pwd:" in body and "a=candidate:" in body
    new_etag = response.headers["ETag"]
    assert new_etag != etag
    response = await client.patch(url, data=trickle, headers={**sdpfrag, "If-Match": etag})
    assert response.status == 412
    assert (await client.delete(url)).status == 200
    assert (await client.delete(url)).status == 404


async def test_second_publisher_409_then_takeover_of_a_stale_one(aiohttp_client: Any) -> None:
    """Real peers, no sleeping: the rules' time is a ManualClock (each rule alone: tests/signaling/test_rules.py)."""
    clock = ManualClock()
    service = make_service(publisher_stale_after=1.0, clock=clock)
    client = await aiohttp_client(make_app(service))
    pub, offer = await publisher("video/VP8", audio=False)
    created = await post_sdp(client, "/whip/demo", offer)
    await answer_into(pub, created.sdp)
    pcs = [await aiortc_offer("video/VP8", audio=False) for _ in range(2)]
    try:
        await wait_for(lambda: service.room_state("demo")["live"], 10)
        await wait_for(lambda: service.room_state("demo")["bitrate_bps"] > 0, 5)
        clock.advance(10)  # connected long ago, but sending: the host holds the room
        refused = await post_sdp(client, "/whip/demo", pcs[0][1])
        assert_json_error(refused, 409, "already_live")
        assert refused.headers["Retry-After"] == "1"
        assert (await client.delete(created.location)).status == 200
        await wait_for(lambda: service.session_count() == 0, 5)
        # a host whose connection never comes up (its answer is never applied) holds the room while fresh...
        connecting = await post_sdp(client, "/whip/demo", pcs[0][1])
        assert connecting.status == 201
        assert_json_error(await post_sdp(client, "/whip/demo", pcs[1][1]), 409, "already_live")
        clock.advance(1.5)  # ...and is taken over once stale
        taken = await post_sdp(client, "/whip/demo", pcs[1][1])
        assert taken.status == 201 and taken.location != connecting.location
        assert service.session_count() == 1
        assert (await client.delete(connecting.location)).status == 404
        await answer_into(pcs[1][0], taken.sdp)
        await wait_for(lambda: service.room_state("demo")["live"], 10)
    finally:
        await pub.close()
        for pc, _ in pcs:
            await pc.close()


async def test_overload_is_503_with_retry_after(aiohttp_client: Any) -> None:
    service = make_service(max_sessions=1)
    client = await aiohttp_client(make_app(service))
    pc1, offer1 = await aiortc_offer()
    pc2, offer2 = await aiortc_offer()
    try:
        assert (await post_sdp(client, "/whip/demo", offer1)).status == 201
        created = await post_sdp(client, "/whip/other", offer2, token="other-key")
        assert_json_error(created, 503, "overloaded")
        assert created.headers["Retry-After"] == "10"
    finally:
        await pc1.close()
        await pc2.close()


@pytest.mark.clause("4.3.1 a")
async def test_obs_shaped_offer_reaches_a_viewer(client: TestClient[Any, Any], service: SignalingService) -> None:
    """OBS 30+: H264 + Opus, bearer on POST and DELETE, no candidates (we learn it peer-reflexively), no RTX."""
    pub, offer = await publisher("video/H264")
    obs = obs_shaped(offer)
    assert "a=candidate" not in obs and "rtx" not in obs
    created = await post_sdp(client, "/whip/demo", obs, token=KEY)
    assert created.status == 201
    assert "rtx" not in created.sdp
    await answer_into(pub, created.sdp)
    viewer = Viewer()
    try:
        view = await post_sdp(client, "/whep/demo", await viewer.offer(), token=None)
        assert view.status == 201
        await viewer.answer(view.sdp)
        await viewer.wait_frames(5, limit=10)
        assert viewer.frames[-1][1:] == (160, 120)
        response = await client.delete(created.location, headers={"Authorization": f"Bearer {KEY}"})
        assert response.status == 200
    finally:
        await viewer.close()
        await pub.close()


async def test_viewer_that_cannot_take_the_codec_gets_422(client: TestClient[Any, Any],
                                                          service: SignalingService) -> None:
    pub, offer = await publisher("video/H264", audio=False)
    await answer_into(pub, (await post_sdp(client, "/whip/demo", offer)).sdp)
    await wait_for(lambda: service.room_state("demo")["codecs"].get("video") is not None, 5)
    pc, vp8_only = await aiortc_offer("video/VP8", audio=False, direction="recvonly")
    try:
        created = await post_sdp(client, "/whep/demo", vp8_only, token=None)
        assert_json_error(created, 422, "no_usable_codec")
        assert "h264" in created.body["error"]["message"].lower()
    finally:
        await pc.close()
        await pub.close()
    assert PRIVATE_KEY


async def test_exhausted_udp_port_range_is_503(aiohttp_client: Any) -> None:
    """One port in the range (loopback only): the second session cannot bind and must not get a dead answer."""
    service = make_service(udp_ports=(43117, 43117), ice_addresses=("127.0.0.1",))
    client = await aiohttp_client(make_app(service))
    pc1, offer1 = await aiortc_offer()
    pc2, offer2 = await aiortc_offer()
    try:
        first = await post_sdp(client, "/whip/demo", offer1)
        assert first.status == 201 and " 43117 typ host" in first.sdp
        second = await post_sdp(client, "/whip/other", offer2, token="other-key")
        assert_json_error(second, 503, "no_ports")
        assert second.headers["Retry-After"] == "10"
        assert service.session_count() == 1
    finally:
        await pc1.close()
        await pc2.close()
