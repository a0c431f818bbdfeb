"""The governance pages as the server renders them (4.2, 4.4.1 d/e; 人力资源市场暂行条例 §32): the footer
disclosures on every page, the rules page, the complaint pages and the public organisation page.
Chromium drives them in tests/browser/test_governance_pages.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from livehire.pages import footer_html
from livehire.settings import Settings, load_settings

PAGES = ("/", "/live/demo", "/studio/demo", "/office", "/review", "/me", "/login")


@pytest.fixture
def app_settings(tmp_path: Path) -> Settings:
    return load_settings({"data_dir": tmp_path / "data", "port": 0, "complaint_phone": "400-800-1234",
                          "complaint_email": "jubao@example.cn", "platform_licence": "京人服证字〔2026〕第0100号",
                          "icp_number": "京ICP备2026000001号-1", "supervising_authority": "北京市人力资源和社会保障局"},
                         environ={})


async def test_every_page_footer_shows_the_complaint_channel_and_the_platform_numbers(client: Any) -> None:
    for path in PAGES:
        response = await client.get(path)
        assert response.status == 200, path
        page = await response.text()
        footer = page[page.index('<footer class="footer" id="site-footer">'):]
        for fact in ("400-800-1234", "mailto:jubao@example.cn", "京人服证字〔2026〕第0100号", "京ICP备2026000001号-1",
                     'href="/rules"', 'href="/complaints/new'):
            assert fact in footer, (path, fact)
    live = await (await client.get("/live/demo")).text()
    assert 'href="/complaints/new?target_type=room&amp;target_id=demo"' in live  # a complaint about this room


def test_footer_escapes_the_settings_and_hides_empty_lines() -> None:
    bare = footer_html(Settings())
    assert "投诉举报电话" not in bare and "许可证" not in bare and "ICP" not in bare
    assert 'href="/complaints/new"' in bare and 'href="/rules"' in bare
    hostile = footer_html(Settings(complaint_phone='<script>alert(1)</script>', icp_number='"><b>x'),
                          room='a"b<c')
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile and '"><b>' not in hostile
    assert "target_id=a%22b%3Cc" in hostile


def test_disclosure_settings_are_one_short_line() -> None:
    from livehire.settings import SettingsError

    with pytest.raises(SettingsError, match="icp_number"):
        load_settings({"icp_number": "x\ny"}, environ={})
    with pytest.raises(SettingsError, match="platform_licence"):
        load_settings({"platform_licence": "x" * 201}, environ={})


async def test_complaint_pages_are_public_and_the_filing_names_the_follow_up_page(client: Any) -> None:
    form = await client.get("/complaints/new?target_type=room&target_id=demo")
    assert form.status == 200
    page = await form.text()
    assert 'id="complaint-form"' in page and "/static/complaints.js" in page and 'data-page="complaint"' in page
    follow = await client.get("/complaints/follow/not-a-real-token")
    assert follow.status == 200 and 'data-page="complaint-follow"' in await follow.text()  # the API says 404
    filed = await (await client.post("/api/v1/complaints", json={
        "target_type": "room", "target_id": "demo", "text": "主播要求先交押金才能面试"})).json()
    token = filed["follow_up_url"].rsplit("/", 1)[1]
    assert filed["follow_up_page"].endswith(f"/complaints/follow/{token}")
    assert (await client.get(filed["follow_up_page"][filed["follow_up_page"].index("/complaints/"):])).status == 200
