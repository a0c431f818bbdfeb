"""Chromium on the real ``livehire serve``: the host pins a job card in /studio, a viewer sees it
on /live/demo, applies, gives profile and separate consent (个人信息保护法 §23); the recruiter's
/office (another context) shows the application arrive live (standard 4.3.1 b, 5.1.4), invites to
an interview, and the candidate accepts on /me (4.3.1 c)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.browser.conftest import sign_in_as_member, sign_in_with_phone
from tests.server import ServerProcess

pytestmark = pytest.mark.browser

DEMO_JOB = "demo-job-sorter"


async def page_in_new_context(chromium: Any, errors: list[str], name: str) -> Any:
    context = await chromium.new_context()
    page = await context.new_page()
    page.on("pageerror", lambda error: errors.append(f"{name}: {error}"))
    page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.dismiss()))
    return page


@pytest.mark.clause("3.1", "4.3.1 b", "4.3.1 c", "4.3.2", "4.4.1 b", "4.4.1 c", "5.1.1", "5.1.2", "5.1.4", "5.1.5")
async def test_pin_apply_consent_office_live_interview_accept(chromium: Any, live_server: ServerProcess) -> None:
    errors: list[str] = []
    base = live_server.base_url
    office = await page_in_new_context(chromium, errors, "office")
    await sign_in_as_member(office, live_server, user_id="demo-recruiter", role="recruiter", org="demo-org",
                            name="李招聘", next_path="/office")
    await office.wait_for_selector("#live-dot[data-on=true]")

    viewer = await page_in_new_context(chromium, errors, "viewer")
    await viewer.goto(f"{base}/login?next=/live/demo", wait_until="domcontentloaded")
    await viewer.fill("#login-name", "求职者小赵")
    await sign_in_with_phone(viewer, live_server, "13911112222")
    await viewer.wait_for_function("() => document.getElementById('chat-panel').dataset.state === 'open'")

    studio = await page_in_new_context(chromium, errors, "studio")
    await sign_in_as_member(studio, live_server, user_id="demo-host", role="host", org="demo-org", name="张主播",
                            next_path="/studio/demo")
    await studio.click(f"#console-jobs li[data-job={DEMO_JOB}] button.pin")
    await studio.wait_for_selector(f"#console-jobs li[data-job={DEMO_JOB}] button.unpin")

    card = f"#pinned-job .job-card[data-job={DEMO_JOB}]"
    await viewer.wait_for_selector(card)
    await viewer.click(f"{card} .apply-button")
    await viewer.wait_for_selector("#profile-dialog[open]")
    await viewer.fill("#profile-name", "赵小明")
    await viewer.fill("#profile-phone", "13911112222")
    await viewer.fill("#profile-resume", "两年仓库分拣经验，会开叉车")
    await viewer.check("#profile-consent")
    await viewer.click("#profile-save")
    await viewer.wait_for_selector(f"{card} .job-status[data-kind=ok]")
    assert "投递成功" in await viewer.inner_text(f"{card} .job-status")

    row = office.locator("#inbox tr", has_text="赵小明")
    await row.wait_for()
    await row.click()
    await office.wait_for_selector("#resume-text")
    assert "叉车" in await office.inner_text("#resume-text")
    assert "13911112222" not in await office.inner_text("#application-pane"), "real number never shown (5.1.5)"
    await office.fill("#interview-at", "2031-03-01T10:00")
    await office.fill("#interview-place", "北京市大兴区物流园 3 号楼")
    await office.fill("#interview-contact", "李经理")
    await office.click("#invite-button")
    await office.wait_for_selector("#interview-list li[data-state=invited]")

    async def post_job(kind: str, title: str) -> None:
        for selector, value in (("#job-title", title), ("#job-employer", "华北精密电子有限公司"), ("#job-location", "天津"),
                                ("#job-salary-min", "6000"), ("#job-salary-max", "8000"), ("#job-headcount", "5")):
            await office.fill(selector, value)
        if kind == "agency":  # an agency job names its client and carries the mandate (5.1.3 c)
            await office.fill("#job-client", "华北精密电子有限公司")
            await office.fill("#job-mandate", "WT-2026-018")
            await office.set_input_files("#job-mandate-file", files=[{
                "name": "委托书.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n%%EOF\n"}])
        await office.select_option("#job-kind", kind)
        await office.click("#job-form button[type=submit]")

    await post_job("dispatch", "派遣装配工")  # the demo org holds no labour dispatch licence (5.1.1)
    await office.wait_for_selector("#job-info.error")
    assert "劳务派遣" in await office.inner_text("#job-info")
    await post_job("agency", "代招质检员")
    await office.locator("#org-jobs li", has_text="代招质检员").wait_for()

    await viewer.goto(f"{base}/me", wait_until="domcontentloaded")
    await viewer.click("#me-interviews .accept-interview")
    await viewer.wait_for_selector("#me-interviews li[data-state=accepted]")
    assert "已接受" in await viewer.inner_text("#me-interviews")

    admin = await page_in_new_context(chromium, errors, "admin")
    await sign_in_as_member(admin, live_server, user_id="demo-admin", role="admin", org="demo-org", name="王管理",
                            next_path="/office")
    await admin.locator("#resume-reads li", has_text="demo-recruiter").first.wait_for()  # 4.4.1 b: reads are audited
    await admin.click("#invite-button-member")
    await admin.wait_for_function("() => document.getElementById('invite-code').textContent.startsWith('邀请码')")
    assert not errors, errors
