"""Client frame parsing and server frame encoding, without sockets (standard 4.4.1 a: input limits)."""

from __future__ import annotations

import contextlib
import json

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from websockets.frames import Frame, Opcode
from websockets.streams import StreamReader

from chat.frames import (
    MAX_FRAME_BYTES,
    MAX_TEXT_CHARS,
    OP_BINARY,
    OP_TEXT,
    BanIn,
    ChatIn,
    Encoded,
    EscalateIn,
    ExtensionIn,
    FrameError,
    MuteIn,
    PingIn,
    PinIn,
    ReviewIn,
    SlowModeIn,
    decode_client,
    dumps,
    parse_client,
    should_reconnect,
    ws_frame,
)
from common.clean_text import find_unusable


def parse_wire(data: bytes) -> list[Frame]:
    """Parse server→client frames with python-websockets' own (independent) parser."""
    reader = StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    frames = []
    while reader.buffer:
        parser = Frame.parse(reader.read_exact, mask=False)
        try:
            next(parser)
        except StopIteration as done:
            frames.append(done.value)
        else:
            pytest.fail("incomplete frame")
    return frames


def test_chat_frame_parses() -> None:
    assert parse_client(decode_client('{"type":"chat","text":"你好","ref":"a1"}')) == ChatIn("你好", "a1")


def test_msgpack_frame_parses_like_json() -> None:
    raw = msgpack.packb({"type": "chat", "text": "hi", "ref": "x"})
    assert parse_client(decode_client(raw)) == ChatIn("hi", "x")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("not json", "bad_json"),
        ("[1,2]", "bad_frame"),
        ('{"text":"x"}', "bad_frame"),
        ('{"type":"nope","ref":"r"}', "unknown_type"),
        ('{"type":"chat","text":5,"ref":"r"}', "bad_field"),
        ('{"type":"chat","text":"   ","ref":"r"}', "empty"),
        (json.dumps({"type": "chat", "text": "x" * (MAX_TEXT_CHARS + 1), "ref": "r"}), "too_long"),
        ('{"type":"mute","user_id":"u","duration":-1,"ref":"r"}', "bad_field"),
        ('{"type":"mute","user_id":"u","duration":true,"ref":"r"}', "bad_field"),
        ('{"type":"slow_mode","seconds":"10","ref":"r"}', "bad_field"),
        ('{"type":"chat","text":"x","ref":5}', "bad_field"),
    ],
)
@pytest.mark.clause("4.4.1 a")
def test_bad_frames_name_the_problem(raw: str, code: str) -> None:
    with pytest.raises(FrameError) as caught:
        parse_client(decode_client(raw))
    assert caught.value.code == code
    if '"ref":"r"' in raw:
        assert caught.value.ref == "r"


@pytest.mark.clause("4.4.1 a")
def test_oversized_frame_is_refused_before_parsing() -> None:
    with pytest.raises(FrameError) as caught:
        decode_client("x" * (MAX_FRAME_BYTES + 1))
    assert caught.value.code == "too_large"


def test_commands_parse() -> None:
    assert parse_client({"type": "mute", "user_id": "u", "duration": 60}) == MuteIn("u", 60)
    assert parse_client({"type": "unban", "user_id": "u"}) == BanIn("u", lift=True)
    assert parse_client({"type": "slow_mode", "seconds": 5}) == SlowModeIn(5)
    assert parse_client({"type": "pin", "text": "公告"}) == PinIn("公告")
    assert parse_client({"type": "unpin"}) == PinIn(None)
    assert parse_client({"type": "approve", "id": "h1"}) == ReviewIn("h1", True)
    assert parse_client({"type": "escalate", "report_id": "r1", "ref": "e"}) == EscalateIn("r1", "e")
    with pytest.raises(FrameError):
        parse_client({"type": "escalate"})


def test_extension_types_only_when_registered() -> None:
    with pytest.raises(FrameError):
        parse_client({"type": "apply", "job_id": "j1"})
    parsed = parse_client({"type": "apply", "job_id": "j1", "ref": "q"}, frozenset({"apply"}))
    assert parsed == ExtensionIn("apply", {"type": "apply", "job_id": "j1", "ref": "q"}, "q")


def test_an_extension_cannot_take_over_a_builtin_frame_type() -> None:
    """Extensions are looked up first (the apply hot path), but built-in names still win."""
    every = frozenset({"chat", "ping", "ban", "apply"})
    assert parse_client({"type": "chat", "text": "hi"}, every) == ChatIn("hi")
    assert parse_client({"type": "ping", "ref": "p"}, every) == PingIn("p")
    with pytest.raises(FrameError) as refused:
        parse_client({"type": "ban", "ref": "b"}, every)  # still validated as a ban: user_id missing
    assert refused.value.code == "bad_field" and refused.value.ref == "b"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
frame_dicts = st.fixed_dictionaries(
    {"type": st.sampled_from(["chat", "report", "delete", "mute", "ban", "unban", "slow_mode", "pin", "approve", "x"])},
    optional={k: json_values for k in ("text", "ref", "message_id", "user_id", "duration", "seconds", "id", "reason")},
)


@settings(deadline=None)
@given(frame_dicts)
def test_fuzz_parse_never_raises_anything_but_frame_error(raw: dict[str, object]) -> None:
    try:
        parse_client(decode_client(json.dumps(raw)))
    except FrameError as exc:
        assert exc.frame()["type"] == "error" and exc.code


@settings(deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200))
def test_fuzz_garbage_is_a_frame_error(data: bytes | str) -> None:
    with contextlib.suppress(FrameError):
        parse_client(decode_client(data))


@settings(deadline=None)
@given(st.binary(max_size=70_000), st.sampled_from([OP_TEXT, OP_BINARY]))
def test_ws_frame_is_valid_rfc6455(payload: bytes, opcode: int) -> None:
    (frame,) = parse_wire(ws_frame(payload, opcode))
    assert frame.fin and frame.data == payload
    assert frame.opcode == (Opcode.TEXT if opcode == OP_TEXT else Opcode.BINARY)
    assert not (frame.rsv1 or frame.rsv2 or frame.rsv3)


@settings(deadline=None)
@given(st.lists(st.dictionaries(st.text(max_size=8), st.text(max_size=300), max_size=3), min_size=1, max_size=8))
def test_concatenated_batches_parse_back_to_the_same_frames(frames: list[dict[str, str]]) -> None:
    encoded = [Encoded({"type": "chat", **f}) for f in frames]
    text = parse_wire(b"".join(e.text for e in encoded))
    binary = parse_wire(b"".join(e.binary for e in encoded))
    assert [json.loads(bytes(f.data)) for f in text] == [e.frame for e in encoded]
    assert [msgpack.unpackb(f.data) for f in binary] == [e.frame for e in encoded]


def test_close_code_ranges() -> None:
    assert should_reconnect(4000) and should_reconnect(4001) and should_reconnect(4499)
    assert not should_reconnect(4500) and not should_reconnect(4503)
    assert should_reconnect(1001) and not should_reconnect(1008)


server_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(deadline=None, max_examples=300)
@given(st.dictionaries(st.text(max_size=8), server_values, max_size=6))
def test_dumps_writes_exactly_the_standard_compact_json(frame: dict[str, object]) -> None:
    """ARCHITECTURE.md §2: compact UTF-8 JSON; the kept C encoder must not change a byte of it."""
    standard = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode(frame).encode()
    assert dumps(frame) == standard and b"\n" not in dumps(frame)


@settings(deadline=None, max_examples=300)
@given(st.text(max_size=60) | st.dictionaries(st.text(max_size=8), server_values, max_size=4).map(json.dumps))
def test_text_frames_decode_as_json_loads_does(text: str) -> None:
    """The kept decoder accepts and refuses the same texts as ``json.loads`` (refusals: ``bad_json``), and
    refuses an object holding NUL or a lone surrogate anywhere (``invalid_text``: common.clean_text)."""
    try:
        expected = json.loads(text)
    except ValueError:
        with pytest.raises(FrameError) as refused:
            decode_client(text)
        assert refused.value.code == "bad_json"
        return
    if isinstance(expected, dict) and find_unusable(expected) is not None:
        with pytest.raises(FrameError) as refused:
            decode_client(text)
        assert refused.value.code == "invalid_text"
    elif isinstance(expected, dict):
        assert json.dumps(decode_client(text)) == json.dumps(expected)  # (NaN inside compares unequal to itself)
    else:
        with pytest.raises(FrameError, match="帧必须是对象"):
            decode_client(text)
