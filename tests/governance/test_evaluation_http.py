"""Evaluation and improvement over HTTP (standard 6.1, 6.2): the whole app with the demo seed.

A host runs a session; a job seeker applies in its room (a candidate) and a viewer watched it (its digest
written as the chat layer's tally writes it); both rate it, strangers cannot. The organisation reads its
ratings and rates the platform; platform staff read the quality figures and the monthly report and keep
corrective actions. Bad input gets its 4xx and changes nothing.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import func, select

from governance.evaluation import month_of
from governance.keys import GOVERNANCE
from livehire import keys
from store.evaluation_tables import ratings
from store.stats_tables import session_viewers, viewer_key
from tests.identity.helpers import bearer, error_of

pytestmark = pytest.mark.clause("6.1")


async def _json(response: Any, status: int) -> Any:
    text = await response.text()
    assert response.status == status, text
    return await response.json()


async def _live_session(client: Any) -> str:
    app = client.server.app
    host = await bearer(app, "host", "host-1", "demo-org")
    planned = await _json(await client.post("/api/v1/orgs/demo-org/sessions", headers=host, json={
        "room": "demo", "title": "春季招聘专场", "starts_at": int(time.time() * 1000), "jobs": ["demo-job-service"]}),
        201)
    await _json(await client.post(f"/api/v1/sessions/{planned['id']}/state", headers=host, json={"state": "live"}), 200)
    return str(planned["id"])


async def _rows(client: Any) -> int:
    async with client.server.app[keys.STORE].engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(ratings))).scalar() or 0)


async def test_participants_rate_a_session_and_strangers_cannot(client: Any) -> None:
    app = client.server.app
    session_id = await _live_session(client)
    candidate = await bearer(app, "viewer", "seeker-1")
    await _json(await client.put("/api/v1/me/profile", headers=candidate, json={
        "name": "小王", "phone": "13800138000", "resume": "三年客服经验", "consent_to_share": True}), 200)
    applied = await client.post("/api/v1/jobs/demo-job-service/applications", headers=candidate, json={"room": "demo"})
    assert applied.status in (200, 201), await applied.text()
    async with app[keys.STORE].engine.begin() as connection:  # what the chat tally writes when seeker-2 joins
        await connection.execute(session_viewers.insert().values(
            session_id=session_id, viewer=viewer_key(session_id, "seeker-2"), joined_at=int(time.time() * 1000)))
    viewer = await bearer(app, "viewer", "seeker-2")
    url = f"/api/v1/sessions/{session_id}/rating"

    rated = await _json(await client.post(url, headers=candidate, json={"score": 5, "comment": "岗位讲得很清楚"}), 201)
    assert (rated["role"], rated["comment_state"]) == ("candidate", "shown")
    held = await _json(await client.post(url, headers=viewer, json={"score": 2, "comment": "加我微信 abc123 细聊"}), 201)
    assert (held["role"], held["comment_state"]) == ("viewer", "held")

    await error_of(await client.post(url, json={"score": 5}), 401)
    stranger = await bearer(app, "viewer", "seeker-3")
    assert (await error_of(await client.post(url, headers=stranger, json={"score": 5}), 403))["code"] \
        == "not_a_participant"
    assert (await error_of(await client.post(url, headers=viewer, json={"score": 9}), 422))["code"] == "invalid_score"
    assert (await error_of(await client.post(url, headers=viewer, json={}), 400))["code"] == "missing_field"
    await error_of(await client.post(url, headers=viewer, data=b"{not json"), 400)
    blocked = await error_of(await client.post(url, headers=viewer, json={"score": 1, "comment": "你这个傻逼主播"}), 422)
    assert blocked["code"] == "comment_not_allowed" and blocked["categories"] == ["harassment"]
    await error_of(await client.post("/api/v1/sessions/no-such/rating", headers=viewer, json={"score": 3}), 404)
    assert await _rows(client) == 2  # the refusals changed nothing

    recruiter = await bearer(app, "recruiter", "rec-1", "demo-org")
    mine = await _json(await client.get("/api/v1/orgs/demo-org/ratings", headers=recruiter), 200)
    assert mine["sessions"][0]["ratings"] == 2 and mine["sessions"][0]["mean"] == 3.5
    assert [c["comment"] for c in mine["comments"]] == ["岗位讲得很清楚"]  # the held one is not shown
    other = await bearer(app, "recruiter", "rec-9", "acme")
    await error_of(await client.get("/api/v1/orgs/demo-org/ratings", headers=other), 403)

    reviewer = await bearer(app, "reviewer", "rev-1")
    waiting = await _json(await client.get("/api/v1/review/ratings", headers=reviewer), 200)
    assert [r["comment"] for r in waiting["ratings"]] == ["加我微信 abc123 细聊"]
    await _json(await client.post(f"/api/v1/review/ratings/{waiting['ratings'][0]['id']}", headers=reviewer,
                                  json={"decision": "remove"}), 200)
    await error_of(await client.post("/api/v1/review/ratings/abc", headers=reviewer, json={"decision": "show"}), 422)
    await error_of(await client.get("/api/v1/review/ratings", headers=recruiter), 403)


@pytest.mark.clause("6.2")
async def test_staff_read_figures_and_the_report_and_keep_corrective_actions(client: Any) -> None:
    app = client.server.app
    await _live_session(client)
    admin = await bearer(app, "admin", "org-admin", "demo-org")
    platform = await _json(await client.post("/api/v1/orgs/demo-org/platform-rating", headers=admin,
                                             json={"score": 4, "comment": "审核很及时"}), 201)
    assert platform["target_id"] == month_of(int(time.time() * 1000))
    recruiter = await bearer(app, "recruiter", "rec-1", "demo-org")
    await error_of(await client.post("/api/v1/orgs/demo-org/platform-rating", headers=recruiter, json={"score": 4}), 403)

    reviewer = await bearer(app, "reviewer", "rev-1")
    month = month_of(int(time.time() * 1000))
    figures = await _json(await client.get(f"/api/v1/review/quality?month={month}", headers=reviewer), 200)
    demo = next(row for row in figures["orgs"] if row["org"] == "demo-org")
    assert demo["sessions"] >= 1 and set(demo) >= {"blocked_rate", "complaints_per_1000_viewers",
                                                  "first_response_median_s", "satisfaction", "attention"}
    assert any(row["host"] == "host-1" for row in figures["hosts"])
    await error_of(await client.get("/api/v1/review/quality?month=2026-13", headers=reviewer), 422)
    await error_of(await client.get("/api/v1/review/quality", headers=admin), 403)

    step_url = "/api/v1/review/actions"
    body = {"problem": "演示机构首次响应偏慢", "action": "安排招聘专员值班", "owner": "运营部张三", "follow_up": "2099-01-31",
            "org_id": "demo-org", "source": f"evaluation:{month}"}
    assert (await error_of(await client.post(step_url, headers=reviewer, json={**body, "follow_up": "2020-01-01"}),
                           422))["code"] == "follow_up_in_past"
    await error_of(await client.post(step_url, headers=admin, json=body), 403)
    opened = await _json(await client.post(step_url, headers=reviewer, json=body), 201)
    listed = await _json(await client.get(f"{step_url}?status=open&org=demo-org", headers=reviewer), 200)
    assert [a["id"] for a in listed["actions"]] == [opened["id"]]
    await error_of(await client.get(f"{step_url}?overdue=maybe", headers=reviewer), 422)
    one = f"{step_url}/{opened['id']}"
    assert (await error_of(await client.post(one, headers=reviewer, json={"step": "done"}), 400))["code"] \
        == "missing_field"
    done = await _json(await client.post(one, headers=reviewer, json={"step": "done", "outcome": "已排班，响应时间降至 1 小时"}),
                       200)
    assert done["status"] == "done"
    assert (await error_of(await client.post(one, headers=reviewer, json={"step": "done", "outcome": "再次"}), 409))[
        "code"] == "invalid_transition"
    assert (await _json(await client.post(one, headers=reviewer, json={"step": "verify"}), 200))["status"] == "verified"

    report = await _json(await client.get(f"/api/v1/review/reports/{month}", headers=reviewer), 200)
    assert report["month"] == month and report["platform_rating"] == {"ratings": 1, "mean": 4.0}
    assert report["corrective_actions"]["opened"] == 1 and report["corrective_actions"]["verified"] == 1
    assert set(report["trend"]) == {"blocked_rate", "complaints_per_1000_viewers", "first_response_median_s",
                                    "satisfaction"}
    await error_of(await client.get(f"/api/v1/review/reports/{month}", headers=admin), 403)
    page = await client.get(f"/review/reports/{month}")
    assert page.status == 200 and f'data-month="{month}"' in await page.text()
    await error_of(await client.get("/review/reports/latest"), 422)

    kinds = [e.kind async for e in app[GOVERNANCE].ledger.export(0, 2**62)]
    assert {"rating.platform", "corrective_action.opened", "corrective_action.done",
            "corrective_action.verify"} <= set(kinds)
