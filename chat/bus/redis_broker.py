"""The Redis broker: pub/sub for fan-out between nodes, one Stream per room for history.

``append`` is one Lua script (INCR the room's seq, XADD the message under stream id
``<seq>-0``, PUBLISH it), so every node sees messages in ``seq`` order and history
has no race with delivery. Deleted messages leave their ``seq`` in a sorted set so
recovery can tell a deletion from a trimmed (lost) message (key layout:
:mod:`chat.bus.redis_common`).

The pub/sub reader is supervised: any exception ends the current subscription, is logged, and
after a back-off (0.1 s doubling to 5 s) a fresh subscription to the global channel and every
watched room starts again. An idle subscription is read with ``get_message(timeout=...)`` polls
(the client's read timeout does not apply to them) and checked by a watchdog PING: no answer
within :data:`PING_TIMEOUT_SECONDS` means a blackholed connection, handled like any other
failure. Messages published while a node is disconnected are not replayed by pub/sub; clients
recover them from history (``since``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from typing import Any, Final, cast

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from chat.bus.ports import HISTORY_LIMIT, Deliver, Envelope, EnvelopeKind, History
from chat.bus.redis_common import GLOBAL_CHANNEL, channel, guarded, key

log = logging.getLogger(__name__)
READ_POLL_SECONDS: Final = 1.0
PING_INTERVAL_SECONDS: Final = 5.0  # the reader PINGs its subscription after this much silence
PING_TIMEOUT_SECONDS: Final = 5.0  # ...and restarts it when no answer came this long after
BACKOFF_MIN_SECONDS: Final = 0.1
BACKOFF_MAX_SECONDS: Final = 2.0  # so chat resumes within ~2 s of Redis answering again (issue 15: ≤ 5 s)
_WATCHDOG: Final = "livehire-watchdog"

# The epoch key is created with the first message (or history read) after the room's keys were lost,
# with a random name the node passes in (scripts cannot draw random numbers).
_APPEND = """
redis.call('SET', KEYS[4], ARGV[6], 'NX')
local epoch = redis.call('GET', KEYS[4])
local seq = redis.call('INCR', KEYS[1])
local body = '{"id":"m' .. seq .. '","seq":' .. seq .. ',' .. string.sub(ARGV[1], 2)
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], seq .. '-0', 'm', body)
if seq % 100 == 0 then redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', seq - 2 * tonumber(ARGV[2])) end
redis.call('PUBLISH', ARGV[3], '{"k":"message","n":' .. ARGV[4] .. ',"r":' .. ARGV[5] .. ',"e":"' .. epoch .. '","d":' .. body .. '}')
return {seq, epoch}
"""

_REMOVE = """
local removed = redis.call('XDEL', KEYS[1], ARGV[1] .. '-0')
if removed == 1 then redis.call('ZADD', KEYS[2], ARGV[1], ARGV[1]) end
return removed
"""


def _new_epoch() -> str:
    """A name for a room's history that begins now (used only if the room has none)."""
    return uuid.uuid4().hex[:12]


class RedisBroker:
    """Many nodes, one Redis. ``deliver`` runs on the reader task, in publish order."""

    def __init__(
        self, client: aioredis.Redis, *, history_limit: int = HISTORY_LIMIT,
        ping_interval: float = PING_INTERVAL_SECONDS, ping_timeout: float = PING_TIMEOUT_SECONDS,
        backoff: tuple[float, float] = (BACKOFF_MIN_SECONDS, BACKOFF_MAX_SECONDS),
    ) -> None:
        """``ping_interval``, ``ping_timeout``: the reader's watchdog (see the module); ``backoff``: the first
        and the longest wait before subscribing again."""
        self.node_id = uuid.uuid4().hex[:12]
        self._client = client
        # The subscription's own pool, without the client's retry: redis-py would otherwise reconnect a
        # dropped subscription by itself, silently, and the messages published meanwhile would be missed
        # with nothing to tell (the supervisor below reconnects, then announces a ``resume``).
        options = {**client.connection_pool.connection_kwargs, "retry": Retry(NoBackoff(), 0)}
        self._pool = aioredis.ConnectionPool(connection_class=client.connection_pool.connection_class, **options)
        self._pubsub = self._subscription()
        self._subscribing = asyncio.Lock()  # one (re)subscription at a time: no two connections for one pubsub
        self._stale = False  # a watch could not subscribe: the reader starts a fresh subscription
        self._backoff_min, self._backoff_max = backoff
        self._backoff = self._backoff_min
        self._ping_interval, self._ping_timeout = ping_interval, ping_timeout
        self._history_limit = history_limit
        self._deliver: Deliver | None = None
        self._reader: asyncio.Task[None] | None = None
        self._up = False  # the subscription is live: set once subscribed, cleared when the reader fails
        self._append = client.register_script(_APPEND)
        self._remove = client.register_script(_REMOVE)
        self._watched: set[str] = set()

    async def start(self, deliver: Deliver) -> None:
        """Subscribes before returning (a node that cannot reach Redis at boot fails to start)."""
        self._deliver = deliver
        async with self._subscribing:
            await self._pubsub.subscribe(GLOBAL_CHANNEL)
        self._up = True
        self._reader = asyncio.get_running_loop().create_task(self._supervise(), name="chat-redis-reader")

    def subscribed(self) -> bool:
        return self._up and not self._stale

    async def close(self) -> None:
        """Stops the reader and the subscription; the shared client is closed by its owner."""
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        await self._drop(self._pubsub)
        with contextlib.suppress(Exception):
            await self._pool.disconnect()

    def _subscription(self) -> aioredis.client.PubSub:
        return aioredis.client.PubSub(self._pool, ignore_subscribe_messages=True)

    # ---- the pub/sub reader ---------------------------------------------------------------

    async def _supervise(self) -> None:
        """Runs the reader for ever: whatever ends it is logged, then a fresh subscription starts."""
        first = True
        while True:
            try:
                if not first:
                    await self._resubscribe()
                    self._resume()
                first = False
                await self._read(self._pubsub)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._up = False
                log.warning("chat bus: pub/sub reader stopped (%r); resubscribing in %.1f s", exc, self._backoff)
                await asyncio.sleep(self._backoff)
                self._backoff = min(self._backoff * 2, self._backoff_max)

    async def _resubscribe(self) -> None:
        """A new pub/sub connection subscribed to the global channel and every room watched now."""
        async with self._subscribing:
            old, self._pubsub = self._pubsub, self._subscription()
            self._stale = False
            await self._drop(old)
            await self._pubsub.subscribe(GLOBAL_CHANNEL, *(channel(room) for room in sorted(self._watched)))
            self._up = True
        log.info("chat bus: subscribed again to %d rooms", len(self._watched))

    def _resume(self) -> None:
        """Tell the service the subscription was down: what was published meanwhile is read from history."""
        if self._deliver is not None:
            try:
                self._deliver(Envelope("resume", None, {}, node=self.node_id))
            except Exception:
                log.exception("chat bus: the resume hook failed")

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
            self._backoff = self._backoff_min  # Redis answered: the next failure retries quickly again
            if message.get("type") == "message":
                self._dispatch(message["data"])

    def _dispatch(self, data: str) -> None:
        try:
            raw = json.loads(data)
            envelope = Envelope(cast(EnvelopeKind, raw["k"]), raw.get("r"), raw["d"], raw.get("t"), raw.get("n", ""),
                                raw.get("e", ""))
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
                await self._pubsub.subscribe(channel(room))
        except (RedisError, OSError) as exc:
            log.warning("chat bus: subscribing to %s failed (%r); the reader resubscribes", room, exc)
            self._stale = True

    async def unwatch(self, room: str) -> None:
        if room in self._watched:
            self._watched.discard(room)
            try:
                async with self._subscribing:
                    await self._pubsub.unsubscribe(channel(room))
            except (RedisError, OSError) as exc:  # the next subscription leaves the room out anyway
                log.warning("chat bus: unsubscribing from %s failed (%r)", room, exc)

    # ---- history ------------------------------------------------------------------------------

    @guarded
    async def append(self, room: str, message: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
        keys = [key(room, "seq"), key(room, "log"), key(room, "deleted"), key(room, "epoch")]
        args: list[str | int] = [body, self._history_limit, channel(room), json.dumps(self.node_id),
                                 json.dumps(room, ensure_ascii=False), _new_epoch()]
        seq, epoch = await self._append(keys=keys, args=args)
        return {"id": f"m{seq}", "seq": int(seq), **message, "epoch": str(epoch)}

    @guarded
    async def emit(self, envelope: Envelope) -> None:
        payload = {"k": envelope.kind, "r": envelope.room, "d": envelope.data, "t": envelope.target, "n": envelope.node or self.node_id}
        target = GLOBAL_CHANNEL if envelope.room is None else channel(envelope.room)
        await self._client.publish(target, json.dumps(payload, ensure_ascii=False, separators=(",", ":")))

    @guarded
    async def history(self, room: str, *, since: int | None, limit: int = 50) -> History:
        epoch_key = key(room, "epoch")
        if since is None:
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.set(epoch_key, _new_epoch(), nx=True)
                pipe.get(epoch_key)
                pipe.get(key(room, "seq"))
                if limit:  # (a COUNT of 0 is refused by the client library)
                    pipe.xrevrange(key(room, "log"), count=limit)
                _, epoch, last, *rows = await pipe.execute()
            messages = [json.loads(f["m"]) for _, f in reversed(rows[0])] if limit else []
            return History(messages, int(last or 0), True, str(epoch))
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.set(epoch_key, _new_epoch(), nx=True)
            pipe.get(epoch_key)
            pipe.get(key(room, "seq"))
            pipe.xrange(key(room, "log"), min=f"{since + 1}-0" if since >= 0 else "-", count=self._history_limit + 1)
            pipe.zcount(key(room, "deleted"), since + 1, "+inf")
            _, epoch, last_raw, rows, deleted = await pipe.execute()
        last = int(last_raw or 0)
        if since >= last:
            return History([], last, since == last, str(epoch))
        if since < 0 or last - since > self._history_limit:
            return History([], last, False, str(epoch))
        missed = [json.loads(f["m"]) for _, f in rows]
        complete = len(missed) + int(deleted) == last - since
        return History(missed if complete else [], last, complete, str(epoch))

    @guarded
    async def remove(self, room: str, message_id: str) -> bool:
        if not message_id.startswith("m") or not message_id[1:].isdigit():
            return False
        removed = await self._remove(keys=[key(room, "log"), key(room, "deleted")], args=[message_id[1:]])
        return bool(removed)
