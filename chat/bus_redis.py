"""The Redis bus: pub/sub for fan-out between nodes, one Stream per room for history.

``append`` is one Lua script (INCR the room's seq, XADD the message under stream id
``<seq>-0``, PUBLISH it), so every node sees messages in ``seq`` order and history
has no race with delivery. Deleted messages leave their ``seq`` in a sorted set so
recovery can tell a deletion from a trimmed (lost) message. Keys, per room:
``chat:{room}:seq``, ``:log`` (stream), ``:deleted`` (zset), ``:held`` and
``:controls`` (hashes), ``:rate:{user}`` (a user's token bucket, shared by every node);
audit records go to the stream ``chat:{room}:audit``.

Faults (security review M10). Every client has connect and read timeouts and one quick retry, so a
dead or blackholed Redis fails an operation within seconds instead of stalling a socket's receive
loop; every operation turns a Redis error into :class:`chat.bus.BusUnavailable` (``_guarded``),
which the service answers with an ``unavailable`` frame. The pub/sub reader is supervised: any
exception ends the current subscription, is logged, and after a back-off (0.1 s doubling to 5 s)
a fresh subscription to the global channel and every watched room starts again. An idle
subscription is read with ``get_message(timeout=...)`` polls (the read timeout of the client does
not apply to them) and checked by a watchdog PING: no answer within :data:`PING_TIMEOUT_SECONDS`
means a blackholed connection, handled like any other failure. Messages published while a node
is disconnected are not replayed by pub/sub; clients recover them from history (``since``).

The review queue (``:held``) is capped per room and per reporter (:meth:`RedisBus.hold`): one
script checks and stores, so two nodes cannot both add the 500th item.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import time
import uuid
from collections.abc import Callable, Coroutine
from typing import Any, Final, ParamSpec, TypeVar, cast

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from chat.bus import (
    HELD_LIMIT,
    HISTORY_LIMIT,
    PENDING_REPORTS_PER_USER,
    PIN_CONTROL,
    AuditRecord,
    BusUnavailable,
    Deliver,
    Envelope,
    EnvelopeKind,
    History,
    RateLimiter,
    concerns,
    deleted_frame,
    erased_frame,
    held_copy,
    pinned_by,
    reporter_id,
    review_queue_full,
    too_many_reports,
    unpinned_frame,
    written_by,
)
from chat.ratelimit import RedisRateLimiter

log = logging.getLogger(__name__)
GLOBAL_CHANNEL = "chat:global"
CONNECT_TIMEOUT_SECONDS: Final = 2.0
READ_TIMEOUT_SECONDS: Final = 3.0  # one command's answer; pub/sub polls pass their own timeout
HEALTH_CHECK_SECONDS: Final = 15.0  # a pooled connection idle this long is PINGed before reuse
READ_POLL_SECONDS: Final = 1.0
PING_INTERVAL_SECONDS: Final = 5.0  # the reader PINGs its subscription after this much silence
PING_TIMEOUT_SECONDS: Final = 5.0  # ...and restarts it when no answer came this long after
BACKOFF_MIN_SECONDS: Final = 0.1
BACKOFF_MAX_SECONDS: Final = 5.0
_WATCHDOG: Final = "livehire-watchdog"

_P = ParamSpec("_P")
_T = TypeVar("_T")


def _guarded(operation: Callable[_P, Coroutine[Any, Any, _T]]) -> Callable[_P, Coroutine[Any, Any, _T]]:
    """Redis errors and socket timeouts leave a bus operation as :class:`BusUnavailable` (see the module)."""

    @functools.wraps(operation)
    async def guarded(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            return await operation(*args, **kwargs)
        except (RedisError, OSError) as exc:
            log.warning("chat bus: %s failed: %r", operation.__name__, exc)
            raise BusUnavailable(f"{operation.__name__}: {exc}") from exc

    return guarded


_APPEND = """
local seq = redis.call('INCR', KEYS[1])
local body = '{"id":"m' .. seq .. '","seq":' .. seq .. ',' .. string.sub(ARGV[1], 2)
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], seq .. '-0', 'm', body)
if seq % 100 == 0 then redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', seq - 2 * tonumber(ARGV[2])) end
redis.call('PUBLISH', ARGV[3], '{"k":"message","n":' .. ARGV[4] .. ',"r":' .. ARGV[5] .. ',"d":' .. body .. '}')
return seq
"""

_REMOVE = """
local removed = redis.call('XDEL', KEYS[1], ARGV[1] .. '-0')
if removed == 1 then redis.call('ZADD', KEYS[2], ARGV[1], ARGV[1]) end
return removed
"""

# One room's messages of one user (ARGV[1]) out of its stream, each seq tombstoned in the same
# script, so no node reads history between the XDEL and the ZADD (recovery stays exact).
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

# The pin (ARGV[1] = the value read) goes only if nobody pinned anew since it was read.
_UNPIN_IF = """
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0
"""


def _key(room: str, part: str) -> str:
    return f"chat:{room}:{part}"


def _channel(room: str) -> str:
    return f"chat:room:{room}"


class RedisAuditLog:
    """Audit records in a capped Redis Stream per room."""

    def __init__(self, client: aioredis.Redis, limit: int = 100_000) -> None:
        self._client = client
        self._limit = limit

    @_guarded
    async def record(self, entry: AuditRecord) -> None:
        data = entry.to_json()
        data["ts"] = entry.ts or time.time()
        await self._client.xadd(_key(entry.room, "audit"), {"r": json.dumps(data, ensure_ascii=False)}, maxlen=self._limit, approximate=True)

    @_guarded
    async def recent(self, room: str, limit: int = 100) -> list[AuditRecord]:
        rows: list[tuple[str, dict[str, str]]] = await self._client.xrevrange(_key(room, "audit"), count=limit)  # type: ignore[assignment]
        records = []
        for _, fields in reversed(rows):
            d = json.loads(fields["r"])
            records.append(AuditRecord(d["room"], d["actor"], d["actor_role"], d["action"], d["target"], d["detail"], d["ts"]))
        return records


class RedisBus:
    """Many nodes, one Redis. ``deliver`` runs on the reader task, in publish order."""

    def __init__(
        self, url: str, *, history_limit: int = HISTORY_LIMIT, held_limit: int = HELD_LIMIT,
        reports_per_user: int = PENDING_REPORTS_PER_USER, ping_interval: float = PING_INTERVAL_SECONDS,
        ping_timeout: float = PING_TIMEOUT_SECONDS,
    ) -> None:
        """``held_limit``, ``reports_per_user``: the review-queue caps of :meth:`chat.bus.Bus.hold`;
        ``ping_interval``, ``ping_timeout``: the reader's watchdog (see the module)."""
        self.node_id = uuid.uuid4().hex[:12]
        self._client: aioredis.Redis = aioredis.from_url(
            url, decode_responses=True, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
            socket_timeout=READ_TIMEOUT_SECONDS, health_check_interval=HEALTH_CHECK_SECONDS,
            # One retry, on a closed connection only (a pooled socket of a Redis that restarted); a
            # timeout is not retried: the sender should not wait two read timeouts for its error frame.
            retry=Retry(ExponentialBackoff(cap=0.2, base=0.05), 1, supported_errors=(RedisConnectionError,)),
        )
        self._pubsub = self._client.pubsub(ignore_subscribe_messages=True)
        self._subscribing = asyncio.Lock()  # one (re)subscription at a time: no two connections for one pubsub
        self._stale = False  # a watch could not subscribe: the reader starts a fresh subscription
        self._backoff = BACKOFF_MIN_SECONDS
        self._ping_interval, self._ping_timeout = ping_interval, ping_timeout
        self._audit = RedisAuditLog(self._client)
        self.rate_limiter: RateLimiter | None = RedisRateLimiter(self._client)  # a user's sockets on several nodes share one bucket
        self._history_limit = history_limit
        self._held_limit = held_limit
        self._reports_per_user = reports_per_user
        self._deliver: Deliver | None = None
        self._reader: asyncio.Task[None] | None = None
        self._append = self._client.register_script(_APPEND)
        self._remove = self._client.register_script(_REMOVE)
        self._erase = self._client.register_script(_ERASE)
        self._hold = self._client.register_script(_HOLD)
        self._unpin_if = self._client.register_script(_UNPIN_IF)
        self._watched: set[str] = set()

    @property
    def audit(self) -> RedisAuditLog:
        return self._audit

    async def start(self, deliver: Deliver) -> None:
        """Subscribes before returning (a node that cannot reach Redis at boot fails to start)."""
        self._deliver = deliver
        async with self._subscribing:
            await self._pubsub.subscribe(GLOBAL_CHANNEL)
        self._reader = asyncio.get_running_loop().create_task(self._supervise(), name="chat-redis-reader")

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        await self._drop(self._pubsub)
        await self._client.aclose()

    # ---- the pub/sub reader ---------------------------------------------------------------

    async def _supervise(self) -> None:
        """Runs the reader for ever: whatever ends it is logged, then a fresh subscription starts."""
        first = True
        while True:
            try:
                if not first:
                    await self._resubscribe()
                first = False
                await self._read(self._pubsub)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("chat bus: pub/sub reader stopped (%r); resubscribing in %.1f s", exc, self._backoff)
                await asyncio.sleep(self._backoff)
                self._backoff = min(self._backoff * 2, BACKOFF_MAX_SECONDS)

    async def _resubscribe(self) -> None:
        """A new pub/sub connection subscribed to the global channel and every room watched now."""
        async with self._subscribing:
            old, self._pubsub = self._pubsub, self._client.pubsub(ignore_subscribe_messages=True)
            self._stale = False
            await self._drop(old)
            await self._pubsub.subscribe(GLOBAL_CHANNEL, *(_channel(room) for room in sorted(self._watched)))
        log.info("chat bus: subscribed again to %d rooms", len(self._watched))

    @staticmethod
    async def _drop(pubsub: aioredis.client.PubSub) -> None:
        """Close a subscription whatever state its connection is in (it may hang on a blackholed socket)."""
        with contextlib.suppress(Exception):
            async with asyncio.timeout(1.0):
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def _read(self, pubsub: aioredis.client.PubSub) -> None:
        """Deliver envelopes until the subscription fails (raises); never returns."""
        loop = asyncio.get_running_loop()
        heard, pinged = loop.time(), None
        poll = min(READ_POLL_SECONDS, self._ping_interval)
        while True:
            if self._stale:
                raise ConnectionError("a room could not be subscribed")
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=poll)
            now = loop.time()
            if message is None:
                if pinged is not None and now - pinged > self._ping_timeout:
                    raise TimeoutError(f"no answer to a PING in {self._ping_timeout} s")
                if pinged is None and now - heard > self._ping_interval:
                    await pubsub.ping(_WATCHDOG)
                    pinged = now
                continue
            heard, pinged = now, None
            self._backoff = BACKOFF_MIN_SECONDS  # Redis answered: the next failure retries quickly again
            if message.get("type") == "message":
                self._dispatch(message["data"])

    def _dispatch(self, data: str) -> None:
        try:
            raw = json.loads(data)
            envelope = Envelope(cast(EnvelopeKind, raw["k"]), raw.get("r"), raw["d"], raw.get("t"), raw.get("n", ""))
        except (ValueError, KeyError, TypeError):
            log.exception("chat bus: dropped a malformed envelope")
            return
        if self._deliver is not None:
            try:
                self._deliver(envelope)
            except Exception:
                log.exception("chat bus: delivering an envelope failed")

    async def watch(self, room: str) -> None:
        """Never raises for Redis: a room that cannot be subscribed now is subscribed by the reader's restart."""
        if room in self._watched:
            return
        self._watched.add(room)
        try:
            async with self._subscribing:
                await self._pubsub.subscribe(_channel(room))
        except (RedisError, OSError) as exc:
            log.warning("chat bus: subscribing to %s failed (%r); the reader resubscribes", room, exc)
            self._stale = True

    async def unwatch(self, room: str) -> None:
        if room in self._watched:
            self._watched.discard(room)
            try:
                async with self._subscribing:
                    await self._pubsub.unsubscribe(_channel(room))
            except (RedisError, OSError) as exc:  # the next subscription leaves the room out anyway
                log.warning("chat bus: unsubscribing from %s failed (%r)", room, exc)

    # ---- shared state -----------------------------------------------------------------------

    @_guarded
    async def append(self, room: str, message: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
        keys = [_key(room, "seq"), _key(room, "log"), _key(room, "deleted")]
        args: list[str | int] = [body, self._history_limit, _channel(room), json.dumps(self.node_id), json.dumps(room, ensure_ascii=False)]
        seq = int(await self._append(keys=keys, args=args))
        return {"id": f"m{seq}", "seq": seq, **message}

    @_guarded
    async def emit(self, envelope: Envelope) -> None:
        payload = {"k": envelope.kind, "r": envelope.room, "d": envelope.data, "t": envelope.target, "n": envelope.node or self.node_id}
        channel = GLOBAL_CHANNEL if envelope.room is None else _channel(envelope.room)
        await self._client.publish(channel, json.dumps(payload, ensure_ascii=False, separators=(",", ":")))

    @_guarded
    async def history(self, room: str, *, since: int | None, limit: int = 50) -> History:
        if since is None:
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.get(_key(room, "seq"))
                pipe.xrevrange(_key(room, "log"), count=limit)
                last, rows = await pipe.execute()
            return History([json.loads(f["m"]) for _, f in reversed(rows)] if limit else [], int(last or 0), True)
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.get(_key(room, "seq"))
            pipe.xrange(_key(room, "log"), min=f"{since + 1}-0" if since >= 0 else "-", count=self._history_limit + 1)
            pipe.zcount(_key(room, "deleted"), since + 1, "+inf")
            last_raw, rows, deleted = await pipe.execute()
        last = int(last_raw or 0)
        if since >= last:
            return History([], last, since == last)
        if since < 0 or last - since > self._history_limit:
            return History([], last, False)
        missed = [json.loads(f["m"]) for _, f in rows]
        complete = len(missed) + int(deleted) == last - since
        return History(missed if complete else [], last, complete)

    @_guarded
    async def remove(self, room: str, message_id: str) -> bool:
        if not message_id.startswith("m") or not message_id[1:].isdigit():
            return False
        removed = await self._remove(keys=[_key(room, "log"), _key(room, "deleted")], args=[message_id[1:]])
        return bool(removed)

    @_guarded
    async def erase_user(self, user_id: str) -> int:
        """Every room with a history or a review queue in this Redis, found by ``SCAN`` (rare: §47 requests)."""
        removed = 0
        async for key in self._client.scan_iter(match=_key("*", "log"), count=1000, _type="stream"):
            room = key[len("chat:"):-len(":log")]
            ids: list[str] = await self._erase(keys=[key, _key(room, "deleted")], args=[user_id])
            for message_id in ids:
                await self.emit(Envelope("frame", room, deleted_frame(message_id)))
            removed += len(ids)
        async for key in self._client.scan_iter(match=_key("*", "held"), count=1000, _type="hash"):
            room = key[len("chat:"):-len(":held")]
            for held_id, value in (await self._client.hgetall(key)).items():  # type: ignore[misc]
                item = json.loads(value)
                if concerns(item, user_id) and await self._client.hdel(key, held_id):  # a moderator may take it first
                    await self.emit(Envelope("moderators", room, erased_frame(item)))
                    removed += 1
        async for key in self._client.scan_iter(match=_key("*", "controls"), count=1000, _type="hash"):
            room = key[len("chat:"):-len(":controls")]
            pin = cast("str | None", await self._client.hget(key, PIN_CONTROL))  # type: ignore[misc]  # decode_responses=True
            if pin is not None and pinned_by(pin, user_id) and await self._unpin_if(keys=[key], args=[PIN_CONTROL, pin]):
                await self.emit(Envelope("control", room, {"name": PIN_CONTROL, "value": None}))
                await self.emit(Envelope("frame", room, unpinned_frame()))
                removed += 1
        return removed

    @_guarded
    async def user_messages(self, user_id: str) -> list[dict[str, Any]]:
        """Reads every room's stream; only entries holding the id's JSON text are decoded."""
        needle = json.dumps(user_id, ensure_ascii=False)
        found: list[dict[str, Any]] = []
        async for key in self._client.scan_iter(match=_key("*", "log"), count=1000, _type="stream"):
            room = key[len("chat:"):-len(":log")]
            rows: list[tuple[str, dict[str, str]]] = await self._client.xrange(key)  # type: ignore[assignment]
            for _, fields in rows:
                if needle in fields["m"]:
                    message = json.loads(fields["m"])
                    if written_by(message, user_id):
                        found.append({"room": room, **message})
        return found

    @_guarded
    async def user_held(self, user_id: str) -> list[dict[str, Any]]:
        """Every room's review queue, found by ``SCAN`` (rare: §45 requests), oldest first per room."""
        found: list[dict[str, Any]] = []
        async for key in self._client.scan_iter(match=_key("*", "held"), count=1000, _type="hash"):
            room = key[len("chat:"):-len(":held")]
            items = (json.loads(v) for v in await self._client.hvals(key))  # type: ignore[misc]
            found.extend(held_copy(room, item, user_id) for item in sorted(
                (i for i in items if concerns(i, user_id)), key=lambda i: float(i.get("ts", 0))))
        return found

    @_guarded
    async def hold(self, room: str, message: dict[str, Any]) -> None:
        args: list[str | int] = [str(message["id"]), json.dumps(message, ensure_ascii=False), self._held_limit,
                                 self._reports_per_user, reporter_id(message) or ""]
        answer = await self._hold(keys=[_key(room, "held")], args=args)
        if answer == "full":
            raise review_queue_full()
        if answer == "reports":
            raise too_many_reports()

    @_guarded
    async def held(self, room: str) -> list[dict[str, Any]]:
        values = await self._client.hvals(_key(room, "held"))
        return sorted((json.loads(v) for v in values), key=lambda m: float(m.get("ts", 0)))

    @_guarded
    async def take_held(self, room: str, held_id: str) -> dict[str, Any] | None:
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.hget(_key(room, "held"), held_id)
            pipe.hdel(_key(room, "held"), held_id)
            value, removed = await pipe.execute()
        return json.loads(value) if removed and value else None

    @_guarded
    async def load_controls(self, room: str) -> dict[str, str]:
        fields: dict[str, str] = await self._client.hgetall(_key(room, "controls"))  # type: ignore[assignment]
        return dict(fields)

    @_guarded
    async def save_control(self, room: str, name: str, value: str | None) -> None:
        if value is None:
            await self._client.hdel(_key(room, "controls"), name)
        else:
            await self._client.hset(_key(room, "controls"), name, value)
        await self.emit(Envelope("control", room, {"name": name, "value": value}))
