"""``application/trickle-ice-sdpfrag`` bodies (RFC 8840) for WHIP/WHEP PATCH (RFC 9725 §4.4).

Pure parsing and formatting; the service decides between trickle and ICE
restart from the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from common.errors import Malformed, TooLarge

MAX_FRAGMENT_BYTES = 16 * 1024
# Remote ICE candidates one session may give us, offer and trickle together (review L9): every
# candidate is a pair of connectivity checks the server sends, so a client with hundreds makes
# the server probe hundreds of addresses. A browser has a handful (host, srflx, relay per interface).
MAX_REMOTE_CANDIDATES = 20


@dataclass(slots=True)
class SdpFragment:
    ufrag: str | None = None
    pwd: str | None = None
    candidates: list[tuple[str | None, str]] = field(default_factory=list)  # (mid, "candidate:...")
    end_of_candidates: bool = False


def candidate_key(value: str) -> str:
    """What makes two ``candidate:`` values the same remote address: transport, address, port.

    A client repeats its candidates under each bundled m-line, and may trickle
    one again after an ICE restart; those are not new addresses to probe.
    """
    fields = value.split()
    return f"{fields[2].lower()} {fields[4]} {fields[5]}" if len(fields) >= 6 else value


def too_many_candidates(limit: int = MAX_REMOTE_CANDIDATES) -> Malformed:
    return Malformed("too_many_candidates", f"每个会话最多 {limit} 个远端 ICE 候选地址")


def parse_fragment(text: str, *, max_candidates: int = MAX_REMOTE_CANDIDATES) -> SdpFragment:
    """Parse a trickle-ice-sdpfrag; ``malformed`` on lines that are not SDP attributes we know.

    A candidate repeated (same transport, address, port) is kept once; more
    than ``max_candidates`` distinct ones is ``too_many_candidates`` (the
    service also caps them per session, offer and earlier PATCHes included).
    """
    if len(text) > MAX_FRAGMENT_BYTES:
        raise TooLarge("fragment_too_large", "SDP 片段过大")
    fragment = SdpFragment()
    mid: str | None = None
    seen: set[str] = set()
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("m="):
            mid = None
            continue
        if not line.startswith("a="):
            raise Malformed("malformed_fragment", "SDP 片段只能包含 m= 和 a= 行")
        name, _, value = line[2:].partition(":")
        if name == "ice-ufrag":
            fragment.ufrag = value
        elif name == "ice-pwd":
            fragment.pwd = value
        elif name == "mid":
            mid = value
        elif name == "candidate":
            if len(value.split()) < 8:
                raise Malformed("malformed_fragment", "candidate 行字段不足")
            key = candidate_key(value)
            if key in seen:  # the same address again (e.g. under another bundled m-line): nothing new
                continue
            seen.add(key)
            if len(seen) > max_candidates:
                raise too_many_candidates(max_candidates)
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
