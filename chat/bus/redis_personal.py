"""The §45 copy and §47 erasure over the Redis ports' keys, found by ``SCAN`` (rare requests).

Each room's messages of one user leave its stream in one script that also tombstones their
seqs (:data:`_ERASE`), so no node reads history between the XDEL and the ZADD and recovery stays
exact. Envelopes (``deleted``, ``held_resolved``, ``pinned``) go out through the broker.
"""

from __future__ import annotations

import json
from typing import Any, cast

import redis.asyncio as aioredis

from chat.bus.ports import PIN_CONTROL, Broker, Envelope
from chat.bus.privacy import concerns, held_copy, pinned_by, written_by
from chat.bus.redis_common import guarded, key, room_of
from chat.frames import deleted_frame, erased_frame, unpinned_frame

# One room's messages of one user (ARGV[1]) out of its stream, each seq tombstoned in the same script.
_ERASE = """
local ids = {}
for _, entry in ipairs(redis.call('XRANGE', KEYS[1], '-', '+')) do
  local ok, message = pcall(cjson.decode, entry[2][2])
  if ok and type(message) == 'table' and type(message.user) == 'table' and message.user.id == ARGV[1] then
    local seq = string.match(entry[1], '^(%d+)')
    redis.call('XDEL', KEYS[1], entry[1])
    redis.call('ZADD', KEYS[2], seq, seq)
    table.insert(ids, 'm' .. seq)
  end
end
return ids
"""

# The pin (ARGV[1] = the value read) goes only if nobody pinned anew since it was read.
_UNPIN_IF = """
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0
"""


class RedisPersonalData:
    """Reads and erases across every room's stream, review queue and controls in one Redis."""

    def __init__(self, client: aioredis.Redis, broker: Broker) -> None:
        self._client = client
        self._broker = broker
        self._erase = client.register_script(_ERASE)
        self._unpin_if = client.register_script(_UNPIN_IF)

    @guarded
    async def erase_user(self, user_id: str) -> int:
        removed = 0
        async for found in self._client.scan_iter(match=key("*", "log"), count=1000, _type="stream"):
            room = room_of(found, "log")
            ids: list[str] = await self._erase(keys=[found, key(room, "deleted")], args=[user_id])
            for message_id in ids:
                await self._broker.emit(Envelope("frame", room, deleted_frame(message_id)))
            removed += len(ids)
        async for found in self._client.scan_iter(match=key("*", "held"), count=1000, _type="hash"):
            room = room_of(found, "held")
            for held_id, value in (await self._client.hgetall(found)).items():  # type: ignore[misc]
                item = json.loads(value)
                if concerns(item, user_id) and await self._client.hdel(found, held_id):  # type: ignore[misc]  # a moderator may take it first
                    await self._broker.emit(Envelope("moderators", room, erased_frame(item)))
                    removed += 1
        async for found in self._client.scan_iter(match=key("*", "controls"), count=1000, _type="hash"):
            room = room_of(found, "controls")
            pin = cast("str | None", await self._client.hget(found, PIN_CONTROL))  # type: ignore[misc]  # decode_responses=True
            if pin is not None and pinned_by(pin, user_id) and await self._unpin_if(keys=[found], args=[PIN_CONTROL, pin]):
                await self._broker.emit(Envelope("control", room, {"name": PIN_CONTROL, "value": None}))
                await self._broker.emit(Envelope("frame", room, unpinned_frame()))
                removed += 1
        return removed

    @guarded
    async def user_messages(self, user_id: str) -> list[dict[str, Any]]:
        """Reads every room's stream; only entries holding the id's JSON text are decoded."""
        needle = json.dumps(user_id, ensure_ascii=False)
        found_messages: list[dict[str, Any]] = []
        async for found in self._client.scan_iter(match=key("*", "log"), count=1000, _type="stream"):
            room = room_of(found, "log")
            rows: list[tuple[str, dict[str, str]]] = await self._client.xrange(found)  # type: ignore[assignment]
            for _, fields in rows:
                if needle in fields["m"]:
                    message = json.loads(fields["m"])
                    if written_by(message, user_id):
                        found_messages.append({"room": room, **message})
        return found_messages

    @guarded
    async def user_held(self, user_id: str) -> list[dict[str, Any]]:
        """Every room's review queue, oldest first per room."""
        copies: list[dict[str, Any]] = []
        async for found in self._client.scan_iter(match=key("*", "held"), count=1000, _type="hash"):
            room = room_of(found, "held")
            items = (json.loads(v) for v in await self._client.hvals(found))  # type: ignore[misc]
            copies.extend(held_copy(room, item, user_id) for item in sorted(
                (i for i in items if concerns(i, user_id)), key=lambda i: float(i.get("ts", 0))))
        return copies
