"""Offer validation and SDP munging between WHIP/WHEP clients and aiortc (sans-I/O).

Why munge: aiortc only negotiates H264 Constrained Baseline, while OBS and
Chrome also offer Main/High. The server never decodes, so it can forward any
profile: we keep exactly one codec per m-section, show aiortc a baseline
``profile-level-id`` for it, and put the real fmtp back into the answer. A
viewer is offered the publisher's codec and profile and nothing else.

Refusals are :mod:`common.errors` kinds (RFC 9725's statuses follow from them):
``malformed`` (400) for SDP that does not parse or lacks ICE/DTLS attributes,
``invalid`` (422) for a well-formed offer we cannot accept (no usable codec,
``a=setup:active``, wrong direction, too many tracks), ``too_large`` (413).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from aiortc import sdp as aiortc_sdp
from aiortc.rtcrtpparameters import RTCRtpCodecParameters

from common.errors import Invalid, LivehireError, Malformed, TooLarge

from .icefrag import MAX_REMOTE_CANDIDATES
from .simulcast import SimulcastOffer, parse_offer

Role = Literal["publish", "view"]
MAX_SDP_BYTES = 64 * 1024
AIORTC_H264_PROFILE = "42e01f"
VIDEO_CODECS = ("vp8", "h264")
AUDIO_CODECS = ("opus",)


@dataclass(frozen=True, slots=True)
class PublishedCodec:
    """What a viewer must be able to receive for one kind (mirrors the media plane's CodecInfo)."""

    kind: str
    name: str
    clock_rate: int
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class PreparedOffer:
    """The offer as aiortc should see it, plus what to restore in the answer."""

    sdp: str
    kinds: list[str]
    original_parameters: dict[int, dict[str, Any]]
    media_ssrcs: dict[str, int]
    has_candidates: bool
    ice_ufrag: str | None = None
    candidates: frozenset[str] = frozenset()  # distinct remote candidates (icefrag.candidate_key)
    simulcast: SimulcastOffer | None = None  # a publisher's video layers (RFC 8853)


def _format_params(params: dict[str, Any]) -> str:
    return ";".join(f"{k}={v}" if v is not None else str(k) for k, v in params.items())


def _name(codec: RTCRtpCodecParameters) -> str:
    return codec.mimeType.split("/", 1)[-1].lower()


def _h264_profile(params: dict[str, Any]) -> Any:
    raw = str(params.get("profile-level-id", AIORTC_H264_PROFILE))
    try:
        return aiortc_sdp.parse_h264_profile_level_id(raw)[0]
    except ValueError:
        return raw.lower()[:4]


def h264_profiles_compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Same profile (level aside); Baseline and Constrained Baseline decode each other's CB streams."""
    pa, pb = _h264_profile(a), _h264_profile(b)
    if pa == pb:
        return True
    baseline = {aiortc_sdp.H264Profile.PROFILE_BASELINE, aiortc_sdp.H264Profile.PROFILE_CONSTRAINED_BASELINE}
    return pa in baseline and pb in baseline


def _mode(params: dict[str, Any]) -> str:
    return str(params.get("packetization-mode", "0"))


def parse(text: str) -> aiortc_sdp.SessionDescription:
    """Parse an SDP body or raise :class:`~common.errors.Malformed`."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_SDP_BYTES:
        raise TooLarge("sdp_too_large", f"SDP 超过 {MAX_SDP_BYTES} 字节")
    if not text.lstrip().startswith("v=0"):
        raise Malformed("malformed_sdp", "请求体不是 SDP 会话描述（没有 v=0 行）")
    try:
        description = aiortc_sdp.SessionDescription.parse(text)
    except Exception as exc:  # aiortc's parser raises many types on garbage
        raise Malformed("malformed_sdp", f"SDP offer 无法解析：{type(exc).__name__}") from exc
    if not description.media:
        raise Malformed("malformed_sdp", "SDP offer 没有媒体段")
    for media in description.media:
        if media.ice is None or not media.ice.usernameFragment or not media.ice.password:
            raise Malformed("malformed_sdp", f"{media.kind} 媒体段缺少 a=ice-ufrag / a=ice-pwd")
        if media.dtls is None or not media.dtls.fingerprints:
            raise Malformed("malformed_sdp", f"{media.kind} 媒体段缺少 a=fingerprint")
    return description


def _choose(media: aiortc_sdp.MediaDescription, wanted: dict[str, Any] | None) -> RTCRtpCodecParameters | None:
    candidates = [c for c in media.rtp.codecs if _name(c) != "rtx" and c.payloadType is not None]
    if wanted is not None:
        for codec in candidates:
            if _name(codec) != wanted["name"] or codec.clockRate != wanted["clock_rate"]:
                continue
            if wanted["name"] == "h264" and (
                _mode(codec.parameters) != _mode(wanted["parameters"])
                or not (wanted.get("any_profile") or h264_profiles_compatible(codec.parameters, wanted["parameters"]))
            ):
                continue
            return codec
        return None
    allowed = VIDEO_CODECS if media.kind == "video" else AUDIO_CODECS
    usable = [c for c in candidates if _name(c) in allowed]
    if media.kind == "video":
        # H264 needs packetization-mode 1 for anything but tiny frames (RFC 6184 §6.3)
        usable = [c for c in usable if _name(c) != "h264" or _mode(c.parameters) == "1"] or usable
    return usable[0] if usable else None


def prepare_offer(
    text: str,
    role: Role,
    *,
    published: dict[str, PublishedCodec] | None = None,
    max_tracks_per_kind: int = 1,
    any_h264_profile: bool = False,
) -> PreparedOffer:
    """Validate a WHIP (``publish``) or WHEP (``view``) offer and munge it for aiortc.

    ``any_h264_profile``: a relay node forwards without decoding, so it takes any profile.
    """
    try:
        return _prepare(text, role, published, max_tracks_per_kind, any_h264_profile)
    except LivehireError:
        raise
    except Exception as exc:  # any other surprise in a hostile offer is the client's malformed SDP
        raise Malformed("malformed_sdp", f"SDP offer 含有无效的值：{type(exc).__name__}") from exc


def _prepare(
    text: str, role: Role, published: dict[str, PublishedCodec] | None, max_tracks_per_kind: int,
    any_h264_profile: bool = False,
) -> PreparedOffer:
    description = parse(text)
    simulcast = parse_offer(text) if role == "publish" else None
    counts: dict[str, int] = {}
    original: dict[int, dict[str, Any]] = {}
    ssrcs: dict[str, int] = {}
    kinds: list[str] = []
    has_candidates = False
    candidates: set[str] = set()
    for media in description.media:
        if media.kind not in ("audio", "video"):
            raise Invalid("unsupported_media", f"不接受 {media.kind} 媒体段，只接受音频和视频")
        counts[media.kind] = counts.get(media.kind, 0) + 1
        if counts[media.kind] > max_tracks_per_kind:
            raise Invalid("too_many_tracks", f"每个会话最多 {max_tracks_per_kind} 路 {media.kind}")
        if media.dtls is not None and media.dtls.role == "client":
            raise Invalid("setup_active", "offer 必须使用 a=setup:actpass（RFC 8842 §5.3），不能是 active")
        allowed = ("sendonly", "sendrecv") if role == "publish" else ("recvonly", "sendrecv")
        direction = media.direction or "sendrecv"
        if direction not in allowed:
            raise Invalid("wrong_direction", f"{role} 的 offer 中 {media.kind} 方向必须是 {' 或 '.join(allowed)}，而不是 {direction}")
        has_candidates = has_candidates or bool(media.ice_candidates)
        candidates.update(f"{c.protocol.lower()} {c.ip} {c.port}" for c in media.ice_candidates)
        if len(candidates) > MAX_REMOTE_CANDIDATES:
            raise Malformed("too_many_candidates",
                           f"每个会话最多 {MAX_REMOTE_CANDIDATES} 个远端 ICE 候选地址")
        if media.rtcp_mux and media.rtcp_port is None:
            # aiortc writes a=rtcp-mux only next to an a=rtcp line; FFmpeg's offer has none
            media.rtcp_port, media.rtcp_host = 9, "0.0.0.0"
        wanted: dict[str, Any] | None = None
        if role == "view":
            if published is None or media.kind not in published:
                kinds.append(media.kind)
                continue
            pub = published[media.kind]
            wanted = {"name": pub.name, "clock_rate": pub.clock_rate, "parameters": pub.parameters,
                      "any_profile": any_h264_profile}
        codec = _choose(media, wanted)
        if codec is None or codec.payloadType is None:
            need = "Opus" if media.kind == "audio" else "VP8 or H264 (packetization-mode=1)"
            if wanted is not None:
                need = f"{wanted['name']} as sent by the host"
            raise Invalid("no_usable_codec", f"offer 中没有可用的 {media.kind} 编码：需要 {need}")
        pt = codec.payloadType
        rtx = [c for c in media.rtp.codecs if _name(c) == "rtx" and c.parameters.get("apt") == pt]
        keep = [codec, *rtx]
        media.rtp.codecs = keep
        media.fmt = [c.payloadType for c in keep]
        if _name(codec) == "h264":
            source: dict[str, Any] = codec.parameters if wanted is None else wanted["parameters"]
            original[pt] = dict(source)
            codec.parameters["profile-level-id"] = AIORTC_H264_PROFILE
            codec.parameters["packetization-mode"] = int(_mode(codec.parameters))
        group = next((g for g in media.ssrc_group if g.semantic == "FID"), None)
        if group is not None and group.items:
            ssrcs[media.kind] = int(group.items[0])
        elif media.ssrc:
            ssrcs[media.kind] = int(media.ssrc[0].ssrc)
        kinds.append(media.kind)
    ufrag = description.media[0].ice.usernameFragment if description.media[0].ice else None
    try:
        text_out = str(description)
        aiortc_sdp.SessionDescription.parse(text_out)
    except Exception as exc:  # values aiortc parsed leniently but cannot write back (e.g. c=IN IP4 0)
        raise Malformed("malformed_sdp", f"SDP offer 含有无效的值：{type(exc).__name__}") from exc
    if simulcast is not None:
        ssrcs.pop("video", None)  # SSRCs in a simulcast offer (if any) are not the one media SSRC
    return PreparedOffer(text_out, kinds, original, ssrcs, has_candidates, ufrag, frozenset(candidates), simulcast)


_FMTP = re.compile(r"^a=fmtp:(\d+) .*$", re.MULTILINE)


def restore_answer(answer: str, original: dict[int, dict[str, Any]]) -> str:
    """Put the real fmtp of each munged payload type back into aiortc's answer."""
    if not original:
        return answer

    def replace(match: re.Match[str]) -> str:
        pt = int(match.group(1))
        if pt not in original or not original[pt]:
            return match.group(0)
        return f"a=fmtp:{pt} {_format_params(original[pt])}"

    return _FMTP.sub(replace, answer.replace("\r\n", "\n")).replace("\n", "\r\n")
