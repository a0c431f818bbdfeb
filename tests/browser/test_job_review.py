"""The job review in Chromium against a real ``livehire serve`` (standard 5.1.3 c; 人力资源市场暂行条例 §26),
under the CSP: a recruiter posts a doubtful job on /office and sees that it waits and why (the matched terms
masked); the host cannot pin it; a platform reviewer approves it on /review; the recruiter sees it published
and the host pins it in /studio."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import sign_in_as_member
from tests.browser.test_governance_pages import _no_violations, _page, _reviewer
from tests.server import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.clause("5.1.3 c")]

TITLE = "夜班叉车司机"


async def test_a_doubtful_job_waits_is_approved_on_the_desk_and_pinned(chromium: Any, server: ServerProcess) -> None:
    base = server.base_url
    errors: list[str] = []
    office_context, office = await _page(chromium, errors, "office")
    await sign_in_as_member(office, server, user_id="demo-recruiter", role="recruiter", org="demo-org",
                            name="李招聘", next_path="/office")
    await office.wait_for_selector("#job-form")
    for selector, value in (("#job-title", TITLE), ("#job-employer", "示范人力资源服务有限公司"),
                            ("#job-location", "北京市大兴区"), ("#job-salary-min", "7000"),
                            ("#job-salary-max", "9000"), ("#job-headcount", "3"),
                            ("#job-requirements", "年龄35岁以下，持叉车证"), ("#job-benefits", "押金可退，包住宿")):
        await office.fill(selector, value)
    await office.select_option("#job-kind", "own")
    await office.click("#job-form button[type=submit]")
    await office.wait_for_function("() => document.getElementById('job-info').textContent.includes('已提交平台审核')")
    info = await office.inner_text("#job-info")
    assert "押＊" in info and "押金" not in info  # the poster sees why, the terms masked
    waiting = office.locator("#org-jobs li[data-status='pending_review']", has_text=TITLE)
    await waiting.wait_for()
    job_id = await waiting.get_attribute("data-job")
    assert job_id is not None and "待平台审核" in await waiting.inner_text()
    assert "就业歧视" in await waiting.locator(".job-review-message").inner_text()

    studio_context, studio = await _page(chromium, errors, "studio")
    await sign_in_as_member(studio, server, user_id="demo-host", role="host", org="demo-org", name="张主播",
                            next_path="/studio/demo")
    await studio.wait_for_selector("#console-jobs li[data-job]")
    assert await studio.locator(f"#console-jobs li[data-job='{job_id}']").count() == 0  # not pinnable yet

    desk_context, desk = await _reviewer(chromium, server, errors)
    card = desk.locator(f".review-job[data-job='{job_id}']")
    await card.wait_for()
    flags = await card.locator(".job-flags").inner_text()
    assert "押＊" in flags and "就业歧视" in flags
    await card.locator(".job-reason").fill("已电话核实：押金为宿舍钥匙押金，已要求删除")
    await card.locator(".job-approve").click()
    await card.wait_for(state="detached")
    assert "已通过" in await desk.inner_text("#review-job-status")
    await _no_violations(desk)

    await office.reload(wait_until="domcontentloaded")
    await office.locator(f"#org-jobs li[data-job='{job_id}'][data-status='published']").wait_for()
    await studio.reload(wait_until="domcontentloaded")
    await studio.click(f"#console-jobs li[data-job='{job_id}'] button.pin")
    await studio.wait_for_selector(f"#console-jobs li[data-job='{job_id}'] button.unpin")
    card_json = await studio.request.get(f"{base}/api/v1/rooms/demo/job-card")
    assert (await card_json.json())["card"]["job"]["id"] == job_id
    for page in (office, studio):
        await _no_violations(page)
    assert errors == []
    for context in (office_context, studio_context, desk_context):
        await context.close()
