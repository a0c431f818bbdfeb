"""Complaints and reports (standard 4.4.1 e): anyone files, platform staff handle, the complainant follows.

Deadlines and overdue flags are computed with a moved ManualClock (repository tests on SQLite and
PostgreSQL); the HTTP tests drive the whole app.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from common.clock import ManualClock
from common.errors import Conflict, Invalid, Malformed
from governance.complaints import CHINA, deadline_after, is_overdue, mask_spans, next_status, parse_filing
from governance.complaints_sql import ComplaintRepository
from governance.ledger import pseudonym_key
from governance.ledger_sql import StoreLedger
from governance.web import GOVERNANCE
from store.engine import open_store
from store.governance_tables import complaints, ledger_entries
from store.sealing import ContactCipher
from tests.identity.helpers import bearer, error_of

pytestmark = pytest.mark.clause("4.4.1 e")

DAY_S = 24 * 3600


def _ms(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=CHINA).timestamp() * 1000)


# ---- rules without I/O ---------------------------------------------------------------------------


def test_deadline_counts_working_days_in_china_time() -> None:
    """4.4.1 e (及时受理): N working days, weekends skipped, to the end of the last day (UTC+8)."""
    friday = _ms("2026-12-04T16:00:00")
    assert deadline_after(friday, 5) == _ms("2026-12-11T23:59:59.999")
    saturday = _ms("2026-12-05T09:00:00")
    assert deadline_after(saturday, 5) == _ms("2026-12-11T23:59:59.999")
    monday_late = _ms("2026-12-07T23:30:00")
    assert deadline_after(monday_late, 1) == _ms("2026-12-08T23:59:59.999")
    assert deadline_after(friday, 1) == _ms("2026-12-07T23:59:59.999")  # over the weekend


def test_transitions_and_overdue() -> None:
    assert next_status("assign", "received") == "in_progress"
    assert next_status("answer", "in_progress") == "answered"
    assert next_status("close", "answered") == "closed"
    with pytest.raises(Conflict):
        next_status("answer", "closed")
    with pytest.raises(Invalid):
        next_status("delete", "received")
    assert is_overdue("received", 10, 11) and not is_overdue("answered", 10, 11) and not is_overdue("received", 10, 10)


def test_filings_are_checked() -> None:
    ok = parse_filing({"target_type": "job", "target_id": "j-1", "text": "  收取押金五百元  "})
    assert (ok.target_type, ok.text, ok.contact) == ("job", "收取押金五百元", None)
    assert parse_filing({"target_type": "other", "text": "平台客服不回复消息"}).target_id == "-"
    with pytest.raises(Invalid):
        parse_filing({"target_type": "person", "target_id": "x", "text": "一二三四五"})
    with pytest.raises(Invalid):
        parse_filing({"target_type": "job", "target_id": "x", "text": "短"})
    with pytest.raises(Malformed):
        parse_filing({"target_type": "job", "target_id": "x", "text": 5})
    with pytest.raises(Invalid):
        parse_filing({"target_type": "job", "target_id": "a b", "text": "一二三四五"})
    with pytest.raises(Invalid):
        parse_filing({"target_type": "job", "target_id": "x", "text": "一二三四\x00五"})


def test_mask_spans() -> None:
    assert mask_spans("电话13800138000谢谢", [(2, 13)]) == "电话" + "＊" * 11 + "谢谢"


# ---- the repository ------------------------------------------------------------------------------


@pytest.mark.clause("4.4.1 f")
async def test_deadline_overdue_and_ledger_with_a_moved_clock(store_url: str) -> None:
    clock = ManualClock(_ms("2026-12-04T10:00:00") / 1000)  # a Friday
    store = await open_store(store_url)
    try:
        ledger = StoreLedger(store, clock=clock)
        repo = ComplaintRepository(store, ledger, ContactCipher(b"k" * 32), pseudonym_key=pseudonym_key("s" * 40),
                                   working_days=5, clock=clock)
        filed = await repo.file(parse_filing({"target_type": "room", "target_id": "demo", "text": "主播要求加微信",
                                              "contact": "13800138000"}), "主播要求加微信", None)
        assert filed.complaint.deadline == _ms("2026-12-11T23:59:59.999")
        assert await repo.list(overdue=True) == []
        clock.advance(7 * DAY_S + 14 * 3600 + 1)  # Saturday 00:00:01 after the deadline
        overdue = await repo.list(overdue=True)
        assert [c.id for c, _ in overdue] == [filed.complaint.id] and overdue[0][1] == "13800138000"
        assert (await repo.list(overdue=False)) == []
        answered = await repo.act(filed.complaint.id, "answer", "staff-1", reply="已核实并处理主播")
        assert answered.status == "answered" and not answered.overdue(repo.now())
        assert await repo.list(overdue=True) == []
        assert (await repo.by_token(filed.token)).reply == "已核实并处理主播"
        async with store.engine.connect() as connection:
            row = (await connection.execute(select(complaints))).one()
            bodies = [r.body for r in await connection.execute(select(ledger_entries).order_by(ledger_entries.c.seq))]
        assert row.contact != "13800138000" and filed.token not in json.dumps(list(row))
        assert len(bodies) == 2 and json.loads(bodies[1])["overdue"] is True
        assert not any("13800138000" in b or "微信" in b or "staff-1" in b for b in bodies)  # no personal data
        assert (await ledger.verify()).ok
    finally:
        await store.close()


# ---- HTTP ----------------------------------------------------------------------------------------


async def _file(client: Any, body: dict[str, Any], headers: dict[str, str] | None = None) -> dict[str, Any]:
    response = await client.post("/api/v1/complaints", json=body, headers=headers or {})
    assert response.status == 201, await response.text()
    answer: dict[str, Any] = await response.json()
    return answer


@pytest.mark.clause("4.4.1 f")
async def test_anonymous_complaint_is_handled_by_staff_and_followed_by_its_link(client: Any) -> None:
    app = client.server.app
    filed = await _file(client, {"target_type": "org", "target_id": "demo-org",
                                 "text": "招聘时要求先交 500 元服装费，电话 13800138000", "contact": "someone@example.com"})
    assert filed["status"] == "received" and filed["id"].startswith("c-")
    assert "+08:00" in filed["deadline"]
    link = filed["follow_up_url"]
    path = link[link.index("/api/"):]
    followed = await (await client.get(path)).json()
    assert followed == {"status": "received", "deadline": filed["deadline"], "overdue": False, "reply": None,
                        "answered_at": None}
    await error_of(await client.get("/api/v1/complaints/follow/" + "x" * 43), 404)

    reviewer = await bearer(app, "reviewer", "rev-1")
    listed = (await (await client.get("/api/v1/review/complaints?status=received", headers=reviewer)).json())
    mine = next(c for c in listed["complaints"] if c["id"] == filed["id"])
    assert mine["target_org"] == "demo-org" and mine["contact"] == "someone@example.com"
    assert "13800138000" not in mine["text"] and "服装费" in mine["text"]  # personal data masked, the fact kept

    # the organisation complained about never sees or handles it (nor does any other)
    for role, org in (("admin", "demo-org"), ("recruiter", "demo-org"), ("admin", "acme")):
        headers = await bearer(app, role, f"{role}-{org}", org)
        await error_of(await client.get("/api/v1/review/complaints", headers=headers), 403)
        await error_of(await client.post(f"/api/v1/review/complaints/{filed['id']}", headers=headers,
                                         json={"action": "close"}), 403)
    await error_of(await client.get("/api/v1/review/complaints"), 401)
    await error_of(await client.get("/api/v1/review/complaints", headers=await bearer(app, "viewer", "v-1")), 403)

    step = f"/api/v1/review/complaints/{filed['id']}"
    assigned = await (await client.post(step, headers=reviewer, json={"action": "assign"})).json()
    assert assigned["status"] == "in_progress" and assigned["assignee"] == "rev-1"
    assert (await error_of(await client.post(step, headers=reviewer, json={"action": "answer"}), 400))["code"] \
        == "missing_field"
    answered = await client.post(step, headers=reviewer, json={"action": "answer", "reply": "已责令该机构退还费用"})
    assert answered.status == 200
    followed = await (await client.get(path)).json()
    assert followed["status"] == "answered" and followed["reply"] == "已责令该机构退还费用"
    assert set(followed) == {"status", "deadline", "overdue", "reply", "answered_at"}  # nothing else
    closed = await (await client.post(step, headers=reviewer, json={"action": "close"})).json()
    assert closed["status"] == "closed"
    assert (await error_of(await client.post(step, headers=reviewer, json={"action": "assign"}), 409))["code"] \
        == "invalid_transition"

    ledger = app[GOVERNANCE].ledger
    kinds = [e.kind async for e in ledger.export(0, 2**62)]
    assert kinds == ["complaint.filed", "complaint.assigned", "complaint.answered", "complaint.closed"]
    assert (await ledger.verify()).ok


async def test_signed_in_filing_bad_bodies_and_the_channel(client: Any) -> None:
    app = client.server.app
    viewer = await bearer(app, "viewer", "seeker-9")
    filed = await _file(client, {"target_type": "job", "target_id": "demo-job-service", "text": "岗位描述与实际不符"},
                        viewer)
    assert filed["status"] == "received"
    assert (await error_of(await client.post("/api/v1/complaints", json={"target_type": "job"}), 400))["code"] \
        == "missing_field"
    await error_of(await client.post("/api/v1/complaints", data=b"[1]"), 400)
    channel = await (await client.get("/api/v1/complaints/channel")).json()
    assert channel["working_days"] == 5 and "org" in channel["target_types"]
    reviewer = await bearer(app, "reviewer", "rev-2")
    await error_of(await client.get("/api/v1/review/complaints?overdue=maybe", headers=reviewer), 422)
    await error_of(await client.get("/api/v1/review/complaints?status=lost", headers=reviewer), 422)
    await error_of(await client.post("/api/v1/review/complaints/c-nope", headers=reviewer, json={"action": "close"}),
                   404)


@pytest.mark.clause("4.4.1 a")
async def test_anonymous_filing_is_rate_limited_per_address(client: Any) -> None:
    """4.4.1 a: an open channel is limited per client address (identity.limits ``complaint_ip``)."""
    body = {"target_type": "other", "text": "测试投诉内容足够长"}
    for _ in range(5):
        await _file(client, body)
    refused = await client.post("/api/v1/complaints", json=body)
    assert refused.status == 429 and "Retry-After" in refused.headers


async def test_openapi_documents_the_governance_bodies(client: Any) -> None:
    paths = (await (await client.get("/api/v1/openapi.json")).json())["paths"]
    complaint = paths["/api/v1/complaints"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert complaint["required"] == ["target_type", "text"] and "replay" in complaint["properties"]["target_type"]["enum"]
    registration = paths["/api/v1/orgs"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert set(registration["required"]) == {"name", "credit_code", "address", "contact_phone", "industry"}
    assert "security" not in paths["/api/v1/complaints"]["post"]  # anonymous filing
