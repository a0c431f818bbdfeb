"""The SMS provider contract, run against every provider (docs/sms.md).

The webhook provider talks to a real aiohttp gateway on a loopback port started here: it checks the
signature as a carrier adapter must, records what arrived, and can be told to fail. The simulated
provider runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import socket
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from common.errors import Unavailable
from identity.phones import PhoneKey
from identity.sms import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SimulatedSmsProvider,
    SmsProvider,
    WebhookSmsProvider,
    sign_body,
)
from store.engine import Store, create_store, migrate
from tests import services

SECRET = b"gateway-shared-secret-0123456789"
PHONE = "13912345678"
CODE = "246813"
TEXT = f"【直播带岗】验证码 {CODE}，5 分钟内有效。如非本人操作请忽略。"
PHONE_KEY = PhoneKey.from_secret("contract-test-server-secret-0123456789")


@dataclass
class Gateway:
    """An operator's SMS gateway in miniature: verifies, records, answers as told."""

    mode: str = "ok"  # ok | fail | slow | redirect | no_id | not_json
    received: list[tuple[dict[str, str], dict[str, Any]]] = field(default_factory=list)
    refused_signatures: int = 0
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        if not hmac.compare_digest(request.headers.get(SIGNATURE_HEADER, ""), sign_body(SECRET, body)):
            self.refused_signatures += 1
            return web.json_response({"error": "bad signature"}, status=401)
        payload = json.loads(body)
        self.received.append((dict(request.headers), payload))
        if self.mode == "fail":
            return web.json_response({"error": "carrier down"}, status=500)
        if self.mode == "slow":
            await self.release.wait()
        if self.mode == "redirect":
            return web.Response(status=307, headers={"Location": "/sms"})
        if self.mode == "no_id":
            return web.json_response({"ok": True})
        if self.mode == "not_json":
            return web.Response(text="accepted")
        return web.json_response({"id": "gw-" + payload["id"]})


@dataclass
class Harness:
    """One provider under contract, and the far side that tells what arrived."""

    provider: SmsProvider
    gateway: Gateway | None = None
    store: Store | None = None
    broken_url: str = ""
    broken_stores: list[Store] = field(default_factory=list)

    async def arrived(self) -> list[dict[str, Any]]:
        if self.gateway is not None:
            return [payload for _, payload in self.gateway.received]
        assert isinstance(self.provider, SimulatedSmsProvider)
        return list(reversed(await self.provider.outbox(PHONE)))

    async def failing(self) -> SmsProvider:
        """A provider of the same kind whose delivery fails."""
        if self.gateway is not None:
            self.gateway.mode = "fail"
            return self.provider
        broken = create_store(self.broken_url)
        self.broken_stores.append(broken)
        return SimulatedSmsProvider(broken, PHONE_KEY)

    async def close_broken(self) -> None:
        """After a failed connect, aiosqlite's worker thread answers its stop request through the loop: keep
        the loop running until those threads are gone, or the answer hits a closed loop in a later test."""
        for store in self.broken_stores:
            await store.close()
        if self.broken_stores:
            for thread in threading.enumerate():
                if thread.name.endswith("(_connection_worker_thread)"):
                    await asyncio.to_thread(thread.join, 10)


async def _gateway_server(gateway: Gateway) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_post("/sms", gateway.handle)
    runner = web.AppRunner(app, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}/sms"


@pytest.fixture(params=["simulated-sqlite", pytest.param("simulated-postgresql", marks=pytest.mark.postgres), "webhook"])
async def harness(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Harness]:
    if request.param == "webhook":
        gateway = Gateway()
        runner, url = await _gateway_server(gateway)
        provider = WebhookSmsProvider(url, SECRET, timeout=0.5)
        try:
            yield Harness(provider=provider, gateway=gateway)
        finally:
            gateway.release.set()
            await provider.close()
            await runner.cleanup()
        return
    if request.param == "simulated-sqlite":
        url = f"sqlite:///{tmp_path / 'sms.db'}"
        broken = f"sqlite:///{tmp_path}"  # a directory: the database cannot be opened
        store = create_store(url)
        await migrate(store)
        harness = Harness(provider=SimulatedSmsProvider(store, PHONE_KEY), store=store, broken_url=broken)
        try:
            yield harness
        finally:
            await store.close()
            await harness.close_broken()
        return
    base = services.postgres_url()
    url = await services.create_scratch_database(base)
    store = create_store(url)
    harness = Harness(provider=SimulatedSmsProvider(store, PHONE_KEY), store=store,
                      broken_url=url.rsplit("/", 1)[0] + "/lh_missing_database")
    try:
        await migrate(store)
        yield harness
    finally:
        await store.close()
        await harness.close_broken()
        await services.drop_scratch_database(base, url)


async def test_send_returns_an_id_and_the_text_arrives_unchanged(harness: Harness) -> None:
    provider = harness.provider
    assert isinstance(provider, SmsProvider) and provider.name
    first = await provider.send(PHONE, TEXT, code=CODE)
    second = await provider.send(PHONE, "面试提醒：明天 10:00 \"直播间\" <b>&</b> 😀")
    assert isinstance(first, str) and first and isinstance(second, str) and second and first != second
    arrived = await harness.arrived()
    assert [m["text"] for m in arrived] == [TEXT, "面试提醒：明天 10:00 \"直播间\" <b>&</b> 😀"]
    assert [m.get("code") or m.get("params", {}).get("code") for m in arrived] == [CODE, None]


async def test_failed_delivery_raises_unavailable(harness: Harness) -> None:
    failing = await harness.failing()
    with pytest.raises(Unavailable) as caught:
        await failing.send(PHONE, TEXT, code=CODE)
    assert caught.value.code == "sms_unavailable" and caught.value.message == "短信发送失败，请稍后再试"
    assert PHONE not in str(caught.value) and CODE not in str(caught.value)


@pytest.mark.clause("4.4.1 c")
async def test_phone_and_code_never_reach_the_logs(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    # Everything at INFO (a production level: aiosqlite's DEBUG echoes SQL parameters), ours at DEBUG.
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="identity")
    await harness.provider.send(PHONE, TEXT, code=CODE)
    with pytest.raises(Unavailable):
        await (await harness.failing()).send(PHONE, TEXT, code=CODE)
    assert caplog.records, "the providers log what they did"
    for record in caplog.records:
        rendered = record.getMessage() + repr(record.args) + (record.exc_text or "")
        assert PHONE not in rendered and CODE not in rendered and PHONE[-8:] not in rendered


# --- the webhook's own contract: request shape, signature, every failure is Unavailable ------------------


@pytest.fixture
async def gateway_url() -> AsyncIterator[tuple[Gateway, str]]:
    gateway = Gateway()
    runner, url = await _gateway_server(gateway)
    try:
        yield gateway, url
    finally:
        gateway.release.set()
        await runner.cleanup()


async def test_webhook_request_is_signed_and_shaped(gateway_url: tuple[Gateway, str]) -> None:
    gateway, url = gateway_url
    provider = WebhookSmsProvider(url, SECRET.decode(), clock=lambda: 1_700_000_000_000)
    try:
        message_id = await provider.send("+86 139-1234-5678", TEXT, code=CODE)
    finally:
        await provider.close()
    headers, payload = gateway.received[0]
    assert message_id == "gw-" + payload["id"] and gateway.refused_signatures == 0
    assert payload == {
        "id": payload["id"], "phone": PHONE, "text": TEXT, "template": "login_code",
        "params": {"code": CODE}, "sent_at": 1_700_000_000_000,
    }
    assert headers[TIMESTAMP_HEADER] == "1700000000000" and headers[SIGNATURE_HEADER].startswith("sha256=")


@pytest.mark.parametrize("mode", ["fail", "slow", "redirect", "no_id", "not_json", "wrong_secret", "refused"])
async def test_webhook_failures_become_unavailable(gateway_url: tuple[Gateway, str], mode: str) -> None:
    gateway, url = gateway_url
    secret = SECRET
    if mode == "wrong_secret":
        secret = b"not-the-shared-secret-0123456789"
    elif mode == "refused":
        with socket.socket() as probe:  # a loopback port nobody listens on
            probe.bind(("127.0.0.1", 0))
            url = f"http://127.0.0.1:{probe.getsockname()[1]}/sms"
    else:
        gateway.mode = mode
    provider = WebhookSmsProvider(url, secret, timeout=0.3)
    try:
        with pytest.raises(Unavailable) as caught:
            await provider.send(PHONE, TEXT, code=CODE)
    finally:
        await provider.close()
    assert caught.value.code == "sms_unavailable"
    assert gateway.refused_signatures == (1 if mode == "wrong_secret" else 0)


def test_webhook_configuration_is_checked() -> None:
    with pytest.raises(ValueError):
        WebhookSmsProvider("ftp://gateway/sms", SECRET)
    with pytest.raises(ValueError):
        WebhookSmsProvider("https://gateway/sms", b"short")
    with pytest.raises(ValueError):
        WebhookSmsProvider("https://gateway/sms", SECRET, timeout=0)


# --- the simulated outbox, on both databases ---------------------------------------------------------------


async def test_outbox_is_newest_first_per_phone_and_forgets_after_a_day(store_url: str) -> None:
    clock = [1_000_000]
    store = create_store(store_url)
    await migrate(store)
    try:
        provider = SimulatedSmsProvider(store, PHONE_KEY, clock=lambda: clock[0])
        for n in range(12):
            await provider.send(PHONE, f"消息 {n}", code=f"{n:06d}")
        await provider.send("13800000000", "别人的消息")
        newest = await provider.outbox("+86 139 1234 5678")
        assert [m["text"] for m in newest] == [f"消息 {n}" for n in range(11, 1, -1)]
        assert newest[0]["code"] == "000011" and newest[0]["created_at"] == 1_000_000
        assert set(newest[0]) == {"id", "text", "code", "created_at"}
        assert len(await provider.outbox(PHONE, limit=3)) == 3
        async with store.engine.connect() as connection:
            from sqlalchemy import text

            hashes = (await connection.execute(text("SELECT DISTINCT phone_hash FROM sms_messages"))).scalars().all()
        assert PHONE_KEY.phone_hash(PHONE) in hashes and all(PHONE not in h for h in hashes)
        clock[0] += 24 * 3600 * 1000 + 1
        assert await provider.outbox(PHONE) == []
        await provider.send(PHONE, "新消息")
        assert await provider.prune() == 13
        assert [m["text"] for m in await provider.outbox(PHONE)] == ["新消息"]
    finally:
        await store.close()
