"""The sans-I/O protocol core: frames in, events out, no sockets (standard 4.4.1 a, 5.1.3 d)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chat.buckets import TokenBucket
from chat.controls import RoomControls
from chat.frames import MuteIn, PinIn
from chat.protocol import ChatSession, Command, Extension, Hold, Publish, Reply, Report
from common.clock import ManualClock
from identity.principal import ANONYMOUS, Principal
from moderation.decision import Decision, Match
from tests.chat.app import BLOCKED_CATEGORY, BLOCKED_PHRASE, make_moderator

VIEWER = Principal(user_id="u1", role="viewer", name="小王")
HOST = Principal(user_id="h1", role="host", room="demo", name="主播")


START = 1_000.0  # the sessions' clock starts here: message ``ts`` 1_000_000 ms


class Scripted:
    """A moderator double for the actions the chat must handle (the real filter is tested in moderation/)."""

    def moderate(self, text: str, *, role: str = "viewer", context: str = "chat", org: str | None = None) -> Decision:
        if "mask" in text:
            return Decision("mask", ("pii",), text.replace("13800138000", "＊＊＊＊＊＊＊＊＊＊＊"), (Match("pii", 0, 1, "x"),), "已隐藏手机号")
        if "review" in text:
            return Decision("review", ("harassment",), text, (), "")
        return Decision("allow", (), text, (), "")


def session(principal: Principal = VIEWER, *, controls: RoomControls | None = None, clock: ManualClock | None = None,
            moderator: Any = None, extensions: frozenset[str] = frozenset()) -> ChatSession:
    return ChatSession("demo", principal, moderator=moderator or make_moderator(), controls=controls or RoomControls(),
                       extensions=extensions, clock=(clock or ManualClock(START)).now)


def chat(text: str, ref: str = "r1") -> str:
    return json.dumps({"type": "chat", "text": text, "ref": ref})


def test_allowed_message_is_published_with_user_and_ts() -> None:
    (event,) = session().receive(chat("请问要交服装费吗？"))
    assert isinstance(event, Publish) and event.ref == "r1"
    assert event.message == {"type": "chat", "user": {"id": "u1", "name": "小王", "role": "viewer"},
                             "text": "请问要交服装费吗？", "ts": 1_000_000}


@pytest.mark.clause("5.1.3 d")
def test_blocked_message_only_tells_the_sender() -> None:
    """5.1.3 d: harassment is blocked; only the sender learns why."""
    events = session().receive(chat(f"{BLOCKED_PHRASE} 详聊"))
    assert len(events) == 1 and isinstance(events[0], Reply)
    frame = events[0].frame
    assert frame["type"] == "moderation" and frame["action"] == "block" and frame["ref"] == "r1"
    assert frame["categories"] == [BLOCKED_CATEGORY] and frame["message"]


@pytest.mark.clause("4.4.1 c")
def test_masked_message_is_published_masked_and_sender_told() -> None:
    """4.4.1 c: personal data is masked before anyone else sees it."""
    publish, reply = session(moderator=Scripted()).receive(chat("mask 13800138000"))
    assert isinstance(publish, Publish) and "13800138000" not in publish.message["text"]
    assert isinstance(reply, Reply) and reply.frame["action"] == "mask"


@pytest.mark.clause("5.1.3 d")
def test_review_holds_the_original_for_moderators() -> None:
    hold, reply = session(moderator=Scripted()).receive(chat("review this"))
    assert isinstance(hold, Hold) and hold.item["id"].startswith("h") and hold.item["text"] == "review this"
    assert isinstance(reply, Reply) and reply.frame["action"] == "review"


@pytest.mark.clause("4.4.1 a")
def test_anonymous_viewers_read_only() -> None:
    (event,) = session(ANONYMOUS).receive(chat("hi"))
    assert isinstance(event, Reply) and event.frame["code"] == "auth_required" and event.frame["ref"] == "r1"


@pytest.mark.clause("4.4.1 a")
def test_rate_limit_twenty_per_thirty_seconds() -> None:
    clock = ManualClock(START)
    s = session(clock=clock)
    results = [s.receive(chat(f"m{i}"))[0] for i in range(21)]
    assert all(isinstance(e, Publish) for e in results[:20])
    last = results[20]
    assert isinstance(last, Reply) and last.frame["code"] == "rate_limited" and last.frame["retry_after"] > 0
    clock.advance(1.5)  # 20 tokens / 30 s refill one token every 1.5 s
    assert isinstance(s.receive(chat("again"))[0], Publish)


def test_token_bucket_refills_over_the_window() -> None:
    bucket = TokenBucket(updated=0.0)
    assert all(bucket.take(0.0) == 0 for _ in range(20))
    assert bucket.take(0.0) > 0
    assert bucket.take(30.0) == 0


def test_slow_mode_spaces_messages_but_not_moderators() -> None:
    clock, controls = ManualClock(START), RoomControls()
    controls.apply("slow_mode", "10")
    viewer = session(controls=controls, clock=clock)
    assert isinstance(viewer.receive(chat("one"))[0], Publish)
    refused = viewer.receive(chat("two"))[0]
    assert isinstance(refused, Reply) and refused.frame["code"] == "slow_mode"
    clock.advance(10)
    assert isinstance(viewer.receive(chat("three"))[0], Publish)
    host = session(HOST, controls=controls, clock=clock)
    assert all(isinstance(host.receive(chat(f"h{i}"))[0], Publish) for i in range(3))


def test_mute_expires_and_ban_holds() -> None:
    clock, controls = ManualClock(START), RoomControls()
    controls.apply("mute:u1", repr(clock.now() + 60))
    s = session(controls=controls, clock=clock)
    muted = s.receive(chat("x"))[0]
    assert isinstance(muted, Reply) and muted.frame["code"] == "muted"
    clock.advance(61)
    assert isinstance(s.receive(chat("y"))[0], Publish)
    controls.apply("ban:u1", "spam")
    banned = s.receive(chat("z"))[0]
    assert isinstance(banned, Reply) and banned.frame["code"] == "banned"
    controls.apply("ban:u1", None)
    assert isinstance(s.receive(chat("w"))[0], Publish)


@pytest.mark.clause("4.4.1 a")
def test_commands_need_a_moderator_of_this_room() -> None:
    mute = json.dumps({"type": "mute", "user_id": "u2", "duration": 60, "ref": "m"})
    refused = session(VIEWER).receive(mute)[0]
    assert isinstance(refused, Reply) and refused.frame["code"] == "forbidden" and refused.frame["ref"] == "m"
    other_host = Principal(user_id="h2", role="host", room="other")
    assert not session(other_host).is_moderator
    assert isinstance(session(other_host).receive(mute)[0], Reply)
    (command,) = session(HOST).receive(mute)
    assert isinstance(command, Command) and command.frame == MuteIn("u2", 60, "", "m")
    for role in ("admin", "reviewer"):  # platform staff (no organisation)
        assert session(Principal(user_id="x", role=role)).is_moderator  # type: ignore[arg-type]
    assert not session(Principal(user_id="x", role="recruiter")).is_moderator
    other_org_host = Principal(user_id="h3", role="host", org="acme")  # review H2: another org's host
    assert not session(other_org_host).is_moderator


@pytest.mark.clause("4.3.2", "5.1.3 d")
def test_pinned_announcements_are_moderated_too() -> None:
    refused = session(HOST).receive(json.dumps({"type": "pin", "text": f"{BLOCKED_PHRASE}领资料"}))
    assert isinstance(refused[0], Reply) and refused[0].frame["type"] == "moderation"
    (ok,) = session(HOST).receive(json.dumps({"type": "pin", "text": "今晚八点讲解仓储岗位"}))
    assert isinstance(ok, Command) and ok.frame == PinIn("今晚八点讲解仓储岗位")


def test_reports_and_extensions_become_events() -> None:
    (report,) = session().receive(json.dumps({"type": "report", "message_id": "m3", "reason": "骚扰"}))
    assert report == Report("m3", "骚扰", None)
    (ext,) = session(extensions=frozenset({"apply"})).receive(json.dumps({"type": "apply", "job_id": "j"}))
    assert isinstance(ext, Extension) and ext.frame.data["job_id"] == "j"


def report_frame(ref: str = "p1") -> str:
    return json.dumps({"type": "report", "message_id": "m3", "reason": "骚扰", "ref": ref})


def test_reports_pass_ban_and_mute_first() -> None:
    """Security review M3: a banned or muted user cannot flood the review queue with reports."""
    clock, controls = ManualClock(START), RoomControls()
    s = session(controls=controls, clock=clock)
    controls.apply("ban:u1", "spam")
    (banned,) = s.receive(report_frame("b"))
    assert isinstance(banned, Reply) and banned.frame["code"] == "banned" and banned.frame["ref"] == "b"
    controls.apply("ban:u1", None)
    controls.apply("mute:u1", repr(clock.now() + 30))
    (muted,) = s.receive(report_frame("m"))
    assert isinstance(muted, Reply) and muted.frame["code"] == "muted" and muted.frame["ref"] == "m"
    clock.advance(31)
    assert isinstance(s.receive(report_frame())[0], Report)


def test_reports_have_their_own_bucket_of_five_a_minute() -> None:
    clock, controls = ManualClock(START), RoomControls()
    s = session(controls=controls, clock=clock)
    assert all(isinstance(s.receive(report_frame(f"p{i}"))[0], Report) for i in range(5))
    (refused,) = s.receive(report_frame("p5"))
    assert isinstance(refused, Reply) and refused.frame["code"] == "rate_limited" and refused.frame["ref"] == "p5"
    assert 0 < refused.frame["retry_after"] <= 12 and "举报" in refused.frame["message"]
    assert isinstance(s.receive(chat("reports do not cost messages"))[0], Publish)
    other = session(Principal(user_id="u2", role="viewer"), controls=controls, clock=clock)
    assert isinstance(other.receive(report_frame())[0], Report)  # per user
    clock.advance(12)  # one report back every 12 s
    assert isinstance(s.receive(report_frame())[0], Report)
    assert isinstance(s.receive(report_frame())[0], Reply)


def test_chat_messages_do_not_spend_report_tokens() -> None:
    clock, controls = ManualClock(START), RoomControls()
    s = session(controls=controls, clock=clock)
    for i in range(20):
        assert isinstance(s.receive(chat(f"m{i}"))[0], Publish)
    assert isinstance(s.receive(chat("one too many"))[0], Reply)
    assert isinstance(s.receive(report_frame())[0], Report)


def test_held_messages_carry_the_senders_ref() -> None:
    hold, _ = session(moderator=Scripted()).receive(chat("review this", ref="x9"))
    assert isinstance(hold, Hold) and hold.ref == "x9"


def test_bad_input_keeps_state_and_counts_errors() -> None:
    s = session()
    for bad in ("{", b"\xc1", '{"type":"chat","text":[1]}', '{"type":"warp"}'):
        (event,) = s.receive(bad)
        assert isinstance(event, Reply) and event.frame["type"] == "error"
    assert s.counters.errors == 4
    assert isinstance(s.receive(chat("still here"))[0], Publish)


@settings(deadline=None, max_examples=200)
@given(st.lists(st.one_of(
    st.binary(max_size=64),
    st.text(max_size=64),
    st.builds(lambda t, text, ref: json.dumps({"type": t, "text": text, "ref": ref}),
              st.sampled_from(["chat", "pin", "report", "mute", "ping", "apply"]), st.text(max_size=40) | st.integers(),
              st.text(max_size=10)),
), max_size=30))
def test_fuzz_session_never_raises_and_answers_every_error_with_its_ref(frames: list[str | bytes]) -> None:
    s = session(HOST, moderator=Scripted(), extensions=frozenset({"apply"}))
    for data in frames:
        for event in s.receive(data):
            if isinstance(event, Reply) and event.frame["type"] == "error":
                assert event.frame["code"] and "ref" in event.frame
