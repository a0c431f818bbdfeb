"""The Redis review queue, room controls and audit log: hashes and a stream per room.

The review queue (``:held``) is capped per room and per reporter: one script checks and stores
(:data:`_HOLD`), so two nodes cannot both add the 500th item. A control change is written, then
published as a ``control`` envelope through the broker, so every node's cache follows.
"""

from __future__ import annotations

import json
import time
from typing import Any

import redis.asyncio as aioredis

from chat.bus.ports import (
    HELD_LIMIT,
    PENDING_REPORTS_PER_USER,
    AuditRecord,
    Broker,
    Envelope,
    review_queue_full,
    too_many_reports,
)
from chat.bus.privacy import reporter_id
from chat.bus.redis_common import guarded, key, room_of

# The review-queue caps and the store in one step. KEYS[1] the held hash; ARGV: id, item JSON, room cap,
# per-reporter cap, reporter id ('' for a held message). Returns ok, full or reports.
_HOLD = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 'full' end
  if ARGV[5] ~= '' then
    local mine = 0
    for _, value in ipairs(redis.call('HVALS', KEYS[1])) do
      local ok, item = pcall(cjson.decode, value)
      if ok and type(item) == 'table' and item.kind == 'report' and type(item.reporter) == 'table'
          and item.reporter.id == ARGV[5] then
        mine = mine + 1
      end
    end
    if mine >= tonumber(ARGV[4]) then return 'reports' end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 'ok'
"""


class RedisReviewQueue:
    """One hash per room (``chat:{room}:held``), item id → item JSON."""

    def __init__(
        self, client: aioredis.Redis, *, held_limit: int = HELD_LIMIT, reports_per_user: int = PENDING_REPORTS_PER_USER,
    ) -> None:
        self._client = client
        self._held_limit = held_limit
        self._reports_per_user = reports_per_user
        self._hold = client.register_script(_HOLD)

    @guarded
    async def hold(self, room: str, item: dict[str, Any]) -> None:
        args: list[str | int] = [str(item["id"]), json.dumps(item, ensure_ascii=False), self._held_limit,
                                 self._reports_per_user, reporter_id(item) or ""]
        answer = await self._hold(keys=[key(room, "held")], args=args)
        if answer == "full":
            raise review_queue_full()
        if answer == "reports":
            raise too_many_reports()

    @guarded
    async def held(self, room: str) -> list[dict[str, Any]]:
        values = await self._client.hvals(key(room, "held"))  # type: ignore[misc]  # decode_responses=True
        return sorted((json.loads(v) for v in values), key=lambda m: float(m.get("ts", 0)))

    @guarded
    async def take_held(self, room: str, held_id: str) -> dict[str, Any] | None:
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.hget(key(room, "held"), held_id)
            pipe.hdel(key(room, "held"), held_id)
            value, removed = await pipe.execute()
        return json.loads(value) if removed and value else None

    @guarded
    async def rooms(self) -> list[str]:
        found = {room_of(name, "held") async for name in self._client.scan_iter(match=key("*", "held"), count=1000,
                                                                               _type="hash")}
        return sorted(found)  # an emptied hash is deleted by Redis, so every room found holds an item


class RedisControls:
    """One hash per room (``chat:{room}:controls``); changes announced through ``broker``."""

    def __init__(self, client: aioredis.Redis, broker: Broker) -> None:
        self._client = client
        self._broker = broker

    @guarded
    async def load_controls(self, room: str) -> dict[str, str]:
        fields: dict[str, str] = await self._client.hgetall(key(room, "controls"))  # type: ignore[assignment]
        return dict(fields)

    @guarded
    async def save_control(self, room: str, name: str, value: str | None) -> None:
        if value is None:
            await self._client.hdel(key(room, "controls"), name)  # type: ignore[misc]
        else:
            await self._client.hset(key(room, "controls"), name, value)  # type: ignore[misc]
        await self._broker.emit(Envelope("control", room, {"name": name, "value": value}))


class RedisAuditLog:
    """Audit records in a capped Redis Stream per room."""

    def __init__(self, client: aioredis.Redis, limit: int = 100_000) -> None:
        self._client = client
        self._limit = limit

    @guarded
    async def record(self, entry: AuditRecord) -> None:
        data = entry.to_json()
        data["ts"] = entry.ts or time.time()
        await self._client.xadd(key(entry.room, "audit"), {"r": json.dumps(data, ensure_ascii=False)}, maxlen=self._limit, approximate=True)

    @guarded
    async def recent(self, room: str, limit: int = 100) -> list[AuditRecord]:
        rows: list[tuple[str, dict[str, str]]] = await self._client.xrevrange(key(room, "audit"), count=limit)  # type: ignore[assignment]
        records = []
        for _, fields in reversed(rows):
            d = json.loads(fields["r"])
            records.append(AuditRecord(d["room"], d["actor"], d["actor_role"], d["action"], d["target"], d["detail"], d["ts"]))
        return records
