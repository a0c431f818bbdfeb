"""The operator's identity commands against a running server, as ARCHITECTURE.md §2 names them:
``livehire orgs create``, ``sms outbox``, ``token``, ``link``, ``staff add``."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.server import ServerProcess

pytestmark = pytest.mark.slow  # real `livehire` processes: the full suite runs them, the fast lane does not


def livehire(server: ServerProcess, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "livehire.cli", *args, "--data-dir", str(server.data_dir)],
                          capture_output=True, text=True, timeout=60, check=False)


def call(server: ServerProcess, method: str, path: str, body: dict[str, Any] | None = None,
         token: str | None = None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(server.base_url + path, method=method, headers=headers,
                                     data=None if body is None else json.dumps(body).encode())
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


@pytest.mark.clause("5.1.2")
def test_an_operator_creates_an_org_and_its_admin_joins(live_server: ServerProcess) -> None:
    made = livehire(live_server, "orgs", "create", "acme", "--name", "Acme 人力", "--json")
    assert made.returncode == 0, made.stderr
    document = json.loads(made.stdout)
    assert document["org"]["id"] == "acme" and document["admin_invitation"]["code"]
    status, joined = call(live_server, "POST", f"/api/v1/invitations/{document['admin_invitation']['code']}/redeem",
                          {"user": "acme-admin", "name": "管理员", "password": "long-enough-1"})
    assert status == 201 and joined["role"] == "admin" and joined["user"]["org"] == "acme"
    again = livehire(live_server, "orgs", "create", "acme", "--name", "x", "--json")
    assert again.returncode == 1 and json.loads(again.stderr)["error"]["code"] == "org_exists"


def test_the_simulated_outbox_holds_the_code(live_server: ServerProcess) -> None:
    status, _ = call(live_server, "POST", "/api/v1/auth/sms-code", {"phone": "13912340000"})
    assert status == 202
    outbox = livehire(live_server, "sms", "outbox", "--phone", "139 1234 0000", "--json")
    assert outbox.returncode == 0, outbox.stderr
    [latest, *_] = json.loads(outbox.stdout)
    assert len(latest["code"]) == 6 and latest["code"] in latest["text"]
    status, signed = call(live_server, "POST", "/api/v1/auth/sms-login", {"phone": "13912340000",
                                                                         "code": latest["code"]})
    assert status == 200 and signed["user"]["role"] == "viewer"


def test_operator_tokens_are_short_and_revocable(live_server: ServerProcess) -> None:
    token = livehire(live_server, "token", "--role", "admin", "--user", "ops").stdout.strip()
    status, me = call(live_server, "GET", "/api/v1/auth/whoami", token=token)
    assert status == 200 and me["role"] == "admin" and me["session"]
    assert livehire(live_server, "token", "--role", "admin", "--user", "ops", "--ttl", "90000").returncode == 1
    victim = livehire(live_server, "token", "--role", "viewer", "--user", "v1").stdout.strip()
    status, _ = call(live_server, "POST", "/api/v1/users/v1/sessions/revoke", token=token)
    assert status == 200
    assert call(live_server, "GET", "/api/v1/auth/whoami", token=victim)[0] == 401


def test_one_time_links_for_members_and_staff(live_server: ServerProcess) -> None:
    link = livehire(live_server, "link", "demo-host", "--role", "host", "--org", "demo-org", "--next", "/studio/demo")
    assert link.returncode == 0, link.stderr
    opener = urllib.request.build_opener(NoRedirect())
    try:
        opener.open(link.stdout.strip(), timeout=10)
        raise AssertionError("a sign-in link redirects")
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 303 and redirect.headers["Location"] == "/studio/demo"
        assert "lh_session=" in redirect.headers["Set-Cookie"] and "HttpOnly" in redirect.headers["Set-Cookie"]
    wrong = livehire(live_server, "link", "demo-host", "--role", "admin", "--org", "demo-org")
    assert wrong.returncode == 1 and json.loads(wrong.stderr)["error"]["code"] == "not_a_member"
    staff = livehire(live_server, "staff", "add", "rev1", "--role", "reviewer", "--json")
    assert staff.returncode == 0 and "/auth/link/" in json.loads(staff.stdout)["sign_in_link"]
