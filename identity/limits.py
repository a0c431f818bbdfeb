"""Abuse limits for the whole server: named rules of moving-window limits, in memory or shared in Redis.

Why: logins, SMS codes, sign-in links, account creation, WHIP/WHEP negotiation, reports and
applications can each be hammered (security review M3, M4, M6, H4). Every handler names a rule
and the keys it is counted by (an IP, an account, a phone number, a user) and calls :meth:`RateLimits.hit`;
the rule's limits live in one table, :data:`DEFAULT_RULES`, that a deployment may override.

Built on the ``limits`` library (``limits.aio``) with its moving-window strategy: exact counts, no
double burst at a window boundary. A rule may stack several limits (``"1/minute;5/hour;10/day"``);
a hit is admitted only when every one of them has room, and the refusal's ``retry_after`` is the
longest wait among the limits that are full (at least one second).

Storage: ``storage_url=None`` keeps the counts in this process (one node); a ``redis://`` URL keeps
them in Redis under ``livehire:limits:`` so every node counts against the same numbers. The Redis
storage is the ``limits`` bridge over redis-py (``implementation="redispy"``), given a connection
pool this module builds with connect and read timeouts, so no second Redis client is needed and a
blackholed Redis costs a request at most a couple of seconds.

Failure policy: **fail open**. When the storage is unreachable, :meth:`hit` and :meth:`test` admit
the request and log a warning (once per outage, then again when Redis answers), :meth:`clear` does
nothing. After a failure the storage is left alone for :data:`RETRY_STORAGE_SECONDS` (every request
admitted at once), so a blackholed Redis does not add a connect timeout to each request; then the
next request tries it again. A node that loses Redis keeps serving logins and viewers; the limits
come back by themselves. The trade-off is deliberate: these limits slow abuse down, they are not an
authorisation check.
"""

from __future__ import annotations

import logging
import time
import urllib.parse
from collections.abc import Mapping
from typing import Final

import redis.asyncio as aioredis
from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from common.errors import RateLimited

log = logging.getLogger(__name__)

KEY_PREFIX: Final = "livehire:limits"
CONNECT_TIMEOUT_SECONDS: Final = 1.0
READ_TIMEOUT_SECONDS: Final = 1.0
RETRY_STORAGE_SECONDS: Final = 5.0

#: Rule name → ``limits`` notation. Keys named for what they count by: ``_ip`` per client address,
#: ``_account`` per login name, ``_phone`` per phone number, ``_user`` per signed-in user id.
DEFAULT_RULES: Final[Mapping[str, str]] = {
    "login_ip": "20/minute;200/hour",  # password logins from one address (offices and NAT share one)
    "login_account": "5/minute;20/hour",  # guessing one account's password; cleared after a success
    "sms_code_phone": "1/minute;5/hour;10/day",  # SMS codes sent to one number (cost, harassment)
    "sms_code_ip": "5/minute;20/hour;50/day",  # SMS codes requested from one address, any numbers
    "sms_login_ip": "10/minute;50/hour",  # code checks from one address (guessing 6 digits)
    "redeem_ip": "10/minute;50/hour",  # one-time sign-in links and invitation codes tried
    "account_create_ip": "5/hour;20/day",  # new accounts from one address
    "whep_ip": "30/minute;300/hour",  # viewer media sessions opened from one address
    "whip_ip": "10/minute;60/hour",  # publisher media sessions opened from one address
    "apply_user": "5/minute;50/day",  # REST job applications of one user
    "session_create_user": "10/hour;50/day",  # live sessions created by one host
    "complaint_ip": "5/minute;20/hour;50/day",  # complaints filed from one address (anyone may file)
    "org_register_user": "5/hour;20/day",  # organisations registered by one person (each one is reviewed)
}

_REFUSED: Final = "操作太频繁，请 {} 秒后再试"


class RateLimits:
    """Named rules checked against one storage; construct one per process and share it.

    ``rules`` override or extend :data:`DEFAULT_RULES` (a value is ``limits`` notation such as
    ``"5/minute;20/hour"``). Raises ``ValueError`` at construction for an unparsable rule, so a bad
    setting stops the server at boot rather than at the first request.
    """

    def __init__(
        self, storage_url: str | None = None, rules: Mapping[str, str] | None = None, *, namespace: str = ""
    ) -> None:
        """``namespace``: keeps one deployment's counts apart from another's on a shared Redis (the nodes of
        one deployment pass the same value)."""
        self._rules: dict[str, list[RateLimitItem]] = {
            name: parse_many(text) for name, text in {**DEFAULT_RULES, **(rules or {})}.items()
        }
        self._client: aioredis.Redis | None = None
        self._storage: MemoryStorage | RedisStorage
        if storage_url is None:
            self._storage = MemoryStorage()
        else:
            url = storage_url.removeprefix("async+")
            self._client = aioredis.from_url(
                url, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS, socket_timeout=READ_TIMEOUT_SECONDS,
                retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),  # a pooled socket Redis closed
            )
            self._storage = RedisStorage(
                f"async+{url}", implementation="redispy",
                key_prefix=f"{KEY_PREFIX}:{namespace}" if namespace else KEY_PREFIX,
                connection_pool=self._client.connection_pool,  # type: ignore[arg-type]
            )
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._failing = False
        self._skip_until = 0.0  # time.monotonic() before which the failed storage is not asked

    @property
    def rules(self) -> Mapping[str, str]:
        """The rules in force, in ``limits`` notation (for logs and the admin page)."""
        return {name: ";".join(str(item) for item in items) for name, items in self._rules.items()}

    def _items(self, rule: str) -> list[RateLimitItem]:
        try:
            return self._rules[rule]
        except KeyError:
            raise ValueError(f"unknown rate-limit rule {rule!r}") from None

    @staticmethod
    def _ids(rule: str, keys: tuple[str, ...]) -> tuple[str, ...]:
        """The rule name first (two rules with equal limits stay apart); keys quoted, since ``limits``
        joins identifiers with ``/`` and ``("a/b", "c")`` must not count as ``("a", "b/c")``."""
        return (rule, *(urllib.parse.quote(key, safe="") for key in keys))

    async def hit(self, rule: str, *keys: str) -> None:
        """Count one attempt of ``rule`` for ``keys``; raise :class:`RateLimited` when a limit is full.

        Every limit of the rule is tested first and only then consumed, so a refused attempt does
        not use up the shorter windows (a refusal by ``10/day`` leaves ``1/minute`` alone).
        """
        items, ids = self._items(rule), self._ids(rule, keys)
        if self._skipping():
            return
        try:
            full = [item for item in items if not await self._limiter.test(item, *ids)]
            if not full:
                for item in items:
                    if not await self._limiter.hit(item, *ids):  # another request took the last one meanwhile
                        full.append(item)
                        break
            retry_after = 0.0
            for item in full:  # the window's reset, bounded by the window (a clock step cannot make it longer)
                reset = (await self._limiter.get_window_stats(item, *ids)).reset_time
                retry_after = max(retry_after, min(reset - time.time(), item.get_expiry()))
            self._recovered()
        except (RedisError, OSError) as exc:
            self._failed(exc)
            return
        if full:
            retry_after = max(1.0, retry_after)
            raise RateLimited("rate_limited", _REFUSED.format(int(retry_after + 0.999)), retry_after=retry_after,
                              details={"rule": rule})

    async def test(self, rule: str, *keys: str) -> bool:
        """Whether one more attempt would be admitted now, without counting one."""
        items, ids = self._items(rule), self._ids(rule, keys)
        if self._skipping():
            return True
        try:
            admitted = all([await self._limiter.test(item, *ids) for item in items])
        except (RedisError, OSError) as exc:
            self._failed(exc)
            return True
        self._recovered()
        return admitted

    async def clear(self, rule: str, *keys: str) -> None:
        """Forget the attempts of ``rule`` for ``keys`` (e.g. ``login_account`` after a good password)."""
        items, ids = self._items(rule), self._ids(rule, keys)
        if self._skipping():
            return
        try:
            for item in items:
                await self._limiter.clear(item, *ids)
        except (RedisError, OSError) as exc:
            self._failed(exc)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
        elif isinstance(self._storage, MemoryStorage) and self._storage.timer is not None:
            self._storage.timer.cancel()  # the library's expiry task; it ends by itself only when idle

    def _skipping(self) -> bool:
        return self._failing and time.monotonic() < self._skip_until

    def _failed(self, exc: BaseException) -> None:
        self._skip_until = time.monotonic() + RETRY_STORAGE_SECONDS
        if not self._failing:
            self._failing = True
            log.warning("rate limits: storage unreachable (%s); admitting requests until it answers", exc)

    def _recovered(self) -> None:
        if self._failing:
            self._failing = False
            log.warning("rate limits: storage answers again; limits enforced")
