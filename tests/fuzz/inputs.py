"""Hostile inputs from a seeded ``random.Random``: REST bodies, chat frames, SDP offers, ICE fragments.

Why one generator driven by ``random.Random``: the default suite hands it hypothesis' ``randoms()``
(replayable, bounded example counts), and ``scripts/fuzz`` hands it a seeded generator for a
campaign of a million inputs, where hypothesis' own generation would be the bottleneck. Inputs are
mutations of valid ones (so they reach past the first check) mixed with plain garbage.
"""

from __future__ import annotations

import json
import random
import string
from typing import Any

import msgpack

from tests.signaling.offers import OBS_OFFER

#: Field names the REST bodies use (openapi.json adds the rest at run time).
FIELDS = ("id", "ref", "room", "text", "name", "phone", "code", "org", "user", "password", "title", "kind",
          "status", "decision", "reason", "score", "comment", "confirm", "job_id", "slug", "visibility",
          "role", "terms", "term", "category", "layer", "salary_min", "salary_max", "headcount", "valid_from",
          "valid_until", "resume", "consent_to_share", "answer", "note", "file", "state", "action", "step")
#: Values that broke parsers elsewhere: huge and negative numbers, odd floats, unusable text.
NASTY: tuple[Any, ...] = (
    0, -1, 2**31, 2**63, 2**64, -(2**70), 1e308, -1e-308, 0.5, True, False, None, "", " ", "0", "-1", "null",
    "\x00", "\ud800", "a\u202eb", "💥" * 20, "x" * 70_000, "../../etc/passwd", "%00", "<script>", "' OR 1=1 --",
    "2026-13-45", "2026-12-05T00:00:00", "1970-01-01", "NaN", "Infinity", [], {}, [[[[]]]], {"a": {"b": {}}},
)
SDP_SEED = OBS_OFFER  # the WHIP campaign mutates an offer as OBS sends it
SIMULCAST_LINES = ("a=simulcast:send h;m;l", "a=rid:h send", "a=rid:m send", "a=rid:l send", "a=simulcast:send ~h,x;q",
                   "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
                   "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id", "a=extmap:99/sendonly x")
FRAGMENT_LINES = ("a=ice-ufrag:EsAw", "a=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1", "m=audio 9 RTP/AVP 0", "a=mid:0",
                  "a=candidate:1 1 udp 2130706431 192.0.2.1 50000 typ host", "a=end-of-candidates",
                  "a=candidate:2 1 tcp 1 ::1 9 typ host tcptype passive", "a=ice-options:trickle", "a=group:BUNDLE 0")
CHAT_TYPES = ("chat", "report", "escalate", "delete", "mute", "ban", "unban", "slow_mode", "pin", "unpin", "approve",
              "reject", "ping", "apply", "pin_job", "unpin_job", "nope", "")


class Inputs:
    """Every method returns one input; all randomness comes from ``rng``."""

    def __init__(self, rng: random.Random, fields: tuple[str, ...] = FIELDS) -> None:
        self.rng = rng
        self.fields = fields

    def text(self, limit: int = 40) -> str:
        r = self.rng
        pick = r.random()
        if pick < 0.5:
            return "".join(r.choice(string.printable) for _ in range(r.randint(0, limit)))
        if pick < 0.8:
            return "".join(chr(r.choice((r.randint(0, 0x7F), r.randint(0x80, 0xFFFF), r.randint(0x10000, 0x10FFFF))))
                           for _ in range(r.randint(0, limit)))
        value = r.choice(NASTY)
        return value if isinstance(value, str) else str(value)

    def value(self, depth: int = 0) -> Any:
        r = self.rng
        pick = r.random()
        if pick < 0.25:
            return r.choice(NASTY)
        if pick < 0.45:
            return self.text()
        if pick < 0.6:
            return r.choice((r.randint(-10, 10**6), r.getrandbits(r.randint(1, 80)) - 2**40, r.uniform(-1e9, 1e9)))
        if pick < 0.7 or depth > 3:
            return r.choice((True, False, None))
        if pick < 0.85:
            return [self.value(depth + 1) for _ in range(r.randint(0, 4))]
        return {self.key(): self.value(depth + 1) for _ in range(r.randint(0, 4))}

    def key(self) -> str:
        return self.rng.choice(self.fields) if self.rng.random() < 0.85 else self.text(12)

    def json_object(self) -> dict[str, Any]:
        return {self.key(): self.value() for _ in range(self.rng.randint(0, 8))}

    def body(self) -> tuple[bytes, str | None]:
        """A request body and its Content-Type (``None``: no header)."""
        r = self.rng
        pick = r.random()
        kind = r.choice(("application/json", "application/json", "application/json; charset=utf-8", "text/plain",
                         "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/sdp", None))
        if pick < 0.6:
            data = json.dumps(self.json_object(), ensure_ascii=r.random() < 0.5).encode("utf-8", "surrogatepass")
        elif pick < 0.75:
            data = json.dumps(self.value()).encode("utf-8", "surrogatepass")
        elif pick < 0.85:
            data = self.mutate_bytes(json.dumps(self.json_object()).encode("utf-8", "surrogatepass"))
        elif pick < 0.9:
            depth = r.randint(30, 40_000)
            data = ("[" * depth + "]" * depth).encode()
        else:
            data = r.randbytes(r.randint(0, 300))
        return data, kind

    def mutate_bytes(self, data: bytes) -> bytes:
        out = bytearray(data)
        for _ in range(self.rng.randint(1, 4)):
            if not out:
                break
            i = self.rng.randrange(len(out))
            op = self.rng.random()
            if op < 0.4:
                out[i] = self.rng.randrange(256)
            elif op < 0.7:
                del out[i: i + self.rng.randint(1, 8)]
            else:
                out[i:i] = self.rng.randbytes(self.rng.randint(1, 8))
        return bytes(out)

    def path_value(self, name: str, known: dict[str, list[str]]) -> str:
        options = known.get(name, [])
        if options and self.rng.random() < 0.7:
            return self.rng.choice(options)
        return self.text(24)

    def query(self) -> dict[str, str]:
        return {self.rng.choice(("limit", "offset", "since", "overdue", "status", "q", "room", "kind", self.text(8))):
                str(self.value()) for _ in range(self.rng.randint(0, 3))}

    def chat_frame(self) -> str | bytes:
        """A websocket message: a chat frame as JSON text or msgpack, mutated or garbage."""
        r = self.rng
        frame: dict[Any, Any] = {"type": r.choice(CHAT_TYPES)}
        for _ in range(r.randint(0, 4)):
            frame[r.choice(("text", "ref", "message_id", "user_id", "duration", "seconds", "id", "reason", "job_id",
                            "report_id", "category", "room"))] = self.value()
        if r.random() < 0.05:
            frame[r.choice((1, b"k", 2.5, None))] = 1  # non-string keys (msgpack only; JSON turns them to str)
        pick = r.random()
        if pick < 0.45:  # a text frame is UTF-8 on the wire: a lone surrogate can only come as a JSON escape
            return _sendable(json.dumps(frame, default=repr, ensure_ascii=r.random() < 0.5, skipkeys=True))
        if pick < 0.8:
            return bytes(msgpack.packb(frame, use_bin_type=r.random() < 0.8, default=repr, unicode_errors="surrogatepass"))
        if pick < 0.9:
            return self.mutate_bytes(bytes(msgpack.packb(frame, default=repr, unicode_errors="surrogatepass")))
        return r.randbytes(r.randint(0, 64)) if r.random() < 0.5 else _sendable(self.text(64))

    def sdp(self) -> str:
        lines = SDP_SEED.split("\r\n")
        r = self.rng
        if r.random() < 0.3:
            at = next(i for i, line in enumerate(lines) if line.startswith("m=video"))
            lines[at + 1:at + 1] = r.sample(SIMULCAST_LINES, r.randint(1, len(SIMULCAST_LINES)))
        for _ in range(r.randint(1, 6)):
            i = r.randrange(len(lines))
            op = r.random()
            if op < 0.2 and len(lines) > 1:
                del lines[i]
            elif op < 0.4:
                lines.insert(i, lines[i])
            elif op < 0.6:
                lines[i] = self.text(40)
            elif op < 0.8:
                lines[i] = lines[i][: r.randint(0, len(lines[i]))]
            else:
                lines[i] = lines[i].replace(r.choice((":", " ", "/", "=")), r.choice(("", "::", " ", "\x00", "9" * 30)), 1)
        return "\r\n".join(lines)

    def fragment(self) -> str:
        r = self.rng
        lines = [r.choice(FRAGMENT_LINES) for _ in range(r.randint(0, 12))]
        for i in range(len(lines)):
            if r.random() < 0.3:
                words = lines[i].split(" ")
                words[r.randrange(len(words))] = self.text(12)
                lines[i] = " ".join(words)
        if r.random() < 0.1:
            lines += [f"a=candidate:{n} 1 udp 1 10.0.{n // 256}.{n % 256} {n} typ host" for n in range(r.randint(1, 40))]
        return r.choice(("\r\n", "\n", "\r")).join(lines)


def _sendable(text: str) -> str | bytes:
    """``text`` when it is valid UTF-8, else its bytes (surrogates kept): a binary frame the server must refuse."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")
    return text
