"""/me: a job seeker downloads their data and deletes it (个人信息保护法 §45, §47; standard 4.4.1 c), and the
page shows every count of the deletion's answer (deleted, de-identified, released, kept)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import sign_in_with_phone
from tests.server import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.clause("4.4.1 c")]


async def test_export_then_delete_from_the_me_page(chromium: Any, live_server: ServerProcess, tmp_path: Path) -> None:
    context = await chromium.new_context(accept_downloads=True)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(f"{live_server.base_url}/login?next=/live/demo", wait_until="domcontentloaded")
    await page.fill("#login-name", "小周")
    await sign_in_with_phone(page, live_server, "13912345678")
    # the page's own cookie; a state-changing cookie request must carry our Origin, as fetch() from a page does
    profile = {"name": "周敏", "phone": "13912345678", "resume": "两年客服经验", "consent_to_share": True}
    response = await page.request.put(live_server.base_url + "/api/v1/me/profile", data=profile,
                                      headers={"Origin": live_server.base_url})
    assert response.status == 200, await response.text()
    await page.wait_for_selector("#chat-form")  # a chat message to be deleted
    # the form shows once the page knows who is signed in, which can be before the socket is open: a send
    # then only says "尚未连接" (on a slow run the message never went out and the wait below timed out)
    await page.wait_for_function("() => document.getElementById('chat-panel').dataset.state === 'open'")
    await page.fill("#chat-input", "请问还招人吗")
    await page.click("#chat-send")
    await page.locator("#chat-messages .chat-msg", has_text="请问还招人吗").wait_for()
    await page.goto(f"{live_server.base_url}/me", wait_until="domcontentloaded")
    async with page.expect_download() as download_info:
        await page.click("#me-export")
    download = await download_info.value
    target = tmp_path / "export.json"
    await download.save_as(target)
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert "13912345678" in json.dumps(exported, ensure_ascii=False)
    page.on("dialog", lambda dialog: dialog.accept())
    async with page.expect_response(lambda r: r.url.endswith("/api/v1/me") and r.request.method == "DELETE") as erased:
        await page.click("#me-erase")
    answer = await (await erased.value).json()
    await page.wait_for_selector("#me-erase-done")
    assert answer["deleted"]["chat_messages"] == 1 and answer["deleted"]["events"] == 0, answer
    shown = {key: await page.text_content(f'[data-count="{key}"] strong') for key in (
        *(f"deleted.{name}" for name in answer["deleted"]), *(f"deidentified.{name}" for name in answer["deidentified"]),
        "released_virtual_numbers")}
    assert shown["deleted.chat_messages"] == "1" and shown["deleted.events"] == "0", shown
    assert shown["deleted.profile"] == "已删除", shown
    expected = {f"deleted.{name}": str(value) for name, value in answer["deleted"].items() if name != "profile"}
    expected |= {f"deidentified.{name}": str(value) for name, value in answer["deidentified"].items()}
    assert {key: shown[key] for key in expected} == expected
    assert shown["released_virtual_numbers"] == str(answer["released_virtual_numbers"])
    labels = await page.text_content("#me-erase-deleted")
    assert labels is not None and "聊天消息" in labels and "投递和面试事件" in labels, labels
    assert await page.locator("#me-erase-kept li").all_text_contents() == answer["kept"]
    # the account is gone, and with it every session: the cookie no longer opens anything
    for _ in range(50):
        whoami = await page.request.get(live_server.base_url + "/api/v1/auth/whoami")
        if whoami.status == 401:
            break
        await asyncio.sleep(0.1)
    assert whoami.status == 401, await whoami.text()
    assert errors == []
    await context.close()
