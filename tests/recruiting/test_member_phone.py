"""A member's own phone as A of the AXB binding (standard 5.1.5), on SQLite and PostgreSQL.

Set over REST, sealed at rest like candidates' phones, listed masked only, and
used as A when the member calls a candidate through a virtual number.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from common.errors import LivehireError
from recruiting.domain.rules import ProfileInput
from recruiting.numbers.port import Binding, CallRecord
from recruiting.numbers.simulated import SimulatedNumberProvider
from recruiting.repositories.interviews import BINDING_TTL_SECONDS, InterviewRepository
from recruiting.service import RecruitingService
from store import schema_all
from store.engine import Store
from store.orgs import OrgRepository
from store.recruiting_tables import call_records, number_bindings
from store.schema import members
from tests.recruiting.conftest import job_body, make_org
from tests.recruiting.test_http import bearer, client_for

OWN = "13812345678"
CANDIDATE = "13987654321"
URL = "/api/v1/orgs/acme/members/me/phone"
REC1 = bearer("recruiter", "rec1", "acme")


async def _members(store: Store) -> None:
    await make_org(store)
    orgs = OrgRepository(store)
    for user, role in (("rec1", "recruiter"), ("rec2", "recruiter"), ("host1", "host")):
        await orgs.ensure_user(user, user)
        await orgs.add_member("acme", user, role)  # type: ignore[arg-type]


async def test_members_table_matches_its_migrations(store: Store) -> None:
    """Migration 0006 adds exactly members.phone of the table definition."""
    async with store.engine.connect() as connection:
        diffs = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), schema_all.metadata)
        )
    assert [diff for diff in diffs if "members" in repr(diff)] == []


@pytest.mark.clause("4.4.1 c", "5.1.5")
async def test_own_phone_is_sealed_and_listed_masked(aiohttp_client: Any, service: RecruitingService, store: Store) -> None:
    await _members(store)
    client, _ = await client_for(aiohttp_client, service)
    answer = await client.put(URL, json={"phone": "138 1234-5678"}, headers=REC1)
    assert answer.status == 200, await answer.text()
    assert await answer.json() == {"user": "rec1", "phone_set": True, "phone_masked": "138****78"}
    host = await client.put(URL, json={"phone": "+8613900001111"}, headers=bearer("host", "host1", "acme"))
    assert host.status == 200, "any role of the org sets its own phone"
    async with store.engine.connect() as connection:
        stored = (
            await connection.execute(select(members.c.phone).where(members.c.org_id == "acme", members.c.user_id == "rec1"))
        ).scalar_one()
    assert stored.startswith("v1:") and OWN not in stored and "12345678" not in stored
    assert await service.members.phone_of("acme", "rec1") == OWN
    listed = await client.get("/api/v1/orgs/acme/members", headers=REC1)
    body = await listed.json()
    assert OWN not in json.dumps(body) and "13900001111" not in json.dumps(body)
    by_user = {m["user"]: (m.get("phone_set"), m.get("phone_masked")) for m in body}
    assert by_user == {"rec1": (True, "138****78"), "rec2": (False, None), "host1": (True, "139****11")}


@pytest.mark.clause("5.1.5")
async def test_bad_phone_and_strangers_are_refused(aiohttp_client: Any, service: RecruitingService, store: Store) -> None:
    await _members(store)
    client, _ = await client_for(aiohttp_client, service)
    for bad in ("12345678901", "1381234567", "138123456789", "1381234567x", 13812345678, None):
        refused = await client.put(URL, json={"phone": bad}, headers=REC1)
        assert refused.status == 422, bad
        assert (await refused.json())["error"]["code"] == "invalid_phone"
    missing = await client.put(URL, json={}, headers=REC1)
    assert missing.status == 422 and (await missing.json())["error"]["code"] == "missing_phone"
    malformed = await client.put(URL, data=b"{nope", headers=REC1)
    assert malformed.status == 400 and (await malformed.json())["error"]["code"] == "malformed_json"
    other_org = await client.put(URL, json={"phone": OWN}, headers=bearer("recruiter", "rec1", "other"))
    assert other_org.status == 403 and "error" in await other_org.json()
    assert (await client.put(URL, json={"phone": OWN}, headers=bearer("viewer", "v1"))).status == 403
    not_member = await client.put(URL, json={"phone": OWN}, headers=bearer("recruiter", "ghost", "acme"))
    assert not_member.status == 404 and (await not_member.json())["error"]["code"] == "not_a_member"
    assert await service.members.phone_of("acme", "rec1") is None, "nothing was stored by a refused request"


async def _application(service: RecruitingService) -> str:
    job = await service.jobs.create("acme", job_body(), created_by="rec1")
    await service.office.put_profile("v1", ProfileInput(name="钱", phone=CANDIDATE, resume="r", consent_to_share=True))
    outcome = await service.apply("v1", job["id"], ref=None, room=None)
    assert outcome.application_id is not None
    return outcome.application_id


@pytest.mark.clause("5.1.5")
async def test_call_binds_the_recruiters_phone_as_a(aiohttp_client: Any, service: RecruitingService, store: Store) -> None:
    await _members(store)
    client, _ = await client_for(aiohttp_client, service)
    app_id = await _application(service)
    calls = f"/api/v1/applications/{app_id}/calls"

    unset = await (await client.post(calls, headers=REC1)).json()
    assert "hint" in unset, "no phone: the simulation binds the member id and says a real provider needs the phone"
    assert (await client.put(URL, json={"phone": OWN}, headers=REC1)).status == 200
    answer = await client.post(calls, headers=REC1)
    assert answer.status == 201
    call = await answer.json()
    assert "hint" not in call and call["answered_at"] is not None and OWN not in json.dumps(call)

    provider = service.numbers
    assert isinstance(provider, SimulatedNumberProvider)
    again = await provider.bind(OWN, CANDIDATE, ttl_seconds=BINDING_TTL_SECONDS)
    assert again.x == call["x"], "the live binding of this X has A = the recruiter's phone"
    async with store.engine.connect() as connection:
        bindings = {row.id: row.recruiter for row in await connection.execute(select(number_bindings))}
        callers = [row.caller for row in await connection.execute(select(call_records))]
    assert bindings[again.binding_id] == "rec1", "stored bindings name the member, not the phone"
    assert callers == ["rec1", "rec1"], "call records keep the member id as the caller (audit)"


class Carrier:
    """Stands for a real carrier adapter: the provider protocol, not the embedded simulation."""

    dials_member_ids = False  # a carrier dials real numbers

    def __init__(self) -> None:
        self.inner = SimulatedNumberProvider()

    async def bind(self, a: str, b: str, *, ttl_seconds: int) -> Binding:
        return await self.inner.bind(a, b, ttl_seconds=ttl_seconds)

    async def unbind(self, binding_id: str) -> None:
        await self.inner.unbind(binding_id)

    async def call(self, binding: Binding, caller: str) -> CallRecord:
        return await self.inner.call(binding, caller)


@pytest.mark.clause("5.1.5")
async def test_a_real_provider_needs_the_phone(service: RecruitingService, store: Store) -> None:
    """Any provider but the embedded simulation refuses to bind a member id as A; with the phone it binds."""
    await _members(store)
    app_id = await _application(service)
    carrier = Carrier()
    repository = InterviewRepository(store, carrier)
    with pytest.raises(LivehireError) as refused:
        await repository.call(app_id, "rec1", CANDIDATE)
    assert (refused.value.kind, refused.value.code) == ("conflict", "recruiter_phone_required")
    call = await repository.call(app_id, "rec1", CANDIDATE, OWN)
    assert "hint" not in call and call["answered_at"] is not None
    assert (await carrier.bind(OWN, CANDIDATE, ttl_seconds=60)).x == call["x"]
