"""Web hardening (review findings M7, M9, L4, L5): security headers on every response, /metrics
behind a token, private files at rest, and the connection limits of a real ``livehire serve``."""

from __future__ import annotations

import asyncio
import contextlib
import os
import stat
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import aiohttp
import pytest
from aiohttp.test_utils import make_mocked_request
from yarl import URL

from livehire.app import create_app
from livehire.connections import IpCounter, LogLimiter
from livehire.ops import is_loopback, metrics_allowed
from livehire.security_headers import CONTENT_SECURITY_POLICY
from livehire.settings import SECRET_FILE, SettingsError, load_settings, with_secret
from store.engine import create_store
from tests.server import ServerProcess

pytestmark = pytest.mark.clause("4.4.1 a")

METRICS_TOKEN = "m" * 32
LOCKED_DOWN = "camera=(), microphone=(), geolocation=()"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- headers ---------------------------------------------------------------------------------


def assert_hardened(response: Any, permissions: str = LOCKED_DOWN) -> None:
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert csp == CONTENT_SECURITY_POLICY and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp and "script-src 'self'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Permissions-Policy"] == permissions
    assert headers["Server"] == "livehire"


@pytest.mark.parametrize("path", ["/", "/live/demo", "/office", "/static/common.js", "/static/chat.css", "/api/v1/rooms"])
async def test_every_response_carries_the_security_headers(client: Any, path: str) -> None:
    response = await client.get(path)
    assert response.status == 200, path
    assert_hardened(response)


async def test_only_the_studio_may_ask_for_camera_and_microphone(client: Any) -> None:
    response = await client.get("/studio/demo")
    assert response.status == 200
    assert_hardened(response, "camera=(self), microphone=(self), geolocation=()")
    rooms = await client.get("/api/v1/rooms")
    assert rooms.content_type == "application/json" and "camera=()" in rooms.headers["Permissions-Policy"]


async def test_error_answers_are_hardened_too(client: Any) -> None:
    for path in ("/api/v1/no-such-thing", "/live/no-such-room"):
        response = await client.get(path)
        assert response.status == 404, path
        assert response.content_type == "application/json"
        assert set((await response.json())["error"]) >= {"code", "message"}
        assert_hardened(response)
    missing = await client.get("/static/no-such-file.js")  # aiohttp decides this 404 while sending the file
    assert missing.status == 404
    assert_hardened(missing)


async def test_pages_hold_no_inline_script_style_or_handler(client: Any) -> None:
    for path in ("/", "/live/demo", "/studio/demo", "/office", "/review", "/me"):
        html = await (await client.get(path)).text()
        assert "<style" not in html and " style=" not in html, path
        assert "<script>" not in html and "<script type=\"module\">" not in html, path
        assert " onclick=" not in html and " onload=" not in html, path
        assert '<link rel="stylesheet" href="/static/chat.css">' in html


def test_static_modules_do_not_inject_styles() -> None:
    static = Path(__file__).parents[2] / "livehire" / "web" / "static"
    for module in static.glob("*.js"):
        source = module.read_text(encoding="utf-8")
        assert 'el("style"' not in source and "createElement(\"style\")" not in source, module.name
        assert 'setAttribute("style"' not in source and "innerHTML" not in source.replace("never innerHTML", ""), module.name


# --- /metrics --------------------------------------------------------------------------------


@pytest.fixture
async def token_client(aiohttp_client: Any, tmp_path: Path) -> Any:
    settings = load_settings({"data_dir": tmp_path / "data", "port": 0, "metrics_token": METRICS_TOKEN}, environ={})
    return await aiohttp_client(create_app(settings))


async def test_metrics_need_the_token_when_one_is_set(token_client: Any) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {METRICS_TOKEN}"}):
        refused = await token_client.get("/metrics", headers=headers)
        assert refused.status == 401  # even from loopback: the token is the rule once it is set
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")
        assert (await refused.json())["error"]["code"] == "unauthorized"
        assert_hardened(refused)
    served = await token_client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert served.status == 200 and "livehire_http_requests_total" in await served.text()
    for path in ("/healthz", "/readyz"):
        assert (await token_client.get(path)).status == 200, path


async def test_metrics_without_a_token_answer_loopback_only(client: Any) -> None:
    assert (await client.get("/metrics")).status == 200  # the test client connects from 127.0.0.1
    for remote, allowed in (("127.0.0.1", True), ("::1", True), ("::ffff:127.0.0.1", True),
                            ("203.0.113.9", False), ("2001:db8::1", False), ("10.0.0.1", False)):
        transport = mock.Mock()
        transport.get_extra_info.return_value = (remote, 40000)
        request = make_mocked_request("GET", "/metrics", transport=transport)
        assert metrics_allowed(request, None) is allowed, remote
        assert metrics_allowed(request, METRICS_TOKEN) is False, remote
    assert not is_loopback(None) and not is_loopback("") and not is_loopback("unix")


def test_metrics_token_must_not_be_guessable() -> None:
    with pytest.raises(SettingsError):
        load_settings({"metrics_token": "short"}, environ={})
    settings = load_settings(environ={"LIVEHIRE_METRICS_TOKEN": METRICS_TOKEN, "LIVEHIRE_MAX_CONNECTIONS_PER_IP": "7",
                                      "LIVEHIRE_HEADER_TIMEOUT_SECONDS": "2.5"})
    assert (settings.metrics_token, settings.max_connections_per_ip, settings.header_timeout_seconds) == (
        METRICS_TOKEN, 7, 2.5)
    for bad in ({"max_connections_per_ip": 0}, {"header_timeout_seconds": 0}):
        with pytest.raises(SettingsError):
            load_settings(bad, environ={})


# --- files at rest ---------------------------------------------------------------------------


async def test_a_fresh_data_dir_is_private(client: Any, app_settings: Any) -> None:
    assert (await client.get("/api/v1/rooms")).status == 200  # the store has been written
    data = Path(app_settings.data_dir)
    assert mode(data) == 0o700
    assert mode(data / SECRET_FILE) == 0o600
    database = data / "livehire.db"
    assert mode(database) == 0o600
    for companion in (data / "livehire.db-wal", data / "livehire.db-shm"):
        if companion.exists():
            assert mode(companion) == 0o600, companion.name


def test_an_older_install_is_tightened(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    (data / SECRET_FILE).write_text("s" * 48 + "\n", encoding="utf-8")
    database = data / "livehire.db"
    database.touch()
    database.chmod(0o644)
    settings = with_secret(load_settings({"data_dir": data}, environ={}))
    create_store(settings.effective_database_url)
    assert mode(data) == 0o700 and mode(database) == 0o600


def test_the_sqlite_file_is_created_private_even_under_a_lax_umask(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        create_store(f"sqlite:///{tmp_path / 'new' / 'store.db'}")
    finally:
        os.umask(previous)
    assert mode(tmp_path / "new") == 0o700 and mode(tmp_path / "new" / "store.db") == 0o600


# --- connection limits, pure parts -----------------------------------------------------------


def test_ip_counter_admits_up_to_the_limit_and_frees_on_release() -> None:
    counter = IpCounter(2)
    assert counter.admit("a") and counter.admit("a") and not counter.admit("a")
    assert counter.admit("b")
    counter.release("a")
    assert counter.open("a") == 1 and counter.admit("a")
    counter.release("a"), counter.release("a")
    assert counter.open("a") == 0


def test_log_limiter_logs_once_per_key_and_interval() -> None:
    limiter = LogLimiter(interval=60.0, memory=3)
    assert limiter.allow("x", 0.0) == 0
    assert limiter.allow("x", 1.0) is None and limiter.allow("x", 59.0) is None
    assert limiter.allow("y", 2.0) == 0
    assert limiter.allow("x", 60.0) == 2  # two refusals left out since the last line
    for index in range(10):  # a flood of addresses: memory stays bounded
        limiter.allow(f"ip{index}", 200.0 + index)
    assert len(limiter._entries) <= 3


# --- connection limits, against a real ``livehire serve`` ------------------------------------

REQUEST = b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n"


@contextlib.contextmanager
def serving(tmp_path: Path, **env: str) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path / "server", env={f"LIVEHIRE_{k.upper()}": v for k, v in env.items()}).start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.asynccontextmanager
async def started(tmp_path: Path, **env: str) -> AsyncIterator[ServerProcess]:
    context = serving(tmp_path, **env)
    server = await asyncio.to_thread(context.__enter__)
    try:
        yield server
    finally:
        await asyncio.to_thread(context.__exit__, None, None, None)


async def open_raw(server: ServerProcess) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    url = URL(server.base_url)
    assert url.host is not None and url.port is not None
    return await asyncio.open_connection(url.host, url.port)


async def healthz(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
    writer.write(REQUEST)
    status = await asyncio.wait_for(reader.readline(), 10)
    while (await asyncio.wait_for(reader.readline(), 10)).strip():
        pass  # headers
    await asyncio.wait_for(reader.readexactly(len(b'{"status": "ok"}')), 10)
    return status


async def closed_by_server(reader: asyncio.StreamReader, within: float) -> bool:
    """True once the server closed (or reset) the connection, False when it is still open after ``within``."""
    try:
        return await asyncio.wait_for(reader.read(1), within) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


async def close_all(writers: list[asyncio.StreamWriter]) -> None:
    for writer in writers:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


@pytest.mark.slow
async def test_connections_over_the_per_ip_cap_are_closed_at_once(tmp_path: Path) -> None:
    async with started(tmp_path, max_connections_per_ip="5") as server:
        writers: list[asyncio.StreamWriter] = []
        try:
            pairs = [await open_raw(server) for _ in range(5)]
            writers += [writer for _, writer in pairs]
            for reader, writer in pairs:  # each one admitted (a request round trip proves it)
                assert (await healthz(reader, writer)).startswith(b"HTTP/1.1 200")
            sixth_reader, sixth_writer = await open_raw(server)
            writers.append(sixth_writer)
            assert await closed_by_server(sixth_reader, 5)
            for reader, writer in pairs:  # the first five are untouched
                assert (await healthz(reader, writer)).startswith(b"HTTP/1.1 200")
            pairs[0][1].close()  # one goes away: a new connection is admitted again
            deadline = time.monotonic() + 5
            while True:
                reader, writer = await open_raw(server)
                writers.append(writer)
                try:
                    assert (await healthz(reader, writer)).startswith(b"HTTP/1.1 200")
                    break
                except (asyncio.IncompleteReadError, ConnectionResetError):
                    assert time.monotonic() < deadline, "the freed slot was never given back"
        finally:
            await close_all(writers)
    log = (tmp_path / "server-server.log").read_text(encoding="utf-8")
    assert log.count("too many open connections") == 1  # once per address per minute, not per connection


@pytest.mark.slow
async def test_a_slowloris_is_cut_off_while_others_are_served(tmp_path: Path) -> None:
    async with started(tmp_path, header_timeout_seconds="1") as server:
        slow_reader, slow_writer = await open_raw(server)
        reader, writer = await open_raw(server)
        try:
            started_at = time.monotonic()
            slow_writer.write(b"GET /healthz HTTP/1.1\r\n")
            lines = 0
            while not await closed_by_server(slow_reader, 0.3):  # one header line every 0.3 s …
                slow_writer.write(b"X-Slow-%d: 1\r\n" % lines)
                lines += 1
                # … while a keep-alive neighbour is served; each of its requests restarts its own clock
                assert (await healthz(reader, writer)).startswith(b"HTTP/1.1 200")
                assert time.monotonic() - started_at < 5, "the trickling connection was never closed"
            elapsed = time.monotonic() - started_at
            assert 0.9 <= elapsed <= 2.5 and lines >= 2, (elapsed, lines)
            assert (await healthz(reader, writer)).startswith(b"HTTP/1.1 200")  # outlived the slow one
            idle_since = time.monotonic()
            assert await closed_by_server(reader, 5)  # then, idle past the timeout, it is dropped too
            assert 0.9 <= time.monotonic() - idle_since <= 2.5
        finally:
            await close_all([slow_writer, writer])


@pytest.mark.slow
async def test_a_websocket_outlives_the_header_timeout(tmp_path: Path) -> None:
    async with started(tmp_path, header_timeout_seconds="1") as server, aiohttp.ClientSession() as session:
        ws = await session.ws_connect(server.base_url.replace("http", "ws") + "/ws/rooms/demo", heartbeat=None)
        try:
            assert (await ws.receive_json(timeout=10))["type"] == "welcome"
            deadline = time.monotonic() + 2.5  # 2.5 × the header timeout
            while (left := deadline - time.monotonic()) > 0:
                with contextlib.suppress(TimeoutError):
                    message = await ws.receive(timeout=left)
                    assert message.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY), message
            assert not ws.closed
            await ws.send_json({"type": "ping", "ref": "after-timeout"})
            while (frame := await ws.receive_json(timeout=10))["type"] != "pong":
                pass
            assert frame["ref"] == "after-timeout"
        finally:
            await ws.close()
