"""SDP offers for HTTP tests, made by real aiortc peers and then reshaped as other clients send them."""

from __future__ import annotations

import re

from aiortc import RTCConfiguration, RTCPeerConnection

from tests.media.peers import PatternTrack, make_offer, prefer

# An offer as OBS 30 sends it (H264 High and Constrained Baseline, Opus, no candidates, no RTX)
OBS_OFFER = "\r\n".join([
    "v=0", "o=- 123 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1", "a=msid-semantic: WMS obs",
    "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=rtcp:9 IN IP4 0.0.0.0",
    "a=ice-ufrag:8hhY", "a=ice-pwd:asd88fgpdd777uzjYhagZg4f", "a=ice-options:trickle",
    "a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
    "a=setup:actpass", "a=mid:0", "a=sendonly", "a=msid:obs audio", "a=rtcp-mux",
    "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1", "a=ssrc:1111 cname:obs",
    "m=video 9 UDP/TLS/RTP/SAVPF 96 97", "c=IN IP4 0.0.0.0", "a=rtcp:9 IN IP4 0.0.0.0",
    "a=ice-ufrag:8hhY", "a=ice-pwd:asd88fgpdd777uzjYhagZg4f", "a=ice-options:trickle",
    "a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
    "a=setup:actpass", "a=mid:1", "a=sendonly", "a=msid:obs video", "a=rtcp-mux",
    "a=rtpmap:96 H264/90000", "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli",
    "a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=640028",
    "a=rtpmap:97 H264/90000", "a=fmtp:97 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
    "a=ssrc:2222 cname:obs", "",
])


async def aiortc_offer(video_mime: str = "video/VP8", audio: bool = True, videos: int = 1,
                       direction: str = "sendonly") -> tuple[RTCPeerConnection, str]:
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    for _ in range(videos):
        if direction == "sendonly":
            pc.addTransceiver(PatternTrack(), direction="sendonly")
        else:
            pc.addTransceiver("video", direction=direction)
    prefer(pc, "video", video_mime)
    if audio:
        pc.addTransceiver("audio", direction=direction)
    return pc, await make_offer(pc)


def obs_shaped(sdp: str) -> str:
    """What OBS 30+ sends: H264 + Opus, no candidates at all, no RTX, no end-of-candidates."""
    lines = sdp.replace("\r\n", "\n").strip().split("\n")
    rtx_pts = {m.group(1) for line in lines if (m := re.match(r"a=rtpmap:(\d+) rtx/", line))}
    out: list[str] = []
    for line in lines:
        if line.startswith(("a=candidate:", "a=end-of-candidates")):
            continue
        if any(line.startswith(f"a={attr}:{pt} ") or line == f"a={attr}:{pt}"
               for pt in rtx_pts for attr in ("rtpmap", "fmtp", "rtcp-fb")):
            continue
        if line.startswith("a=ssrc-group:FID"):
            continue
        if line.startswith("m="):
            parts = line.split(" ")
            line = " ".join(parts[:3] + [p for p in parts[3:] if p not in rtx_pts])
        if line.startswith("c=IN IP4"):
            line = "c=IN IP4 0.0.0.0"
        out.append(line)
    text = "\r\n".join(out) + "\r\n"
    # OBS puts a discard port in the m-lines since it has no candidates in the offer
    return re.sub(r"^m=(audio|video) \d+ ", r"m=\1 9 ", text, flags=re.MULTILINE)


def replace(sdp: str, old: str, new: str) -> str:
    assert old in sdp, old
    return sdp.replace(old, new)
