"""Organisation registration and enterprise review (standard 5.1.3 a, b; 人力资源市场暂行条例 §32).

Who may call each route: anonymous, a job seeker, a member of another organisation, the organisation's own
admin, platform staff. The repository test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from governance.ledger import pseudonym_key
from governance.ledger_sql import StoreLedger
from governance.orgs import DEFAULT_INDUSTRIES, parse_registration
from governance.orgs_sql import OrgReview
from governance.web import GOVERNANCE
from livehire import keys
from livehire.app import create_app
from livehire.settings import Settings, load_settings
from store.engine import open_store
from store.orgs import OrgRepository
from store.schema import members, organisations
from tests.identity.helpers import bearer, error_of, sign_in_by_phone

pytestmark = pytest.mark.clause("5.1.3 a")

CODES = ("91350100M000100Y43", "91110000600037341L", "91440300708461136T", "91110108551385082Q")


@pytest.fixture
def app_settings(tmp_path: Path) -> Settings:
    """Registrations are limited per person (5/hour); these tests register more than that on purpose."""
    return load_settings({"data_dir": tmp_path / "data", "port": 0, "rate_limits": "org_register_user=100/hour"},
                         environ={})


def _body(code: str = CODES[0], **extra: Any) -> dict[str, Any]:
    return {"name": "星光物流有限公司", "credit_code": code, "address": "北京市朝阳区建国路88号", "contact_phone": "010-12345678",
            "industry": "logistics", "website": "https://www.example.com", **extra}


@pytest.mark.clause("5.1.2", "4.4.1 f")
async def test_register_review_approve_and_the_registrant_becomes_admin(client: Any) -> None:
    app = client.server.app
    person = await sign_in_by_phone(client, "13900139001", "赵注册")
    me = {"Authorization": f"Bearer {person['token']}"}
    await error_of(await client.post("/api/v1/orgs", json=_body()), 401)
    created = await client.post("/api/v1/orgs", json=_body(), headers=me)
    assert created.status == 201, await created.text()
    org = await created.json()
    assert org["state"] == "pending" and org["id"].startswith("o-")
    assert (await (await client.get("/api/v1/me/orgs", headers=me)).json())["orgs"][0]["state"] == "pending"

    reviewer = await bearer(app, "reviewer", "rev-1")
    pending = (await (await client.get("/api/v1/review/orgs?state=pending", headers=reviewer)).json())["orgs"]
    assert [o["id"] for o in pending] == [org["id"]]
    assert pending[0]["credit_code"] == CODES[0] and pending[0]["industry_access"] == "allowed"
    approved = (await (await client.get("/api/v1/review/orgs?state=approved", headers=reviewer)).json())["orgs"]
    assert "demo-org" in {o["id"] for o in approved}  # the seed counts as approved (migration default)

    decide = f"/api/v1/review/orgs/{org['id']}"
    for headers in (me, await bearer(app, "admin", "demo-admin", "demo-org"), await bearer(app, "viewer", "v-9")):
        await error_of(await client.get("/api/v1/review/orgs", headers=headers), 403)
        await error_of(await client.post(decide, json={"decision": "approve"}, headers=headers), 403)
    await error_of(await client.post(decide, json={"decision": "approve"}), 401)
    assert (await error_of(await client.post(decide, json={"decision": "reject"}, headers=reviewer), 422))["code"] \
        == "reason_required"
    answer = await client.post(decide, json={"decision": "approve", "reason": "营业执照信息一致"}, headers=reviewer)
    assert answer.status == 200 and (await answer.json())["state"] == "approved"
    assert (await error_of(await client.post(decide, json={"decision": "approve"}, headers=reviewer), 409))["code"] \
        == "not_pending"
    async with app[keys.STORE].engine.connect() as connection:
        role = (await connection.execute(select(members.c.role).where(
            members.c.org_id == org["id"], members.c.user_id == person["user"]["id"]))).scalar()
    assert role == "admin"  # 5.1.2: the registrant is the organisation's admin member

    # the org's admin changes its enterprise information: pending again until the change is reviewed
    admin = await bearer(app, "admin", person["user"]["id"], org["id"])
    change = f"/api/v1/orgs/{org['id']}"
    for headers in (me, await bearer(app, "admin", "demo-admin", "demo-org"), await bearer(app, "admin", "p-admin"),
                    await bearer(app, "recruiter", "r-1", org["id"])):
        await error_of(await client.patch(change, json={"address": "上海市浦东新区世纪大道100号"}, headers=headers), 403)
    changed = await client.patch(change, json={"address": "上海市浦东新区世纪大道100号"}, headers=admin)
    assert changed.status == 200 and (await changed.json())["state"] == "pending"
    view = await (await client.post(decide, json={"decision": "approve"}, headers=reviewer)).json()
    assert view["address"] == "上海市浦东新区世纪大道100号" and view["state"] == "approved" and view["change"] is None
    await client.patch(change, json={"name": "星光物流集团"}, headers=admin)
    view = await (await client.post(decide, json={"decision": "reject", "reason": "名称与执照不符"},
                                     headers=reviewer)).json()
    assert view["name"] == "星光物流有限公司" and view["state"] == "approved" and view["reason"] == "名称与执照不符"

    kinds = [e.kind async for e in app[GOVERNANCE].ledger.export(0, 2**62)]
    assert kinds == ["org.registered", "org.approved", "org.change_requested", "org.change_approved",
                     "org.change_requested", "org.change_rejected"]
    assert (await app[GOVERNANCE].ledger.verify()).ok


@pytest.mark.clause("5.1.3 b", "5.1.3 d")
async def test_registrations_are_checked(client: Any) -> None:
    app = client.server.app
    me = await bearer(app, "viewer", "seeker-1")
    refused = await error_of(await client.post("/api/v1/orgs", json=_body(industry="gambling"), headers=me), 403)
    assert refused["code"] == "industry_refused" and "博彩" in refused["message"]  # 5.1.3 b, with the reason
    assert (await error_of(await client.post("/api/v1/orgs", json=_body(industry="spaceflight"), headers=me),
                           422))["code"] == "invalid_industry"
    bad_code = CODES[0][:-1] + "4"
    assert (await error_of(await client.post("/api/v1/orgs", json=_body(bad_code), headers=me), 422))["code"] \
        == "invalid_credit_code"
    assert (await error_of(await client.post("/api/v1/orgs", json=_body(name="加微信abc123领高薪"), headers=me),
                           422))["code"] == "profile_not_allowed"  # 5.1.3 d: profiles pass the filter
    await error_of(await client.post("/api/v1/orgs", json=_body(website="ftp://x.example.com"), headers=me), 422)
    await error_of(await client.post("/api/v1/orgs", json=_body(contact_phone="call me"), headers=me), 422)
    finance = await client.post("/api/v1/orgs", json=_body(CODES[1], industry="finance"), headers=me)
    assert (await finance.json())["industry_access"] == "review"
    first = await (await client.post("/api/v1/orgs", json=_body(CODES[2]), headers=me)).json()
    assert (await error_of(await client.post("/api/v1/orgs", json=_body(CODES[2]), headers=me), 409))["code"] \
        == "credit_code_registered"
    reviewer = await bearer(app, "reviewer", "rev-1")
    await client.post(f"/api/v1/review/orgs/{first['id']}", json={"decision": "reject", "reason": "材料不全"},
                      headers=reviewer)
    mine = (await (await client.get("/api/v1/me/orgs", headers=me)).json())["orgs"]
    assert {"id": first["id"], "state": "rejected", "reason": "材料不全"}.items() <= next(
        o for o in mine if o["id"] == first["id"]).items()
    again = await client.post("/api/v1/orgs", json=_body(CODES[2]), headers=me)  # after a rejection: may retry
    assert again.status == 201


async def test_an_existing_org_sends_its_first_profile_whole(client: Any) -> None:
    app = client.server.app
    admin = await bearer(app, "admin", "demo-admin", "demo-org")
    partial = await error_of(await client.patch("/api/v1/orgs/demo-org", json={"address": "北京市海淀区中关村大街1号"},
                                                headers=admin), 422)
    assert partial["code"] == "incomplete_profile"
    full = {k: v for k, v in _body(CODES[3]).items() if k != "name"}
    answer = await client.patch("/api/v1/orgs/demo-org", json=full, headers=admin)
    assert answer.status == 200 and (await answer.json())["state"] == "pending"
    await error_of(await client.patch("/api/v1/orgs/demo-org", json={"kind": "dispatch"}, headers=admin), 422)


@pytest.mark.clause("5.1.3 b", "4.4.1 a")
async def test_industry_list_comes_from_the_settings_and_registrations_are_limited(tmp_path: Path) -> None:
    settings = load_settings({"data_dir": tmp_path / "data", "port": 0, "industry_access": "finance=refused,mining=review"},
                             environ={})
    client = TestClient(TestServer(create_app(settings)))
    await client.start_server()
    try:
        me = await bearer(client.server.app, "viewer", "seeker-2")
        refused = await error_of(await client.post("/api/v1/orgs", json=_body(industry="finance"), headers=me), 403)
        assert "金融" in refused["message"]
        mining = await client.post("/api/v1/orgs", json=_body(industry="mining"), headers=me)
        assert (await mining.json())["industry_access"] == "review"
        for code in CODES[1:4]:
            assert (await client.post("/api/v1/orgs", json=_body(code), headers=me)).status == 201
        limited = await client.post("/api/v1/orgs", json=_body(CODES[0]), headers=me)
        assert limited.status == 429 and (await limited.json())["error"]["rule"] == "org_register_user"
    finally:
        await client.close()


@pytest.mark.clause("5.1.2")
async def test_review_in_the_store(store_url: str) -> None:
    store = await open_store(store_url)
    try:
        await OrgRepository(store).create_org("legacy", "老机构")
        await OrgRepository(store).ensure_user("u-1", "注册人")
        review = OrgReview(store, StoreLedger(store), pseudonym_key=pseudonym_key("s" * 40))
        registration = parse_registration(_body(), DEFAULT_INDUSTRIES)
        org_id = await review.register(registration, "u-1", [])
        async with store.engine.connect() as connection:
            states = dict((await connection.execute(select(organisations.c.id, organisations.c.state))).all())
        assert states == {"legacy": "approved", org_id: "pending"}
        view = await review.decide(org_id, "approve", None, "rev-1")
        assert view["state"] == "approved" and view["registered_by"] == "u-1"
        async with store.engine.connect() as connection:
            assert (await connection.execute(select(members.c.role).where(members.c.org_id == org_id))).scalar() \
                == "admin"
    finally:
        await store.close()


@pytest.mark.clause("4.4.1 f")
async def test_two_reviewers_deciding_at_once_make_one_decision(store_url: str) -> None:
    import asyncio

    from common.errors import Conflict

    store = await open_store(store_url)
    try:
        await OrgRepository(store).ensure_user("u-2", "注册人")
        ledger = StoreLedger(store)
        review = OrgReview(store, ledger, pseudonym_key=pseudonym_key("s" * 40))
        org_id = await review.register(parse_registration(_body(CODES[1]), DEFAULT_INDUSTRIES), "u-2", [])
        results = await asyncio.gather(review.decide(org_id, "approve", None, "rev-1"),
                                       review.decide(org_id, "reject", "不符", "rev-2"), return_exceptions=True)
        assert sorted(type(r).__name__ for r in results) == ["Conflict", "dict"]
        assert any(isinstance(r, Conflict) for r in results)
        kinds = [e.kind async for e in ledger.export(0, 2**62)]
        assert kinds[0] == "org.registered" and len(kinds) == 2 and (await ledger.verify()).ok
    finally:
        await store.close()
