"""Export and deletion of a candidate's data over the whole app (standard 4.4.1 c; 个人信息保护法 §45, §47).

Runs ``livehire.app.create_app`` on SQLite and PostgreSQL (``store_url``).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from livehire import keys
from livehire.app import RECRUITING, create_app
from livehire.settings import load_settings
from recruiting.repositories.privacy import ERASED_NAME
from store.orgs import OrgRepository
from store.recruiting_tables import number_bindings
from tests.recruiting.conftest import job_body, make_org

pytestmark = pytest.mark.clause("4.4.1 c")

SECRET = "p" * 40
PHONE = "13912345678"


Client = TestClient[Any, web.Application]
Tokens = dict[str, dict[str, str]]


async def _app(aiohttp_client: Any, tmp_path: Path, store_url: str) -> tuple[Client, web.Application, Tokens]:
    settings = load_settings({"data_dir": tmp_path, "database_url": store_url, "secret": SECRET}, environ={})
    app = create_app(settings)
    client: Client = await aiohttp_client(app)

    async def bearer(role: str, user: str, org: str | None = None) -> dict[str, str]:
        grant = await app[keys.SESSIONS].open(user_id=user, role=role, org=org)  # type: ignore[arg-type]
        return {"Authorization": "Bearer " + grant.access_token}

    await make_org(app[keys.STORE])
    tokens = {
        "viewer": await bearer("viewer", "cand1"),
        "other": await bearer("viewer", "cand2"),
        "recruiter": await bearer("recruiter", "rec1", "acme"),
        "admin": await bearer("admin", "boss", "acme"),
    }
    return client, app, tokens


async def _applied(client: Client, app: web.Application, tokens: Tokens, user: str = "viewer") -> tuple[str, str]:
    service = app[RECRUITING]
    job = await service.jobs.create("acme", job_body(), created_by="rec1")
    profile = {"name": "张三", "phone": PHONE, "resume": "五年叉车经验", "consent_to_share": True}
    assert (await client.put("/api/v1/me/profile", json=profile, headers=tokens[user])).status == 200
    applied = await client.post(f"/api/v1/jobs/{job['id']}/applications", json={"ref": "r1"}, headers=tokens[user])
    assert applied.status == 201, await applied.text()
    return str(job["id"]), str((await applied.json())["application_id"])


async def test_export_holds_what_was_applied(aiohttp_client: Any, tmp_path: Path, store_url: str) -> None:
    """个人信息保护法 §45: the copy holds the profile (phone decrypted), consent, applications, interviews."""
    client, app, tokens = await _app(aiohttp_client, tmp_path, store_url)
    assert (await client.get("/api/v1/me/data")).status == 401
    job_id, app_id = await _applied(client, app, tokens)
    at = int(time.time() * 1000) + 2 * 24 * 3600 * 1000
    invite = await client.post(f"/api/v1/applications/{app_id}/interviews",
                               json={"at": at, "place": "物流园 3 号楼", "contact": "李经理"}, headers=tokens["recruiter"])
    assert invite.status == 201

    response = await client.get("/api/v1/me/data", headers=tokens["viewer"])
    assert response.status == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = await response.json()
    assert data["profile"]["name"] == "张三" and data["profile"]["phone"] == PHONE
    assert data["consents"][0]["given"] is True and data["consents"][0]["at"] is not None
    [application] = data["applications"]
    assert (application["id"], application["job_id"], application["org"]) == (app_id, job_id, "acme")
    assert application["status"] == "interview" and application["employer"] == "acme 公司"  # own job: the org
    assert [i["application_id"] for i in data["interviews"]] == [app_id]
    # nobody else's data
    other = await (await client.get("/api/v1/me/data", headers=tokens["other"])).json()
    assert other["profile"] is None and other["applications"] == [] and other["interviews"] == []
    await client.close()


async def test_delete_deidentifies_and_is_idempotent(aiohttp_client: Any, tmp_path: Path, store_url: str) -> None:
    """个人信息保护法 §47: deleted for the person; the employer keeps the count, not the person."""
    client, app, tokens = await _app(aiohttp_client, tmp_path, store_url)
    store = app[keys.STORE]
    _, app_id = await _applied(client, app, tokens)
    _, other_app = await _applied(client, app, tokens, "other")
    call = await client.post(f"/api/v1/applications/{app_id}/calls", headers=tokens["recruiter"])
    assert call.status in (200, 201), await call.text()
    at = int(time.time() * 1000) + 2 * 24 * 3600 * 1000
    await client.post(f"/api/v1/applications/{app_id}/interviews",
                      json={"at": at, "place": "物流园", "contact": "李经理"}, headers=tokens["recruiter"])

    for bad in ({}, {"confirm": False}, {"confirm": "yes"}):
        refused = await client.delete("/api/v1/me", json=bad, headers=tokens["viewer"])
        assert refused.status == 422
        assert (await refused.json())["error"]["code"] == "confirmation_required"
    not_json = await client.delete("/api/v1/me", data=b"nope", headers=tokens["viewer"])
    assert not_json.status == 422 and (await not_json.json())["error"]["code"] == "confirmation_required"
    assert (await client.delete("/api/v1/me", json={"confirm": True})).status == 401
    # nothing was deleted by the refused calls
    assert (await (await client.get("/api/v1/me/data", headers=tokens["viewer"])).json())["profile"] is not None

    erased = await client.delete("/api/v1/me", json={"confirm": True}, headers=tokens["viewer"])
    assert erased.status == 200
    report = await erased.json()
    assert report["deleted"]["profile"] is True
    assert report["deidentified"] == {"applications": 1, "interviews": 1}
    assert report["released_virtual_numbers"] == 1
    assert report["kept"]

    inbox = await (await client.get("/api/v1/orgs/acme/applications", headers=tokens["recruiter"])).json()
    assert len(inbox) == 2  # the employer keeps the count
    mine = next(a for a in inbox if a["id"] == app_id)
    assert mine["name"] == ERASED_NAME and mine["user_id"] != "cand1"
    assert next(a for a in inbox if a["id"] == other_app)["name"] == "张三"  # the other candidate untouched
    opened = await client.get(f"/api/v1/applications/{app_id}", headers=tokens["recruiter"])
    assert opened.status == 200
    detail = await opened.json()
    text = json.dumps(detail, ensure_ascii=False)
    assert "张三" not in text and "五年叉车经验" not in text and PHONE not in text and "cand1" not in text
    assert detail["resume"] is None and PHONE[:3] not in detail["phone_masked"]
    assert (await client.post(f"/api/v1/applications/{app_id}/calls", headers=tokens["recruiter"])).status == 409
    async with store.engine.connect() as connection:
        released = (await connection.execute(number_bindings.select())).all()
    assert released and all(row.released_at is not None for row in released)

    # the person's sessions ended with the deletion (review M8); signing in again starts afresh
    assert (await client.get("/api/v1/me/data", headers=tokens["viewer"])).status == 401
    again_in = await app[keys.SESSIONS].open(user_id="cand1", role="viewer")
    tokens["viewer"] = {"Authorization": "Bearer " + again_in.access_token}
    export = await (await client.get("/api/v1/me/data", headers=tokens["viewer"])).json()
    assert export["profile"] is None and export["consents"] == []
    assert export["applications"] == [] and export["interviews"] == [] and export["virtual_numbers"] == []
    assert await (await client.get("/api/v1/me/applications", headers=tokens["viewer"])).json() == []

    again = await client.delete("/api/v1/me", json={"confirm": True}, headers=tokens["viewer"])
    assert again.status == 200
    second = await again.json()
    third_in = await app[keys.SESSIONS].open(user_id="cand1", role="viewer")
    tokens["viewer"] = {"Authorization": "Bearer " + third_in.access_token}
    assert second["deleted"]["profile"] is False and second["deidentified"] == {"applications": 0, "interviews": 0}
    # the same person may come back and apply again as a new candidate
    _, new_app = await _applied(client, app, tokens)
    assert new_app != app_id
    await client.close()


async def test_a_members_own_phone_is_exported_and_deleted(aiohttp_client: Any, tmp_path: Path, store_url: str) -> None:
    """A recruiter is a person too (§45, §47): the own phone set for virtual numbers is in the copy and goes with deletion."""
    client, app, tokens = await _app(aiohttp_client, tmp_path, store_url)
    orgs = OrgRepository(app[keys.STORE])
    await orgs.ensure_user("rec1", "李经理")
    await orgs.add_member("acme", "rec1", "recruiter")
    own = "13800001234"
    assert (await client.put("/api/v1/orgs/acme/members/me/phone", json={"phone": own},
                             headers=tokens["recruiter"])).status == 200
    data = await (await client.get("/api/v1/me/data", headers=tokens["recruiter"])).json()
    [membership] = data["memberships"]
    assert (membership["org"], membership["role"], membership["phone"]) == ("acme", "recruiter", own)
    assert (await (await client.get("/api/v1/me/data", headers=tokens["viewer"])).json())["memberships"] == []

    erased = await (await client.delete("/api/v1/me", json={"confirm": True}, headers=tokens["recruiter"])).json()
    assert erased["deleted"]["member_phones"] == 1
    assert erased["deleted"]["account"] == 1  # the account goes too: the membership with it (identity.accounts)
    # every session of the person ended with the account (review M8): the old token is refused
    assert (await client.get("/api/v1/me/data", headers=tokens["recruiter"])).status == 401
    listed = await (await client.get("/api/v1/orgs/acme/members", headers=tokens["admin"])).json()
    assert all(m["user"] != "rec1" for m in listed)
    await client.close()
