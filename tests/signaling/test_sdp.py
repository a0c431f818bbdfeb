"""Pure offer validation and munging (no sockets), including hypothesis fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.errors import LivehireError
from signaling.icefrag import parse_fragment
from signaling.sdp import PublishedCodec, h264_profiles_compatible, prepare_offer, restore_answer
from tests.signaling.offers import OBS_OFFER


def test_obs_high_profile_is_kept_and_restored() -> None:
    prepared = prepare_offer(OBS_OFFER, "publish")
    assert prepared.kinds == ["audio", "video"]
    assert not prepared.has_candidates
    assert prepared.original_parameters[96]["profile-level-id"] == "640028"
    assert "profile-level-id=42e01f" in prepared.sdp  # what aiortc is shown
    assert "a=rtpmap:97" not in prepared.sdp  # one codec per section
    assert prepared.media_ssrcs == {"audio": 1111, "video": 2222}
    answer = "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=fmtp:96 packetization-mode=1;profile-level-id=42e01f\r\n"
    restored = restore_answer(answer, prepared.original_parameters)
    assert "a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=640028" in restored


def test_viewer_offer_gets_the_publishers_profile() -> None:
    published = {"video": PublishedCodec("video", "h264", 90000,
                                         {"packetization-mode": 1, "profile-level-id": "640028"}),
                 "audio": PublishedCodec("audio", "opus", 48000, {})}
    viewer = OBS_OFFER.replace("a=sendonly", "a=recvonly")
    prepared = prepare_offer(viewer, "view", published=published)
    assert prepared.original_parameters == {96: {"packetization-mode": 1, "profile-level-id": "640028"}}
    baseline_only = viewer.replace("profile-level-id=640028", "profile-level-id=42001f")
    with pytest.raises(LivehireError) as info:
        prepare_offer(baseline_only, "view", published=published)
    assert info.value.kind == "invalid" and info.value.code == "no_usable_codec"


def test_h264_profile_compatibility() -> None:
    assert h264_profiles_compatible({"profile-level-id": "42e01f"}, {"profile-level-id": "42001f"})
    assert h264_profiles_compatible({"profile-level-id": "640028"}, {"profile-level-id": "64001f"})
    assert not h264_profiles_compatible({"profile-level-id": "640028"}, {"profile-level-id": "42e01f"})
    assert h264_profiles_compatible({}, {"profile-level-id": "42e01f"})


@pytest.mark.parametrize(("mutation", "kind", "code"), [
    (("a=setup:actpass", "a=setup:active"), "invalid", "setup_active"),
    (("H264/90000", "H265/90000"), "invalid", "no_usable_codec"),
    (("opus/48000/2", "PCMU/8000"), "invalid", "no_usable_codec"),
    (("a=ice-pwd:asd88fgpdd777uzjYhagZg4f", "a=x:y"), "malformed", "malformed_sdp"),
    (("a=sendonly", "a=recvonly"), "invalid", "wrong_direction"),
])
def test_rejections(mutation: tuple[str, str], kind: str, code: str) -> None:
    with pytest.raises(LivehireError) as info:
        prepare_offer(OBS_OFFER.replace(*mutation), "publish")
    assert (info.value.kind, info.value.code) == (kind, code)


def test_fragment_parsing() -> None:
    frag = parse_fragment("a=ice-ufrag:u\r\na=ice-pwd:p\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\n"
                          "a=candidate:1 1 udp 1 1.2.3.4 5 typ host\r\na=end-of-candidates\r\n")
    assert (frag.ufrag, frag.pwd, frag.end_of_candidates) == ("u", "p", True)
    assert frag.candidates == [("0", "1 1 udp 1 1.2.3.4 5 typ host")]
    with pytest.raises(LivehireError):
        parse_fragment("hello")


LINES = OBS_OFFER.split("\r\n")
CLIENT_ERRORS = ("malformed", "invalid", "too_large")  # 400, 422, 413: the client's offer, never a 5xx


@st.composite
def mutated_offers(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "dup", "replace", "truncate", "garble"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "replace":
            lines[i] = draw(st.text(max_size=40))
        elif op == "truncate":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        else:
            lines[i] = lines[i].replace(":", draw(st.sampled_from([" ", "", "::", "=", ":\x00"])), 1)
    return "\r\n".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated_offers(), st.text(max_size=300), st.just("v=0\r\n")))
def test_fuzzed_offers_never_crash_the_parser(body: str) -> None:
    try:
        prepare_offer(body, "publish")
    except LivehireError as exc:
        assert exc.kind in CLIENT_ERRORS


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_fuzzed_fragments_parse_or_400(body: str) -> None:
    try:
        parse_fragment(body)
    except LivehireError as exc:
        assert exc.kind in ("malformed", "too_large")


def _candidates(n: int, *, port: int = 50000) -> list[str]:
    return [f"a=candidate:{i} 1 udp 2130706431 192.0.2.{i % 200 + 1} {port + i} typ host" for i in range(n)]


def _with_candidates(offer: str, lines: list[str]) -> str:
    # the same candidates under each bundled m-line, as browsers write them
    return offer.replace("a=rtcp-mux\r\n", "a=rtcp-mux\r\n" + "".join(f"{c}\r\n" for c in lines))


def test_offer_with_more_than_20_distinct_candidates_is_400() -> None:
    ok = prepare_offer(_with_candidates(OBS_OFFER, _candidates(20)), "publish")
    assert ok.has_candidates and len(ok.candidates) == 20  # repeated under both m-lines: counted once
    with pytest.raises(LivehireError) as err:
        prepare_offer(_with_candidates(OBS_OFFER, _candidates(21)), "publish")
    assert (err.value.kind, err.value.code) == ("malformed", "too_many_candidates")


def test_fragment_with_more_than_20_distinct_candidates_is_400() -> None:
    head = "a=ice-ufrag:u\r\na=ice-pwd:p\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\n"
    assert len(parse_fragment(head + "\r\n".join(_candidates(20))).candidates) == 20
    repeated = "\r\n".join(_candidates(1) * 30)  # one address trickled again and again is one candidate
    assert len(parse_fragment(head + repeated).candidates) == 1
    with pytest.raises(LivehireError) as err:
        parse_fragment(head + "\r\n".join(_candidates(21)))
    assert (err.value.kind, err.value.code) == ("malformed", "too_many_candidates")
