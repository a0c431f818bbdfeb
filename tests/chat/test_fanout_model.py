"""The fan-out hub against a model of what each socket must get, over random interleavings.

Joins, welcomes (their history reaching ahead of or behind the hub), leaves, and frames for everyone,
the moderators or one user, with and without a seq, with loop iterations (flushes) at random points
in between: every socket gets exactly the frames meant for it since it joined, once each and in
order, minus the seqs its welcome's history held (docs/chat-protocol.md, "Fan-out"). A frame published
before a socket joined but not yet flushed counts as published after.
"""

from __future__ import annotations

import asyncio
import json
import random

import msgpack

from chat.fanout import MODERATORS, Outlet, RoomHub
from chat.frames import Encoded
from tests.chat.test_fanout import FakeTransport


async def settled(hub: RoomHub) -> None:
    """Until the last flush has run (a saturated room's flush may wait on a timer when the machine is slow)."""
    for _ in range(2000):
        if hub.idle:
            return
        await asyncio.sleep(0.001)
    raise AssertionError("the hub never went idle")


async def run_random_room(seed: int) -> None:
    rng = random.Random(seed)
    hub = RoomHub(asyncio.get_running_loop())
    published: list[tuple[int, int | None, str | None]] = []  # (n, seq, audience)
    joined: dict[Outlet, tuple[FakeTransport, int, int]] = {}  # outlet -> (transport, frames before it, floor)
    waiting: list[Outlet] = []
    top = 0
    for step in range(rng.randrange(20, 80)):
        roll = rng.random()
        if roll < 0.15:
            transport = FakeTransport()
            outlet = Outlet(transport, binary=rng.random() < 0.3, user_id=f"u{rng.randrange(3)}",  # type: ignore[arg-type]
                            moderator=rng.random() < 0.2)
            # frames still waiting for their flush when a socket joins reach it too (a welcome's floor filters
            # those with a seq; presence and notices without one are news to it anyway)
            joined[outlet] = (transport, len(published) - len(hub._batch), 0)
            hub.add(outlet)
            waiting.append(outlet)
        elif roll < 0.25 and waiting:
            outlet = waiting.pop(rng.randrange(len(waiting)))
            floor = max(0, top + rng.randrange(-2, 3))  # a history read ahead of or behind the hub
            transport, since, _ = joined[outlet]
            joined[outlet] = (transport, since, floor)
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
    for outlet, (transport, since, floor) in joined.items():
        want = [n for n, seq, audience in published[since:]
                if (seq is None or seq > floor) and outlet.wants(audience)]
        got = [msgpack.unpackb(f)["n"] if outlet.binary else json.loads(f)["n"] for f in transport.frames()]
        assert got == want, f"seed {seed}: user {outlet.user_id}, welcome floor {floor}"


async def test_every_socket_gets_its_frames_once_and_in_order_whatever_the_interleaving() -> None:
    for seed in range(300):
        await run_random_room(seed)
