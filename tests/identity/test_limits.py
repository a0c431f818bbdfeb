"""RateLimits: one contract on memory and on the real Redis (never mocked), plus fail-open."""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator, Callable

import pytest

from common.errors import RateLimited
from identity.limits import DEFAULT_RULES, RateLimits

pytestmark = pytest.mark.clause("4.4.1 a")

RULES = {"t_three": "3/minute", "t_stacked": "2/minute;3/hour", "t_hourly": "5/minute;2/hour"}


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def make_limits(request: pytest.FixtureRequest) -> Callable[[], RateLimits]:
    url = None if request.param == "memory" else request.getfixturevalue("redis_url")
    return lambda: RateLimits(url, RULES)


@pytest.fixture
async def limits(make_limits: Callable[[], RateLimits]) -> AsyncIterator[RateLimits]:
    made = make_limits()
    yield made
    await made.close()


@pytest.fixture
def key() -> str:
    return "k-" + uuid.uuid4().hex  # Redis is shared between runs: every test its own key


async def test_the_hit_past_the_limit_is_refused_with_a_retry_after_within_the_window(limits: RateLimits, key: str) -> None:
    for _ in range(3):
        await limits.hit("t_three", key)
    assert not await limits.test("t_three", key)
    with pytest.raises(RateLimited) as refused:
        await limits.hit("t_three", key)
    assert refused.value.code == "rate_limited" and refused.value.kind == "rate_limited"
    assert refused.value.retry_after is not None and 0 < refused.value.retry_after <= 60
    assert "秒后再试" in refused.value.message


async def test_different_keys_and_rules_are_independent(limits: RateLimits, key: str) -> None:
    for _ in range(3):
        await limits.hit("t_three", key, "a")
    await limits.hit("t_three", key, "b")  # another second key
    await limits.hit("t_stacked", key, "a")  # another rule, same keys
    assert await limits.test("t_three", key + "x", "a")
    assert not await limits.test("t_three", key, "a")


async def test_keys_are_not_confused_by_the_separator(limits: RateLimits, key: str) -> None:
    for _ in range(3):
        await limits.hit("t_three", f"{key}/x", "y")
    assert await limits.test("t_three", key, "x/y")


async def test_a_stacked_rule_refuses_when_any_window_is_full(limits: RateLimits, key: str) -> None:
    await limits.hit("t_stacked", key)
    await limits.hit("t_stacked", key)
    with pytest.raises(RateLimited) as minute:  # 2/minute full, 3/hour not
        await limits.hit("t_stacked", key)
    assert 0 < (minute.value.retry_after or 0) <= 60
    await limits.hit("t_hourly", key)
    await limits.hit("t_hourly", key)
    with pytest.raises(RateLimited) as hour:  # 5/minute has room, 2/hour is full: wait for the hour
        await limits.hit("t_hourly", key)
    assert 60 < (hour.value.retry_after or 0) <= 3600


async def test_clear_resets(limits: RateLimits, key: str) -> None:
    for _ in range(3):
        await limits.hit("t_three", key)
    await limits.clear("t_three", key)
    assert await limits.test("t_three", key)
    for _ in range(3):
        await limits.hit("t_three", key)


async def test_unknown_rules_are_a_programming_error(limits: RateLimits) -> None:
    with pytest.raises(ValueError, match="unknown"):
        await limits.hit("no_such_rule", "x")


def test_defaults_cover_every_rule_and_parse() -> None:
    assert set(DEFAULT_RULES) == {
        "login_ip", "login_account", "sms_code_phone", "sms_code_ip", "sms_login_ip", "redeem_ip",
        "account_create_ip", "whep_ip", "whip_ip", "apply_user", "session_create_user",
        "complaint_ip", "org_register_user",  # governance: anonymous complaints, organisation registrations
    }
    assert RateLimits(None).rules["sms_code_phone"] == "1 per 1 minute;5 per 1 hour;10 per 1 day"
    with pytest.raises(ValueError):
        RateLimits(None, {"bad": "often"})


async def test_sms_code_per_phone_is_one_a_minute() -> None:
    limits = RateLimits(None)
    try:
        await limits.hit("sms_code_phone", "13800138000")
        with pytest.raises(RateLimited) as refused:
            await limits.hit("sms_code_phone", "13800138000")
        assert 55 < (refused.value.retry_after or 0) <= 60
        await limits.hit("sms_code_phone", "13900139000")
    finally:
        await limits.close()


@pytest.mark.redis
async def test_two_nodes_on_one_redis_share_the_count(redis_url: str, key: str) -> None:
    first, second = RateLimits(redis_url, RULES), RateLimits(redis_url, RULES)
    try:
        await first.hit("t_three", key)
        await second.hit("t_three", key)
        await first.hit("t_three", key)
        with pytest.raises(RateLimited):
            await second.hit("t_three", key)
        await second.clear("t_three", key)
        assert await first.test("t_three", key)
    finally:
        await first.close()
        await second.close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_an_unreachable_redis_fails_open(caplog: pytest.LogCaptureFixture) -> None:
    limits = RateLimits(f"redis://127.0.0.1:{_closed_port()}/0", RULES)
    try:
        for _ in range(5):
            await limits.hit("t_three", "k")  # nothing listens: admitted, never raised
        assert await limits.test("t_three", "k")
        await limits.clear("t_three", "k")
    finally:
        await limits.close()
    warnings = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(warnings) == 1  # once per outage, not once per request
