"""Simulcast offers (RFC 8853 / 8851) as OBS 32 and browsers send them, and our answers; no sockets."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from common.errors import Invalid, LivehireError
from signaling.sdp import prepare_offer
from signaling.simulcast import RID_URI, answer, check_layer, parse_offer
from tests.media.peers import publisher
from tests.signaling.helpers import make_app, make_service, post_sdp
from tests.signaling.offers import OBS_OFFER, obs_shaped

RID_EXT = 4
REPAIRED_URI = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"


def with_simulcast(sdp: str, rids: list[str], *, listed: str | None = None, ext: bool = True,
                   rid_lines: bool = True, repaired: bool = False) -> str:
    """``sdp`` with a video simulcast of ``rids`` as OBS 32.1 writes it (after the video a=mid)."""
    lines = sdp.replace("\r\n", "\n").strip().split("\n")
    video = next(i for i, line in enumerate(lines) if line.startswith("m=video"))
    mid = next(i for i in range(video, len(lines)) if lines[i].startswith("a=mid:"))
    extra = [f"a=extmap:{RID_EXT} {RID_URI}"] if ext else []
    extra += [f"a=extmap:{RID_EXT + 1} {REPAIRED_URI}"] if repaired else []
    extra += [f"a=rid:{rid} send" for rid in rids] if rid_lines else []
    extra.append(f"a=simulcast:send {listed if listed is not None else ';'.join(rids)}")
    return "\r\n".join(lines[:mid + 1] + extra + lines[mid + 1:]) + "\r\n"


@pytest.mark.parametrize("rids", [["0"], ["0", "1"], ["0", "1", "2"], ["0", "1", "2", "3"]])
def test_obs_offers_with_one_to_four_layers_are_all_accepted(rids: list[str]) -> None:
    prepared = prepare_offer(with_simulcast(OBS_OFFER, rids), "publish")
    assert prepared.simulcast is not None
    assert prepared.simulcast.rids == tuple(rids) and prepared.simulcast.rid_ext_id == RID_EXT
    assert prepared.simulcast.mid == "1"
    assert "video" not in prepared.media_ssrcs  # one a=ssrc line does not name the media SSRC of 4 layers
    answered = answer(AIORTC_ANSWER, prepared.simulcast)
    video = answered.split("m=video", 1)[1]
    assert [line for line in video.split("\r\n") if line.startswith("a=rid:")] == [f"a=rid:{r} recv" for r in rids]
    assert f"a=simulcast:recv {';'.join(rids)}\r\n" in video
    assert "a=rid" not in answered.split("m=video", 1)[0]  # audio untouched
    assert answered.endswith("\r\n") and "\r\n\r\n" not in answered


def test_browser_style_paused_layers_and_alternatives_keep_the_first_rid() -> None:
    offer = with_simulcast(OBS_OFFER, ["h", "m", "l", "x"], listed="h;~m;l,x", repaired=True)
    parsed = parse_offer(offer)
    assert parsed is not None and parsed.rids == ("h", "m", "l") and parsed.repaired_ext_id == RID_EXT + 1


def test_offer_without_simulcast_has_none_and_viewers_ignore_it() -> None:
    assert prepare_offer(OBS_OFFER, "publish").simulcast is None
    assert parse_offer(with_simulcast(OBS_OFFER, ["0"]).replace("m=video", "m=audio")) is None


@pytest.mark.parametrize(("change", "code"), [
    ({"listed": "0;1;2;3;4", "rids": ["0", "1", "2", "3", "4"]}, "bad_simulcast"),
    ({"listed": "0;0", "rids": ["0"]}, "bad_simulcast"),
    ({"listed": "0;1", "rids": ["0"]}, "bad_simulcast"),  # rid 1 is not declared
    ({"ext": False}, "bad_simulcast"),
    ({"rid_lines": False}, "bad_simulcast"),
    ({"listed": "recv 0;1"}, "wrong_direction"),
    ({"listed": "0;b@d", "rids": ["0", "b@d"]}, "bad_simulcast"),
])
def test_layers_we_cannot_tell_apart_or_take_are_refused(change: dict[str, Any], code: str) -> None:
    rids = change.pop("rids", ["0", "1"])
    with pytest.raises(Invalid) as caught:
        prepare_offer(with_simulcast(OBS_OFFER, rids, **change), "publish")
    assert caught.value.code == code


def test_rid_declared_for_receiving_is_refused() -> None:
    offer = with_simulcast(OBS_OFFER, ["0", "1"]).replace("a=rid:1 send", "a=rid:1 recv")
    with pytest.raises(Invalid):
        parse_offer(offer)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a=simulcast:send ", "a=rid:", " send", " recv", ";", ",", "~", "0", "h",
                                 f"a=extmap:4 {RID_URI}", "a=extmap:99 x", "\r\n", "m=video 9 X 96", "a=mid:"]),
                max_size=40))
def test_fuzzed_simulcast_lines_parse_or_refuse(parts: list[str]) -> None:
    text = OBS_OFFER + "".join(parts)
    try:
        parsed = parse_offer(text)
    except LivehireError as exc:
        assert exc.kind == "invalid"
        return
    if parsed is not None:
        assert 1 <= len(parsed.rids) <= 4 and 1 <= parsed.rid_ext_id <= 14
        assert answer(AIORTC_ANSWER, parsed).count("a=simulcast:recv") <= 1


def test_viewer_layer_choices() -> None:
    assert [check_layer(v) for v in ("auto", "audio", "h", "q_1")] == ["auto", "audio", "h", "q_1"]
    for bad in ("", "x" * 17, "a;b", "<h>"):
        with pytest.raises(Invalid):
            check_layer(bad)


AIORTC_ANSWER = re.sub(r"a=sendonly", "a=recvonly", OBS_OFFER)


@pytest.mark.media
async def test_whip_answer_accepts_every_layer_and_negotiates_the_rid_extension(aiohttp_client: Any) -> None:
    client: TestClient[Any, Any] = await aiohttp_client(make_app(make_service()))
    pc, offer = await publisher("video/H264")
    try:
        created = await post_sdp(client, "/whip/demo", with_simulcast(obs_shaped(offer), ["0", "1", "2"],
                                                                       repaired=True))
        assert created.status == 201, created.sdp
        video = created.sdp.split("m=video", 1)[1]
        assert f"a=extmap:{RID_EXT} {RID_URI}" in video and f"a=extmap:{RID_EXT + 1} {REPAIRED_URI}" in video
        assert "a=simulcast:recv 0;1;2" in video
        assert all(f"a=rid:{rid} recv" in video for rid in "012")
    finally:
        await pc.close()


@pytest.mark.media
async def test_layer_choices_over_http_are_checked_before_any_session_opens(aiohttp_client: Any) -> None:
    service = make_service()
    client: TestClient[Any, Any] = await aiohttp_client(make_app(service))
    created = await post_sdp(client, "/whep/demo?layer=%3Cx%3E", "v=0\r\n", token=None)
    assert created.status == 422 and created.body["error"]["code"] == "bad_layer"
    assert service.room_media("demo") is None
    response = await client.post("/whep/demo/nosuchsession/layer", json={"layer": "h"})
    assert response.status == 404
    response = await client.post("/whep/demo/nosuchsession/layer", json={"quality": "h"})
    assert response.status == 400
