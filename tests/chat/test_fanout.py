"""The fan-out hub against fake transports: coalescing, one write per client, slow consumers."""

from __future__ import annotations

import asyncio
import json
import struct
from collections.abc import Callable

from chat.fanout import MODERATORS, Outlet, RoomHub
from chat.frames import CLOSE_SLOW_CONSUMER, Encoded, should_reconnect
from tests.chat.test_frames import parse_wire


class FakeTransport:
    def __init__(self, *, stuck: bool = False) -> None:
        self.writes: list[bytes] = []
        self.buffered = 0
        self.stuck = stuck
        self.closing = False
        self.aborted = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)
        if self.stuck:
            self.buffered += len(data)

    def is_closing(self) -> bool:
        return self.closing

    def get_write_buffer_size(self) -> int:
        return self.buffered

    def close(self) -> None:
        self.closing = True

    def abort(self) -> None:
        self.aborted = True

    def frames(self) -> list[bytes]:
        return [bytes(f.data) for f in parse_wire(b"".join(self.writes))]


async def flushed() -> None:
    """Two loop iterations: the hub's flush is scheduled in two ``call_soon`` hops."""
    await asyncio.sleep(0)
    await asyncio.sleep(0)


def ready_outlet(hub: RoomHub, transport: FakeTransport, **kwargs: object) -> Outlet:
    outlet = Outlet(transport, **kwargs)  # type: ignore[arg-type]
    hub.add(outlet)
    hub.release(outlet, 0)
    return outlet


async def test_messages_arriving_before_the_flush_share_one_write_per_client() -> None:
    hub = RoomHub(asyncio.get_running_loop())
    transports = [FakeTransport() for _ in range(50)]
    for t in transports:
        ready_outlet(hub, t)
    for i in range(10):
        hub.publish(Encoded({"type": "chat", "n": i}), seq=i + 1)
    assert all(not t.writes for t in transports)  # nothing written synchronously: one flush via call_soon
    await flushed()
    for t in transports:
        assert len(t.writes) == 1
        assert [json.loads(f)["n"] for f in t.frames()] == list(range(10))
    assert hub.flushes == 1 and hub.deliveries == 500


async def test_light_traffic_is_flushed_without_waiting_for_more() -> None:
    hub = RoomHub(asyncio.get_running_loop())
    t = FakeTransport()
    ready_outlet(hub, t)
    hub.publish(Encoded({"type": "chat", "n": 1}))
    await flushed()
    hub.publish(Encoded({"type": "chat", "n": 2}))
    await flushed()
    assert len(t.writes) == 2 and hub.flushes == 2


async def test_binary_clients_get_msgpack_frames_encoded_once() -> None:
    hub = RoomHub(asyncio.get_running_loop())
    a, b = FakeTransport(), FakeTransport()
    ready_outlet(hub, a, binary=True)
    ready_outlet(hub, b, binary=True)
    hub.publish(Encoded({"type": "chat", "text": "你好"}))
    await flushed()
    assert a.writes[0] is b.writes[0]  # the very same bytes object: encoded and joined once


async def test_slow_consumer_is_closed_with_a_reconnect_code_and_others_unaffected() -> None:
    hub = RoomHub(asyncio.get_running_loop())
    closed: list[Outlet] = []
    slow_t, fast_t = FakeTransport(stuck=True), FakeTransport()
    slow = ready_outlet(hub, slow_t, limit=1000, on_close=closed.append)
    ready_outlet(hub, fast_t, limit=1000)
    for i in range(20):
        hub.publish(Encoded({"type": "chat", "text": "x" * 100, "n": i}))
        await flushed()
    assert closed == [slow] and slow.closed and slow_t.closing
    close = parse_wire(slow_t.writes[-1])[-1]
    (code,) = struct.unpack("!H", close.data[:2])
    assert code == CLOSE_SLOW_CONSUMER and should_reconnect(code)
    writes_when_closed = len(slow_t.writes)
    hub.publish(Encoded({"type": "chat"}))
    await flushed()
    assert len(slow_t.writes) == writes_when_closed  # nothing more after the close frame
    assert len(fast_t.frames()) == 21


async def test_backlog_before_welcome_drops_what_history_already_had() -> None:
    hub = RoomHub(asyncio.get_running_loop())
    t = FakeTransport()
    outlet = Outlet(t)
    hub.add(outlet)
    for seq in (4, 5, 6):
        hub.publish(Encoded({"type": "chat", "seq": seq}), seq=seq)
    hub.publish(Encoded({"type": "presence", "viewers": 3}))
    await flushed()
    assert not t.writes
    hub.release(outlet, after_seq=5)
    assert [json.loads(f) for f in t.frames()] == [{"type": "chat", "seq": 6}, {"type": "presence", "viewers": 3}]


async def test_audiences_reach_only_moderators_or_one_user() -> None:
    hub = RoomHub(asyncio.get_running_loop())
    mod_t, user_t, other_t = FakeTransport(), FakeTransport(), FakeTransport()
    ready_outlet(hub, mod_t, moderator=True, user_id="h")
    ready_outlet(hub, user_t, user_id="u1")
    ready_outlet(hub, other_t, user_id="u2")
    hub.publish(Encoded({"type": "chat", "n": 1}))
    hub.publish(Encoded({"type": "held"}), audience=MODERATORS)
    hub.publish(Encoded({"type": "muted"}), audience="u1")
    await flushed()
    assert [json.loads(f)["type"] for f in mod_t.frames()] == ["chat", "held"]
    assert [json.loads(f)["type"] for f in user_t.frames()] == ["chat", "muted"]
    assert [json.loads(f)["type"] for f in other_t.frames()] == ["chat"]


async def test_a_frame_published_by_a_task_woken_meanwhile_joins_the_scheduled_flush() -> None:
    """The second hop: a handler woken in the same loop iteration as the flush was scheduled adds to it."""
    loop = asyncio.get_running_loop()
    hub = RoomHub(loop)
    t = FakeTransport()
    ready_outlet(hub, t)
    woken: asyncio.Future[None] = loop.create_future()

    async def handler() -> None:
        await woken  # like a websocket handler waiting for the next message
        hub.publish(Encoded({"type": "chat", "n": 2}))

    task = loop.create_task(handler())
    await asyncio.sleep(0)  # the handler waits
    hub.publish(Encoded({"type": "chat", "n": 1}))  # schedules the flush
    woken.set_result(None)  # a read wakes the handler in the same iteration
    await flushed()
    await task
    assert len(t.writes) == 1 and [json.loads(f)["n"] for f in t.frames()] == [1, 2]


class ClockedLoop:
    """The parts of the event loop the hub uses, on a manual clock: timers are recorded, not run.

    Why: a rest is a loop timer of a fraction of the last flush; on a loaded machine a real
    clock can run past it between two loop iterations, and then the test saw no rest at all.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.now = 0.0
        self.timers: list[tuple[float, Callable[[], None]]] = []
        self._loop = loop

    def time(self) -> float:
        return self.now

    def call_soon(self, callback: Callable[[], None]) -> None:
        self._loop.call_soon(callback)

    def call_later(self, delay: float, callback: Callable[[], None]) -> None:
        self.timers.append((delay, callback))


class SlowTransport(FakeTransport):
    """A socket whose write takes a while on the manual clock, like 5000 kernel sends in one flush."""

    def __init__(self, clock: ClockedLoop) -> None:
        super().__init__()
        self.clock = clock

    def write(self, data: bytes) -> None:
        self.clock.now += 0.08
        super().write(data)


async def test_a_saturated_room_rests_a_quarter_of_its_last_flush_before_the_next() -> None:
    loop = ClockedLoop(asyncio.get_running_loop())
    hub = RoomHub(loop)  # type: ignore[arg-type]
    assert hub.rest(loop.time()) == 0.0  # nothing flushed yet: no wait
    t = SlowTransport(loop)
    ready_outlet(hub, t)
    hub.publish(Encoded({"type": "chat", "n": 1}))
    await flushed()
    assert len(t.writes) == 1 and abs(hub.rest(0.0) - 0.08 * 1.25) < 1e-9  # its end, plus a quarter of its 80 ms
    loop.now += 0.01  # 10 ms after it ended
    hub.publish(Encoded({"type": "chat", "n": 2}))
    await flushed()
    assert len(t.writes) == 1  # resting: the second flush waits for its timer
    [(delay, callback)] = loop.timers
    assert abs(delay - 0.01) < 1e-9  # the rest's remaining 10 ms
    loop.now += delay
    callback()
    assert len(t.writes) == 2 and hub.rest(loop.time()) > 0  # the second flush rests in turn
    loop.now += 1.0  # long after it: the next message goes out on the next iterations, no timer
    hub.publish(Encoded({"type": "chat", "n": 3}))
    await flushed()
    assert len(t.writes) == 3 and len(loop.timers) == 1


async def test_a_socket_whose_welcome_reached_further_than_the_hub_gets_no_message_twice() -> None:
    """A gap being filled (or pub/sub behind the welcome's history read): the messages up to the welcome's
    seq still come through the hub after the socket is released; that socket skips them, others do not."""
    hub = RoomHub(asyncio.get_running_loop())
    hub.start_at(10)
    old, fresh = FakeTransport(), FakeTransport()
    ready_outlet(hub, old)
    joining = Outlet(fresh)  # type: ignore[arg-type]
    hub.add(joining)
    hub.release(joining, 12)  # its welcome history held 11 and 12
    for seq in (11, 12, 13):
        hub.publish(Encoded({"type": "chat", "seq": seq}), seq=seq)
    hub.publish(Encoded({"type": "presence", "viewers": 2}))
    await flushed()
    seqs = [json.loads(f).get("seq") for f in fresh.frames()]
    assert seqs == [13, None], "11 and 12 were in its welcome; presence has no seq"
    assert [json.loads(f).get("seq") for f in old.frames()] == [11, 12, 13, None]
    hub.publish(Encoded({"type": "chat", "seq": 14}), seq=14)
    await flushed()
    assert json.loads(fresh.frames()[-1])["seq"] == 14 and len(fresh.writes) == 2, "an ordinary socket again"
    late = FakeTransport()
    latecomer = Outlet(late)  # type: ignore[arg-type]
    hub.add(latecomer)
    hub.release(latecomer, 14)  # nothing beyond what the hub flushed: no filtering
    hub.publish(Encoded({"type": "chat", "seq": 15}), seq=15)
    await flushed()
    assert [json.loads(f)["seq"] for f in late.frames()] == [15]
