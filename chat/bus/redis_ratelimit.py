"""Per-user chat rate limits: a token bucket per (room, user), local or shared by every node.

Theory of operation. The limit is 20 messages per 30 s per user and room (Twitch's
figure, :data:`RATE_CAPACITY`). With the memory bus there is one
process, so the bucket is local and checked synchronously inside the protocol core
(:class:`chat.controls.RoomControls`). With Redis a user may hold sockets on two
nodes; a per-node bucket would give them twice the allowance, so the bucket lives
in Redis and every chat message spends its token there with one Lua script
(:class:`RedisRateLimiter`): read the bucket, refill it for the time elapsed, take
a token or say how long to wait, write it back with a TTL of one window.

Why one script per message and not leased batches of tokens: the script is exact
whatever the number of nodes (a lease of ``k`` tokens per node lets a user overspend
by up to ``k`` per extra node and needs leases to be handed back), and its cost is
one Redis round trip per *chat message sent* (not per delivery), next to the
``append`` script the message makes anyway; at 200 messages/s in a room that is 200
small scripts/s for Redis. If Redis fails, the node's local bucket decides, so the
limit degrades to per node instead of refusing or admitting everything.

Slow mode (one message per ``slow_mode`` seconds per user, set by the host) is checked in
the same script, before a token is spent, from the time of the user's last admitted
message kept in the same hash: a user on two nodes cannot post once per node either.
Each node's :class:`chat.controls.RoomControls` still checks slow mode locally first,
so a refusal the node can decide alone costs no round trip.

Both limiters implement :class:`chat.bus.ports.RateLimiter` (``LocalRateLimiter`` is the memory one): :meth:`take` answers a
:class:`Verdict`: ``ADMITTED`` (a token was spent, send), or ``rate_limited`` /
``slow_mode`` with the seconds to wait; ``now`` comes from the caller, so tests drive time.
"""

from __future__ import annotations

import logging

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from chat.buckets import ADMITTED, RATE_CAPACITY, RATE_WINDOW_SECONDS, LocalRateLimiter, Verdict

log = logging.getLogger(__name__)

# KEYS[1] the bucket hash; ARGV: now (s), capacity, window (s), slow mode (s, 0 = off).
# Returns "<code> <wait>" with code ok, rate_limited or slow_mode.
_TAKE = """
local now, capacity, window, slow = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 't', 'u', 'l')
local last = tonumber(state[3])
if slow > 0 and last and now - last < slow then
  return string.format('slow_mode %.6f', slow - (now - last))
end
local tokens = tonumber(state[1]) or capacity
local updated = tonumber(state[2]) or now
local rate = capacity / window
if now > updated then
  tokens = math.min(capacity, tokens + (now - updated) * rate)
  updated = now
end
local code, wait = 'ok', 0
if tokens >= 1 then tokens = tokens - 1 else code, wait = 'rate_limited', (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 't', string.format('%.6f', tokens), 'u', string.format('%.6f', updated))
if code == 'ok' then redis.call('HSET', KEYS[1], 'l', string.format('%.6f', now)) end
redis.call('PEXPIRE', KEYS[1], math.ceil(math.max(window, slow) * 1000))
return string.format('%s %.6f', code, wait)
"""


class RedisRateLimiter:
    """One bucket per (room, user) in Redis, shared by every node (key ``chat:{room}:rate:{user}``)."""

    def __init__(self, client: aioredis.Redis, capacity: float = RATE_CAPACITY, window: float = RATE_WINDOW_SECONDS) -> None:
        self.capacity = capacity
        self.window = window
        self._take = client.register_script(_TAKE)
        self.fallback = LocalRateLimiter(capacity, window)

    async def take(self, room: str, user: str, now: float, slow_mode: float = 0.0) -> Verdict:
        try:
            answer = await self._take(keys=[f"chat:{room}:rate:{user}"],
                                      args=[repr(now), self.capacity, self.window, repr(float(slow_mode))])
        except (RedisError, OSError) as exc:
            log.warning("chat rate limit: redis failed (%s); this node's bucket decides", exc)
            return await self.fallback.take(room, user, now, slow_mode)
        code, wait = (answer.decode() if isinstance(answer, bytes) else str(answer)).split()
        return ADMITTED if code == "ok" else Verdict(code, float(wait))
