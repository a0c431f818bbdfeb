"""Signing in with real accounts and server-side sessions, in Chromium against a real ``livehire serve``.

A job seeker follows 登录 from /live/demo, signs in with a phone and the simulated SMS code, comes back,
chats, applies, and signs out (the server ends the session and closes its chat sockets with 4503). A
recruiter of a new organisation signs in with org/account/password and lands on /office; no URL the page
requests carries a token, nothing is kept in localStorage, and the session cookie is HttpOnly + SameSite=Lax.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import urllib.request
from typing import Any

import pytest

from tests.browser.conftest import cli, sign_in_with_phone
from tests.server import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.clause("4.4.1 a")]

DEMO_JOB = "demo-job-sorter"
PHONE = "13812345678"
PASSWORD = "很长的密码-correct-horse-42"


def watch(page: Any, name: str, errors: list[str], requests: list[str] | None = None) -> None:
    page.on("pageerror", lambda error: errors.append(f"{name}: {error}"))
    if requests is not None:
        page.on("request", lambda request: requests.append(request.url))


async def test_job_seeker_signs_in_by_sms_chats_applies_and_signs_out(chromium: Any,
                                                                    live_server: ServerProcess) -> None:
    base = live_server.base_url
    errors: list[str] = []
    requests: list[str] = []
    context = await chromium.new_context()
    page = await context.new_page()
    watch(page, "viewer", errors, requests)
    sockets: list[Any] = []
    page.on("websocket", lambda ws: sockets.append(ws))

    await page.goto(base + "/live/demo", wait_until="domcontentloaded")
    await page.wait_for_selector("#login-bar #login-link")
    assert await page.inner_text("#chat-join") == "登录后发言"
    await page.click("#login-bar #login-link")
    await page.wait_for_url(re.compile(r"/login\?next=%2Flive%2Fdemo$"))
    await page.fill("#login-name", "小李")
    await sign_in_with_phone(page, live_server, PHONE)
    assert page.url == base + "/live/demo"
    await page.wait_for_function("() => (document.getElementById('whoami') || {}).textContent === '小李（求职者）'")

    # chat: the socket is authenticated by the cookie, no ?token=
    await page.wait_for_selector("#chat-form")
    await page.wait_for_function("() => document.getElementById('chat-panel').dataset.state === 'open'")
    await page.fill("#chat-input", "请问这个岗位包住宿吗？")
    await page.click("#chat-send")
    mine = page.locator("#chat-messages .chat-msg", has_text="包住宿")
    await mine.wait_for()
    assert "小李" in await mine.inner_text()

    # apply on a demo job card: profile and the separate consent in the page's dialog (个人信息保护法 §23)
    card = page.locator(f"#job-list .job-card[data-job={DEMO_JOB}]")
    await card.locator(".apply-button").click()
    await page.wait_for_selector("#profile-dialog[open]")
    await page.fill("#profile-name", "李小明")
    await page.fill("#profile-phone", PHONE)
    await page.fill("#profile-resume", "三年仓库分拣经验")
    await page.check("#profile-consent")
    await page.click("#profile-save")
    await card.locator(".job-status[data-kind=ok]").wait_for()
    assert "投递成功" in await card.locator(".job-status").inner_text()

    # a second tab of the same browser keeps its chat socket open while the first one signs out
    other = await context.new_page()
    watch(other, "other tab", errors, requests)
    await other.goto(base + "/live/demo", wait_until="domcontentloaded")
    await other.wait_for_function("() => document.getElementById('chat-panel').dataset.state === 'open'")
    await other.wait_for_selector("#chat-form")
    chat_sockets = [ws for ws in sockets if "/ws/rooms/demo" in ws.url]
    assert chat_sockets and all("token=" not in ws.url for ws in chat_sockets)

    async with page.expect_response(lambda r: r.url.endswith("/api/v1/auth/logout")) as logout:
        await page.click("#logout-button")
    assert (await logout.value).status == 204
    started = time.monotonic()
    # the server ended the session: the other tab's socket is closed with 4503 and not reopened
    await other.wait_for_function("() => document.getElementById('chat-panel').dataset.state === 'closed'",
                                  timeout=5000)
    assert time.monotonic() - started < 5
    assert "登录已失效" in await other.inner_text("#chat-status")
    assert await other.locator("#chat-login").count() == 1  # 登录后发言 again
    await page.wait_for_selector("#login-bar #login-link")  # the first tab reloaded, signed out
    assert [c for c in await context.cookies() if c["name"] == "lh_session"] == []
    assert [url for url in requests if "token=" in url] == []
    assert await page.evaluate("() => Object.keys(localStorage)") == []
    assert errors == []
    await context.close()


def _post_json(url: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


@pytest.mark.clause("5.1.2")
async def test_recruiter_signs_in_with_password_and_no_token_reaches_a_url(chromium: Any,
                                                                          live_server: ServerProcess) -> None:
    base = live_server.base_url
    created = json.loads(await asyncio.to_thread(cli, live_server, "orgs", "create", "acme", "--name", "测试公司",
                                                 "--json"))
    code = created["admin_invitation"]["code"]
    status, redeemed = await asyncio.to_thread(_post_json, f"{base}/api/v1/invitations/{code}/redeem",
                                               {"user": "acme-admin", "name": "管理员", "password": PASSWORD})
    assert status == 201 and redeemed["user"]["role"] == "admin", redeemed

    errors: list[str] = []
    requests: list[str] = []
    context = await chromium.new_context()
    page = await context.new_page()
    watch(page, "office", errors, requests)

    await page.goto(base + "/office", wait_until="domcontentloaded")
    await page.click("#office-app #sign-in-link")  # 请先登录 → /login?next=/office
    await page.wait_for_url(re.compile(r"/login\?next=%2Foffice$"))
    await page.click("#tab-member")
    await page.fill("#login-org", "acme")
    await page.fill("#login-user", "acme-admin")
    await page.fill("#login-password", "wrong password")
    await page.click("#member-login")
    await page.wait_for_function("() => document.getElementById('member-error').textContent.length > 0")
    assert re.search(r"[\u4e00-\u9fff]", await page.inner_text("#member-error"))  # the API's Chinese message
    assert "/login" in page.url
    await page.fill("#login-password", PASSWORD)
    await page.click("#member-login")
    await page.wait_for_url(base + "/office")
    await page.wait_for_selector("#live-dot[data-on=true]")  # the live inbox (EventSource, cookie)
    await page.wait_for_selector("#office-manage #invite-button-member")  # an org admin's panel
    assert await page.inner_text("#whoami") == "管理员（管理员）"
    assert await page.locator(".office-filters strong").inner_text() == "机构 acme"

    assert requests, "the page made requests"
    assert [url for url in requests if "token=" in url] == []
    assert await page.evaluate("() => Object.keys(localStorage)") == []
    assert await page.evaluate("() => document.cookie") == ""  # HttpOnly: not readable by scripts
    cookies = [c for c in await context.cookies() if c["name"] == "lh_session"]
    assert len(cookies) == 1
    assert cookies[0]["httpOnly"] is True and cookies[0]["sameSite"] == "Lax" and cookies[0]["path"] == "/"
    assert errors == []
    await context.close()


async def test_login_next_only_goes_to_a_local_path(chromium: Any, live_server: ServerProcess) -> None:
    context = await chromium.new_context()
    page = await context.new_page()
    for unsafe in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        await page.goto(f"{live_server.base_url}/login?next={urllib.request.quote(unsafe)}",
                        wait_until="domcontentloaded")
        target = await page.evaluate("async () => (await import('/static/login.js')).safeNext(new URLSearchParams("
                                     "location.search).get('next'))")
        assert target == "/", (unsafe, target)
    await context.close()


async def test_a_session_ended_elsewhere_leaves_an_anonymous_page_not_a_broken_one(chromium: Any,
                                                                                    live_server: ServerProcess) -> None:
    """The platform ends a person's sessions (a stolen phone): their open page's socket closes with 4503, and
    on reload the dead cookie is dropped, so the public page works for an anonymous visitor again."""
    base = live_server.base_url
    errors: list[str] = []
    context = await chromium.new_context()
    page = await context.new_page()
    watch(page, "viewer", errors)
    await sign_in_with_phone(page, live_server, "13900001111", next_path="/live/demo")
    await page.wait_for_function("() => document.getElementById('chat-panel').dataset.state === 'open'")
    me = await (await page.request.get(base + "/api/v1/auth/whoami")).json()
    operator = (await asyncio.to_thread(cli, live_server, "token", "--role", "admin", "--user", "ops")).strip()
    response = await page.request.post(f"{base}/api/v1/users/{me['id']}/sessions/revoke",
                                       headers={"Authorization": f"Bearer {operator}"})
    assert response.ok, await response.text()
    await page.wait_for_function("() => document.getElementById('chat-panel').dataset.state === 'closed'",
                                 timeout=5000)
    assert "登录已失效" in await page.inner_text("#chat-status")
    # the page asks who it is again: the server answers 401 and drops the dead cookie; the bar offers 登录
    await page.wait_for_selector("#login-bar #login-link")

    await page.reload(wait_until="domcontentloaded")
    await page.wait_for_selector("#login-bar #login-link")
    await page.wait_for_function("() => document.getElementById('room-title').textContent.includes('示范直播间')")
    await page.wait_for_function("() => document.getElementById('chat-panel').dataset.state === 'open'")
    await page.wait_for_selector("#job-list .job-card")
    assert [c for c in await context.cookies() if c["name"] == "lh_session"] == []
    assert errors == []
    await context.close()


async def test_platform_reviewer_added_by_the_operator_signs_in_by_link_sets_a_password_and_signs_in_again(
        chromium: Any, live_server: ServerProcess) -> None:
    added = json.loads(await asyncio.to_thread(cli, live_server, "staff", "add", "rev-1", "--role", "reviewer",
                                               "--name", "审核员小陈", "--json"))
    link = added["sign_in_link"]
    assert "/auth/link/" in link
    errors: list[str] = []
    requests: list[str] = []
    context = await chromium.new_context()
    page = await context.new_page()
    watch(page, "reviewer", errors, requests)
    await page.goto(link, wait_until="domcontentloaded")
    assert page.url == live_server.base_url + "/review"
    await page.wait_for_selector("#review-rooms")
    assert await page.inner_text("#whoami") == "审核员小陈（审核员）"

    await page.goto(live_server.base_url + "/login?next=/review", wait_until="domcontentloaded")
    await page.fill("#password-new", PASSWORD)
    await page.click("#password-save")
    await page.wait_for_function("() => document.getElementById('password-status').textContent.startsWith('密码已保存')")
    async with page.expect_navigation(wait_until="domcontentloaded"):  # 退出 reloads the page
        await page.click("#logout-button")
    assert [c for c in await context.cookies() if c["name"] == "lh_session"] == []

    await page.goto(live_server.base_url + "/review", wait_until="domcontentloaded")
    await page.click("#review-login #sign-in-link")
    await page.click("#tab-member")
    await page.fill("#login-user", "rev-1")  # platform staff: no organisation
    await page.fill("#login-password", PASSWORD)
    await page.click("#member-login")
    await page.wait_for_url(live_server.base_url + "/review")
    await page.wait_for_selector("#review-rooms")
    assert [url for url in requests if "token=" in url] == []
    assert errors == []
    await context.close()
