"""Chat frames: the wire vocabulary, its limits, and the one place that encodes and parses it.

Theory of operation: a client frame (JSON text or msgpack binary) is parsed into a
frozen, typed ``ClientFrame`` or rejected with a :class:`FrameError` that carries
the error ``code`` and the client's ``ref``, so the protocol core never sees an
unchecked dict. Server frames are plain mappings encoded *once* per message into
ready-made websocket frames (:func:`ws_frame`) that the fan-out writes verbatim to
every transport (ARCHITECTURE.md §2 "Chat frames"; standard 4.4.1 a: input limits).
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import msgpack

from common.clean_text import INVALID_TEXT_MESSAGE, find_unusable, unusable
from common.errors import Malformed
from common.frames import error_frame_of
from moderation.decision import CATEGORIES

# Close codes. Like Centrifugo: 4000-4499 tell the client to reconnect, 4500+ not to.
CLOSE_SHUTDOWN: Final = 4000  # node going away: reconnect (with since=<seq>)
CLOSE_SLOW_CONSUMER: Final = 4001  # outbox overflowed: reconnect and recover
CLOSE_RESYNC: Final = 4002  # this node lost the room's stream (history lost or trimmed): reconnect, recover or reload
CLOSE_ROOM_GONE: Final = 4500  # the room no longer exists: do not reconnect
CLOSE_FORBIDDEN: Final = 4503  # the token is no longer valid here: do not reconnect


def should_reconnect(code: int) -> bool:
    """The contract of the close-code ranges, for clients and tests."""
    return code < 4500 if code >= 4000 else code in (1001, 1006, 1011, 1012, 1013)


MAX_FRAME_BYTES: Final = 8 * 1024  # larger frames get an error frame (the socket stays open)
MAX_TEXT_CHARS: Final = 500  # Twitch's limit per chat message
MAX_REASON_CHARS: Final = 200
MAX_MUTE_SECONDS: Final = 14 * 24 * 3600
MAX_SLOW_MODE_SECONDS: Final = 3600
MAX_REF_CHARS: Final = 64

OP_TEXT: Final = 0x1
OP_BINARY: Final = 0x2


class FrameError(Malformed):
    """A client frame we refuse; becomes an ``error`` frame with the client's ``ref``, never a closed socket."""

    def __init__(self, code: str, message: str, ref: str | None = None) -> None:
        super().__init__(code, message)
        self.ref = ref

    def frame(self) -> dict[str, Any]:
        return error_frame_of(self, self.ref)


# ---- client → server -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChatIn:
    text: str
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class ReportIn:
    message_id: str
    reason: str
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class EscalateIn:
    """The reporter sends a report of theirs still waiting in the room's queue to the platform (4.4.1 e)."""

    report_id: str
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class DeleteIn:
    message_id: str
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class MuteIn:
    """A timeout: ``duration`` seconds without chatting; 0 lifts it."""

    user_id: str
    duration: int
    reason: str = ""
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class BanIn:
    user_id: str
    reason: str = ""
    lift: bool = False  # ``unban`` parses to BanIn(lift=True)
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class SlowModeIn:
    seconds: int
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class PinIn:
    """A pinned announcement; ``text=None`` (or ``unpin``) removes it."""

    text: str | None
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class ReviewIn:
    """Approve or reject a held message (also available over REST)."""

    held_id: str
    approve: bool
    ref: str | None = None
    category: str | None = None  # a rejection's: which rule the message broke (the filter's, when not given)


@dataclass(frozen=True, slots=True)
class ExtensionIn:
    """A frame type registered by another area (``apply``, ``pin_job``...)."""

    type: str
    data: dict[str, Any]
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class PingIn:
    ref: str | None = None


ClientFrame = ChatIn | ReportIn | EscalateIn | DeleteIn | MuteIn | BanIn | SlowModeIn | PinIn | ReviewIn | ExtensionIn | PingIn
COMMAND_TYPES: Final = frozenset({"delete", "mute", "ban", "unban", "slow_mode", "pin", "unpin", "approve", "reject"})
BUILTIN_TYPES: Final = COMMAND_TYPES | {"chat", "report", "escalate", "ping"}


#: ``json.loads`` without its per-call type checks and default-decoder look-up (a text frame is
#: always ``str``); the same values and the same ``ValueError``\ s.
_DECODE: Final = json.JSONDecoder().decode


def decode_client(data: str | bytes) -> dict[str, Any]:
    """Text frames are JSON, binary frames msgpack (whatever format the socket asked for)."""
    if len(data) > MAX_FRAME_BYTES:
        raise FrameError("too_large", f"帧超过 {MAX_FRAME_BYTES} 字节上限")
    try:
        value = _DECODE(data) if isinstance(data, str) else msgpack.unpackb(data, raw=False, strict_map_key=True)
    except (ValueError, msgpack.UnpackException, TypeError, RecursionError) as exc:
        raise FrameError("bad_json" if isinstance(data, str) else "bad_msgpack", "无法解析的帧") from exc
    if not isinstance(value, dict):
        raise FrameError("bad_frame", "帧必须是对象")
    if not isinstance(data, str) and not all(type(name) is str for name in value):  # msgpack maps may have bytes keys
        raise FrameError("bad_frame", "帧的字段名必须是字符串")
    # NUL and lone surrogates come only from a JSON escape (UTF-8 text and msgpack strings cannot carry a
    # lone surrogate; a raw NUL is not valid JSON); msgpack strings may hold NUL (common.clean_text)
    if (not isinstance(data, str) or "\\u" in data) and find_unusable(value) is not None:
        ref = value.get("ref")
        raise FrameError("invalid_text", INVALID_TEXT_MESSAGE, ref if isinstance(ref, str) and not unusable(ref) else None)
    return value


def parse_client(raw: Mapping[str, Any], extensions: frozenset[str] = frozenset()) -> ClientFrame:
    """A typed frame, or :class:`FrameError` naming the field at fault (and the ``ref``)."""
    ref_value = raw.get("ref")
    ref = ref_value if isinstance(ref_value, str) and len(ref_value) <= MAX_REF_CHARS else None
    if ref_value is not None and ref is None:
        raise FrameError("bad_field", f"ref 必须是不超过 {MAX_REF_CHARS} 个字符的字符串")
    kind = raw.get("type")
    if not isinstance(kind, str):
        raise FrameError("bad_frame", "缺少 type 字段", ref)
    if kind in extensions and kind not in BUILTIN_TYPES:  # the hot path (``apply``) first
        return ExtensionIn(kind, dict(raw), ref)
    if kind == "chat":
        text = _string(raw, "text", ref, limit=MAX_TEXT_CHARS, code="too_long")
        if not text.strip():
            raise FrameError("empty", "消息不能为空", ref)
        return ChatIn(text, ref)
    if kind == "report":
        return ReportIn(_string(raw, "message_id", ref, limit=64), _string(raw, "reason", ref, limit=MAX_REASON_CHARS, default=""), ref)
    if kind == "escalate":
        return EscalateIn(_string(raw, "report_id", ref, limit=64), ref)
    if kind == "delete":
        return DeleteIn(_string(raw, "message_id", ref, limit=64), ref)
    if kind == "mute":
        duration = _integer(raw, "duration", ref, 0, MAX_MUTE_SECONDS, default=600)
        return MuteIn(_string(raw, "user_id", ref, limit=128), duration, _string(raw, "reason", ref, limit=MAX_REASON_CHARS, default=""), ref)
    if kind in ("ban", "unban"):
        reason = _string(raw, "reason", ref, limit=MAX_REASON_CHARS, default="")
        return BanIn(_string(raw, "user_id", ref, limit=128), reason, kind == "unban", ref)
    if kind == "slow_mode":
        return SlowModeIn(_integer(raw, "seconds", ref, 0, MAX_SLOW_MODE_SECONDS), ref)
    if kind == "pin":
        return PinIn(None if raw.get("text") is None else _string(raw, "text", ref, limit=MAX_TEXT_CHARS, code="too_long"), ref)
    if kind == "unpin":
        return PinIn(None, ref)
    if kind in ("approve", "reject"):
        category = raw.get("category")
        if category is not None and category not in CATEGORIES:
            raise FrameError("bad_field", f"category 须为 {'、'.join(CATEGORIES)} 之一", ref)
        return ReviewIn(_string(raw, "id", ref, limit=64), kind == "approve", ref, category)
    if kind == "ping":
        return PingIn(ref)
    if kind in extensions:
        return ExtensionIn(kind, dict(raw), ref)
    raise FrameError("unknown_type", f"未知的帧类型 {kind[:32]!r}", ref)


def _string(raw: Mapping[str, Any], key: str, ref: str | None, *, limit: int, code: str = "bad_field", default: str | None = None) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str):
        raise FrameError("bad_field", f"{key} 必须是字符串", ref)
    if len(value) > limit:
        raise FrameError(code, f"{key} 超过 {limit} 个字符", ref)
    return value


def _integer(raw: Mapping[str, Any], key: str, ref: str | None, low: int, high: int, default: int | None = None) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise FrameError("bad_field", f"{key} 必须是 {low} 到 {high} 之间的整数", ref)
    return value


# ---- server → client -------------------------------------------------------------------


def deleted_frame(message_id: str) -> dict[str, Any]:
    """Tells a room's clients to drop one message (a moderator's delete, an upheld report, an erasure)."""
    return {"type": "deleted", "id": message_id}


def unpinned_frame() -> dict[str, Any]:
    """Tells a room's clients its pinned announcement is gone (an unpin, an erasure)."""
    return {"type": "pinned", "announcement": None}


def erased_frame(item: dict[str, Any]) -> dict[str, Any]:
    """For moderators: a review-queue item left the queue because its person's data was erased (§47)."""
    return {"type": "held_resolved", "id": item.get("id"), "kind": item.get("kind"), "approved": False, "outcome": "erased"}


def _compact_encoder() -> Callable[[Any], str]:
    """``JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode``, the same text, set up once.

    ``json.dumps`` with keyword arguments builds a new encoder object per call, and even a kept
    ``JSONEncoder.encode`` builds a new C encoder per call, a large share of encoding a small frame
    such as ``apply_result`` (figures: docs/measurements/2026-11-29-apply-rounds.md, "JSON encoders
    built once").
    No circular-reference check: server frames are the server's own data, without cycles.
    """
    base = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator: the standard path
        return base.encode
    iterencode = make(None, base.default, json.encoder.encode_basestring, None, ":", ",", False, False, True)

    def encode(frame: Any) -> str:
        return "".join(iterencode(frame, 0))

    return encode


_ENCODE: Final = _compact_encoder()


def dumps(frame: Mapping[str, Any]) -> bytes:
    """Compact UTF-8 JSON: never contains a raw newline, so frames also log as one line."""
    return _ENCODE(frame).encode()


def packs(frame: Mapping[str, Any]) -> bytes:
    packed: bytes = msgpack.packb(frame, use_bin_type=True)
    return packed


def ws_frame(payload: bytes, opcode: int) -> bytes:
    """One complete, unmasked, uncompressed server websocket frame (RFC 6455 §5.2)."""
    length = len(payload)
    first = 0x80 | opcode
    if length < 126:
        return bytes((first, length)) + payload
    if length < 65536:
        return struct.pack("!BBH", first, 126, length) + payload
    return struct.pack("!BBQ", first, 127, length) + payload


class Encoded:
    """A server frame encoded once, in each wire format only when some client needs it."""

    __slots__ = ("_binary", "_text", "frame")

    def __init__(self, frame: Mapping[str, Any], *, json_bytes: bytes | None = None) -> None:
        self.frame = frame
        self._text: bytes | None = None if json_bytes is None else ws_frame(json_bytes, OP_TEXT)
        self._binary: bytes | None = None

    @property
    def text(self) -> bytes:
        if self._text is None:
            self._text = ws_frame(dumps(self.frame), OP_TEXT)
        return self._text

    @property
    def binary(self) -> bytes:
        if self._binary is None:
            self._binary = ws_frame(packs(self.frame), OP_BINARY)
        return self._binary

    def wire(self, binary: bool) -> bytes:
        return self.binary if binary else self.text
