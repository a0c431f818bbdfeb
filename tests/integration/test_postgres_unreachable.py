"""PostgreSQL unreachable: applies are refused with ``unavailable`` (503, chat error frame), never
acknowledged, and succeed again once it is back; every acknowledged application is in the store.

The app reaches its scratch database through a TCP proxy the test cuts (listener closed, every
connection reset) and restores on the same port: the database, as the app sees it, goes away.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from identity.tokens import TokenSigner
from livehire.app import RECRUITING, create_app
from livehire.settings import Settings
from store.engine import open_store
from store.recruiting_tables import applications
from store.rooms import RoomRepository
from tests import services
from tests.chat.helpers import frame
from tests.recruiting.conftest import job_body, make_candidate, make_org

pytestmark = [pytest.mark.integration, pytest.mark.postgres]
SECRET = "pg-down-secret-" + "x" * 32
SIGNER = TokenSigner(SECRET)


class CuttableProxy:
    """127.0.0.1:<port> → PostgreSQL; ``cut()`` refuses and resets, ``restore()`` listens again."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self._target = (target_host, target_port)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self._server: asyncio.Server | None = None
        self._links: set[asyncio.StreamWriter] = set()

    async def restore(self) -> None:
        self._server = await asyncio.start_server(self._link, "127.0.0.1", self.port)

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._links):
            writer.transport.abort()
        self._links.clear()

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self._target)
        except OSError:
            writer.transport.abort()
            return
        self._links |= {writer, up_writer}

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, asyncio.IncompleteReadError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.transport.abort()

        await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))
        self._links -= {writer, up_writer}


@pytest.fixture
async def proxied_database() -> AsyncIterator[tuple[str, CuttableProxy]]:
    base = services.postgres_url()
    database = await services.create_scratch_database(base)
    parts = urlsplit(database)
    proxy = CuttableProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    await proxy.restore()
    try:
        yield parts._replace(netloc=f"{parts.username}@127.0.0.1:{proxy.port}").geturl(), proxy
    finally:
        await proxy.cut()
        await services.drop_scratch_database(base, database)


async def test_applies_are_refused_while_postgresql_is_away_and_succeed_when_it_returns(
    aiohttp_client: Any, tmp_path: Path, proxied_database: tuple[str, CuttableProxy],
) -> None:
    url, proxy = proxied_database
    store = await open_store(url)
    try:
        await make_org(store)
        await RoomRepository(store).create("live1", title="春招专场", org_id="acme")
        for user in ("u1", "u2", "u3"):
            await make_candidate(store, user)
    finally:
        await store.close()
    settings = Settings(port=0, data_dir=tmp_path / "data", database_url=url, secret=SECRET, seed_demo=False)
    client = await aiohttp_client(create_app(settings))
    job = await client.server.app[RECRUITING].jobs.create("acme", job_body(), created_by="rec1")

    def viewer(user: str) -> dict[str, str]:
        return {"Authorization": "Bearer " + SIGNER.mint(session="test", role="viewer", user=user, name=user)}

    async def apply(user: str) -> tuple[int, dict[str, Any]]:
        answer = await client.post(f"/api/v1/jobs/{job['id']}/applications", json={"ref": user}, headers=viewer(user))
        return answer.status, dict(await answer.json())

    status, first = await apply("u1")
    assert status == 201 and first["status"] == "delivered"
    chat = await client.ws_connect("/ws/rooms/live1", params={"token": viewer("u3")["Authorization"][7:]})
    await frame(chat, "welcome")

    await proxy.cut()
    status, refused = await apply("u2")
    assert status == 503 and refused["error"]["code"] == "unavailable", refused
    await chat.send_json({"type": "apply", "job_id": job["id"], "ref": "a3"})
    answer = await frame(chat, "error", wait=10)
    assert (answer["code"], answer["ref"]) == ("unavailable", "a3") and answer["message"]
    profile = await client.put("/api/v1/me/profile", json={"name": "王", "phone": "13800138000", "resume": "简历",
                                                            "consent_to_share": True}, headers=viewer("u2"))
    assert profile.status == 503 and (await profile.json())["error"]["code"] == "unavailable", "any other write too"

    await proxy.restore()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while (result := await apply("u2"))[0] != 201:  # the writer connects again on its next batch
        assert result[0] == 503 and loop.time() < deadline, result
        await asyncio.sleep(0.1)
    assert result[1]["status"] == "delivered"
    await chat.send_json({"type": "apply", "job_id": job["id"], "ref": "a3"})
    assert (await frame(chat, "apply_result", wait=10))["status"] == "delivered"
    await chat.close()

    store = await open_store(url)
    try:
        async with store.engine.connect() as connection:
            rows = (await connection.execute(select(applications.c.user_id))).scalars().all()
        assert sorted(rows) == ["u1", "u2", "u3"], "every acknowledged apply kept, none refused, none twice"
    finally:
        await store.close()


async def test_other_chat_frames_answer_unavailable_while_postgresql_is_away(
    aiohttp_client: Any, tmp_path: Path, proxied_database: tuple[str, CuttableProxy], caplog: pytest.LogCaptureFixture,
) -> None:
    """``pin_job``/``unpin_job`` (recruiting's frames) and a report meet the database away: the sender gets
    ``unavailable`` with its ``ref`` as for ``apply`` (chat.connection.failure), not ``handler_failed``, the
    log has one warning line and no traceback, and the same frames work once it is back."""
    url, proxy = proxied_database
    store = await open_store(url)
    try:
        await make_org(store)
        await RoomRepository(store).create("live1", title="春招专场", org_id="acme")
    finally:
        await store.close()
    settings = Settings(port=0, data_dir=tmp_path / "data", database_url=url, secret=SECRET, seed_demo=False)
    client = await aiohttp_client(create_app(settings))
    job = await client.server.app[RECRUITING].jobs.create("acme", job_body(), created_by="rec1")
    host = SIGNER.mint(session="test", role="host", user="host1", room="live1", org="acme", name="主播")
    chat = await client.ws_connect("/ws/rooms/live1", params={"token": host})
    await frame(chat, "welcome")

    await proxy.cut()
    for kind, ref in (("pin_job", "p1"), ("unpin_job", "u1")):
        await chat.send_json({"type": kind, "job_id": job["id"], "ref": ref})
        answer = await frame(chat, "error", wait=10)
        assert (answer["code"], answer["ref"]) == ("unavailable", ref), answer
    assert not [r for r in caplog.records if r.exc_info and r.name.startswith("chat")], "no traceback for the store away"
    assert any("met the store away" in r.getMessage() for r in caplog.records)

    await proxy.restore()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while True:  # the pool connects again on the next checkout
        await chat.send_json({"type": "pin_job", "job_id": job["id"], "ref": "p2"})
        answer = await frame(chat, wait=10)
        while answer["type"] not in ("job_card", "error"):
            answer = await frame(chat, wait=10)
        if answer["type"] == "job_card":
            break
        assert answer["code"] == "unavailable" and loop.time() < deadline, answer
        await asyncio.sleep(0.2)
    assert answer["action"] == "pin" and answer["job"]["id"] == job["id"]
    await chat.close()
