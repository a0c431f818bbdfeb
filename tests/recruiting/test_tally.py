"""The pure part of the session statistics (standard 5.2 数据分析): one node's share, without I/O."""

from __future__ import annotations

import pytest

from recruiting.domain.tally import Flush, Presence, SessionTally, Window

pytestmark = pytest.mark.clause("5.2")


def _settle_all(
    tally: SessionTally, windows: list[Window], now: int, present: dict[str, list[Presence]] | None = None
) -> list[Flush]:
    flushes = tally.settle(windows, now, present)
    for flush in flushes:
        tally.committed(flush)
    return flushes


def test_distinct_viewers_inside_the_window_anonymous_per_connection() -> None:
    tally = SessionTally(node="n1")
    assert tally.join("r", "early", 900) is True, "a new room asks for a sample at once"
    tally.sample("r", 900, 0, 0, 1)
    assert tally.join("r", "u1", 1100) is False
    tally.join("r", "u1", 1200)  # reconnect: the same viewer
    tally.join("r", "guest-ab", 1300)
    tally.join("r", None, 1400, connection=7)
    tally.join("r", None, 1500, connection=8)  # another anonymous socket: another viewer
    tally.join("other", "u9", 1400)  # another room: not this session
    [flush] = _settle_all(tally, [Window("s1", "r", 1000, None)], 1600)
    assert flush.session_id == "s1" and flush.viewers == {"u1", "guest-ab", "anon-n1-7", "anon-n1-8"}
    assert "early" not in flush.viewers, "joined before the start"
    tally.join("r", "u1", 1700)
    [again] = _settle_all(tally, [Window("s1", "r", 1000, None)], 1800)
    assert again.viewers == {"u1"}, "a repeated viewer is sent again; the table's key collapses it"


def test_counter_share_counts_only_samples_inside_and_never_twice() -> None:
    tally = SessionTally(node="n1")
    tally.sample("r", 900, 10, 1, 3)
    tally.sample("r", 1100, 15, 1, 5)  # first sample after the start: the baseline
    window = Window("s1", "r", 1000, None)
    assert _settle_all(tally, [window], 1150)[0].messages == 0
    tally.sample("r", 2100, 25, 3, 8)
    [flush] = _settle_all(tally, [window], 2150)
    assert (flush.messages, flush.blocked, flush.peak, flush.final) == (10, 2, 8, False)
    tally.sample("r", 3100, 30, 3, 4)
    ended = Window("s1", "r", 1000, 3500)
    [flush] = _settle_all(tally, [ended], 3150)
    assert (flush.messages, flush.blocked, flush.peak, flush.final) == (5, 0, None, False), "peak 8 already written"
    tally.sample("r", 4100, 90, 9, 2)  # after the end: not counted, but it settles the end
    [flush] = _settle_all(tally, [ended], 4150)
    assert (flush.messages, flush.blocked, flush.final) == (0, 0, True)
    assert tally.tracked() == set()
    assert _settle_all(tally, [ended], 4200) == [], "the store still lists it: it is not counted again"


def test_a_failed_write_is_computed_again() -> None:
    tally = SessionTally(node="n1")
    tally.sample("r", 1100, 5, 0, 1)
    tally.join("r", "u1", 1200)
    tally.sample("r", 1300, 7, 0, 1)
    window = Window("s1", "r", 1000, None)
    first = tally.settle([window], 1400)  # not committed: the write failed
    second = tally.settle([window], 1500)
    assert first == second and second[0].viewers == {"u1"} and second[0].messages == 2


def test_joins_wait_for_a_session_the_store_shows_late_then_expire() -> None:
    tally = SessionTally(node="n1", grace_ms=5000)
    tally.sample("r", 900, 0, 0, 0)
    tally.join("r", "u1", 1200)
    assert tally.settle([], 1300) == []
    [flush] = _settle_all(tally, [Window("s1", "r", 1000, None)], 2000)
    assert flush.viewers == {"u1"}
    tally.join("r", "u2", 3000)
    [flush] = tally.settle([], 3100)  # s1 is tracked from before (the store's answer may lag): u2 falls in it
    assert flush.viewers == {"u2"}
    late = SessionTally(node="n2", grace_ms=5000)
    late.sample("q", 100, 0, 0, 0)
    late.join("q", "u3", 200)
    late.settle([], 6000)  # nobody had a session: the join expires
    assert late.settle([Window("s2", "q", 0, None)], 6100)[0].viewers == frozenset()


def test_a_node_that_never_sampled_an_ended_session_has_nothing_to_add() -> None:
    tally = SessionTally(node="n1")
    tally.join("r", "u1", 5000)  # joined after the end
    [flush] = _settle_all(tally, [Window("s1", "r", 1000, 2000)], 5100)
    assert flush.final and flush.viewers == frozenset() and flush.messages == 0
    assert tally.tracked() == set()


def test_forget_keeps_a_room_whose_session_still_needs_it() -> None:
    tally = SessionTally(node="n1")
    tally.sample("r", 1100, 1, 0, 1)
    tally.settle([Window("s1", "r", 1000, None)], 1200)
    tally.forget("r")
    assert "r" in tally.rooms()
    tally.sample("x", 1100, 1, 0, 1)
    tally.forget("x")
    assert "x" not in tally.rooms()


def test_sockets_open_when_a_session_is_first_seen_count_as_joined_at_its_start() -> None:
    """Most of a live audience gathers before the host presses "start" (5.2): nobody has to rejoin."""
    tally = SessionTally(node="n1")
    tally.join("r", "early", 100, connection=1)
    tally.join("r", None, 200, connection=2)
    tally.join("r", "gone", 300, connection=3)  # left before the start: not in ``present``
    tally.sample("r", 300, 0, 0, 2)
    tally.settle([], 6000)  # no session yet: the early joins expire
    tally.join("r", None, 10_500, connection=4)  # joined during the session, before this node learned of it
    live = Window("s1", "r", 10_000, None)
    assert tally.learning([live]) == {"r"}
    present = {"r": [("early", 1), (None, 2), (None, 4), ("early", 5)]}  # "early" has two sockets
    [flush] = _settle_all(tally, [live], 11_000, present)
    assert flush.viewers == {"early", "anon-n1-2", "anon-n1-4"}, "the same socket is one viewer, joined or present"
    assert tally.learning([live]) == set(), "only the first time this node sees the session"
    tally.join("r", None, 11_500, connection=6)
    [flush] = _settle_all(tally, [live], 12_000, {"r": [(None, 6), ("late", 7)]})
    assert flush.viewers == {"anon-n1-6"}, "later sockets count by their join, not by a later ``present``"


def test_a_session_first_seen_after_its_end_counts_who_was_there_before_the_end() -> None:
    tally = SessionTally(node="n1")
    tally.sample("r", 500, 0, 0, 1)
    tally.join("r", "u1", 500, connection=1)
    tally.join("r", "after", 2500, connection=2)  # joined after the end
    ended = Window("s1", "r", 1000, 2000)
    [flush] = _settle_all(tally, [ended], 2600, {"r": [("u1", 1), ("after", 2)]})
    assert flush.viewers == {"u1"}


def test_a_join_without_a_socket_serial_gets_a_name_no_socket_has() -> None:
    tally = SessionTally(node="n1")
    assert tally.name(None) != tally.name(None), "one viewer per anonymous join"
    assert tally.name(None, 1) == tally.name(None, 1) == "anon-n1-1" != tally.name(None)
    assert tally.name("u1", 1) == "u1"


def test_a_chat_room_reopened_on_this_node_keeps_counting() -> None:
    """The chat's counters restart at zero when its room closes and reopens here (a new ``epoch``); the
    session still gets every message (standard 5.2: statistics of a live session)."""
    tally = SessionTally(node="n1")
    window = Window("s1", "r", 1000, None)
    tally.sample("r", 1100, 0, 0, 3, epoch=1)  # the baseline
    tally.sample("r", 1200, 5, 1, 3, epoch=1)
    tally.sample("r", 1300, 0, 0, 0, epoch=0)  # the room closed here: nothing counted is lost
    tally.sample("r", 1400, 3, 2, 2, epoch=2)  # reopened: its counters start again
    [flush] = _settle_all(tally, [window], 1450)
    assert (flush.messages, flush.blocked) == (8, 3)
    tally.sample("r", 1500, 4, 2, 2, epoch=2)
    [more] = _settle_all(tally, [window], 1550)
    assert (more.messages, more.blocked) == (1, 0)


def test_a_boundary_dated_by_this_node_orders_joins_in_its_millisecond() -> None:
    """The flake of test_session_statistics: a join and the start in one millisecond counted the early
    viewer (``started_at <= joined_at``). The node that starts and ends a session dates both itself."""
    tally = SessionTally(node="n1")
    tally.join("r", "early", 1000)  # before the start, same millisecond
    tally.sample("r", 1000, 7, 0, 1)
    started = tally.boundary("r", 1000, 7, 0, 1)
    assert started == 1001, "after every join and sample stamped here"
    tally.join("r", "a", 1000)  # after the start, in the clock's same millisecond
    tally.sample("r", 1000, 9, 1, 2)
    ended = tally.boundary("r", 1001, 9, 1, 2)
    assert ended > started
    tally.join("r", "late", ended)  # after the end, in the end's millisecond
    tally.sample("r", ended, 20, 5, 2)
    [flush] = _settle_all(tally, [Window("s1", "r", started, ended)], ended + 100)
    assert flush.viewers == {"a"}, "neither the join before the start nor the one after the end"
    assert (flush.messages, flush.blocked, flush.final) == (2, 1, True), "counters from the boundaries' own samples"


def test_a_boundary_keeps_the_clock_when_it_has_moved_on() -> None:
    tally = SessionTally(node="n1")
    tally.join("r", "u1", 1000)
    assert tally.boundary("r", 1005, 0, 0, 1) == 1005
    assert tally.boundary("other", 1005, 0, 0, 0) == 1005, "a room with nothing stamped yet"
    tally.forget("other")
    assert tally.latest("other") is None
