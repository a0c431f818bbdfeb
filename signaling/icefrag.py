"""``application/trickle-ice-sdpfrag`` bodies (RFC 8840) for WHIP/WHEP PATCH (RFC 9725 §4.4).

Pure parsing and formatting; the service decides between trickle and ICE
restart from the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import SignalingError

MAX_FRAGMENT_BYTES = 16 * 1024


@dataclass(slots=True)
class SdpFragment:
    ufrag: str | None = None
    pwd: str | None = None
    candidates: list[tuple[str | None, str]] = field(default_factory=list)  # (mid, "candidate:...")
    end_of_candidates: bool = False


def parse_fragment(text: str) -> SdpFragment:
    """Parse a trickle-ice-sdpfrag; raise 400 on lines that are not SDP attributes we know."""
    if len(text) > MAX_FRAGMENT_BYTES:
        raise SignalingError(413, "fragment_too_large", "the SDP fragment is too large")
    fragment = SdpFragment()
    mid: str | None = None
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("m="):
            mid = None
            continue
        if not line.startswith("a="):
            raise SignalingError(400, "malformed_fragment", "an SDP fragment holds only m= and a= lines")
        name, _, value = line[2:].partition(":")
        if name == "ice-ufrag":
            fragment.ufrag = value
        elif name == "ice-pwd":
            fragment.pwd = value
        elif name == "mid":
            mid = value
        elif name == "candidate":
            if len(value.split()) < 8:
                raise SignalingError(400, "malformed_fragment", "a candidate line has too few fields")
            fragment.candidates.append((mid, value))
        elif name == "end-of-candidates":
            fragment.end_of_candidates = True
        # other attributes (ice-options, group) are allowed and ignored
    return fragment


def format_restart(ufrag: str, pwd: str, candidates: list[str], mids: list[str]) -> str:
    """The 200 body of an ICE restart: our new credentials and candidates (RFC 9725 §4.4.2)."""
    # with BUNDLE every m-line shares one transport: its candidates are listed once, under the first mid
    lines = [f"a=ice-ufrag:{ufrag}", f"a=ice-pwd:{pwd}", "m=audio 9 UDP/TLS/RTP/SAVPF 0"]
    if mids:
        lines.append(f"a=mid:{mids[0]}")
    lines.extend(f"a=candidate:{c}" for c in candidates)
    lines.append("a=end-of-candidates")
    return "\r\n".join(lines) + "\r\n"
