"""The room written in slices: frames that arrive during a pass, cursors, the log's trimming, and order.

A big room is written a slice at a time with the loop reading in between (docs/chat-protocol.md,
"Fan-out"): these tests use slices of a few outlets so that a handful of fake transports stand
for a 20,000-socket room.
"""

from __future__ import annotations

import asyncio
import json
import random

import msgpack

from chat.fanout import MODERATORS, TRIM_AT, Outlet, RoomHub
from chat.frames import Encoded
from tests.chat.test_fanout import FakeTransport, flushed, ready_outlet


async def settled(hub: RoomHub) -> None:
    """Until the last pass has ended (a pass may rest on a timer when the machine is slow)."""
    for _ in range(2000):
        if hub.idle:
            return
        await asyncio.sleep(0.001)
    raise AssertionError("the hub never went idle")


def numbers(transport: FakeTransport) -> list[int]:
    return [json.loads(f)["n"] for f in transport.frames()]


async def test_a_frame_arriving_during_a_pass_reaches_the_slices_still_to_come_and_then_the_first() -> None:
    hub = RoomHub(asyncio.get_running_loop(), slice_size=2)
    transports = [FakeTransport() for _ in range(6)]
    for t in transports:
        ready_outlet(hub, t)
    hub.publish(Encoded({"type": "chat", "n": 1}))
    await flushed()  # the pass starts: the first slice (outlets 0 and 1) has frame 1
    assert [len(t.writes) for t in transports] == [1, 1, 0, 0, 0, 0]
    hub.publish(Encoded({"type": "chat", "n": 2}))  # read between two slices
    await asyncio.sleep(0)  # the second slice: 1 and 2 in one write
    assert [numbers(t) for t in transports[2:4]] == [[1, 2], [1, 2]] and len(transports[2].writes) == 1
    await asyncio.sleep(0)  # the third slice
    assert [numbers(t) for t in transports[4:]] == [[1, 2], [1, 2]]
    assert numbers(transports[0]) == [1], "frame 2 came after the first slice was written"
    for _ in range(4):  # the pass ends, the next starts two hops later and gives the first slice frame 2
        await asyncio.sleep(0)
    assert [numbers(t) for t in transports] == [[1, 2]] * 6
    assert [len(t.writes) for t in transports] == [2, 2, 1, 1, 1, 1], "the next pass wrote only to who lacked it"
    assert hub.flushes == 2 and hub.deliveries == 12


async def test_outlets_sharing_a_cursor_share_the_joined_bytes_across_slices() -> None:
    hub = RoomHub(asyncio.get_running_loop(), slice_size=1)
    a, b, c = FakeTransport(), FakeTransport(), FakeTransport()
    for t in (a, b, c):
        ready_outlet(hub, t)
    for n in range(3):
        hub.publish(Encoded({"type": "chat", "n": n}))
    for _ in range(5):
        await asyncio.sleep(0)
    assert a.writes[0] is b.writes[0] is c.writes[0], "joined once for the pass, not once per slice"


async def test_the_log_keeps_what_a_socket_waiting_for_its_welcome_has_not_had_then_forgets_it() -> None:
    hub = RoomHub(asyncio.get_running_loop())
    seen = FakeTransport()
    ready_outlet(hub, seen)
    waiting_t = FakeTransport()
    waiting = Outlet(waiting_t)  # type: ignore[arg-type]
    hub.add(waiting)  # joined, its welcome (history read) not sent yet
    for n in range(TRIM_AT + 10):
        hub.publish(Encoded({"type": "chat", "n": n}), seq=n + 1)
        await flushed()
    assert len(numbers(seen)) == TRIM_AT + 10 and not waiting_t.writes
    assert hub.end - waiting.cursor == TRIM_AT + 10, "everything since it joined is kept for it"
    hub.release(waiting, after_seq=TRIM_AT)  # its history held seqs up to TRIM_AT
    assert numbers(waiting_t) == list(range(TRIM_AT, TRIM_AT + 10))
    hub.publish(Encoded({"type": "chat", "n": -1}), seq=TRIM_AT + 11)
    await flushed()
    assert hub.end - hub._base <= 1, "every outlet has had the log: the pass's end forgot it"


async def test_a_socket_gone_between_two_slices_is_not_written_and_the_rest_are() -> None:
    hub = RoomHub(asyncio.get_running_loop(), slice_size=1)
    transports = [FakeTransport() for _ in range(3)]
    outlets = [ready_outlet(hub, t) for t in transports]
    hub.publish(Encoded({"type": "chat", "n": 1}))
    await flushed()
    hub.discard(outlets[2])  # its handler ended while the pass was under way
    for _ in range(4):
        await asyncio.sleep(0)
    assert [len(t.writes) for t in transports] == [1, 1, 0]


class BrokenTransport(FakeTransport):
    def write(self, data: bytes) -> None:
        raise RuntimeError("a transport bug")


async def test_a_write_that_raises_does_not_stall_the_room() -> None:
    loop = asyncio.get_running_loop()
    errors: list[object] = []
    loop.set_exception_handler(lambda _loop, context: errors.append(context.get("exception")))
    try:
        hub = RoomHub(loop, slice_size=1)
        ready_outlet(hub, BrokenTransport())
        good = FakeTransport()
        ready_outlet(hub, good)
        hub.publish(Encoded({"type": "chat", "n": 1}))
        for _ in range(4):
            await asyncio.sleep(0)
        hub.publish(Encoded({"type": "chat", "n": 2}))
        for _ in range(6):
            await asyncio.sleep(0)
    finally:
        loop.set_exception_handler(None)
    assert errors and isinstance(errors[0], RuntimeError)
    assert numbers(good) == [1, 2], "the next slice and the next pass still ran"


async def run_random_room(seed: int) -> None:
    """Joins, welcomes, leaves, frames for everyone, moderators or one user, with and without seq, read
    between slices of two: every socket gets exactly the frames meant for it since it joined, in order,
    minus the seqs its welcome's history held."""
    rng = random.Random(seed)
    hub = RoomHub(asyncio.get_running_loop(), slice_size=2)
    published: list[tuple[int, int | None, str | None]] = []  # (n, seq, audience)
    joined: dict[Outlet, tuple[FakeTransport, int, int]] = {}  # outlet -> (transport, published before, floor)
    waiting: list[Outlet] = []
    top = 0
    for step in range(rng.randrange(20, 80)):
        roll = rng.random()
        if roll < 0.15:
            t = FakeTransport()
            outlet = Outlet(t, binary=rng.random() < 0.3, user_id=f"u{rng.randrange(3)}",  # type: ignore[arg-type]
                            moderator=rng.random() < 0.2)
            hub.add(outlet)
            joined[outlet] = (t, len(published), 0)
            waiting.append(outlet)
        elif roll < 0.25 and waiting:
            outlet = waiting.pop(rng.randrange(len(waiting)))
            floor = max(0, top + rng.randrange(-2, 3))  # a history read ahead of or behind the hub
            t, since, _ = joined[outlet]
            joined[outlet] = (t, since, floor)
            hub.release(outlet, floor)
        elif roll < 0.3 and joined:
            outlet = rng.choice(list(joined))
            hub.discard(outlet)
            del joined[outlet]
            if outlet in waiting:
                waiting.remove(outlet)
        else:
            seq = None
            if rng.random() < 0.7:
                top += 1
                seq = top
            audience = rng.choice([None, None, None, MODERATORS, "u1"])
            published.append((step, seq, audience))
            hub.publish(Encoded({"type": "chat", "n": step}), seq=seq, audience=audience)
        for _ in range(rng.randrange(3)):
            await asyncio.sleep(0)
    for outlet in waiting:
        hub.release(outlet, 0)
    await settled(hub)
    for outlet, (t, since, floor) in joined.items():
        want = [n for n, seq, audience in published[since:]
                if (seq is None or seq > floor) and outlet.wants(audience)]
        got = [msgpack.unpackb(f)["n"] if outlet.binary else json.loads(f)["n"] for f in t.frames()]
        assert got == want, f"seed {seed}: {outlet.user_id} floor {floor}"


async def test_every_socket_gets_its_frames_once_and_in_order_whatever_the_interleaving() -> None:
    for seed in range(300):
        await run_random_room(seed)
