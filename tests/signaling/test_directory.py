"""Contract of :class:`signaling.directory.RoomDirectory`, run against memory and real Redis."""

from __future__ import annotations

import asyncio
import itertools
import secrets
from collections.abc import AsyncIterator

import pytest

from common.clock import ManualClock
from signaling.directory import MemoryRoomDirectory, RedisRoomDirectory, RoomDirectory

A = "http://10.0.0.1:8080"
B = "http://10.0.0.2:8080"
TTL = 0.2


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def directory(request: pytest.FixtureRequest, clock: ManualClock) -> AsyncIterator[RoomDirectory]:
    if request.param == "memory":
        store: RoomDirectory = MemoryRoomDirectory(clock=clock.monotonic)
    else:
        url = request.getfixturevalue("redis_url")
        store = RedisRoomDirectory(url, prefix=f"test:{secrets.token_hex(4)}:")
    try:
        yield store
    finally:
        await store.close()


async def test_announce_lookup_withdraw(directory: RoomDirectory) -> None:
    assert await directory.lookup("demo") is None
    await directory.announce("demo", A, 10)
    assert await directory.lookup("demo") == A
    assert await directory.lookup("other") is None
    await directory.withdraw("demo", A)
    assert await directory.lookup("demo") is None
    await directory.withdraw("demo", A)  # idempotent


async def until_expired(directory: RoomDirectory, room: str, clock: ManualClock) -> None:
    """Time passes until ``room``'s entry (announced with :data:`TTL`) has expired: the memory directory's
    clock is moved; Redis keeps time itself, so its expiry is awaited (polled, with a deadline)."""
    if isinstance(directory, MemoryRoomDirectory):
        clock.advance(TTL)
        return
    async with asyncio.timeout(10):
        for _ in itertools.count():  # Redis tells no one when a key expires: ask until it has
            if await directory.lookup(room) is None:
                return
            await asyncio.sleep(0.02)


async def test_entry_expires_unless_refreshed(directory: RoomDirectory, clock: ManualClock) -> None:
    """A crashed node stops refreshing; its entry disappears after the TTL. No timing margin: "kept" is
    announced first, so once "demo" has expired so would "kept" have, without its refresh."""
    await directory.announce("kept", A, TTL)
    await directory.announce("demo", A, TTL)
    assert await directory.refresh("kept", A, 60)
    await until_expired(directory, "demo", clock)
    assert await directory.lookup("demo") is None
    assert await directory.lookup("kept") == A
    assert await directory.refresh("demo", A, 1)  # an expired entry of ours is recreated
    assert await directory.lookup("demo") == A


async def test_newest_announce_wins_and_old_node_cannot_undo_it(directory: RoomDirectory) -> None:
    """A host reconnecting to node B takes the room over; node A's refresh and withdraw leave it."""
    await directory.announce("demo", A, 10)
    await directory.announce("demo", B, 10)
    assert await directory.lookup("demo") == B
    assert not await directory.refresh("demo", A, 10)
    await directory.withdraw("demo", A)
    assert await directory.lookup("demo") == B
    assert await directory.refresh("demo", B, 10)
