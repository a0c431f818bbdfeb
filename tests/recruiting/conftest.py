"""Fixtures of the recruiting tests: a migrated store on SQLite and PostgreSQL, a service."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from recruiting.domain.rules import ProfileInput
from recruiting.events.memory import MemoryEventLog
from recruiting.numbers.simulated import SimulatedNumberProvider
from recruiting.repositories.office import OfficeRepository
from recruiting.service import RecruitingService
from store.engine import Store, open_store
from store.orgs import OrgRepository
from store.sealing import derive_contact_key

DAY_MS = 24 * 3600 * 1000


def job_body(kind: str = "own", **extra: object) -> dict[str, object]:
    import time

    now = int(time.time() * 1000)
    body: dict[str, object] = {
        "title": "仓库分拣员",
        "employer": "顺达物流",
        "kind": kind,
        "location": "北京市大兴区",
        "salary_min": 6000,
        "salary_max": 8000,
        "headcount": 20,
        "requirements": "能上夜班",
        "benefits": "五险一金",
        "valid_from": now - 1000,
        "valid_until": now + 30 * DAY_MS,
    }
    if kind == "agency":  # an agency job names its client company and the mandate (5.1.3 c)
        body |= {"client_company": "顺达物流", "mandate_ref": "WT-2026-001"}
    body.update(extra)
    return body


@pytest.fixture
async def store(store_url: str) -> AsyncIterator[Store]:
    opened = await open_store(store_url)
    try:
        yield opened
    finally:
        await opened.close()


@dataclass
class FakeAudience:
    """The chat as recruiting sees it (:class:`recruiting.ports.Audience`): viewers and counters set by the
    test, frames pushed to users recorded."""

    rooms: dict[str, int] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    pushed: list[tuple[str | None, str, dict[str, Any]]] = field(default_factory=list)

    def viewers(self, room: str) -> int:
        return self.rooms.get(room, 0)

    def stats(self, room: str) -> Mapping[str, Any]:
        return dict(self.counters)

    def present(self, room: str) -> list[tuple[str | None, int]]:
        return []

    async def send_to_user(self, room: str | None, user_id: str, frame: Mapping[str, Any]) -> None:
        self.pushed.append((room, user_id, dict(frame)))


@pytest.fixture
def audience() -> FakeAudience:
    return FakeAudience()


@pytest.fixture
async def service(store: Store, audience: FakeAudience) -> AsyncIterator[RecruitingService]:
    svc = RecruitingService(
        store=store, events=MemoryEventLog(), numbers=SimulatedNumberProvider(), contact_key=derive_contact_key("t" * 40),
        audience=audience,
    )
    await svc.start()
    try:
        yield svc
    finally:
        await svc.close()


async def make_org(store: Store, org_id: str = "acme", *, licences: tuple[str, ...] = ("business_licence",)) -> None:
    from recruiting.repositories.jobs import JobRepository

    orgs = OrgRepository(store)
    await orgs.create_org(org_id, f"{org_id} 公司")
    for licence in licences:
        await JobRepository(store).add_qualification(org_id, licence, "91110000XXXX", state="verified")


async def make_candidate(store: Store, user_id: str, *, consent: bool = True) -> None:
    await OfficeRepository(store).put_profile(
        user_id, ProfileInput(name=f"候选人{user_id}", phone="13800138000", resume="三年仓储经验", consent_to_share=consent)
    )
