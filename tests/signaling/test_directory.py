"""Contract of :class:`signaling.directory.RoomDirectory`, run against memory and real Redis."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator

import pytest

from signaling.directory import MemoryRoomDirectory, RedisRoomDirectory, RoomDirectory

A = "http://10.0.0.1:8080"
B = "http://10.0.0.2:8080"


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def directory(request: pytest.FixtureRequest) -> AsyncIterator[RoomDirectory]:
    if request.param == "memory":
        store: RoomDirectory = MemoryRoomDirectory()
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


async def test_entry_expires_unless_refreshed(directory: RoomDirectory) -> None:
    """A crashed node stops refreshing; its entry disappears after the TTL."""
    await directory.announce("demo", A, 0.3)
    await directory.announce("kept", A, 0.3)
    await asyncio.sleep(0.15)
    assert await directory.refresh("kept", A, 0.3)
    await asyncio.sleep(0.25)
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
