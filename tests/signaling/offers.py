"""SDP offers for HTTP tests, made by real aiortc peers and then reshaped as other clients send them."""

from __future__ import annotations

import re

from aiortc import RTCConfiguration, RTCPeerConnection

from tests.media.peers import PatternTrack, make_offer, prefer


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
