"""The governance pages as the server renders them (4.2, 4.4.1 d/e; 人力资源市场暂行条例 §32): the footer
disclosures on every page, the rules page, the complaint pages and the public organisation page.
Chromium drives them in tests/browser/test_governance_pages.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from livehire.pages import footer_html
from livehire.settings import Settings, load_settings

PAGES = ("/", "/live/demo", "/studio/demo", "/office", "/review", "/me", "/login", "/rules", "/orgs/demo-org",
         "/complaints/new", "/complaints/follow/any-link", "/me/orgs")


@pytest.fixture
def app_settings(tmp_path: Path) -> Settings:
    return load_settings({"data_dir": tmp_path / "data", "port": 0, "complaint_phone": "400-800-1234",
                          "complaint_email": "jubao@example.cn", "platform_licence": "京人服证字〔2026〕第0100号",
                          "icp_number": "京ICP备2026000001号-1", "supervising_authority": "北京市人力资源和社会保障局"},
                         environ={})


@pytest.mark.clause("4.4.1 e")
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


@pytest.mark.clause("4.4.1 e")
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


@pytest.mark.clause("5.1.3 a")
async def test_an_organisation_page_exists_once_approved_and_shows_the_section_32_facts(client: Any) -> None:
    from tests.identity.helpers import bearer, error_of, sign_in_by_phone

    app = client.server.app
    person = await sign_in_by_phone(client, "13900139011", "钱注册")
    me = {"Authorization": f"Bearer {person['token']}"}
    created = await client.post("/api/v1/orgs", headers=me, json={
        "name": "晨光<人力>资源有限公司", "credit_code": "91350100M000100Y43", "address": "北京市海淀区中关村大街1号",
        "website": "https://hr.example.cn", "contact_phone": "010-87654321", "industry": "hr_services",
        "kind": "hr_agency"})
    assert created.status == 201, await created.text()
    org = (await created.json())["id"]
    assert (await error_of(await client.get(f"/api/v1/orgs/{org}/public"), 404))["code"] == "org_not_found"
    missing = await client.get(f"/orgs/{org}")  # pending: not public; a page for people who followed a link
    assert missing.status == 404 and 'id="org-missing"' in await missing.text()
    reviewer = await bearer(app, "reviewer", "rev-1")
    decided = await client.post(f"/api/v1/review/orgs/{org}", headers=reviewer, json={"decision": "approve"})
    assert decided.status == 200, await decided.text()

    public = await (await client.get(f"/api/v1/orgs/{org}/public")).json()
    assert public["name"] == "晨光<人力>资源有限公司" and public["credit_code"] == "91350100M000100Y43"
    assert public["supervising_authority"] == "北京市人力资源和社会保障局"
    assert public["complaint_phone"] == "400-800-1234" and public["licences"] == []
    assert "免费" in public["fees"] and public["industry_name"] == "人力资源服务"
    assert "contact_phone" not in public and "registered_by" not in public  # the registrant's contact stays private
    page = await (await client.get(f"/orgs/{org}")).text()
    assert "晨光&lt;人力&gt;资源有限公司" in page and "<人力>" not in page  # escaped
    for fact in ("91350100M000100Y43", "北京市海淀区中关村大街1号", 'href="https://hr.example.cn"', "人力资源服务机构",
                 "北京市人力资源和社会保障局", 'id="org-complaint-phone">400-800-1234', "不收取押金"):
        assert fact in page, fact

    # the seeded organisation: approved before the review existed; its verified licences are listed
    demo = await (await client.get("/api/v1/orgs/demo-org/public")).json()
    assert {held["kind"] for held in demo["licences"]} == {"business_licence", "hr_service_licence"}
    assert any("代招" in service for service in demo["services"])
    page = await (await client.get("/orgs/demo-org")).text()
    assert "人力资源服务许可证：京人服证字〔2024〕第0001号" in page and "未登记" in page  # no profile yet

    # rejected: never public
    other = await client.post("/api/v1/orgs", headers=me, json={
        "name": "星河物流有限公司", "credit_code": "91110000600037341L", "address": "北京市朝阳区建国路88号",
        "contact_phone": "010-12345678", "industry": "logistics"})
    rejected = (await other.json())["id"]
    await client.post(f"/api/v1/review/orgs/{rejected}", headers=reviewer, json={"decision": "reject", "reason": "信息不符"})
    assert (await client.get(f"/orgs/{rejected}")).status == 404
    await error_of(await client.get(f"/api/v1/orgs/{rejected}/public"), 404)


@pytest.mark.clause("4.4.1 e")
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
