"""Signing in and out over the real app: SMS codes, cookies, CSRF, sessions that end everywhere
(standard 4.4.1 a/b, 5.1.2; 个人信息保护法 §51; 互联网跟帖评论服务管理规定 §5)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp import WSMsgType

from identity.links import LoginLinks
from livehire import keys
from tests.identity.helpers import bearer, error_of, second_org, sign_in_by_phone, sms_code

pytestmark = pytest.mark.clause("4.4.1 a")


def origin(client: Any) -> dict[str, str]:
    return {"Origin": f"http://{client.host}:{client.port}"}


async def test_a_job_seeker_signs_up_with_a_phone_and_chats(client: Any) -> None:
    first = await sign_in_by_phone(client, "+86 138-0013-8000", name="小王")
    assert first["created"] is True and first["user"]["role"] == "viewer" and first["user"]["name"] == "小王"
    assert first["expires_in"] <= 15 * 60
    app = client.server.app
    await app[keys.LIMITS].clear("sms_code_phone", app[keys.PHONE_KEY].phone_hash("13800138000"))  # a minute later
    again = await sign_in_by_phone(client, "13800138000")
    assert again["created"] is False and again["user"]["id"] == first["user"]["id"]  # the same account
    ws = await client.ws_connect("/ws/rooms/demo", headers={"Authorization": "Bearer " + again["token"]})
    assert (await ws.receive_json())["you"]["id"] == first["user"]["id"]
    await ws.send_json({"type": "chat", "text": "请问夜班有补贴吗", "ref": "c1"})
    while (frame := await ws.receive_json())["type"] != "ack":
        pass
    assert frame["ref"] == "c1"
    await ws.close()


async def test_sms_codes_are_checked_limited_and_used_once(client: Any) -> None:
    code = await sms_code(client, "13700001234")
    wrong = await client.post("/api/v1/auth/sms-login", json={"phone": "13700001234", "code": "000000" if code != "000000"
                                                                else "111111"})
    assert (await error_of(wrong, 401))["code"] == "invalid_code"
    limited = await client.post("/api/v1/auth/sms-code", json={"phone": "13700001234"})  # 1 a minute per phone
    assert limited.status == 429 and int(limited.headers["Retry-After"]) >= 1
    assert (await client.post("/api/v1/auth/sms-login", json={"phone": "13700001234", "code": code})).status == 200
    replay = await client.post("/api/v1/auth/sms-login", json={"phone": "13700001234", "code": code})
    assert replay.status == 401
    assert (await error_of(await client.post("/api/v1/auth/sms-code", json={"phone": "12345"}), 422))["code"] == \
        "invalid_phone"
    stored = await client.server.app[keys.SMS_PROVIDER].outbox("13700001234")
    assert stored and all(code not in str(row) for row in await _sms_codes_rows(client))


async def _sms_codes_rows(client: Any) -> list[Any]:
    from store.identity_tables import sms_codes

    async with client.server.app[keys.STORE].engine.connect() as connection:
        return list((await connection.execute(sms_codes.select())).all())


async def test_the_cookie_works_from_our_pages_only(client: Any) -> None:
    await sign_in_by_phone(client, "13500000005")  # the test client keeps the HttpOnly cookie
    cookie = next(c for c in client.session.cookie_jar if c.key == "lh_session")
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    me = await client.get("/api/v1/auth/whoami")
    assert (await me.json())["via_cookie"] is True
    ok = await client.put("/api/v1/me/name", json={"name": "小赵"}, headers=origin(client))
    assert ok.status == 200
    forged = await client.put("/api/v1/me/name", json={"name": "攻击者"}, headers={"Origin": "https://evil.example"})
    assert forged.status == 401  # another site's request carries no authority: it acts as nobody (CSRF)
    site = await client.put("/api/v1/me/name", json={"name": "攻击者"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert site.status == 401
    hijack = await client.ws_connect("/ws/rooms/demo", headers={"Origin": "https://evil.example"})
    assert (await hijack.receive_json())["you"]["anonymous"] is True  # cross-site websocket: read-only visitor
    await hijack.close()
    own = await client.ws_connect("/ws/rooms/demo", headers=origin(client))
    assert (await own.receive_json())["you"]["name"] == "小赵"
    await own.close()


async def test_logging_out_closes_the_open_websocket(client: Any) -> None:
    await sign_in_by_phone(client, "13500000006")
    ws = await client.ws_connect("/ws/rooms/demo", headers=origin(client))
    assert (await ws.receive_json())["you"]["anonymous"] is False
    logout = await client.post("/api/v1/auth/logout", headers=origin(client))
    assert logout.status == 204
    closed = await asyncio.wait_for(_closed(ws), 5)
    assert closed == 4503
    assert (await client.get("/api/v1/auth/whoami")).status == 401  # the cookie was cleared


async def _closed(ws: Any) -> int:
    while True:
        message = await ws.receive()
        if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING):
            return int(ws.close_code or 0)


@pytest.mark.clause("5.1.2")
async def test_member_removal_role_change_and_password_change_end_sessions(client: Any) -> None:
    app = client.server.app
    admin = await bearer(app, "admin", "demo-admin", "demo-org")
    invite = await (await client.post("/api/v1/orgs/demo-org/invitations", json={"role": "recruiter"},
                                      headers=admin)).json()
    joined = await client.post(f"/api/v1/invitations/{invite['code']}/redeem",
                               json={"user": "rec-9", "name": "赵招聘", "password": "first-password"})
    assert joined.status == 201
    member = {"Authorization": "Bearer " + (await joined.json())["token"]}
    assert (await client.get("/api/v1/orgs/demo-org/applications", headers=member)).status == 200
    # the password changes: every other session ends, this one stays
    login = {"org": "demo-org", "user": "rec-9", "password": "first-password"}
    other = {"Authorization": "Bearer " + (await (await client.post("/api/v1/auth/login", json=login)).json())["token"]}
    changed = await client.post("/api/v1/auth/password", json={"old_password": "first-password",
                                                               "new_password": "second-password"}, headers=member)
    assert changed.status == 200 and (await changed.json())["ended_sessions"] == 1
    assert (await client.get("/api/v1/auth/whoami", headers=other)).status == 401
    assert (await client.post("/api/v1/auth/login", json=login)).status == 401
    # a role change ends the member's sessions in the org (they sign in again with the new role)
    assert (await client.put("/api/v1/orgs/demo-org/members/rec-9/role", json={"role": "host"},
                             headers=admin)).status == 200
    assert (await client.get("/api/v1/auth/whoami", headers=member)).status == 401
    relogin = await client.post("/api/v1/auth/login", json={**login, "password": "second-password"})
    assert (await relogin.json())["role"] == "host"
    member = {"Authorization": "Bearer " + (await relogin.json())["token"]}
    ws = await client.ws_connect("/ws/rooms/demo", headers=member)
    assert (await ws.receive_json())["you"]["moderator"] is True
    # removal: every session ends at once, the open socket closes
    removed = await client.delete("/api/v1/orgs/demo-org/members/rec-9", headers=admin)
    assert removed.status == 200
    assert await asyncio.wait_for(_closed(ws), 5) == 4503
    assert (await client.get("/api/v1/orgs/demo-org/applications", headers=member)).status == 401
    assert (await client.post("/api/v1/auth/login", json={**login, "password": "second-password"})).status == 401


@pytest.mark.clause("5.1.2", "4.4.1 b")
async def test_org_admins_manage_only_their_own_members(client: Any) -> None:
    app = client.server.app
    await second_org(app)
    acme_admin = await bearer(app, "admin", "acme-boss", "acme")
    assert (await client.delete("/api/v1/orgs/demo-org/members/demo-recruiter", headers=acme_admin)).status == 403
    assert (await client.put("/api/v1/orgs/demo-org/members/demo-recruiter/role", json={"role": "admin"},
                             headers=acme_admin)).status == 403
    recruiter = await bearer(app, "recruiter", "demo-recruiter", "demo-org")
    assert (await client.delete("/api/v1/orgs/demo-org/members/demo-host", headers=recruiter)).status == 403


async def test_platform_admin_revokes_and_reads_the_simulated_outbox(client: Any) -> None:
    app = client.server.app
    person = await sign_in_by_phone(client, "13300000007")
    headers = {"Authorization": "Bearer " + person["token"]}
    platform = await bearer(app, "admin", "root")
    assert (await client.get("/api/v1/admin/sms-outbox?phone=13300000007", headers=headers)).status == 403
    outbox = await client.get("/api/v1/admin/sms-outbox?phone=13300000007", headers=platform)
    assert outbox.status == 200 and (await outbox.json())["messages"][0]["code"]
    revoked = await client.post(f"/api/v1/users/{person['user']['id']}/sessions/revoke", headers=platform)
    assert (await revoked.json())["ended"] == 1
    assert (await client.get("/api/v1/auth/whoami", headers=headers)).status == 401


async def test_a_sign_in_link_works_once(client: Any) -> None:
    links = LoginLinks(client.server.app[keys.STORE])
    code = await links.create(user_id="demo-recruiter", role="recruiter", org="demo-org", name="李招聘",
                              next_path="/office")
    opened = await client.get(f"/auth/link/{code}", allow_redirects=False)
    assert opened.status == 303 and opened.headers["Location"] == "/office"
    assert "lh_session" in opened.cookies and "token" not in opened.headers["Location"]
    assert (await (await client.get("/api/v1/auth/whoami")).json())["org"] == "demo-org"
    again = await client.get(f"/auth/link/{code}", allow_redirects=False)
    assert again.status == 404
    outside = await links.create(user_id="x", role="viewer", next_path="//evil.example/")
    assert (await client.get(f"/auth/link/{outside}", allow_redirects=False)).headers["Location"] == "/"


@pytest.mark.clause("5.1.2")
async def test_a_removed_members_office_feed_ends_and_shows_nothing_more(client: Any) -> None:
    """Removal ends every session of the member at once (5.1.2): the open live inbox too."""
    app = client.server.app
    admin = await bearer(app, "admin", "demo-admin", "demo-org")
    invite = await (await client.post("/api/v1/orgs/demo-org/invitations", json={"role": "recruiter"},
                                      headers=admin)).json()
    joined = await (await client.post(f"/api/v1/invitations/{invite['code']}/redeem",
                                      json={"user": "rec-feed", "name": "钱招聘", "password": "feed-password"})).json()
    member = {"Authorization": "Bearer " + joined["token"]}
    feed = await client.get("/api/v1/orgs/demo-org/applications/stream", headers=member)
    assert feed.status == 200 and await feed.content.readuntil(b"\n\n") == b"event: ready\ndata: {}\n\n"
    assert (await client.delete("/api/v1/orgs/demo-org/members/rec-feed", headers=admin)).status == 200
    person = await sign_in_by_phone(client, "13100000009")  # a candidate applies after the removal
    headers = {"Authorization": "Bearer " + person["token"]}
    profile = {"name": "孙七", "phone": "13100000009", "resume": "叉车五年", "consent_to_share": True}
    assert (await client.put("/api/v1/me/profile", json=profile, headers=headers)).status == 200
    job = (await (await client.get("/api/v1/jobs")).json())[0]["id"]
    assert (await client.post(f"/api/v1/jobs/{job}/applications", json={}, headers=headers)).status == 201
    rest = await asyncio.wait_for(feed.content.read(), 20)  # the feed ends at its next wake-up
    assert rest == b"event: session_ended\ndata: {}\n\n"
