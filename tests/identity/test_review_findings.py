"""Every critical, high and medium finding of the security review (shared/reviews/2026-12-security.md)
of the identity area, reproduced as the reviewer did and shown closed (standard 4.4.1 a/b, 5.1.2)."""

from __future__ import annotations

from typing import Any

import pytest

from identity.tokens import TokenSigner
from livehire import keys
from tests.identity.helpers import bearer, error_of, second_org, sign_in_by_phone

pytestmark = pytest.mark.clause("4.4.1 a")

SDP = {"Content-Type": "application/sdp"}


async def _invitation(client: Any, org: str, admin: dict[str, str], role: str = "host") -> str:
    response = await client.post(f"/api/v1/orgs/{org}/invitations", json={"role": role}, headers=admin)
    assert response.status == 201, await response.text()
    return str((await response.json())["code"])


@pytest.mark.clause("5.1.2")
async def test_c1_an_invitation_never_takes_over_an_existing_account(client: Any) -> None:
    """C1: any org's invitation code used to replace the password of any existing user id."""
    app = client.server.app
    await second_org(app)
    demo_admin = await bearer(app, "admin", "demo-admin", "demo-org")
    acme_admin = await bearer(app, "admin", "acme-boss", "acme")
    # the victim joins demo-org legitimately and logs in
    code = await _invitation(client, "demo-org", demo_admin, "recruiter")
    joined = await client.post(f"/api/v1/invitations/{code}/redeem",
                               json={"user": "demo-rec2", "name": "李招聘", "password": "legit-password-1"})
    assert joined.status == 201
    login = {"org": "demo-org", "user": "demo-rec2", "password": "legit-password-1"}
    assert (await client.post("/api/v1/auth/login", json=login)).status == 200
    # the attacker, admin of acme, redeems an acme code naming the victim, a seeded admin, a candidate
    for victim in ("demo-rec2", "demo-admin"):
        attack = await _invitation(client, "acme", acme_admin)
        refused = await client.post(f"/api/v1/invitations/{attack}/redeem",
                                    json={"user": victim, "password": "attacker-pass-1"})
        assert (await error_of(refused, 409))["code"] == "user_exists"
        hijack = {"org": "demo-org", "user": victim, "password": "attacker-pass-1"}
        assert (await client.post("/api/v1/auth/login", json=hijack)).status == 401
    assert (await client.post("/api/v1/auth/login", json=login)).status == 200  # the victim is untouched
    person = await sign_in_by_phone(client, "13912345678")
    attack = await _invitation(client, "acme", acme_admin)
    refused = await client.post(f"/api/v1/invitations/{attack}/redeem",
                                json={"user": person["user"]["id"], "password": "attacker-pass-1"})
    assert (await error_of(refused, 409))["code"] == "user_exists"
    # the candidate's data is not readable with anything the attacker holds
    assert (await client.get("/api/v1/me/profile", headers=acme_admin)).status == 200
    profile = await (await client.get("/api/v1/me/profile", headers=acme_admin)).json()
    assert profile["profile"] is None  # acme-boss's own (empty) profile, never the candidate's


@pytest.mark.clause("5.1.2")
async def test_c1_the_signed_in_person_may_join_with_their_own_account(client: Any) -> None:
    app = client.server.app
    demo_admin = await bearer(app, "admin", "demo-admin", "demo-org")
    person = await sign_in_by_phone(client, "13800001111", name="小周")
    code = await _invitation(client, "demo-org", demo_admin, "host")
    mine = {"Authorization": "Bearer " + person["token"]}
    joined = await client.post(f"/api/v1/invitations/{code}/redeem", json={"user": person["user"]["id"]}, headers=mine)
    assert joined.status == 201, await joined.text()
    answer = await joined.json()
    assert (answer["org"], answer["role"], answer["user"]["name"]) == ("demo-org", "host", "小周")
    assert (await client.post(f"/api/v1/invitations/{code}/redeem", json={"user": "other-x",
                                                                            "password": "abcdefgh1"})).status == 404


async def test_h1_another_orgs_host_or_admin_cannot_publish(client: Any) -> None:
    """H1: login minted unscoped host tokens that passed ``authorize_publisher`` for every room."""
    app = client.server.app
    await second_org(app)
    for role in ("host", "admin"):
        other = await bearer(app, role, f"acme-{role}", "acme")
        refused = await client.post("/whip/demo", data="v=0\r\n", headers={**SDP, **other})
        assert refused.status == 401, await refused.text()
    own = await bearer(app, "host", "demo-host", "demo-org")
    passed = await client.post("/whip/demo", data="v=0\r\n", headers={**SDP, **own})
    assert passed.status in (400, 422), await passed.text()  # past authorisation: the junk offer is refused
    scoped_elsewhere = await bearer(app, "host", "h", "demo-org", room="acme-room")
    assert (await client.post("/whip/demo", data="v=0\r\n", headers={**SDP, **scoped_elsewhere})).status == 401
    key = await app[keys.ROOMS].rotate_stream_key("demo")
    in_url = await client.post(f"/whip/demo?token={key}", data="v=0\r\n", headers=SDP)
    assert in_url.status == 401  # review M7: the stream key is not accepted in the URL
    in_header = await client.post("/whip/demo", data="v=0\r\n", headers={**SDP, "Authorization": f"Bearer {key}"})
    assert in_header.status in (400, 422)


@pytest.mark.clause("4.4.1 b")
async def test_h2_another_orgs_host_admin_or_reviewer_cannot_moderate(client: Any) -> None:
    """H2: ``may_moderate`` checked only the role; other orgs read held queues and deleted messages."""
    app = client.server.app
    await second_org(app)
    outsiders = [await bearer(app, "host", "acme-host", "acme"), await bearer(app, "admin", "acme-boss", "acme"),
                 await bearer(app, "reviewer", "acme-rev", "acme")]
    for headers in outsiders:
        for method, path in (("GET", "/api/v1/rooms/demo/held"), ("GET", "/api/v1/rooms/demo/audit"),
                             ("POST", "/api/v1/rooms/demo/held/h1/approve"), ("DELETE", "/api/v1/rooms/demo/messages/m1"),
                             ("GET", "/api/v1/rooms/demo/stats")):
            response = await client.request(method, path, headers=headers)
            assert response.status == 403, (method, path, await response.text())
        ws = await client.ws_connect("/ws/rooms/demo", headers=headers)
        welcome = await ws.receive_json()
        assert welcome["you"]["moderator"] is False and "held" not in welcome
        await ws.send_json({"type": "mute", "user_id": "alice", "duration": 600, "ref": "m"})
        assert (await ws.receive_json())["code"] == "forbidden"
        await ws.close()
    own = await bearer(app, "host", "demo-host", "demo-org")
    assert (await client.get("/api/v1/rooms/demo/held", headers=own)).status == 200
    staff = await bearer(app, "reviewer", "rev")
    assert (await client.get("/api/v1/rooms/demo/held", headers=staff)).status == 200


@pytest.mark.clause("4.3.1 a")
async def test_h3_the_chat_honours_room_visibility(client: Any) -> None:
    """H3: anonymous sockets read private rooms' history; any token posted in org-only rooms."""
    app = client.server.app
    await second_org(app)
    await app[keys.ROOMS].create("demo-priv", org_id="demo-org", visibility="private")
    await app[keys.ROOMS].create("acme-org", org_id="acme", visibility="org")
    anonymous = await client.get("/ws/rooms/demo-priv")
    assert anonymous.status == 401
    viewer = await bearer(app, "viewer", "v1")
    assert (await client.get("/ws/rooms/acme-org", headers=viewer)).status == 403
    for path in ("/api/v1/rooms/demo-priv", "/api/v1/rooms/demo-priv/job-card", "/api/v1/rooms/demo-priv/sessions"):
        assert (await client.get(path)).status == 401  # L2: private metadata no longer public
        assert (await client.get(path, headers=viewer)).status == 403
    member = await bearer(app, "recruiter", "acme-rec", "acme")
    ws = await client.ws_connect("/ws/rooms/acme-org", headers=member)
    assert (await ws.receive_json())["type"] == "welcome"
    await ws.close()
    owner = await bearer(app, "admin", "demo-admin", "demo-org")
    ws = await client.ws_connect("/ws/rooms/demo-priv", headers=owner)
    assert (await ws.receive_json())["type"] == "welcome"
    await ws.close()


async def test_m1_an_org_admin_creates_rooms_only_for_their_own_org(client: Any) -> None:
    app = client.server.app
    await second_org(app)
    acme_admin = await bearer(app, "admin", "acme-boss", "acme")
    foreign = await client.post("/api/v1/rooms", json={"slug": "planted", "org": "demo-org"}, headers=acme_admin)
    assert foreign.status == 403
    own = await client.post("/api/v1/rooms", json={"slug": "acme-2", "org": "acme"}, headers=acme_admin)
    assert own.status == 201
    assert (await own.json())["org"] == "acme"


@pytest.mark.clause("5.2")
async def test_m2_sessions_are_planned_only_in_the_orgs_own_rooms(client: Any) -> None:
    app = client.server.app
    await second_org(app)
    acme_host = await bearer(app, "host", "acme-host", "acme")
    planted = await client.post("/api/v1/orgs/acme/sessions", json={"room": "demo", "title": "借壳", "starts_at": 1_900_000_000_000}, headers=acme_host)
    assert (await error_of(planted, 403))["code"] == "not_your_room"
    own = await client.post("/api/v1/orgs/acme/sessions", json={"room": "acme-room", "title": "Acme 春招",
                                                                       "starts_at": 1_900_000_000_000},
                            headers=acme_host)
    assert own.status == 201, await own.text()


async def test_m4_there_are_no_anonymous_guest_tokens(client: Any) -> None:
    """M4: unlimited guest tokens defeated bans; people now sign in with a phone (互联网跟帖评论服务管理规定 §5)."""
    assert (await client.post("/api/v1/auth/guest", json={"name": "x"})).status == 404
    ws = await client.ws_connect("/ws/rooms/demo")
    assert (await ws.receive_json())["you"]["anonymous"] is True
    await ws.send_json({"type": "chat", "text": "你好", "ref": "c"})
    assert (await ws.receive_json())["code"] == "auth_required"
    await ws.close()


@pytest.mark.clause("5.1.3 d")
async def test_m5_display_names_pass_the_filter(client: Any) -> None:
    """M5: the guest name carried contact details to every message unfiltered."""
    code_free = await sign_in_by_phone(client, "13700000001")
    headers = {"Authorization": "Bearer " + code_free["token"]}
    refused = await client.put("/api/v1/me/name", json={"name": "加微信13912345678"}, headers=headers)
    assert (await error_of(refused, 422))["code"] == "name_not_allowed"
    too_long = await client.put("/api/v1/me/name", json={"name": "名" * 21}, headers=headers)
    assert (await error_of(too_long, 422))["code"] == "invalid_name"
    assert (await client.put("/api/v1/me/name", json={"name": "小李"}, headers=headers)).status == 200
    refreshed = await client.post("/api/v1/auth/refresh", json={"refresh_token": code_free["refresh_token"]})
    headers = {"Authorization": "Bearer " + (await refreshed.json())["token"]}  # tokens carry the name: a new one
    ws = await client.ws_connect("/ws/rooms/demo", headers=headers)
    assert (await ws.receive_json())["you"]["name"] == "小李"
    await ws.close()


async def test_m6_login_and_redeem_are_limited_and_cheap_to_refuse(client: Any) -> None:
    """M6: no limit on login or redeem, and redeem hashed the password before looking up the code."""
    for _ in range(5):
        wrong = await client.post("/api/v1/auth/login", json={"org": "demo-org", "user": "demo-admin",
                                                               "password": "guess-guess"})
        assert wrong.status == 401
    limited = await client.post("/api/v1/auth/login", json={"org": "demo-org", "user": "demo-admin",
                                                             "password": "guess-guess"})
    assert limited.status == 429 and int(limited.headers["Retry-After"]) >= 1
    assert (await limited.json())["error"]["code"] == "rate_limited"
    statuses = [(await client.post("/api/v1/invitations/bogus/redeem",
                                   json={"user": "x1", "password": "abcdefgh1"})).status for _ in range(11)]
    assert statuses[:10] == [404] * 10 and statuses[10] == 429


async def test_m8_tokens_end_with_their_session(client: Any) -> None:
    """M8: tokens lived 7 days with no way to revoke; now they are short and name a revocable session."""
    app = client.server.app
    signed = await sign_in_by_phone(client, "13600000002")
    token = signed["token"]
    assert app[keys.SIGNER].verify(token).session == signed["session"]["id"]
    headers = {"Authorization": "Bearer " + token}
    assert (await client.get("/api/v1/auth/whoami", headers=headers)).status == 200
    assert (await client.post("/api/v1/auth/logout", headers=headers)).status == 204
    assert (await error_of(await client.get("/api/v1/auth/whoami", headers=headers), 401))["code"] == "invalid_token"
    refreshed = await client.post("/api/v1/auth/refresh", json={"refresh_token": signed["refresh_token"]})
    assert refreshed.status == 401
    unbacked = TokenSigner(app[keys.SETTINGS].secret or "").mint(role="admin", user="root")  # no session behind it
    assert (await client.get("/api/v1/auth/whoami", headers={"Authorization": "Bearer " + unbacked})).status == 401
