"""The stream recovery rules (chat.recovery), without sockets or Redis: offsets, epochs, gaps, resyncs."""

from __future__ import annotations

from typing import Any

from chat.recovery import Deliver, Fetch, Resync, RoomCursor, not_delivered, recovered


def m(seq: int) -> dict[str, Any]:
    return {"id": f"m{seq}", "seq": seq, "type": "chat", "text": f"t{seq}"}


def seqs(steps: list[Any]) -> list[int]:
    return [int(message["seq"]) for step in steps if isinstance(step, Deliver) for message in step.messages]


def test_a_client_offset_is_recovered_only_in_its_epoch_and_only_complete() -> None:
    assert recovered(5, "e1", "e1", True)
    assert not recovered(5, "e1", "e2", True), "Redis lost the history: seq 5 of e2 is another message"
    assert not recovered(5, "e1", "e1", False), "trimmed"
    assert recovered(5, None, "e1", True), "a client of an older release sends no epoch: offsets only"
    assert not recovered(None, "e1", "e1", True), "nothing to recover from"


def test_messages_in_order_are_delivered_and_repeats_dropped() -> None:
    cursor: RoomCursor[str] = RoomCursor("e1", 3)
    assert not cursor.follows("e1", 3) and not cursor.follows("e2", 4)
    assert cursor.follows("e1", 4) and cursor.last == 4
    assert cursor.message("e1", m(4)) == [], "a repeat (e.g. both from history and pub/sub)"
    assert seqs(cursor.message("e1", m(5))) == [5]


def test_a_gap_is_filled_from_history_before_anything_later() -> None:
    cursor: RoomCursor[str] = RoomCursor("e1", 3)
    steps = cursor.message("e1", m(6))  # 4 and 5 were published while the subscription was down
    assert steps == [Fetch(3, "e1")] and cursor.filling
    assert cursor.message("e1", m(7)) == [], "waits behind the fill"
    assert not cursor.follows("e1", 4) and cursor.check() == [], "one read at a time"
    filled = cursor.filled("e1", [m(4), m(6), m(7)], 7, True)  # 5 was deleted: history counts its tombstone
    assert seqs(filled) == [4, 6, 7] and cursor.last == 7 and not cursor.filling
    assert seqs(cursor.message("e1", m(8))) == [8]


def test_after_a_resubscription_the_cursor_reads_what_it_may_have_missed() -> None:
    cursor: RoomCursor[str] = RoomCursor("e1", 10)
    assert cursor.check() == [Fetch(10, "e1")]
    assert cursor.filled("e1", [], 10, True) == [], "nothing was missed"
    assert cursor.check() == [Fetch(10, "e1")]
    cursor.failed()  # Redis still away: the next resume reads again
    assert cursor.check() == [Fetch(10, "e1")]
    assert seqs(cursor.filled("e1", [m(11), m(12)], 12, True)) == [11, 12]


def test_a_lost_history_resyncs_and_names_the_senders_whose_messages_never_came() -> None:
    cursor: RoomCursor[str] = RoomCursor("e1", 10)
    cursor.acked("e1", 10, "early")  # delivered before the store's answer came: nothing to remember
    cursor.acked("e1", 11, "alice")  # stored, then Redis died before this node got it
    cursor.acked("e1", 12, "bob")
    assert cursor.waiting() == 2
    assert cursor.check() == [Fetch(10, "e1")]
    [resync] = cursor.filled("e2", [m(1)], 1, True)  # Redis came back empty: a new epoch
    assert isinstance(resync, Resync) and set(resync.lost) == {"alice", "bob"}
    assert (cursor.epoch, cursor.last, cursor.waiting()) == ("e2", 1, 0)
    assert seqs(cursor.message("e2", m(2))) == [2], "the new epoch goes on from its head"
    assert not_delivered().code == "not_delivered" and not_delivered().kind == "unavailable"


def test_a_message_of_a_new_epoch_resyncs_and_its_own_acks_are_not_lost() -> None:
    cursor: RoomCursor[str] = RoomCursor("e1", 5)
    cursor.acked("e1", 6, "lost")
    cursor.acked("e2", 1, "in new history")  # appended after the restart, before this node heard of it
    cursor.acked("e2", 3, "still coming")
    [resync] = cursor.message("e2", m(2))
    assert isinstance(resync, Resync) and resync.lost == ("lost",)
    assert seqs(cursor.message("e2", m(3))) == [3] and cursor.waiting() == 0


def test_an_accepted_message_is_forgotten_once_delivered() -> None:
    cursor: RoomCursor[str] = RoomCursor("e1", 0)
    cursor.acked("e1", 1, "a")
    cursor.acked("e1", 2, "b")
    assert cursor.follows("e1", 1)
    assert seqs(cursor.message("e1", m(3))) == [] and cursor.waiting() == 1, "2 is missing: the gap is read"
    assert seqs(cursor.filled("e1", [m(2), m(3)], 3, True)) == [2, 3] and cursor.waiting() == 0


def test_a_gap_history_no_longer_holds_resyncs_within_the_same_epoch() -> None:
    cursor: RoomCursor[str] = RoomCursor("e1", 5)
    cursor.acked("e1", 6, "old")
    assert cursor.message("e1", m(2000)) == [Fetch(5, "e1")]
    [resync] = cursor.filled("e1", [], 2000, False)
    assert isinstance(resync, Resync) and resync.lost == (), "the message is in the room's history, just old"
    assert (cursor.epoch, cursor.last) == ("e1", 2000)
