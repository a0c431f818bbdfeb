"""The campaign's generators (tests/fuzz/inputs.py) against each parser, with bounded example counts.

Chat frames in JSON and msgpack (mutated, with non-string keys and binary junk) through a real
``ChatSession`` with the real filter; WHIP offers with simulcast lines through ``prepare_offer``;
trickle fragments through ``parse_fragment``. Each either parses or refuses with the project's
own error, never anything else.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chat.controls import RoomControls
from chat.frames import MAX_FRAME_BYTES, decode_client, parse_client
from chat.protocol import ChatSession, Reply
from common.errors import LivehireError
from identity.principal import Principal
from signaling.icefrag import MAX_REMOTE_CANDIDATES, parse_fragment
from signaling.sdp import prepare_offer
from tests.chat.app import make_moderator
from tests.fuzz.inputs import Inputs

pytestmark = pytest.mark.clause("4.4.1 a")

HOST = Principal(user_id="h1", role="host", room="demo", name="主播")
MODERATOR = make_moderator()
EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.randoms(use_true_random=False), st.booleans())
def test_chat_frames_json_and_msgpack_answer_every_error_with_a_frame(rng: random.Random, host: bool) -> None:
    principal = HOST if host else Principal(user_id="u1", role="viewer", name="小王")
    session = ChatSession("demo", principal, moderator=MODERATOR, controls=RoomControls(),
                          extensions=frozenset({"apply", "pin_job"}))
    inputs = Inputs(rng)
    for _ in range(20):
        data = inputs.chat_frame()
        for event in session.receive(data):
            if isinstance(event, Reply) and event.frame["type"] == "error":
                assert event.frame["code"] and event.frame["message"] and "ref" in event.frame
    assert session.counters.received == 20


@EXAMPLES
@given(st.randoms(use_true_random=False))
def test_msgpack_frames_decode_to_string_keyed_objects_or_refuse(rng: random.Random) -> None:
    inputs = Inputs(rng)
    data = inputs.chat_frame()
    try:
        raw = decode_client(data)
    except LivehireError as exc:
        assert exc.code in ("bad_json", "bad_msgpack", "bad_frame", "too_large", "invalid_text")
        return
    assert isinstance(raw, dict) and len(data) <= MAX_FRAME_BYTES
    assert all(isinstance(key, str) for key in raw)  # msgpack maps with bytes keys are refused (bad_frame)
    try:
        parse_client(raw, frozenset({"apply"}))
    except LivehireError as exc:
        assert exc.kind == "malformed"


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.randoms(use_true_random=False), st.sampled_from(["publish", "view"]))
def test_mutated_offers_with_simulcast_prepare_or_refuse(rng: random.Random, role: str) -> None:
    try:
        prepared = prepare_offer(Inputs(rng).sdp(), role)  # type: ignore[arg-type]
    except LivehireError as exc:
        assert exc.kind in ("malformed", "invalid", "too_large"), exc
        return
    assert prepared.sdp.startswith("v=0") and prepared.kinds


@EXAMPLES
@given(st.randoms(use_true_random=False))
def test_trickle_fragments_parse_or_refuse_and_keep_the_candidate_cap(rng: random.Random) -> None:
    try:
        fragment = parse_fragment(Inputs(rng).fragment())
    except LivehireError as exc:
        assert exc.code in ("malformed_fragment", "too_many_candidates", "fragment_too_large")
        return
    assert len(fragment.candidates) <= MAX_REMOTE_CANDIDATES
    assert all(len(value.split()) >= 8 for _, value in fragment.candidates)
