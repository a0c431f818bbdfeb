"""A flagged call record in Chromium (standard 5.1.3 d), under the Content-Security-Policy: a job seeker sees
the virtual-number calls made to them on /me and asks the platform to review one with a reason; a reviewer
sees it on /review with the call's record and upholds it with a reason; the job seeker reads the conclusion
through the follow-up link."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

from tests.browser.conftest import cli, sign_in_with_phone
from tests.browser.test_csp import COLLECT_VIOLATIONS
from tests.server import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.clause("5.1.3 d")]
REASON = "通话中对方要求我入职前先交500元培训费"
CONCLUSION = "已调取通话记录核实，该机构违规收费，已警告并下架岗位"


async def _a_call_to(server: ServerProcess, user_id: str) -> None:
    """An application of ``user_id`` to the demo organisation's job and a recorded virtual-number call to it,
    written as recruiting writes them (the office's call is tested in tests/recruiting)."""
    from livehire.settings import Settings
    from store.engine import open_store
    from store.recruiting_tables import applications, call_records, number_bindings

    now = int(time.time() * 1000)
    store = await open_store(Settings(data_dir=server.data_dir).effective_database_url)
    try:
        async with store.engine.begin() as connection:
            await connection.execute(applications.insert().values(
                id="app-1", user_id=user_id, job_id="demo-job-service", org_id="demo-org", room="demo",
                status="contacted", created_at=now, updated_at=now))
            await connection.execute(number_bindings.insert().values(
                id="bind-1", application_id="app-1", recruiter="demo-recruiter", number_x="17000000001",
                created_at=now, expires_at=now + 3600_000))
            await connection.execute(call_records.insert().values(
                id="call-1", binding_id="bind-1", caller="demo-recruiter", started_at=now, answered_at=now + 2000,
                ended_at=now + 60_000, release_cause="normal_clearing"))
    finally:
        await store.close()


async def test_a_job_seeker_flags_a_call_and_reads_the_reviewers_conclusion(chromium: Any,
                                                                            server: ServerProcess) -> None:
    errors: list[str] = []
    context = await chromium.new_context()
    await context.add_init_script(COLLECT_VIOLATIONS)
    seeker = await context.new_page()
    seeker.on("pageerror", lambda error: errors.append(f"seeker: {error}"))
    await sign_in_with_phone(seeker, server, "13700003333", "/me")
    me = await seeker.evaluate("fetch('/api/v1/auth/whoami').then((r) => r.json())")
    await _a_call_to(server, me["id"])
    await seeker.reload(wait_until="domcontentloaded")
    call = seeker.locator("#me-calls .call[data-call='call-1']")
    await call.wait_for()
    assert "17000000001" not in await seeker.locator("#me-calls").inner_text()  # never the number

    async def answer(dialog: Any) -> None:
        await dialog.accept(REASON)

    seeker.once("dialog", answer)
    await call.locator(".call-flag").click()
    follow = seeker.locator("#me-call-follow")
    await follow.wait_for()
    follow_path = await follow.get_attribute("href")
    assert follow_path is not None and follow_path.startswith("/complaints/follow/")
    assert await seeker.evaluate("window.__cspViolations") == []

    listed = json.loads(await asyncio.to_thread(cli, server, "staff", "add", "rev-1", "--role", "reviewer", "--json"))
    desk_context = await chromium.new_context()
    await desk_context.add_init_script(COLLECT_VIOLATIONS)
    desk = await desk_context.new_page()
    desk.on("pageerror", lambda error: errors.append(f"reviewer: {error}"))
    await desk.goto(listed["sign_in_link"], wait_until="domcontentloaded")
    card = desk.locator(".review-call[data-call='call-1']")
    await card.wait_for()
    text = await card.inner_text()
    assert REASON in text and "求职者" in text and "demo-org" in text and "正常挂断" in text
    await card.locator(".call-uphold").click()  # no reason yet: refused on the page, nothing sent
    await desk.locator("#review-call-status .error").wait_for()
    await card.locator(".call-reason").fill(CONCLUSION)
    await card.locator(".call-uphold").click()
    await card.wait_for(state="detached")  # settled: off the open queue
    await desk.select_option("#call-filter", "answered")
    await desk.locator(".review-call[data-call='call-1'] .call-settled").wait_for()
    assert await desk.evaluate("window.__cspViolations") == []

    await seeker.goto(server.base_url + follow_path, wait_until="domcontentloaded")
    reply = await seeker.locator("#follow-reply").inner_text()
    assert "属实" in reply and CONCLUSION in reply
    assert errors == []
