"""/me: a job seeker downloads their data and deletes it (个人信息保护法 §45, §47; standard 4.4.1 c)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.server import ServerProcess

pytestmark = pytest.mark.browser


async def test_export_then_delete_from_the_me_page(chromium: Any, live_server: ServerProcess, tmp_path: Path) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(live_server.base_url + "/api/v1/auth/guest", json={"name": "小周"}) as response:
            token = (await response.json())["token"]
        profile = {"name": "周敏", "phone": "13912345678", "resume": "两年客服经验", "consent_to_share": True}
        async with session.put(live_server.base_url + "/api/v1/me/profile", json=profile,
                               headers={"Authorization": f"Bearer {token}"}) as response:
            assert response.status == 200, await response.text()
    context = await chromium.new_context(accept_downloads=True)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(f"{live_server.base_url}/me?token={token}")
    async with page.expect_download() as download_info:
        await page.click("#me-export")
    download = await download_info.value
    target = tmp_path / "export.json"
    await download.save_as(target)
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert "13912345678" in json.dumps(exported, ensure_ascii=False)
    page.on("dialog", lambda dialog: dialog.accept())
    await page.click("#me-erase")
    await page.wait_for_selector("#me-erase-done")
    async with aiohttp.ClientSession() as session, session.get(
        live_server.base_url + "/api/v1/me/data", headers={"Authorization": f"Bearer {token}"}
    ) as response:
        assert "13912345678" not in await response.text()
    assert errors == []
    await context.close()
