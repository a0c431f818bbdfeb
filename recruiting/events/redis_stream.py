"""The event log of many nodes: a Redis Stream read by one consumer group per node.

Every node reads the stream through its *own* consumer group (named after the
node), so each node sees every event and acknowledges what it has fanned out;
the stream itself is capped and kept for late readers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import uuid
from collections.abc import Collection, Mapping, Sequence
from typing import Any, cast

from recruiting.events.encoding import EncodedEvent, Event, about_applications, event_json, json_encoder
from recruiting.events.fanout import EventSubscription, LocalFanout

STREAM_KEY = "livehire:recruiting:events"


class RedisStreamEventLog:
    """A Redis Stream read by one consumer group per node (XREADGROUP + XACK)."""

    def __init__(self, redis_url: str, *, stream: str = STREAM_KEY, maxlen: int = 100_000) -> None:
        from redis.asyncio import Redis

        self._redis: Redis = Redis.from_url(redis_url)
        self._reader_client: Redis = Redis.from_url(redis_url)
        self._stopping = False
        self._stream = stream
        self._maxlen = maxlen
        self._group = f"office-{uuid.uuid4().hex[:12]}"
        self._fanout = LocalFanout()
        self._reader: asyncio.Task[None] | None = None
        self._encode = json_encoder()

    async def start(self) -> None:
        await self._redis.xgroup_create(self._stream, self._group, id="$", mkstream=True)
        self._reader = asyncio.create_task(self._read(), name="recruiting-event-reader")

    async def close(self) -> None:
        # A flag, not cancel(): cancelling redis-py mid-XREADGROUP can wedge the connection.
        self._stopping = True
        if self._reader is not None:
            await self._reader
            self._reader = None
            with contextlib.suppress(Exception):
                await self._redis.xgroup_destroy(self._stream, self._group)
        self._fanout.close_all()
        await self._reader_client.aclose()
        await self._redis.aclose()

    async def publish(self, events: Sequence[Mapping[str, Any]]) -> None:
        if not events:
            return
        async with self._redis.pipeline(transaction=False) as pipe:
            for event in events:
                pipe.xadd(
                    self._stream,
                    {"e": event_json(event, self._encode)},
                    maxlen=self._maxlen,
                    approximate=True,
                )
            await pipe.execute()

    def subscribe(self) -> EventSubscription:
        return self._fanout.subscribe()

    async def forget(self, application_ids: Collection[str], *, page: int = 1000) -> int:
        """``XDEL`` of the stream entries of these applications, found by reading the whole (capped)
        stream a page at a time; a cheap text match picks the entries worth decoding. Also drops them
        from this node's unread buffers, before and after (a read in flight lands meanwhile). Returns
        how many stream entries were deleted. Other nodes' unread buffers are not reached."""
        ids = set(application_ids)
        if not ids:
            return 0
        self._fanout.forget(ids)
        pattern = re.compile("|".join(re.escape(json.dumps(i, ensure_ascii=False)) for i in sorted(ids)))
        deleted, start = 0, "-"
        while True:
            rows = cast(list[tuple[Any, dict[Any, Any]]], await self._redis.xrange(self._stream, min=start, count=page))
            doomed = []
            for entry_id, fields in rows:
                raw = fields.get(b"e") or fields.get("e")
                text = raw.decode() if isinstance(raw, bytes) else str(raw)
                if raw is not None and pattern.search(text) and about_applications(json.loads(text), ids):
                    doomed.append(entry_id)
            if doomed:
                deleted += int(await self._redis.xdel(self._stream, *doomed))
            if len(rows) < page:
                self._fanout.forget(ids)
                return deleted
            last = rows[-1][0]
            start = "(" + (last.decode() if isinstance(last, bytes) else str(last))

    async def _read(self) -> None:
        while not self._stopping:
            try:
                replies = await self._reader_client.xreadgroup(
                    self._group, "reader", {self._stream: ">"}, count=1000, block=250
                )
            except Exception as exc:
                if "NOGROUP" in str(exc):  # the stream was deleted under us: join again
                    with contextlib.suppress(Exception):
                        await self._redis.xgroup_create(self._stream, self._group, id="$", mkstream=True)
                await asyncio.sleep(0.5)
                continue
            for _stream, entries in cast(list[Any], replies or []):
                ids = []
                batch: list[Event] = []
                for entry_id, fields in entries:
                    ids.append(entry_id)
                    raw = fields.get(b"e") or fields.get("e")
                    if raw is not None:
                        text = raw.decode() if isinstance(raw, bytes) else str(raw)
                        batch.append(EncodedEvent(json.loads(text), text))
                if batch:
                    self._fanout.deliver_many(batch)
                if ids:
                    with contextlib.suppress(Exception):
                        await self._reader_client.xack(self._stream, self._group, *ids)
