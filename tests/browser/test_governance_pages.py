"""The governance pages in Chromium against a real ``livehire serve`` (standard 4.2, 4.4.1 d/e, 5.1.3 a;
人力资源市场暂行条例 §32), under the Content-Security-Policy.

An anonymous person files a complaint about a room from its footer link and follows it; a platform reviewer
sees it go overdue (its deadline moved into the past in the store), assigns and answers it on /review; the
complainant's follow-up page shows the answer. A person signs in and
registers an organisation on /me/orgs, a reviewer approves it on /review, the registrant sees it approved and
its public page shows the §32 facts. The
footer carries the complaint phone and the platform's numbers on every page; /rules lists every filter
category.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from moderation.decision import CATEGORIES
from tests.browser.conftest import cli, sign_in_with_phone
from tests.browser.test_csp import COLLECT_VIOLATIONS
from tests.server import ServerProcess

pytestmark = pytest.mark.browser

PHONE = "400-800-1234"
SETTINGS = {
    "LIVEHIRE_COMPLAINT_PHONE": PHONE,
    "LIVEHIRE_COMPLAINT_EMAIL": "jubao@example.cn",
    "LIVEHIRE_PLATFORM_LICENCE": "京人服证字〔2026〕第0100号",
    "LIVEHIRE_ICP_NUMBER": "京ICP备2026000001号-1",
    "LIVEHIRE_SUPERVISING_AUTHORITY": "北京市人力资源和社会保障局",
}
REPLY = "经核查，该直播间主播确有收取押金的言论，平台已下架相关岗位并警告该机构。"


async def _move_deadline_into_the_past(server: ServerProcess, complaint_id: str) -> None:
    """As if the working days had passed (the server's clock is real): the deadline is a day ago."""
    from sqlalchemy import update

    from livehire.settings import Settings
    from store.engine import open_store
    from store.governance_tables import complaints

    store = await open_store(Settings(data_dir=server.data_dir).effective_database_url)
    try:
        async with store.engine.begin() as connection:
            await connection.execute(update(complaints).where(complaints.c.id == complaint_id)
                                     .values(deadline_at=int(time.time() * 1000) - 24 * 3600 * 1000))
    finally:
        await store.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    started = ServerProcess(tmp_path / "server", env=SETTINGS).start()
    try:
        yield started
    finally:
        started.stop()


async def _page(chromium: Any, errors: list[str], name: str) -> tuple[Any, Any]:
    context = await chromium.new_context()
    await context.add_init_script(COLLECT_VIOLATIONS)
    page = await context.new_page()
    page.on("pageerror", lambda error: errors.append(f"{name}: {error}"))
    page.on("console", lambda message: errors.append(f"{name}: {message.text}")
            if "Content Security Policy" in message.text else None)
    return context, page


async def _no_violations(page: Any) -> None:
    assert await page.evaluate("window.__cspViolations") == [], page.url


async def _reviewer(chromium: Any, server: ServerProcess, errors: list[str]) -> tuple[Any, Any]:
    added = json.loads(await asyncio.to_thread(cli, server, "staff", "add", "rev-1", "--role", "reviewer",
                                               "--name", "审核员小陈", "--json"))
    context, page = await _page(chromium, errors, "reviewer")
    await page.goto(added["sign_in_link"], wait_until="domcontentloaded")
    assert page.url == server.base_url + "/review"
    return context, page


@pytest.mark.clause("4.4.1 e")
async def test_an_anonymous_complaint_is_answered_on_the_review_desk_and_read_by_its_link(
        chromium: Any, server: ServerProcess) -> None:
    base = server.base_url
    errors: list[str] = []
    anonymous, person = await _page(chromium, errors, "complainant")
    await person.goto(base + "/live/demo", wait_until="domcontentloaded")
    assert await person.inner_text("#footer-complaint-phone") == PHONE
    await person.click("#footer-complaint-link")  # 投诉本直播间
    await person.wait_for_selector("#complaint-submit:enabled")  # the page's script has filled the form
    assert await person.input_value("#complaint-target-type") == "room"
    assert await person.input_value("#complaint-target-id") == "demo"
    await person.fill("#complaint-text", "主播在直播里说入职前要先交300元押金，电话13800138000")
    await person.fill("#complaint-contact", "someone@example.com")
    await person.click("#complaint-submit")
    await person.wait_for_selector("#complaint-follow-link")
    complaint_id = await person.inner_text("#complaint-id")
    follow = await person.get_attribute("#complaint-follow-link", "href")
    assert follow is not None and follow.startswith("/complaints/follow/")
    await person.click("#complaint-follow-link")
    await person.wait_for_selector("#follow-status")
    assert await person.get_attribute("#follow-status", "data-status") == "received"
    assert "北京时间" in await person.inner_text("#follow-deadline")
    assert await person.locator("#follow-no-reply").count() == 1
    await _no_violations(person)

    staff, desk = await _reviewer(chromium, server, errors)
    card = desk.locator(f".review-complaint[data-complaint='{complaint_id}']")
    await card.wait_for()
    text = await card.inner_text()
    assert "押金" in text and "13800138000" not in text  # the phone number was masked before storing
    assert "someone@example.com" in text and "demo-org" in text  # the contact (sealed) and the accused org
    assert await card.locator(".complaint-overdue").count() == 0
    await _move_deadline_into_the_past(server, complaint_id)
    await desk.select_option("#complaint-filter", "overdue")  # reloads the queue
    await card.locator(".complaint-overdue").wait_for()
    await person.reload(wait_until="domcontentloaded")
    await person.wait_for_selector("#follow-overdue")  # the complainant sees it is late
    await desk.select_option("#complaint-filter", "open")
    await card.locator(".complaint-overdue").wait_for()
    await card.locator(".complaint-assign").click()
    await desk.wait_for_selector(f".review-complaint[data-complaint='{complaint_id}'][data-status='in_progress']")
    assert await card.locator(".complaint-assignee").inner_text() == "rev-1"
    await card.locator(".complaint-reply-input").fill(REPLY)
    await card.locator(".complaint-answer").click()
    await card.wait_for(state="detached")  # answered: off the open queue
    await desk.select_option("#complaint-filter", "answered")
    answered = desk.locator(f".review-complaint[data-complaint='{complaint_id}'][data-status='answered']")
    await answered.wait_for()
    assert REPLY in await answered.inner_text()
    await _no_violations(desk)

    await person.reload(wait_until="domcontentloaded")
    await person.wait_for_selector("#follow-reply")
    assert await person.inner_text("#follow-reply") == REPLY
    assert await person.get_attribute("#follow-status", "data-status") == "answered"
    assert await person.locator("#follow-overdue").count() == 0
    await _no_violations(person)
    assert errors == []
    await anonymous.close()
    await staff.close()


@pytest.mark.clause("5.1.3 a", "5.1.3 b")
async def test_a_registered_organisation_approved_on_the_desk_gets_its_public_page(
        chromium: Any, server: ServerProcess) -> None:
    base = server.base_url
    errors: list[str] = []
    registrant_context, registrant = await _page(chromium, errors, "registrant")
    await registrant.goto(base + "/me/orgs", wait_until="domcontentloaded")
    await registrant.click("#my-orgs-login #sign-in-link")
    await sign_in_with_phone(registrant, server, "13900139021")
    assert registrant.url == base + "/me/orgs"
    await registrant.wait_for_selector("#org-form:not([hidden])")
    await registrant.fill("#org-form-name", "晨光人力资源有限公司")
    await registrant.fill("#org-form-credit-code", "91350100m000100y43")  # lower case is accepted
    await registrant.select_option("#org-form-kind", "hr_agency")
    await registrant.select_option("#org-form-industry", "hr_services")
    assert await registrant.locator("#org-form-industry option[value='gambling']").count() == 0  # refused (5.1.3 b)
    await registrant.fill("#org-form-address", "北京市海淀区中关村大街1号")
    await registrant.fill("#org-form-website", "https://hr.example.cn")
    await registrant.fill("#org-form-phone", "010-87654321")
    await registrant.click("#org-form-submit")
    mine = registrant.locator("#my-orgs li[data-state='pending']")
    await mine.wait_for()
    org = await mine.get_attribute("data-org")
    assert org is not None and "待审核" in await mine.inner_text()
    response = await registrant.goto(f"{base}/orgs/{org}", wait_until="domcontentloaded")
    assert response is not None and response.status == 404  # pending: not public

    staff, desk = await _reviewer(chromium, server, errors)
    card = desk.locator(f".review-org[data-org='{org}']")
    await card.wait_for()
    text = await card.inner_text()
    assert "91350100M000100Y43" in text and "须加强审核" in text  # hr_services is a "review" industry
    await card.locator(".org-reason").fill("营业执照与登记信息一致")
    await card.locator(".org-approve").click()
    await card.wait_for(state="detached")
    assert "已通过" in await desk.inner_text("#review-org-status")
    await _no_violations(desk)

    await registrant.goto(base + "/me/orgs", wait_until="domcontentloaded")
    approved = registrant.locator(f"#my-orgs li[data-org='{org}'][data-state='approved']")
    await approved.wait_for()
    assert "营业执照与登记信息一致" in await approved.inner_text()
    async with registrant.expect_navigation(wait_until="domcontentloaded") as navigation:
        await approved.locator(".org-public-link").click()
    response = await navigation.value
    assert response is not None and response.status == 200 and registrant.url == f"{base}/orgs/{org}"
    assert await registrant.inner_text("#org-name") == "晨光人力资源有限公司"
    assert await registrant.inner_text("#org-credit-code") == "91350100M000100Y43"
    assert await registrant.inner_text("#org-address") == "北京市海淀区中关村大街1号"
    assert await registrant.inner_text("#org-kind") == "人力资源服务机构"
    assert await registrant.inner_text("#org-industry") == "人力资源服务"
    assert await registrant.inner_text("#org-authority") == "北京市人力资源和社会保障局"
    assert await registrant.inner_text("#org-complaint-phone") == PHONE
    assert "不收取" in await registrant.inner_text("#org-fees")
    assert "职业介绍" in await registrant.inner_text("#org-services")
    assert await registrant.inner_text("#footer-complaint-phone") == PHONE
    await _no_violations(registrant)
    assert errors == []
    await registrant_context.close()
    await staff.close()


@pytest.mark.clause("4.4.1 d", "4.4.1 e")
async def test_every_page_footer_shows_the_complaint_phone_and_the_rules_list_every_category(
        chromium: Any, server: ServerProcess) -> None:
    base = server.base_url
    errors: list[str] = []
    context, page = await _page(chromium, errors, "visitor")
    for path in ("/", "/live/demo", "/studio/demo", "/office", "/review", "/me", "/me/orgs", "/login", "/rules",
                 "/orgs/demo-org", "/complaints/new", "/complaints/follow/no-such-link"):
        response = await page.goto(base + path, wait_until="domcontentloaded")
        assert response is not None and response.status == 200, path
        assert await page.inner_text("#footer-complaint-phone") == PHONE, path
        assert await page.inner_text("#footer-licence") == SETTINGS["LIVEHIRE_PLATFORM_LICENCE"], path
        assert await page.inner_text("#footer-icp") == SETTINGS["LIVEHIRE_ICP_NUMBER"], path
        assert await page.get_attribute("#footer-rules-link", "href") == "/rules", path
        await _no_violations(page)

    await page.goto(base + "/complaints/follow/no-such-link", wait_until="domcontentloaded")
    assert "没有找到" in await page.inner_text("#follow-error")
    await page.goto(base + "/", wait_until="domcontentloaded")
    await page.click("#footer-rules-link")
    await page.wait_for_selector("#rules-prohibited")
    rows = await page.eval_on_selector_all("#rules-prohibited tr[data-category]", "rows => rows.map(r => r.dataset.category)")
    assert tuple(rows) == CATEGORIES
    assert "就业促进法" in await page.inner_text("#rules-prohibited")
    assert await page.locator("#rules-job-list li").count() >= 5
    await _no_violations(page)
    assert errors == []
    await context.close()
