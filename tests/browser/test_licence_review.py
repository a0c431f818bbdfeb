"""Licence review in Chromium against a real ``livehire serve`` (standard 5.1.1, 4.2.3), under the CSP: an
organisation's admin submits a licence with its file on /me/orgs, a platform reviewer opens the file and
approves it on /review, and the admin sees it approved with the reviewer's reason."""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import cli, sign_in_as_member
from tests.browser.test_governance_pages import _no_violations, _page
from tests.server import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.clause("5.1.1")]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def test_a_reviewer_approves_a_licence_on_the_desk(chromium: Any, server: ServerProcess, tmp_path: Path) -> None:
    base = server.base_url
    errors: list[str] = []
    admin_context, admin = await _page(chromium, errors, "org admin")
    await sign_in_as_member(admin, server, user_id="demo-admin", role="admin", org="demo-org", name="机构管理员",
                            next_path="/me/orgs")
    await admin.wait_for_selector("#licence-form")
    evidence = tmp_path / "劳务派遣许可证.png"
    evidence.write_bytes(PNG)
    await admin.select_option("#licence-kind", "labour_dispatch_licence")
    await admin.fill("#licence-number", "京劳派字〔2026〕第0007号")
    await admin.fill("#licence-authority", "北京市人力资源和社会保障局")
    await admin.fill("#licence-from", "2026-01-01")
    await admin.fill("#licence-until", (date.today() + timedelta(days=365)).isoformat())
    await admin.set_input_files("#licence-file", str(evidence))
    await admin.click("#licence-submit")
    pending = admin.locator("#my-licences li[data-state='pending']")
    await pending.wait_for()
    licence = await pending.get_attribute("data-licence")
    assert licence is not None and "劳务派遣经营许可证" in await pending.inner_text()

    added = json.loads(await asyncio.to_thread(cli, server, "staff", "add", "rev-1", "--role", "reviewer",
                                               "--name", "审核员小陈", "--json"))
    staff, desk = await _page(chromium, errors, "reviewer")
    await desk.goto(added["sign_in_link"], wait_until="domcontentloaded")
    card = desk.locator(f".review-licence[data-licence='{licence}']")
    await card.wait_for()
    assert "京劳派字〔2026〕第0007号" in await card.inner_text()
    href = await card.locator(".licence-file").get_attribute("href")
    assert href is not None
    got = await desk.request.get(base + href)  # the reviewer's session cookie
    assert got.status == 200 and got.headers["content-type"].startswith("image/png") and await got.body() == PNG
    await card.locator(".licence-reason").fill("证照原件与系统信息一致")
    await card.locator(".licence-approve").click()
    await card.wait_for(state="detached")
    assert "已通过" in await desk.inner_text("#review-licence-status")
    await _no_violations(desk)

    await admin.goto(base + "/me/orgs", wait_until="domcontentloaded")
    approved = admin.locator(f"#my-licences li[data-licence='{licence}'][data-state='verified']")
    await approved.wait_for()
    assert "证照原件与系统信息一致" in await approved.inner_text()
    await _no_violations(admin)
    assert errors == []
    await admin_context.close()
    await staff.close()
