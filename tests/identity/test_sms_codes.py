"""One-time SMS codes on SQLite and PostgreSQL (fixture ``store_url``), with an injected clock."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import event, text

from common.errors import Invalid, Unauthenticated, Unavailable
from identity.phones import PhoneKey
from identity.sms import SimulatedSmsProvider, sms_unavailable
from identity.sms_codes import IssuedCode, SmsCodes
from store.engine import Store, create_store, migrate

PHONE = "13712345678"
KEY = PhoneKey.from_secret("sms-codes-test-server-secret-0123456789")
START = 1_800_000_000_000


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> int:
        return self.now


@dataclass
class Env:
    store: Store
    outbox: SimulatedSmsProvider
    clock: Clock

    def codes(self, **options: Any) -> SmsCodes:
        return SmsCodes(self.store, self.outbox, KEY, clock=self.clock, **options)

    async def last_code(self, phone: str = PHONE) -> str:
        code = (await self.outbox.outbox(phone, limit=1))[0]["code"]
        assert isinstance(code, str)
        return code

    async def rows(self) -> list[Any]:
        async with self.store.engine.connect() as connection:
            result = await connection.execute(text("SELECT phone_hash, code_hash, attempts, expires_at FROM sms_codes"))
            return list(result.all())


@pytest.fixture
async def env(store_url: str) -> AsyncIterator[Env]:
    store = create_store(store_url)
    await migrate(store)
    clock = Clock()
    try:
        yield Env(store, SimulatedSmsProvider(store, KEY, clock=clock), clock)
    finally:
        await store.close()


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def assert_refused(codes: SmsCodes, code: str, phone: str = PHONE) -> None:
    with pytest.raises(Unauthenticated) as caught:
        await codes.verify(phone, code)
    assert caught.value.code == "invalid_code" and caught.value.message == "验证码错误或已失效，请重新获取"


async def test_a_correct_code_works_once(env: Env) -> None:
    codes = env.codes()
    issued = await codes.issue("+86 137-1234-5678")
    assert isinstance(issued, IssuedCode) and issued.expires_at == START + 5 * 60 * 1000
    assert issued.resend_after_ms == 60_000 and issued.message_id
    message = (await env.outbox.outbox(PHONE))[0]
    code = message["code"]
    assert re.fullmatch(r"[0-9]{6}", code)
    assert message["text"] == f"【直播带岗】验证码 {code}，5 分钟内有效。如非本人操作请忽略。"
    await codes.verify("137 1234 5678", f" {code} ")
    assert await env.rows() == []
    await assert_refused(codes, code)


async def test_the_code_is_stored_hashed_and_bound_to_the_phone(env: Env) -> None:
    codes = env.codes()
    await codes.issue(PHONE)
    code = await env.last_code()
    [(phone_hash, code_hash, attempts, _)] = await env.rows()
    assert phone_hash == KEY.phone_hash(PHONE) and attempts == 0
    assert len(code_hash) == 64 and code not in code_hash and PHONE not in phone_hash + code_hash
    await assert_refused(codes, code, phone="13800000000")  # another phone's code is not this one's


async def test_five_wrong_tries_kill_even_the_right_code(env: Env) -> None:
    codes = env.codes()
    await codes.issue(PHONE)
    code = await env.last_code()
    for attempt in range(1, 5):
        await assert_refused(codes, wrong(code))
        assert (await env.rows())[0].attempts == attempt
    await assert_refused(codes, "abc")  # malformed guesses count too
    assert await env.rows() == []
    await assert_refused(codes, code)


async def test_expired_codes_are_refused_even_when_correct(env: Env) -> None:
    codes = env.codes()
    await codes.issue(PHONE)
    code = await env.last_code()
    env.clock.now += 5 * 60 * 1000 - 1
    await codes.issue("13800000000")
    env.clock.now += 1
    await assert_refused(codes, code)
    assert len(await env.rows()) == 1  # the expired row went at once; the other phone's code lives on
    env.clock.now += 5 * 60 * 1000
    assert await codes.prune() == 1 and await env.rows() == []


async def test_a_new_issue_replaces_the_old_code(env: Env) -> None:
    codes = env.codes()
    await codes.issue(PHONE)
    first = await env.last_code()
    env.clock.now += 1000
    await codes.issue(PHONE)
    second = await env.last_code()
    assert len(await env.rows()) == 1
    if first != second:
        await assert_refused(codes, first)
    await codes.verify(PHONE, second)


async def test_concurrent_wrong_guesses_stop_at_the_limit(env: Env) -> None:
    """20 guesses at once: exactly 5 count (the guarded UPDATE), then the code is dead."""
    counted: list[int] = []

    def count_updates(_conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE SMS_CODES"):
            counted.append(cursor.rowcount)

    codes = env.codes()
    await codes.issue(PHONE)
    code = await env.last_code()
    event.listen(env.store.engine.sync_engine, "after_cursor_execute", count_updates)
    try:
        results = await asyncio.gather(*(codes.verify(PHONE, wrong(code)) for _ in range(20)), return_exceptions=True)
    finally:
        event.remove(env.store.engine.sync_engine, "after_cursor_execute", count_updates)
    assert all(isinstance(r, Unauthenticated) for r in results)
    assert sum(counted) == 5
    assert await env.rows() == []
    await assert_refused(codes, code)


async def test_concurrent_wrong_guesses_are_all_counted(env: Env) -> None:
    """Below the limit no increment is lost, and the right code still works."""
    codes = env.codes(max_attempts=25)
    await codes.issue(PHONE)
    code = await env.last_code()
    results = await asyncio.gather(*(codes.verify(PHONE, wrong(code)) for _ in range(20)), return_exceptions=True)
    assert all(isinstance(r, Unauthenticated) for r in results)
    assert (await env.rows())[0].attempts == 20
    await codes.verify(PHONE, code)


async def test_concurrent_right_guesses_succeed_once(env: Env) -> None:
    codes = env.codes()
    await codes.issue(PHONE)
    code = await env.last_code()
    results = await asyncio.gather(*(codes.verify(PHONE, code) for _ in range(10)), return_exceptions=True)
    assert results.count(None) == 1
    assert all(isinstance(r, Unauthenticated) for r in results if r is not None)


class FailingProvider:
    name = "failing"
    simulated = True

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.sent: list[str] = []

    async def send(self, phone: str, text: str, *, code: str | None = None) -> str:
        self.sent.append(text)
        raise self.error


@pytest.mark.parametrize("error", [sms_unavailable(), RuntimeError("carrier bug")])
async def test_a_failing_provider_leaves_no_code(env: Env, error: Exception) -> None:
    provider = FailingProvider(error)
    codes = SmsCodes(env.store, provider, KEY, clock=env.clock)
    await env.codes().issue(PHONE)  # an earlier code is replaced, so none is left either
    with pytest.raises(Unavailable) as caught:
        await codes.issue(PHONE)
    assert caught.value.code == "sms_unavailable" and provider.sent
    assert await env.rows() == []


async def test_bad_input_and_settings_are_refused(env: Env) -> None:
    codes = env.codes()
    with pytest.raises(Invalid):
        await codes.issue("12345")
    await assert_refused(codes, "123456")  # nothing issued
    await codes.issue(PHONE)
    for bad in [None, 123456, "", "１２３４５６", "1234567"]:
        with pytest.raises(Unauthenticated):
            await codes.verify(PHONE, bad)
    with pytest.raises(ValueError):
        env.codes(digits=3)
    with pytest.raises(ValueError):
        env.codes(max_attempts=0)
