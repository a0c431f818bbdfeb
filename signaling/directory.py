"""The room directory: which node holds a room's publisher (ARCHITECTURE.md §1 "Scaling out").

A node that gets a live publisher *announces* ``room → its base URL`` with a
TTL and refreshes it while the room is live, so a crashed node's entry expires
by itself; it *withdraws* the entry when the room stops. Another node that gets
a viewer for a room it does not hold *looks up* the origin and relays the room
from there (:mod:`signaling.relay`).

Two nodes may both believe they hold a room for a moment (a host reconnecting to
another node): the newest ``announce`` wins, and ``refresh``/``withdraw`` of the
older node only touch the entry while it still names that node.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

KEY_PREFIX = "livehire:media:origin:"
#: A blackholed Redis costs one lookup or refresh this long, never a hung relay or announcer.
REDIS_TIMEOUT_SECONDS = 1.0
log = logging.getLogger("livehire.media.directory")


class RoomDirectory(Protocol):
    """Room → origin node URL, with expiry."""

    async def announce(self, room: str, origin_url: str, ttl: float) -> None:
        """Name ``origin_url`` as the room's origin for ``ttl`` seconds (replaces any other node)."""

    async def refresh(self, room: str, origin_url: str, ttl: float) -> bool:
        """Extend our entry (or recreate an expired one); False if another node now holds the room."""

    async def withdraw(self, room: str, origin_url: str) -> None:
        """Remove the entry if it still names ``origin_url``."""

    async def lookup(self, room: str) -> str | None:
        """The origin URL of a live room, or None."""

    async def close(self) -> None: ...


class MemoryRoomDirectory:
    """One process (tests, single node): entries with monotonic-clock expiry."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._entries: dict[str, tuple[str, float]] = {}

    async def announce(self, room: str, origin_url: str, ttl: float) -> None:
        self._entries[room] = (origin_url, self._clock() + ttl)

    async def refresh(self, room: str, origin_url: str, ttl: float) -> bool:
        current = await self.lookup(room)
        if current is not None and current != origin_url:
            return False
        self._entries[room] = (origin_url, self._clock() + ttl)
        return True

    async def withdraw(self, room: str, origin_url: str) -> None:
        if await self.lookup(room) == origin_url:
            del self._entries[room]

    async def lookup(self, room: str) -> str | None:
        entry = self._entries.get(room)
        if entry is None:
            return None
        if entry[1] <= self._clock():
            del self._entries[room]
            return None
        return entry[0]

    async def close(self) -> None:
        self._entries.clear()


_REFRESH = """
local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
"""

_WITHDRAW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


def _ms(ttl: float) -> int:
    return max(1, round(ttl * 1000))


class RedisRoomDirectory:
    """Shared by every node: one key per live room, ``PX`` expiry, compare-and-set in Lua scripts."""

    def __init__(self, url: str, *, prefix: str = KEY_PREFIX) -> None:
        from redis.asyncio import Redis

        self._redis: Any = Redis.from_url(url, decode_responses=True, socket_timeout=REDIS_TIMEOUT_SECONDS,
                                          socket_connect_timeout=REDIS_TIMEOUT_SECONDS)
        self._prefix = prefix

    def _key(self, room: str) -> str:
        return self._prefix + room

    async def announce(self, room: str, origin_url: str, ttl: float) -> None:
        await self._redis.set(self._key(room), origin_url, px=_ms(ttl))

    async def refresh(self, room: str, origin_url: str, ttl: float) -> bool:
        return bool(await self._redis.eval(_REFRESH, 1, self._key(room), origin_url, _ms(ttl)))

    async def withdraw(self, room: str, origin_url: str) -> None:
        await self._redis.eval(_WITHDRAW, 1, self._key(room), origin_url)

    async def lookup(self, room: str) -> str | None:
        value = await self._redis.get(self._key(room))
        return None if value is None else str(value)

    async def close(self) -> None:
        await self._redis.aclose()


class OriginAnnouncer:
    """Keeps this node's entries fresh while its rooms are live (refresh every ``ttl / 3``)."""

    def __init__(self, directory: RoomDirectory, node_url: str, *, ttl: float = 10.0) -> None:
        self.directory = directory
        self.node_url = node_url.rstrip("/")
        self.ttl = ttl
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._pending: set[asyncio.Task[None]] = set()

    def live(self, room: str) -> None:
        self.idle(room, withdraw=False)
        self._tasks[room] = asyncio.get_running_loop().create_task(self._keep(room))

    def idle(self, room: str, *, withdraw: bool = True) -> None:
        task = self._tasks.pop(room, None)
        if task is not None:
            task.cancel()
        if withdraw:
            pending = asyncio.get_running_loop().create_task(self._withdraw(room))
            self._pending.add(pending)
            pending.add_done_callback(self._pending.discard)

    async def _keep(self, room: str) -> None:
        """Announce, then refresh every ``ttl / 3`` for as long as the room is live here.

        A failed call (Redis away) does not end the loop: the next tick tries again, so the room is
        announced again within ``ttl / 3`` of Redis answering (a Redis restarted empty included:
        the refresh sets a missing key). One warning when it starts failing, one line when it is back.
        """
        announced, failing = False, False
        while True:
            try:
                if not announced:
                    await self.directory.announce(room, self.node_url, self.ttl)
                    announced = True
                elif not await self.directory.refresh(room, self.node_url, self.ttl):
                    log.warning("room %s is now announced by another node", room)
                if failing:
                    log.info("room directory answers again: %s announced", room)
                    failing = False
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if not failing:
                    log.warning("room directory unreachable (%s); %s is announced again once it answers", exc, room)
                failing = True
            await asyncio.sleep(self.ttl / 3)

    async def _withdraw(self, room: str) -> None:
        try:
            await self.directory.withdraw(room, self.node_url)
        except Exception:
            log.exception("room directory withdraw failed for %s", room)

    async def close(self) -> None:
        """Withdraw every live room (shutdown), then close the directory."""
        for room in list(self._tasks):
            self.idle(room)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.gather(*self._pending, return_exceptions=True), 3)
        await self.directory.close()
