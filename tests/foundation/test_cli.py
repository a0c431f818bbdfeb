"""The CLI contracts of ARCHITECTURE.md §2, run as a user would run them."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.server import ServerProcess


def livehire(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "livehire.cli", *args], capture_output=True, text=True, timeout=60)


def test_rooms_create_prints_the_contract_keys(tmp_path: Path) -> None:
    result = livehire("rooms", "create", "x", "--title", "夜班专场", "--json", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    room = json.loads(result.stdout)
    assert {"slug", "stream_key", "whip_url", "whep_url", "viewer_url"} <= set(room)
    assert room["slug"] == "x" and room["title"] == "夜班专场" and room["whip_url"].endswith("/whip/x")
    again = livehire("rooms", "create", "x", "--json", "--data-dir", str(tmp_path))
    assert again.returncode == 1 and json.loads(again.stderr)["error"]["code"] == "room_exists"


def test_token_is_accepted_by_a_running_server(tmp_path: Path) -> None:
    data_dir = tmp_path / "server"
    server = ServerProcess(data_dir).start()
    try:
        admin = livehire("token", "--role", "admin", "--user", "a", "--data-dir", str(data_dir)).stdout.strip()
        viewer = livehire("token", "--role", "viewer", "--user", "v", "--data-dir", str(data_dir)).stdout.strip()
        body = json.dumps({"slug": "cli-room"}).encode()

        def post(token: str) -> int:
            request = urllib.request.Request(
                server.base_url + "/api/v1/rooms", data=body, method="POST",
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return int(response.status)
            except urllib.error.HTTPError as error:
                assert json.loads(error.read())["error"]["code"]
                return int(error.code)

        assert post(viewer) == 403
        assert post(admin) == 201
        assert post("forged.token.value") == 401
    finally:
        assert server.stop() == 0


def test_serve_prints_viewer_url_whip_url_and_stream_key(live_server: ServerProcess) -> None:
    assert live_server.banner_value("viewer URL:").endswith("/live/demo")
    assert live_server.banner_value("OBS WHIP URL:").endswith("/whip/demo")
    assert live_server.banner_value("stream key:").startswith("lh_demo_")
    with urllib.request.urlopen(live_server.base_url + "/live/demo", timeout=10) as response:
        assert response.status == 200


def test_sigkill_loses_no_committed_row(tmp_path: Path) -> None:
    """Rows acknowledged before a SIGKILL are there after a restart (WAL + synchronous=FULL)."""
    data_dir = tmp_path / "server"
    server = ServerProcess(data_dir).start()
    admin = livehire("token", "--role", "admin", "--user", "a", "--data-dir", str(data_dir)).stdout.strip()
    acknowledged = []
    for index in range(30):
        request = urllib.request.Request(
            server.base_url + "/api/v1/rooms", data=json.dumps({"slug": f"r{index}"}).encode(), method="POST",
            headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 201
            acknowledged.append(f"r{index}")
    server.kill()
    restarted = ServerProcess(data_dir).start()
    try:
        with urllib.request.urlopen(restarted.base_url + "/api/v1/rooms", timeout=10) as response:
            slugs = {room["slug"] for room in json.loads(response.read())["rooms"]}
        assert set(acknowledged) <= slugs
    finally:
        restarted.stop()
