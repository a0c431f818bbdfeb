"""The WHIP/WHEP session rules without sockets: SessionRules on a ManualClock, one test per rule, then a fuzz."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.clock import ManualClock
from common.errors import LivehireError
from common.http import http_status
from signaling.admission import Admission
from signaling.decisions import (
    ADMIT,
    PULL,
    SERVE,
    Close,
    Kind,
    LiveChanged,
    Output,
    Restart,
    RoomDropped,
    TakeOver,
    Trickle,
    ViewersChanged,
)
from signaling.rules import SessionRules, SessionState

STALE = 3.0
FRAG = "a=ice-ufrag:{u}\r\na=ice-pwd:{p}\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n"
CANDIDATE = "a=candidate:{i} 1 udp 2130706431 192.0.2.{i} 50000 typ host\r\n"


def make(max_sessions: int = 1000, **admission: int) -> tuple[SessionRules, ManualClock]:
    clock = ManualClock()
    shares = Admission(max_sessions=max_sessions, clock=clock.monotonic, **admission)
    return SessionRules(admission=shares, clock=clock, publisher_stale_after=STALE), clock


def refused(error: pytest.ExceptionInfo[LivehireError], status: int, code: str) -> dict[str, str]:
    """The refusal as the HTTP adapter will render it (common.http): status, code and headers."""
    got, headers = http_status(error.value)
    assert (got, error.value.code) == (status, code), error.value.message
    return headers


def live_host(rules: SessionRules, room: str = "demo") -> SessionState:
    """A host that connected and sends media now."""
    assert rules.offer_publish(room) is ADMIT
    host = rules.open(room, "whip", None, ufrag="u1")
    assert rules.peer_state(host.id, "connected") == [LiveChanged(room, True, host=True)]
    rules.media_seen(room, rules.clock.monotonic())
    return host


# -- one publisher per room -------------------------------------------------------------------------


def test_a_fresh_host_holds_the_room_409_with_retry_after() -> None:
    rules, clock = make()
    host = live_host(rules)
    clock.advance(STALE - 0.1)
    with pytest.raises(LivehireError) as error:
        rules.offer_publish("demo")
    assert refused(error, 409, "already_live")["Retry-After"] == "3"
    assert rules.publisher("demo") is host and not host.closing
    assert rules.offer_publish("other") is ADMIT  # one publisher per room, not per node


def test_a_host_silent_for_publisher_stale_after_is_taken_over() -> None:
    rules, clock = make()
    host = live_host(rules)
    clock.advance(STALE)
    decision = rules.offer_publish("demo")
    assert decision == TakeOver(host.id) and host.closing
    assert rules.closed(host.id) == [LiveChanged("demo", False, host=True), RoomDropped("demo")]
    new = rules.open("demo", "whip", None)
    assert rules.publisher("demo") is new
    assert rules.peer_state(new.id, "connected") == [LiveChanged("demo", True, host=True)]


def test_media_keeps_a_host_fresh_however_old_its_session() -> None:
    rules, clock = make()
    live_host(rules)
    for _ in range(5):
        clock.advance(STALE - 1)
        rules.media_seen("demo", clock.monotonic() - 0.5)
        with pytest.raises(LivehireError):
            rules.offer_publish("demo")


def test_a_host_that_never_connects_holds_the_room_only_while_fresh() -> None:
    rules, clock = make()
    host = rules.open("demo", "whip", None)
    clock.advance(STALE - 0.5)
    with pytest.raises(LivehireError) as error:
        rules.offer_publish("demo")
    refused(error, 409, "already_live")
    clock.advance(0.5)
    assert rules.offer_publish("demo") == TakeOver(host.id)


def test_a_relay_gives_way_to_a_host_at_once_and_a_closing_host_is_no_obstacle() -> None:
    rules, _ = make()
    relay = rules.open("demo", "relay", None)
    assert rules.peer_state(relay.id, "connected") == [LiveChanged("demo", True, host=False)]
    rules.media_seen("demo", rules.clock.monotonic())
    assert rules.offer_publish("demo") == TakeOver(relay.id)
    rules, _ = make()
    host = live_host(rules)
    rules.peer_state(host.id, "failed")  # its peer is closing: the room is free
    assert rules.offer_publish("demo") is ADMIT


def test_open_never_makes_two_publishers() -> None:
    """Two offers racing past offer_publish (the first one awaits its take-over): the second is refused."""
    rules, _ = make()
    rules.open("demo", "whip", None)
    with pytest.raises(LivehireError) as error:
        rules.open("demo", "whip", None)
    refused(error, 409, "already_live")
    with pytest.raises(LivehireError):
        rules.open("demo", "relay", None)


def test_a_take_over_whose_old_peer_closes_late_keeps_the_new_publisher() -> None:
    rules, clock = make()
    host = live_host(rules)
    clock.advance(STALE)
    assert rules.offer_publish("demo") == TakeOver(host.id)
    new = rules.open("demo", "whip", None)  # the old peer was already closing: its close returned at once
    assert rules.closed(host.id) == []  # no longer the publisher: no idle blip
    assert rules.publisher("demo") is new and rules.live_rooms() == ["demo"]


def test_a_room_lasts_until_its_replaced_publisher_has_closed_too() -> None:
    """Found by the fuzz below: a failed host replaced, the new one gone first, the old one closing last."""
    rules, _ = make()
    old = rules.open("demo", "whip", None)
    rules.peer_state(old.id, "failed")
    new = rules.open("demo", "whip", None)
    assert rules.closed(new.id) == []
    assert rules.room("demo") is not None and rules.publisher("demo") is None
    assert rules.closed(old.id) == [RoomDropped("demo")]


# -- viewers, relay versus local ------------------------------------------------------------------


def test_viewers_need_a_publisher_with_media_else_409_or_a_pull() -> None:
    rules, _ = make()
    with pytest.raises(LivehireError) as error:
        rules.offer_view("demo", "10.0.0.1", relayed=False, has_media=False, can_pull=False)
    assert refused(error, 409, "not_live")["Retry-After"] == "5"
    assert rules.offer_view("demo", "10.0.0.1", relayed=False, has_media=False, can_pull=True) is PULL
    with pytest.raises(LivehireError):  # a relay asking here is never relayed on (no chains)
        rules.offer_view("demo", None, relayed=True, has_media=False, can_pull=True)
    live_host(rules)
    assert rules.offer_view("demo", "10.0.0.1", relayed=False, has_media=True, can_pull=True) is SERVE
    with pytest.raises(LivehireError):  # a publisher whose codecs are not known yet has nothing to show
        rules.offer_view("demo", "10.0.0.1", relayed=False, has_media=False, can_pull=False)


def test_a_relayed_room_is_not_served_to_another_relay() -> None:
    rules, _ = make()
    rules.open("demo", "relay", None)
    assert rules.offer_view("demo", "10.0.0.1", relayed=False, has_media=True, can_pull=True) is SERVE
    with pytest.raises(LivehireError) as error:
        rules.offer_view("demo", None, relayed=True, has_media=True, can_pull=False)
    refused(error, 409, "not_live")


def test_connected_viewers_are_counted_and_an_empty_room_is_dropped() -> None:
    rules, _ = make()
    host = live_host(rules)
    viewer = rules.open("demo", "whep", "10.0.0.1")
    assert rules.connected_viewers("demo") == 0  # pending viewers are not an audience
    assert rules.peer_state(viewer.id, "connected") == [ViewersChanged("demo", 1)]
    assert rules.closed(host.id) == [LiveChanged("demo", False, host=True)]
    assert rules.room("demo") is not None  # viewers stay for the host's return
    assert rules.closed(viewer.id) == [ViewersChanged("demo", 0), RoomDropped("demo")]
    assert rules.rooms() == [] and rules.admission.total() == 0


# -- capacity --------------------------------------------------------------------------------------


def test_a_full_node_is_503_a_client_over_its_share_429_and_shutdown_503() -> None:
    rules, _ = make(max_sessions=1)
    rules.open("demo", "whip", None)
    with pytest.raises(LivehireError) as error:
        rules.open("other", "whip", None)
    assert refused(error, 503, "overloaded")["Retry-After"] == "10"
    rules, _ = make(per_client_room=1)
    live_host(rules)
    rules.open("demo", "whep", "10.0.0.1")
    with pytest.raises(LivehireError) as error:
        rules.offer_view("demo", "10.0.0.1", relayed=False, has_media=True, can_pull=False)
    refused(error, 429, "too_many_sessions")
    assert rules.shut_down() == rules.session_ids()
    with pytest.raises(LivehireError) as error:
        rules.open("other", "whip", None)
    refused(error, 503, "overloaded")


def test_access_answers_become_404_and_401() -> None:
    SessionRules.check_access("ok", "demo")
    with pytest.raises(LivehireError) as error:
        SessionRules.check_access("unknown_room", "nope")
    refused(error, 404, "unknown_room")
    with pytest.raises(LivehireError) as error:
        SessionRules.check_access("unauthorized", "demo")
    assert refused(error, 401, "unauthorized")["WWW-Authenticate"].startswith("Bearer")


# -- PATCH and DELETE ------------------------------------------------------------------------------


def test_patch_preconditions_428_412_then_trickle_and_restart_with_a_new_etag() -> None:
    rules, _ = make()
    host = rules.open("demo", "whip", None, ufrag="u1", candidates=frozenset({"udp 192.0.2.9 1"}))
    trickle = FRAG.format(u="u1", p="p1") + CANDIDATE.format(i=1)
    with pytest.raises(LivehireError) as error:
        rules.patch("whip", "demo", host.id, None, trickle)
    refused(error, 428, "if_match_required")
    with pytest.raises(LivehireError) as error:
        rules.patch("whip", "demo", host.id, '"stale"', trickle)
    refused(error, 412, "etag_mismatch")
    decision = rules.patch("whip", "demo", host.id, host.etag, trickle)
    assert isinstance(decision, Trickle) and decision.etag == host.etag and len(decision.candidates) == 1
    old = host.etag
    decision = rules.patch("whip", "demo", host.id, old, FRAG.format(u="u2", p="p2"))  # new ufrag: restart
    assert decision == Restart(host.id, (), "u2", "p2")
    etag = rules.restarted(host.id, "u2")
    assert etag != old and host.etag == etag and host.remote_ufrag == "u2"
    with pytest.raises(LivehireError) as error:
        rules.patch("whip", "demo", host.id, old, trickle)
    refused(error, 412, "etag_mismatch")
    assert isinstance(rules.patch("whip", "demo", host.id, "*", FRAG.format(u="u2", p="p2")), Restart)


def test_refused_patches_change_nothing() -> None:
    rules, _ = make()
    host = rules.open("demo", "whip", None, ufrag="u1")
    with pytest.raises(LivehireError) as error:
        rules.patch("whip", "demo", host.id, "*", "a=ice-ufrag:u9\r\n" + CANDIDATE.format(i=1))
    refused(error, 400, "malformed_fragment")  # a restart needs the password too
    many = FRAG.format(u="u1", p="p1") + "".join(CANDIDATE.format(i=i) for i in range(1, 21))
    assert len(rules.patch("whip", "demo", host.id, host.etag, many).candidates) == 20
    with pytest.raises(LivehireError) as error:
        rules.patch("whip", "demo", host.id, host.etag, FRAG.format(u="u1", p="p1") + CANDIDATE.format(i=21))
    refused(error, 400, "too_many_candidates")
    assert len(host.remote_candidates) == 20 and host.remote_ufrag == "u1"


def test_delete_closes_a_known_session_and_404s_others() -> None:
    rules, _ = make()
    host = rules.open("demo", "whip", None)
    for kind, room, sid in (("whip", "demo", "nope"), ("whep", "demo", host.id), ("whip", "other", host.id)):
        with pytest.raises(LivehireError) as error:
            rules.delete(kind, room, sid)  # type: ignore[arg-type]
        refused(error, 404, "unknown_session")
    assert rules.delete("whip", "demo", host.id) == Close(host.id) and host.closing
    assert rules.offer_publish("demo") is ADMIT  # a host ending its session may come back at once
    rules.closed(host.id)
    with pytest.raises(LivehireError) as error:
        rules.delete("whip", "demo", host.id)
    refused(error, 404, "unknown_session")
    assert rules.closed(host.id) == []  # a double close is harmless


def test_the_rules_import_no_io() -> None:
    """No aiortc, aiohttp, asyncio or redis behind ``import signaling.rules``: the core stays sans-I/O."""
    code = ("import sys, signaling.rules, signaling.decisions; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'aiortc', 'aiohttp', 'asyncio', 'redis', 'av'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# -- fuzz: random event sequences ---------------------------------------------------------------------

ROOMS = ("a", "b")
Event = tuple[str, int, float]  # (what, which room or session, a number in [0, 1] for choices and times)


class Driver:
    """Plays an adapter: turns random events into calls, checks the invariants after each."""

    def __init__(self) -> None:
        self.rules, self.clock = make(max_sessions=6, per_client_room=2, per_client_node=3, pending_per_client=2)
        self.live: set[str] = set()  # what the outputs announced
        self.closing_late: list[str] = []  # peers whose close has begun but not ended

    def apply(self, outputs: list[Output]) -> None:
        for output in outputs:
            if isinstance(output, LiveChanged):
                assert (output.room in self.live) != output.live, "a live change must change something"
                (self.live.add if output.live else self.live.discard)(output.room)

    def pick(self, n: int) -> SessionState | None:
        ids = self.rules.session_ids()
        return self.rules.session(ids[n % len(ids)]) if ids else None

    def step(self, event: Event) -> None:
        name, n, x = event
        room = ROOMS[n % len(ROOMS)]
        session = self.pick(n)
        try:
            if name == "publish":
                decision = self.rules.offer_publish(room)
                if isinstance(decision, TakeOver):
                    if x < 0.5:
                        self.apply(self.rules.closed(decision.session))
                    else:
                        self.closing_late.append(decision.session)
                self.rules.open(room, "whip", None)
            elif name == "relay":
                self.rules.open(room, "relay", None)
            elif name == "view":
                self.rules.offer_view(room, f"10.0.0.{n % 3}", relayed=x < 0.2, has_media=x < 0.7, can_pull=False)
                self.rules.open(room, "whep", f"10.0.0.{n % 3}")
            elif name == "media":
                self.rules.media_seen(room, self.clock.monotonic() - x * STALE)
            elif name == "tick":
                self.clock.advance(x * STALE)
            elif session is not None and name in ("connected", "failed"):
                self.apply(self.rules.peer_state(session.id, name))
            elif session is not None and name == "delete":
                self.closing_late.append(self.rules.delete(session.kind, session.room, session.id).session)
            elif session is not None and name == "patch":
                self.rules.patch(session.kind, session.room, session.id, "*" if x < 0.5 else session.etag,
                                 FRAG.format(u=f"u{n}", p="p"))
            elif name == "close" and (self.closing_late or session is not None):
                sid = self.closing_late.pop(0) if self.closing_late else session.id  # type: ignore[union-attr]
                self.apply(self.rules.closed(sid))
        except LivehireError as error:
            assert 400 <= http_status(error)[0] < 500 or error.kind == "unavailable", error.code
        self.check()

    def check(self) -> None:
        rules = self.rules
        assert set(rules.live_rooms()) == self.live, "every live change is announced, once"
        for room in rules.rooms():
            state = rules.room(room)
            members = {s.id for s in map(rules.session, rules.session_ids()) if s and s.room == room}
            assert state is not None and state.sessions == members and members, "no empty room is kept"
            holders = [s for s in map(rules.session, rules.session_ids())
                       if s and s.room == room and s.role == "publisher" and not s.closing]
            assert len(holders) <= 1, "never two publishers in one room"
            assert not state.live or state.publisher is not None
        kinds = [s.kind for s in map(rules.session, rules.session_ids()) if s]
        assert rules.admission.total() == len(kinds)
        assert rules.admission.viewers() == kinds.count("whep")

    def close_everything(self) -> None:
        """Every session the rules opened can be ended by DELETE, and then nothing is left."""
        for sid in self.rules.session_ids():
            session = self.rules.session(sid)
            assert session is not None
            kind: Kind = session.kind
            assert self.rules.delete(kind, session.room, sid) == Close(sid)
            self.apply(self.rules.closed(sid))
            self.check()
        assert self.rules.session_count() == 0 and self.rules.rooms() == [] and not self.live
        assert self.rules.admission.total() == 0


EVENTS = st.tuples(
    st.sampled_from(["publish", "relay", "view", "media", "tick", "connected", "failed", "delete", "patch",
                     "close"]),
    st.integers(0, 20),
    st.floats(0, 1),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EVENTS, max_size=40))
def test_random_event_sequences_keep_the_invariants(events: list[Event]) -> None:
    driver = Driver()
    for event in events:
        driver.step(event)
    driver.close_everything()
