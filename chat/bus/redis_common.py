"""What the Redis ports share: one client with bounded waits, the key layout, and the error guard.

Keys, per room: ``chat:{room}:seq``, ``:log`` (stream), ``:deleted`` (zset of tombstoned seqs),
``:held`` and ``:controls`` (hashes), ``:audit`` (stream), ``:rate:{user}`` (a user's token
bucket); pub/sub channels ``chat:room:{room}`` and ``chat:global``.

Faults (security review M10). The client has connect and read timeouts and one quick retry, so a
dead or blackholed Redis fails an operation within seconds instead of stalling a socket's receive
loop; every port operation turns a Redis error into :class:`chat.bus.ports.BusUnavailable`
(:func:`guarded`), which the service answers with an ``unavailable`` frame.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Final, ParamSpec, TypeVar

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from chat.bus.ports import BusUnavailable

log = logging.getLogger("chat.bus.redis")
GLOBAL_CHANNEL: Final = "chat:global"
CONNECT_TIMEOUT_SECONDS: Final = 2.0
READ_TIMEOUT_SECONDS: Final = 3.0  # one command's answer; pub/sub polls pass their own timeout
HEALTH_CHECK_SECONDS: Final = 15.0  # a pooled connection idle this long is PINGed before reuse

_P = ParamSpec("_P")
_T = TypeVar("_T")


def connect(url: str) -> aioredis.Redis:
    """The client every Redis port of a node shares (one pool)."""
    return aioredis.from_url(
        url, decode_responses=True, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
        socket_timeout=READ_TIMEOUT_SECONDS, health_check_interval=HEALTH_CHECK_SECONDS,
        # One retry, on a closed connection only (a pooled socket of a Redis that restarted); a
        # timeout is not retried: the sender should not wait two read timeouts for its error frame.
        retry=Retry(ExponentialBackoff(cap=0.2, base=0.05), 1, supported_errors=(RedisConnectionError,)),
    )


def guarded(operation: Callable[_P, Coroutine[Any, Any, _T]]) -> Callable[_P, Coroutine[Any, Any, _T]]:
    """Redis errors and socket timeouts leave a port operation as :class:`BusUnavailable`."""

    @functools.wraps(operation)
    async def guard(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            return await operation(*args, **kwargs)
        except (RedisError, OSError) as exc:
            log.warning("chat bus: %s failed: %r", operation.__name__, exc)
            raise BusUnavailable(f"{operation.__name__}: {exc}") from exc

    return guard


def key(room: str, part: str) -> str:
    return f"chat:{room}:{part}"


def room_of(found: str, part: str) -> str:
    """The room of a key found by ``SCAN`` for ``key("*", part)``."""
    return found[len("chat:"):-len(part) - 1]


def channel(room: str) -> str:
    return f"chat:room:{room}"
