"""Evaluation and improvement in Chromium against a real ``livehire serve`` (standard 6.1, 6.2), under the
Content-Security-Policy.

A host goes live; a job seeker signs in on /live/demo, watches (the chat socket counts them as a viewer of
the session) and rates the session on the page; the organisation's admin reads the rating on /me/orgs and
rates the platform; a platform reviewer sees the organisation's figures and
charts on /review, records a corrective action and completes it, and opens the monthly report.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from tests.browser.conftest import cli, sign_in_as_member, sign_in_with_phone
from tests.browser.test_csp import COLLECT_VIOLATIONS
from tests.server import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.clause("6.1")]
CHINA = timezone(timedelta(hours=8))


async def _page(chromium: Any, errors: list[str], name: str) -> tuple[Any, Any]:
    context = await chromium.new_context()
    await context.add_init_script(COLLECT_VIOLATIONS)
    page = await context.new_page()
    page.on("pageerror", lambda error: errors.append(f"{name}: {error}"))
    page.on("console", lambda message: errors.append(f"{name}: {message.text}")
            if "Content Security Policy" in message.text else None)
    return context, page


async def _go_live(server: ServerProcess, page: Any) -> tuple[str, dict[str, str]]:
    token = (await asyncio.to_thread(cli, server, "token", "--role", "host", "--user", "host-1",
                                     "--org", "demo-org")).strip()
    headers = {"Authorization": f"Bearer {token}"}
    planned = await (await page.request.post(f"{server.base_url}/api/v1/orgs/demo-org/sessions", headers=headers,
                                             data={"room": "demo", "title": "春季招聘专场",
                                                   "starts_at": int(time.time() * 1000)})).json()
    started = await page.request.post(f"{server.base_url}/api/v1/sessions/{planned['id']}/state", headers=headers,
                                      data={"state": "live"})
    assert started.ok, await started.text()
    return str(planned["id"]), headers


@pytest.mark.clause("6.2")
async def test_a_viewer_rates_the_session_and_a_reviewer_acts_on_the_figures(chromium: Any,
                                                                             server: ServerProcess) -> None:
    errors: list[str] = []
    seeker_context, seeker = await _page(chromium, errors, "seeker")
    session_id, host = await _go_live(server, seeker)
    await sign_in_with_phone(seeker, server, "13900002222", next_path="/live/demo")
    await seeker.wait_for_function("() => document.getElementById('chat-panel').dataset.state === 'open'")
    # the chat tally writes the session's viewers every couple of seconds: wait until this one is counted
    stats_url = f"{server.base_url}/api/v1/sessions/{session_id}/stats"
    for _ in range(100):
        stats = await (await seeker.request.get(stats_url, headers=host)).json()
        if stats.get("total_viewers", 0) >= 1:
            break
        await asyncio.sleep(0.1)
    else:
        pytest.fail(f"the viewer was never counted: {stats}")
    await seeker.wait_for_selector("#rating-form")
    await seeker.check(".rating-score[value='4']")
    await seeker.fill("#rating-comment", "岗位介绍很详细，回答问题及时")
    await seeker.click("#rating-submit")
    await seeker.wait_for_function("() => document.getElementById('rating-status').textContent.includes('感谢')")

    org_context, office = await _page(chromium, errors, "org-admin")
    await sign_in_as_member(office, server, user_id="org-admin", role="admin", org="demo-org", next_path="/me/orgs")
    await office.wait_for_function(
        "() => (document.getElementById('org-session-ratings') || {}).textContent?.includes('1 人评价')")
    assert "岗位介绍很详细" in await office.inner_text("#org-ratings")
    await office.select_option("#platform-rating-score", "5")
    await office.click("#platform-rating-submit")
    await office.wait_for_function("() => document.getElementById('platform-rating-status').textContent.includes('已提交')")

    added = json.loads(await asyncio.to_thread(cli, server, "staff", "add", "rev-1", "--role", "reviewer",
                                               "--name", "审核员小陈", "--json"))
    staff_context, desk = await _page(chromium, errors, "reviewer")
    await desk.goto(added["sign_in_link"], wait_until="domcontentloaded")
    await desk.wait_for_selector("#review-quality")
    try:
        await desk.locator("#quality-orgs tr[data-key]").first.wait_for(timeout=10_000)
    except Exception:
        pytest.fail(await desk.inner_text("#review-quality"))
    row = desk.locator("#quality-orgs tr[data-key]")
    assert await row.count() == 1 and "4（1）" in await row.first.inner_text()  # satisfaction (votes)
    bar = desk.locator("#chart-satisfaction rect")
    assert await bar.count() == 1 and await bar.first.get_attribute("data-value") == "4"

    follow_up = (datetime.now(CHINA) + timedelta(days=14)).strftime("%Y-%m-%d")
    await desk.fill("#action-form input[name=problem]", "直播间首次响应偏慢")
    await desk.fill("#action-form input[name=action]", "安排招聘专员在直播期间值班")
    await desk.fill("#action-form input[name=owner]", "运营部张三")
    await desk.fill("#action-form input[name=follow_up]", follow_up)
    await desk.fill("#action-form input[name=org_id]", "demo-org")
    await desk.click("#action-submit")
    card = desk.locator(".corrective-action[data-status='open']")
    await card.wait_for()
    await card.locator(".action-outcome").fill("已排班，响应降至 10 分钟")
    await card.locator(".action-done").click()
    await desk.select_option("#action-filter", "status=done")
    await desk.locator(".corrective-action[data-status='done']").wait_for()

    month = datetime.now(CHINA).strftime("%Y-%m")
    await desk.goto(f"{server.base_url}/review/reports/{month}", wait_until="domcontentloaded")
    await desk.wait_for_selector("#report-action-counts")
    assert "新增 1 项，完成 1 项" in await desk.inner_text("#report-action-counts")
    assert await desk.locator("#report-chart-satisfaction rect").count() == 1
    assert "满意度" in await desk.inner_text("#report-trend")
    assert "1 家机构评价，平均 5 分" in await desk.inner_text("#report-platform-rating")
    for page in (seeker, office, desk):
        assert await page.evaluate("window.__cspViolations") == [], page.url
    assert errors == []
    await seeker_context.close()
    await staff_context.close()
    await org_context.close()
