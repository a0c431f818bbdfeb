"""Contact data encrypted at rest (standard 4.4.1 c, 个人信息保护法 §51) on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from recruiting.domain.rules import ProfileInput
from recruiting.repositories.office import OfficeRepository
from recruiting.service import RecruitingService
from store.engine import Store
from store.recruiting_tables import profiles
from store.sealing import ContactCipher, ContactDecryptError, derive_contact_key
from tests.recruiting.conftest import job_body, make_candidate, make_org

pytestmark = pytest.mark.clause("4.4.1 c")

PHONE = "13912345678"


def test_sealed_values_are_bound_to_key_and_owner() -> None:
    cipher = ContactCipher(derive_contact_key("a" * 40))
    sealed = cipher.seal(PHONE, "u1")
    assert sealed.startswith("v1:") and PHONE not in sealed
    assert cipher.open(sealed, "u1") == PHONE
    with pytest.raises(ContactDecryptError):
        cipher.open(sealed, "u2")
    with pytest.raises(ContactDecryptError):
        ContactCipher(derive_contact_key("b" * 40)).open(sealed, "u1")
    with pytest.raises(ContactDecryptError):
        ContactCipher(None).open(sealed, "u1")
    assert cipher.open(PHONE, "u1") == PHONE, "clear text written before encryption was on still reads"


async def test_phone_is_stored_encrypted_and_only_the_candidate_sees_it(service: RecruitingService, store: Store) -> None:
    await make_org(store)
    job = await service.jobs.create("acme", job_body(), created_by="rec1")
    await service.office.put_profile("v1", ProfileInput(name="钱", phone=PHONE, resume="r", consent_to_share=True))
    async with store.engine.connect() as connection:
        stored = (await connection.execute(select(profiles.c.phone).where(profiles.c.user_id == "v1"))).scalar_one()
    assert stored.startswith("v1:") and PHONE not in stored
    assert (await service.office.profile("v1") or {})["phone"] == PHONE
    outcome = await service.apply("v1", job["id"], ref=None, room=None)
    assert outcome.application_id is not None
    detail = await service.office.open(outcome.application_id, "rec1")
    assert detail["phone_masked"] == "139****78" and PHONE not in str(detail)
    call = await service.interviews.call(outcome.application_id, "rec1", (await service.office.candidate_phone(outcome.application_id))[1])
    assert call["answered_at"] is not None
    await make_candidate(store, "legacy")  # written without a key: clear text
    assert (await service.office.profile("legacy") or {})["phone"] == "13800138000"
    with pytest.raises(ContactDecryptError):
        await OfficeRepository(store).profile("v1")
