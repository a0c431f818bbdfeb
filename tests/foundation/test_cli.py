"""The CLI contracts of ARCHITECTURE.md §2, run as a user would run them."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from store.engine import open_store
from store.facts import PUBLIC_URL, read_fact, record_fact
from tests.server import ServerProcess

pytestmark = pytest.mark.slow  # real `livehire` processes: the full suite runs them, the fast lane does not

README = Path(__file__).resolve().parents[2] / "README.md"


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


async def test_facts_are_upserted(store_url: str) -> None:
    store = await open_store(store_url)
    try:
        assert await read_fact(store, PUBLIC_URL) is None
        await record_fact(store, PUBLIC_URL, "http://127.0.0.1:5001")
        await record_fact(store, PUBLIC_URL, "http://127.0.0.1:5002")  # a restart on another port
        await record_fact(store, "other", "x")
        assert await read_fact(store, PUBLIC_URL) == "http://127.0.0.1:5002"
        assert await read_fact(store, "other") == "x"
    finally:
        await store.close()


def test_room_commands_print_the_running_servers_url(tmp_path: Path) -> None:
    """The links name the port the server really serves on (``--port 0`` here), not the default 8080."""
    data_dir = tmp_path / "server"
    server = ServerProcess(data_dir).start()
    try:
        assert not server.base_url.endswith(":8080")
        common = ("--json", "--data-dir", str(data_dir))
        created = livehire("rooms", "create", "x", *common)
        assert created.returncode == 0, created.stderr
        room = json.loads(created.stdout)
        assert room["whip_url"] == f"{server.base_url}/whip/x" and room["viewer_url"] == f"{server.base_url}/live/x"
        listed = json.loads(livehire("rooms", "list", *common).stdout)["rooms"]
        assert {r["slug"]: r["viewer_url"] for r in listed}["x"] == f"{server.base_url}/live/x"
        rotated = livehire("rooms", "rotate-key", "x", *common)
        assert rotated.returncode == 0, rotated.stderr
        assert json.loads(rotated.stdout)["whip_url"] == f"{server.base_url}/whip/x"
        with urllib.request.urlopen(room["viewer_url"], timeout=10) as response:
            assert response.status == 200

        chosen = livehire("rooms", "create", "y", "--public-url", "https://live.example.cn/", *common)
        assert chosen.returncode == 0, chosen.stderr
        assert json.loads(chosen.stdout)["whip_url"] == "https://live.example.cn/whip/y"
        listed = json.loads(livehire("rooms", "list", "--public-url", "https://live.example.cn", *common).stdout)
        assert {r["viewer_url"] for r in listed["rooms"]} >= {"https://live.example.cn/live/x", "https://live.example.cn/live/y"}
        assert all(r["viewer_url"].startswith("https://live.example.cn/live/") for r in listed["rooms"])
        text = livehire("rooms", "rotate-key", "y", "--public-url", "https://live.example.cn", "--data-dir", str(data_dir))
        assert "WHIP https://live.example.cn/whip/y" in text.stdout
    finally:
        assert server.stop() == 0


def test_readme_names_the_public_url_option() -> None:
    section = README.read_text(encoding="utf-8").split("## Command line", 1)[1].split("\n## ", 1)[0]
    assert "livehire rooms create" in section and "--public-url" in section
