"""The virtual-number contract (AXB, standard 5.1.5), run against every :class:`NumberProvider`.

The carrier adapter talks to a carrier gateway in miniature on a loopback port started here: it
checks the signature as a gateway must and routes with the simulation's rules (a real carrier's
rules are the same AXB rules), so both providers answer the same suite.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass

import pytest
from aiohttp import web

from identity.sms import SIGNATURE_HEADER, sign_body
from recruiting.numbers.carrier import HttpCarrierNumberProvider
from recruiting.numbers.port import Binding, NumberError, NumberProvider
from recruiting.numbers.simulated import SimulatedNumberProvider

pytestmark = pytest.mark.clause("5.1.5")

SECRET = b"carrier-shared-secret-0123456789"
POOL = ["17000000001", "17000000002"]
A, B, C = "13800000001", "13900000002", "13700000003"


@dataclass
class CarrierGateway:
    """An operator's carrier gateway in miniature: verifies, then routes with the AXB rules."""

    carrier: SimulatedNumberProvider
    refused_signatures: int = 0
    down: bool = False

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        if not hmac.compare_digest(request.headers.get(SIGNATURE_HEADER, ""), sign_body(SECRET, body)):
            self.refused_signatures += 1
            return web.json_response({"error": "bad signature"}, status=401)
        if self.down:
            return web.json_response({"error": "carrier down"}, status=503)
        payload = json.loads(body)
        try:
            match request.match_info["op"]:
                case "bind":
                    binding = await self.carrier.bind(payload["a"], payload["b"], ttl_seconds=payload["ttl_seconds"])
                    return web.json_response({"binding_id": binding.binding_id, "x": binding.x,
                                              "expires_at": binding.expires_at})
                case "unbind":
                    await self.carrier.unbind(payload["binding_id"])
                    return web.json_response({})
                case "call":
                    binding = Binding(payload["binding_id"], payload["a"], payload["b"], payload["x"],
                                      payload["expires_at"])
                    return web.json_response(asdict(await self.carrier.call(binding, payload["caller"])))
        except NumberError as exc:
            return web.json_response({"error": str(exc)}, status=409)
        return web.json_response({"error": "unknown"}, status=404)


@dataclass
class Harness:
    provider: NumberProvider
    gateway: CarrierGateway | None = None


@contextlib.asynccontextmanager
async def gateway_url(gateway: CarrierGateway) -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_post("/axb/{op}", gateway.handle)
    runner = web.AppRunner(app, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/axb"
    finally:
        await runner.cleanup()


@pytest.fixture(params=["simulated", "carrier"])
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    if request.param == "simulated":
        yield Harness(SimulatedNumberProvider(list(POOL)))
        return
    gateway = CarrierGateway(SimulatedNumberProvider(list(POOL)))
    async with gateway_url(gateway) as url:
        provider = HttpCarrierNumberProvider(url, SECRET, timeout=2.0)
        try:
            yield Harness(provider, gateway)
        finally:
            await provider.close()


async def test_a_binding_joins_a_and_b_through_x_for_its_ttl(harness: Harness) -> None:
    before = int(time.time() * 1000)
    binding = await harness.provider.bind(A, B, ttl_seconds=600)
    assert (binding.a, binding.b) == (A, B) and binding.x in POOL and binding.binding_id
    assert before + 600_000 <= binding.expires_at <= int(time.time() * 1000) + 600_000


async def test_binding_the_same_pair_again_gives_the_same_binding(harness: Harness) -> None:
    first = await harness.provider.bind(A, B, ttl_seconds=600)
    assert await harness.provider.bind(A, B, ttl_seconds=600) == first


async def test_a_party_is_in_one_binding_per_x(harness: Harness) -> None:
    """How the carrier routes: a call to X from A must have one B."""
    first = await harness.provider.bind(A, B, ttl_seconds=600)
    second = await harness.provider.bind(A, C, ttl_seconds=600)
    assert second.x != first.x
    with pytest.raises(NumberError):  # A is on both numbers of the pool
        await harness.provider.bind(A, "13600000004", ttl_seconds=600)


async def test_unbinding_frees_the_number(harness: Harness) -> None:
    first = await harness.provider.bind(A, B, ttl_seconds=600)
    await harness.provider.bind(A, C, ttl_seconds=600)
    await harness.provider.unbind(first.binding_id)
    await harness.provider.unbind(first.binding_id)  # twice: nothing left to release, no error
    again = await harness.provider.bind(A, "13600000004", ttl_seconds=600)
    assert again.x == first.x


async def test_calls_through_x(harness: Harness) -> None:
    binding = await harness.provider.bind(A, B, ttl_seconds=600)
    for caller in (A, B):
        record = await harness.provider.call(binding, caller)
        assert record.binding_id == binding.binding_id and record.call_id
        assert record.answered_at is not None and record.release_cause == "normal_clearing"
        assert record.started_at <= record.ended_at
    with pytest.raises(NumberError):  # only A and B can call through X
        await harness.provider.call(binding, C)


async def test_a_call_on_an_expired_binding_is_released(harness: Harness) -> None:
    binding = await harness.provider.bind(A, B, ttl_seconds=600)
    expired = Binding(binding.binding_id, binding.a, binding.b, binding.x, int(time.time() * 1000) - 1)
    record = await harness.provider.call(expired, A)
    assert record.answered_at is None and record.release_cause == "binding_expired"


async def test_the_capability_flag_says_whether_a_may_be_a_member_id(harness: Harness) -> None:
    """Only the simulation connects anyone; a carrier dials real numbers (interviews ask for the phone)."""
    assert harness.provider.dials_member_ids is (harness.gateway is None)


async def test_a_carrier_that_fails_or_refuses_the_signature_is_a_number_error() -> None:
    """The carrier adapter alone: the simulation has no far side that could fail."""
    gateway = CarrierGateway(SimulatedNumberProvider(list(POOL)), down=True)
    async with gateway_url(gateway) as url:
        provider = HttpCarrierNumberProvider(url, SECRET, timeout=2.0)
        forged = HttpCarrierNumberProvider(url, b"not-the-shared-secret-000", timeout=2.0)
        try:
            with pytest.raises(NumberError):
                await provider.bind(A, B, ttl_seconds=600)
            gateway.down = False
            with pytest.raises(NumberError):
                await forged.bind(A, B, ttl_seconds=600)
            assert gateway.refused_signatures == 1
            assert (await provider.bind(A, B, ttl_seconds=600)).x in POOL
        finally:
            await provider.close()
            await forged.close()
    gone = HttpCarrierNumberProvider(url, SECRET, timeout=2.0)
    try:
        with pytest.raises(NumberError):  # nobody listening any more
            await gone.bind(A, B, ttl_seconds=600)
    finally:
        await gone.close()


def test_the_carrier_adapter_refuses_bad_settings() -> None:
    with pytest.raises(ValueError):
        HttpCarrierNumberProvider("ftp://example.com/axb", SECRET)
    with pytest.raises(ValueError):
        HttpCarrierNumberProvider("https://example.com/axb", b"short")
