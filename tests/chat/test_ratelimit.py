"""One contract for every rate limiter (local buckets, Redis), and the protocol's shared-limit path.

Redis is the real server at ``redis_url``; two ``RedisRateLimiter`` objects on two
clients stand for two nodes. Time is driven through ``now``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
import redis.asyncio as aioredis

from chat.buckets import ADMITTED, RATE_CAPACITY, LocalRateLimiter, Verdict
from chat.bus.factory import memory_bus, redis_bus
from chat.bus.ports import RateLimiter
from chat.bus.redis_ratelimit import RedisRateLimiter
from chat.controls import RoomControls
from chat.protocol import Admit, ChatSession, Publish, Reply
from identity.principal import Principal
from tests.chat.app import make_moderator

pytestmark = pytest.mark.clause("4.4.1 a")

T0 = 1_764_000_000.0  # a wall-clock-sized now: the Redis script must keep sub-second precision at this size


@pytest.fixture
async def clients(redis_url: str) -> AsyncIterator[list[aioredis.Redis]]:
    made = [aioredis.from_url(redis_url, decode_responses=True) for _ in range(2)]
    yield made
    for client in made:
        await client.aclose()


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def make_limiter(request: pytest.FixtureRequest) -> Callable[[], RateLimiter]:
    if request.param == "memory":
        local = LocalRateLimiter()
        return lambda: local  # one process: every "node" is the same buckets
    clients: list[aioredis.Redis] = request.getfixturevalue("clients")
    made = iter(clients)
    return lambda: RedisRateLimiter(next(made))


async def wait(limiter: RateLimiter, room: str, user: str, now: float) -> float:
    """The seconds to wait for a rate-limit token (0.0: admitted); slow mode off."""
    verdict = await limiter.take(room, user, now)
    assert verdict.code in ("", "rate_limited") and (verdict.code == "") == (verdict.wait == 0.0), verdict
    return verdict.wait


@pytest.fixture
def key() -> tuple[str, str]:
    return "room-" + uuid.uuid4().hex[:8], "user-" + uuid.uuid4().hex[:8]  # Redis is shared between runs


async def test_capacity_then_refusal_with_the_wait_until_the_next_token(
        make_limiter: Callable[[], RateLimiter], key: tuple[str, str]) -> None:
    limiter = make_limiter()
    room, user = key
    assert [await wait(limiter, room, user, T0) for _ in range(RATE_CAPACITY)] == [0.0] * RATE_CAPACITY
    assert await wait(limiter, room, user, T0) == pytest.approx(1.5, abs=1e-3)  # 20 per 30 s: one token per 1.5 s
    assert await wait(limiter, room, user, T0 + 0.75) == pytest.approx(0.75, abs=1e-3)
    assert await wait(limiter, room, user, T0 + 1.5) == 0.0
    assert await wait(limiter, room, user, T0 + 1.5) > 0


async def test_users_and_rooms_have_their_own_buckets(make_limiter: Callable[[], RateLimiter], key: tuple[str, str]) -> None:
    limiter = make_limiter()
    room, user = key
    for _ in range(RATE_CAPACITY):
        await wait(limiter, room, user, T0)
    assert await wait(limiter, room, user, T0) > 0
    assert await wait(limiter, room, user + "-other", T0) == 0.0
    assert await wait(limiter, room + "-other", user, T0) == 0.0


async def test_a_full_window_refills_the_bucket_but_never_past_capacity(
        make_limiter: Callable[[], RateLimiter], key: tuple[str, str]) -> None:
    limiter = make_limiter()
    room, user = key
    for _ in range(RATE_CAPACITY):
        await wait(limiter, room, user, T0)
    later = T0 + 300  # ten windows idle: still only 20 tokens
    assert [await wait(limiter, room, user, later) for _ in range(RATE_CAPACITY)] == [0.0] * RATE_CAPACITY
    assert await wait(limiter, room, user, later) > 0


async def test_two_nodes_share_one_allowance(make_limiter: Callable[[], RateLimiter], key: tuple[str, str]) -> None:
    """The point of the Redis limiter: sockets on two nodes do not double a user's allowance."""
    node_a, node_b = make_limiter(), make_limiter()
    room, user = key
    waits = [await wait(node_a if i % 2 else node_b, room, user, T0) for i in range(2 * RATE_CAPACITY)]
    assert waits.count(0.0) == RATE_CAPACITY


async def test_a_clock_behind_on_one_node_neither_refills_nor_breaks_the_bucket(
        make_limiter: Callable[[], RateLimiter], key: tuple[str, str]) -> None:
    node_a, node_b = make_limiter(), make_limiter()
    room, user = key
    for _ in range(RATE_CAPACITY):
        await wait(node_a, room, user, T0 + 5)
    assert await wait(node_b, room, user, T0) > 0  # 5 s behind: no refill from going back in time


async def test_slow_mode_refuses_until_its_interval_and_spends_no_token(
        make_limiter: Callable[[], RateLimiter], key: tuple[str, str]) -> None:
    limiter = make_limiter()
    room, user = key
    assert await limiter.take(room, user, T0, 10) == ADMITTED
    refused = await limiter.take(room, user, T0 + 3, 10)
    assert refused.code == "slow_mode" and refused.wait == pytest.approx(7, abs=1e-3)
    assert await limiter.take(room, user, T0 + 10, 10) == ADMITTED
    for _ in range(5):
        assert (await limiter.take(room, user, T0 + 10, 10)).code == "slow_mode"
    # refusals took no token: the bucket holds what two admitted messages left (19 after a refill to 20, minus 1)
    assert [await wait(limiter, room, user, T0 + 10) for _ in range(RATE_CAPACITY - 1)] == [0.0] * (RATE_CAPACITY - 1)
    assert await wait(limiter, room, user, T0 + 10) > 0


async def test_two_nodes_share_slow_mode(make_limiter: Callable[[], RateLimiter], key: tuple[str, str]) -> None:
    """With slow mode at 30 s, a message through node A holds the user's next one on node B."""
    node_a, node_b = make_limiter(), make_limiter()
    room, user = key
    assert await node_a.take(room, user, T0, 30) == ADMITTED
    verdict = await node_b.take(room, user, T0 + 1, 30)
    assert verdict.code == "slow_mode" and verdict.wait == pytest.approx(29, abs=1e-3)


@pytest.mark.redis
async def test_a_slow_mode_longer_than_the_rate_window_outlives_the_bucket_ttl(
        clients: list[aioredis.Redis], key: tuple[str, str]) -> None:
    limiter, room, user = RedisRateLimiter(clients[0]), *key
    assert await limiter.take(room, user, T0, 120) == ADMITTED
    ttl = await clients[0].pttl(f"chat:{room}:rate:{user}")
    assert 60_000 < ttl <= 120_000  # kept for the slow-mode interval, not only the 30 s window


async def test_redis_down_falls_back_to_this_nodes_bucket(key: tuple[str, str]) -> None:
    client = aioredis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)  # nothing listens on port 1
    try:
        limiter = RedisRateLimiter(client)
        room, user = key
        assert [await wait(limiter, room, user, T0) for _ in range(RATE_CAPACITY)] == [0.0] * RATE_CAPACITY
        assert await wait(limiter, room, user, T0) > 0
    finally:
        await client.aclose()


@pytest.mark.redis
async def test_only_the_redis_bus_shares_rate_limits(redis_url: str) -> None:
    assert memory_bus().rate_limiter is None
    bus = redis_bus(redis_url)
    assert isinstance(bus.rate_limiter, RedisRateLimiter)
    await bus.close()


# ---- the protocol core with a shared limiter ---------------------------------------------------------------


def chat(text: str, ref: str = "r") -> str:
    return json.dumps({"type": "chat", "text": text, "ref": ref})


def test_shared_limits_admit_after_ban_mute_and_slow_mode_and_then_moderate() -> None:
    controls = RoomControls(shared_rate=True)
    controls.apply("slow_mode", "10")
    now = [T0]
    session = ChatSession("demo", Principal(user_id="u1", role="viewer"), moderator=make_moderator(),
                          controls=controls, clock=lambda: now[0])
    (admit,) = session.receive(chat("第一条"))
    assert isinstance(admit, Admit) and admit.user == "u1" and admit.now == T0
    (refused,) = session.admit(admit, Verdict("rate_limited", 1.5))
    assert isinstance(refused, Reply) and refused.frame["code"] == "rate_limited" and refused.frame["retry_after"] == 1.5
    (admit,) = session.receive(chat("第二条"))  # a refused message does not start slow mode
    assert isinstance(admit, Admit)
    (published,) = session.admit(admit, ADMITTED)
    assert isinstance(published, Publish) and published.message["text"] == "第二条"
    (slow,) = session.receive(chat("第三条"))
    assert isinstance(slow, Reply) and slow.frame["code"] == "slow_mode"
    controls.apply("ban:u1", "spam")
    (banned,) = session.receive(chat("第四条"))
    assert isinstance(banned, Reply) and banned.frame["code"] == "banned"


def test_moderators_are_not_rate_limited_under_shared_limits() -> None:
    session = ChatSession("demo", Principal(user_id="h1", role="host", room="demo"), moderator=make_moderator(),
                          controls=RoomControls(shared_rate=True))
    assert all(isinstance(session.receive(chat(f"公告{i}"))[0], Publish) for i in range(RATE_CAPACITY + 5))


def test_a_shared_slow_mode_verdict_is_refused_as_slow_mode() -> None:
    """Another node admitted this user's last message: the shared limiter answers ``slow_mode``."""
    controls = RoomControls(shared_rate=True)
    controls.apply("slow_mode", "30")
    session = ChatSession("demo", Principal(user_id="u1", role="viewer"), moderator=make_moderator(),
                          controls=controls, clock=lambda: T0)
    (admit,) = session.receive(chat("你好"))
    assert isinstance(admit, Admit) and admit.slow_mode == 30  # this node has not seen u1 post: the limiter decides
    (refused,) = session.admit(admit, Verdict("slow_mode", 12.0))
    assert isinstance(refused, Reply) and refused.frame["code"] == "slow_mode" and refused.frame["retry_after"] == 12.0
    (again,) = session.receive(chat("你好"))
    assert isinstance(again, Admit)  # a refused message does not start this node's slow-mode clock
