"""Headless Chromium (Debian's package) driven by Playwright's Python API, and the ways a test signs a
page in: the /login page with a phone and the simulated SMS code, or a one-time sign-in link for members
of an organisation (both set the HttpOnly session cookie; no page ever gets a token in its URL)."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.server import ServerProcess
from tests.services import in_ci

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
]


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        if in_ci():
            pytest.fail("Debian's chromium is not installed; .ci/run installs it", pytrace=False)
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    return path


@pytest.fixture
async def chromium() -> AsyncIterator[Any]:
    """A launched headless Chromium; each test opens its own contexts."""
    from playwright.async_api import async_playwright

    executable = chromium_path()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


def cli(server: ServerProcess, *args: str) -> str:
    """``livehire <args> --data-dir <the server's data dir>``, as an operator runs it; its stdout."""
    command = [sys.executable, "-m", "livehire.cli", *args, "--data-dir", str(server.data_dir)]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def sms_code(server: ServerProcess, phone: str) -> str:
    """The newest code the simulated SMS provider sent to ``phone`` (``livehire sms outbox --json``)."""
    messages = json.loads(cli(server, "sms", "outbox", "--phone", phone, "--json"))
    assert messages, f"no SMS to {phone}"
    return str(messages[0]["code"])


async def sign_in_with_phone(page: Any, server: ServerProcess, phone: str, next_path: str | None = None) -> None:
    """Signs ``page`` in on /login as a job seeker: phone, 获取验证码, the code from the outbox, 登录.

    Without ``next_path`` the page is expected to be on /login already (e.g. after following 登录);
    with it, /login?next=<next_path> is opened first. Returns once the page is back on ``next``.
    """
    if next_path is not None:
        await page.goto(f"{server.base_url}/login?next={quote(next_path)}", wait_until="domcontentloaded")
    await page.wait_for_selector("#phone-form")
    await page.fill("#login-phone-number", phone)
    await page.click("#send-code")
    await page.wait_for_function("() => document.getElementById('phone-info').textContent.includes('已发送')")
    code = await asyncio.to_thread(sms_code, server, phone)
    await page.fill("#login-sms-code", code)
    await page.click("#phone-login")
    await page.wait_for_url(re.compile(r"^(?!.*/login).*$"), wait_until="domcontentloaded")


async def sign_in_link(server: ServerProcess, *, user_id: str, role: str, org: str | None = None,
                       name: str | None = None, next_path: str = "/") -> str:
    """A one-time sign-in link (``/auth/link/<code>``) for a member the operator vouches for, made in the
    server's store as ``livehire staff add`` does for platform staff; opening it sets the session cookie
    and redirects to ``next_path``."""
    from identity.links import LoginLinks
    from livehire.settings import Settings
    from store.engine import open_store

    store = await open_store(Settings(data_dir=server.data_dir).effective_database_url)
    try:
        code = await LoginLinks(store).create(user_id=user_id, role=role,  # type: ignore[arg-type]
                                              org=org, name=name, next_path=next_path)
    finally:
        await store.close()
    return f"{server.base_url}/auth/link/{code}"


async def sign_in_as_member(page: Any, server: ServerProcess, *, user_id: str, role: str, org: str,
                            name: str | None = None, next_path: str = "/") -> None:
    """Opens a one-time sign-in link in ``page``: it lands on ``next_path`` with the session cookie."""
    link = await sign_in_link(server, user_id=user_id, role=role, org=org, name=name, next_path=next_path)
    await page.goto(link, wait_until="domcontentloaded")
    assert "/auth/link/" not in page.url, page.url


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A real ``livehire serve`` on the embedded defaults (a module with settings of its own overrides it)."""
    started = ServerProcess(tmp_path / "server").start()
    try:
        yield started
    finally:
        started.stop()
