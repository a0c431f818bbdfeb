"""Prohibited behaviour beyond chat (standard 5.1.3 d) over the whole app, on SQLite and PostgreSQL:
interview invitations and candidates' replies pass the filter (blocked: 422, logged, in the ledger, nothing
stored; doubtful: delivered and queued on the review desk), and either party of a call flags its record for a
reviewer, who settles it with a reason."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from governance.web import GOVERNANCE
from livehire import keys
from livehire.app import RECRUITING, create_app
from livehire.settings import load_settings
from tests.identity.helpers import error_of
from tests.recruiting.conftest import job_body, make_org

pytestmark = pytest.mark.clause("5.1.3 d")

Client = TestClient[Any, web.Application]
Tokens = dict[str, dict[str, str]]
LATER = 2 * 24 * 3600 * 1000


async def _app(aiohttp_client: Any, tmp_path: Path, store_url: str) -> tuple[Client, web.Application, Tokens]:
    settings = load_settings({"data_dir": tmp_path, "database_url": store_url, "secret": "s" * 40}, environ={})
    app = create_app(settings)
    client: Client = await aiohttp_client(app)

    async def bearer(role: str, user: str, org: str | None = None) -> dict[str, str]:
        grant = await app[keys.SESSIONS].open(user_id=user, role=role, org=org)  # type: ignore[arg-type]
        return {"Authorization": "Bearer " + grant.access_token}

    await make_org(app[keys.STORE])
    tokens = {"cand": await bearer("viewer", "cand1"), "other": await bearer("viewer", "cand2"),
              "rec": await bearer("recruiter", "rec1", "acme"), "admin": await bearer("admin", "boss", "acme"),
              "foreign": await bearer("recruiter", "rec9", "elsewhere"), "reviewer": await bearer("reviewer", "rev1")}
    return client, app, tokens


async def _application(client: Client, app: web.Application, tokens: Tokens) -> str:
    job = await app[RECRUITING].jobs.create("acme", job_body(), created_by="rec1")
    profile = {"name": "张三", "phone": "13912345678", "resume": "五年叉车经验", "consent_to_share": True}
    assert (await client.put("/api/v1/me/profile", json=profile, headers=tokens["cand"])).status == 200
    applied = await client.post(f"/api/v1/jobs/{job['id']}/applications", json={"ref": "r"}, headers=tokens["cand"])
    assert applied.status == 201, await applied.text()
    return str((await applied.json())["application_id"])


async def _entries(app: web.Application) -> list[Any]:
    governance = app[GOVERNANCE]
    await governance.feed.drain()
    return [e async for e in governance.ledger.export(0, 2**62)]


async def test_invitations_and_replies_pass_the_filter(aiohttp_client: Any, tmp_path: Path, store_url: str,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    client, app, tokens = await _app(aiohttp_client, tmp_path, store_url)
    app_id = await _application(client, app, tokens)
    invite = f"/api/v1/applications/{app_id}/interviews"
    at = int(time.time() * 1000) + LATER

    with caplog.at_level(logging.WARNING, logger="livehire.recruiting.screening"):
        refused = await client.post(invite, headers=tokens["rec"],
                                    json={"at": at, "place": "物流园，面试需先交押金300元", "contact": "李经理"})
        error = await error_of(refused, 422)
    assert error["code"] == "text_not_allowed" and "面试邀请" in error["message"] and "面试地点" in error["message"]
    assert (error["field"], error["categories"]) == ("place", ["fee"])
    assert "invitation refused by the filter" in caplog.text and "fee" in caplog.text
    assert (await (await client.get("/api/v1/me/interviews", headers=tokens["cand"])).json()) == []  # nothing sent
    await error_of(await client.post(invite, headers=tokens["rec"],
                                     json={"at": at, "link": "加微信 abc123 详聊", "contact": "李经理"}), 422)

    # a phone in the contact is what a contact is: not refused
    plain = await client.post(invite, headers=tokens["rec"],
                              json={"at": at, "place": "物流园 3 号楼", "contact": "李经理 13800138000"})
    assert plain.status == 201, await plain.text()
    doubtful = await client.post(invite, headers=tokens["rec"],
                                 json={"at": at + 1000, "place": "物流园 3 号楼，自费体检", "contact": "李经理"})
    assert doubtful.status == 201, await doubtful.text()
    flagged_invite = (await doubtful.json())["id"]
    mine = await (await client.get("/api/v1/me/interviews", headers=tokens["cand"])).json()
    assert flagged_invite in [i["id"] for i in mine]  # delivered

    reviewer = tokens["reviewer"]
    queue = await (await client.get("/api/v1/review/complaints?target_type=interview", headers=reviewer)).json()
    [item] = queue["complaints"]
    assert item["target_id"] == flagged_invite and item["target_org"] == "acme" and item["status"] == "received"
    assert "面试邀请" in item["text"] and "面试地点" in item["text"] and "体检" not in item["text"]  # terms masked
    await error_of(await client.get("/api/v1/review/complaints?target_type=nope", headers=reviewer), 422)
    await error_of(await client.get("/api/v1/review/complaints?target_type=interview", headers=tokens["admin"]), 403)

    # the candidate's reply: insults refused, a doubtful note delivered and flagged
    answer = f"/api/v1/interviews/{flagged_invite}/answer"
    error = await error_of(await client.post(answer, headers=tokens["cand"],
                                             json={"answer": "decline", "note": "你们是骗子吧傻逼"}), 422)
    assert error["code"] == "text_not_allowed" and error["categories"] == ["harassment"]
    still = next(i for i in await (await client.get("/api/v1/me/interviews", headers=tokens["cand"])).json()
                 if i["id"] == flagged_invite)
    assert still["state"] == "invited" and not still.get("candidate_note")
    await error_of(await client.post(answer, headers=tokens["other"], json={"answer": "accept", "note": "傻逼"}), 403)
    replied = await client.post(answer, headers=tokens["cand"], json={"answer": "reschedule", "note": "能否加个微信聊"})
    assert replied.status == 200, await replied.text()
    assert (await replied.json())["state"] != "invited"
    queue = await (await client.get("/api/v1/review/complaints?target_type=interview", headers=reviewer)).json()
    assert len(queue["complaints"]) == 2 and any("候选人回复" in c["text"] for c in queue["complaints"])

    entries = await _entries(app)
    blocked = [e for e in entries if e.kind == "moderation.blocked"]
    assert [(e.subject, e.body["field"], e.body["categories"]) for e in blocked] == [
        (f"application:{app_id}", "place", ["fee"]), (f"application:{app_id}", "link", ["diversion"]),
        (f"interview:{flagged_invite}", "note", ["harassment"])]
    flagged = [e for e in entries if e.kind == "moderation.flagged"]
    assert [e.body["what"] for e in flagged] == ["invitation", "reply"]
    assert {e.body["review_item"] for e in flagged} == {c["id"] for c in queue["complaints"]}
    text = json.dumps([e.to_json() for e in entries], ensure_ascii=False)
    for personal in ("押金", "微信", "傻逼", "体检", "rec1", "cand1", "13800138000"):
        assert personal not in text, personal
    await client.close()


async def test_either_party_flags_a_call_and_a_reviewer_settles_it(aiohttp_client: Any, tmp_path: Path,
                                                                   store_url: str) -> None:
    client, app, tokens = await _app(aiohttp_client, tmp_path, store_url)
    app_id = await _application(client, app, tokens)
    called = await client.post(f"/api/v1/applications/{app_id}/calls", headers=tokens["rec"])
    assert called.status == 201, await called.text()
    call_id = (await called.json())["call_id"]

    calls = await (await client.get("/api/v1/me/calls", headers=tokens["cand"])).json()
    assert [c["call_id"] for c in calls["calls"]] == [call_id] and "x" not in calls["calls"][0]
    assert (await (await client.get("/api/v1/me/calls", headers=tokens["other"])).json())["calls"] == []

    flag = f"/api/v1/calls/{call_id}/flag"
    reason = {"reason": "对方在电话里要求我先交培训费 13800138000"}
    assert (await client.post(flag, json=reason)).status == 401
    assert (await error_of(await client.post(flag, json=reason, headers=tokens["other"]), 403))["code"] == "not_a_party"
    await error_of(await client.post(flag, json=reason, headers=tokens["foreign"]), 403)
    await error_of(await client.post(flag, json=reason, headers=tokens["reviewer"]), 403)
    await error_of(await client.post("/api/v1/calls/nope/flag", json=reason, headers=tokens["cand"]), 404)
    await error_of(await client.post(flag, json={"reason": "短"}, headers=tokens["cand"]), 422)
    await error_of(await client.post(flag, data=b"{", headers=tokens["cand"]), 400)
    by_candidate = await client.post(flag, json=reason, headers=tokens["cand"])
    assert by_candidate.status == 201, await by_candidate.text()
    filed = await by_candidate.json()
    assert filed["call_id"] == call_id and filed["status"] == "received" and "/complaints/follow/" in filed["follow_up_url"]
    by_org = await client.post(flag, json={"reason": "候选人在通话中辱骂招聘人员"}, headers=tokens["rec"])
    assert by_org.status == 201, await by_org.text()

    reviewer = tokens["reviewer"]
    await error_of(await client.get("/api/v1/review/calls", headers=tokens["admin"]), 403)  # never the org
    queue = (await (await client.get("/api/v1/review/calls", headers=reviewer)).json())["calls"]
    assert {c["id"] for c in queue} == {filed["id"], (await by_org.json())["id"]}
    mine = next(c for c in queue if c["id"] == filed["id"])
    assert mine["call"]["call_id"] == call_id and mine["call"]["org"] == "acme" and mine["target_org"] == "acme"
    assert "求职者" in mine["text"] and "13800138000" not in mine["text"]  # personal data masked

    settle = f"/api/v1/review/calls/{filed['id']}"
    await error_of(await client.post(settle, json={"decision": "uphold"}, headers=reviewer), 400)
    await error_of(await client.post(settle, json={"decision": "maybe", "reason": "x"}, headers=reviewer), 422)
    await error_of(await client.post(settle, json={"decision": "uphold", "reason": "x"}, headers=tokens["admin"]), 403)
    not_a_call = await client.post("/api/v1/complaints", json={"target_type": "job", "target_id": "j1",
                                                               "text": "岗位信息虚假，请核实"})
    assert not_a_call.status == 201
    await error_of(await client.post(f"/api/v1/review/calls/{(await not_a_call.json())['id']}",
                                     json={"decision": "uphold", "reason": "x"}, headers=reviewer), 404)
    settled = await client.post(settle, json={"decision": "uphold", "reason": "录音核实属实，已警告该机构"}, headers=reviewer)
    assert settled.status == 200, await settled.text()
    assert (await settled.json())["status"] == "answered"
    await error_of(await client.post(settle, json={"decision": "dismiss", "reason": "再次"}, headers=reviewer), 409)
    follow = filed["follow_up_url"]
    seen = await (await client.get(follow[follow.index("/api/"):])).json()
    assert seen["status"] == "answered" and "属实" in seen["reply"] and "录音核实属实" in seen["reply"]

    entries = await _entries(app)
    filed_entries = [e for e in entries if e.kind == "complaint.filed" and e.body["target_type"] == "call"]
    assert sorted(e.body["origin"] for e in filed_entries) == ["call_flag_candidate", "call_flag_organisation"]
    [answered] = [e for e in entries if e.kind == "complaint.answered"]
    assert answered.subject == f"complaint:{filed['id']}" and answered.body["decision"] == "uphold"
    await client.close()
