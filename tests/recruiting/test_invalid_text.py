"""NUL and lone surrogates are refused where they enter, and nothing already accepted is lost
(common.clean_text; standard 4.4.1 a). On SQLite and PostgreSQL, over real websockets and REST.

Before: a chat message holding ``\\ud800`` was acknowledged and kept in history, then broke the
room's flushes and every newcomer's ``welcome``; an ``apply`` whose ``ref`` held one failed the
PostgreSQL group commit for every apply in its batch.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import msgpack
import pytest
from aiohttp import ClientWebSocketResponse

from identity.tokens import TokenSigner
from livehire.app import create_app
from livehire.settings import Settings
from recruiting.repositories.jobs import JobRepository
from store.engine import open_store
from store.rooms import RoomRepository
from tests.chat.helpers import frame
from tests.recruiting.conftest import job_body, make_candidate, make_org

pytestmark = pytest.mark.clause("4.4.1 a")

SECRET = "clean-text-secret-" + "x" * 32
SIGNER = TokenSigner(SECRET)


async def _app(aiohttp_client: Any, store_url: str, tmp_path: Path) -> tuple[Any, str]:
    store = await open_store(store_url)
    try:
        await make_org(store)
        await RoomRepository(store).create("live1", title="春招专场", org_id="acme")
        job_id = str((await JobRepository(store).create("acme", job_body(), created_by="rec1"))["id"])
        for user in ("v1", "v2", "v3"):
            await make_candidate(store, user)
    finally:
        await store.close()
    settings = Settings(port=0, data_dir=tmp_path / "data", database_url=store_url, secret=SECRET, seed_demo=False)
    return await aiohttp_client(create_app(settings)), job_id


async def _join(client: Any, user: str, **params: str) -> ClientWebSocketResponse:
    token = SIGNER.mint(session="test", role="viewer", user=user, name=user)
    ws: ClientWebSocketResponse = await client.ws_connect("/ws/rooms/live1", params={"token": token, **params})
    await frame(ws, "welcome")
    return ws


async def test_a_poisoned_chat_message_is_refused_and_the_room_keeps_working(
    store_url: str, aiohttp_client: Any, tmp_path: Path
) -> None:
    client, _ = await _app(aiohttp_client, store_url, tmp_path)
    sender, reader = await _join(client, "v1"), await _join(client, "v2")
    await sender.send_str('{"type": "chat", "text": "加我 \\ud800 好友", "ref": "bad1"}')
    refused = await frame(sender, "error")
    assert refused["code"] == "invalid_text" and refused["ref"] == "bad1"
    await sender.send_str('{"type": "chat", "text": "a\\u0000b", "ref": "bad2"}')
    assert (await frame(sender, "error"))["code"] == "invalid_text"
    binary = await client.ws_connect("/ws/rooms/live1", params={
        "token": SIGNER.mint(session="test", role="viewer", user="v3", name="v3"), "format": "msgpack"})
    await binary.receive()  # welcome
    await binary.send_bytes(msgpack.packb({"type": "chat", "text": "nul\x00here", "ref": "bad3"}))
    while True:
        reply = msgpack.unpackb((await asyncio.wait_for(binary.receive(), 5)).data)
        if reply["type"] == "error":
            break
    assert reply["code"] == "invalid_text" and reply["ref"] == "bad3"
    await sender.send_str(json.dumps({"type": "chat", "text": "请问包住吗", "ref": "ok1"}))
    assert (await frame(sender, "ack"))["ref"] == "ok1"
    assert (await frame(reader, "chat"))["text"] == "请问包住吗"
    newcomer = await client.ws_connect("/ws/rooms/live1", params={"token": SIGNER.mint(session="test", role="viewer", user="v4")})
    welcome = await frame(newcomer, "welcome")
    assert [m["text"] for m in welcome["history"]] == ["请问包住吗"]
    for ws in (sender, reader, binary, newcomer):
        await ws.close()


async def test_an_apply_with_a_poisoned_ref_is_refused_and_the_batch_around_it_commits(
    store_url: str, aiohttp_client: Any, tmp_path: Path
) -> None:
    client, job_id = await _app(aiohttp_client, store_url, tmp_path)
    one, two, three = await _join(client, "v1"), await _join(client, "v2"), await _join(client, "v3")
    await asyncio.gather(  # sent together: without the check they would share one group commit
        one.send_str(json.dumps({"type": "apply", "job_id": job_id, "ref": "good-1"})),
        two.send_str(json.dumps({"type": "apply", "job_id": job_id, "ref": "\ud800"})),  # escaped by json.dumps
        three.send_str(json.dumps({"type": "apply", "job_id": job_id, "ref": "n\x00l"})),
    )
    assert (await frame(one, "apply_result"))["status"] == "delivered"
    assert (await frame(two, "error"))["code"] == "invalid_text"
    assert (await frame(three, "error"))["code"] == "invalid_text"
    await two.send_str(json.dumps({"type": "apply", "job_id": job_id, "ref": "good-2"}))
    assert (await frame(two, "apply_result"))["status"] == "delivered"
    for ws in (one, two, three):
        await ws.close()


async def test_rest_bodies_paths_and_queries_with_nul_or_lone_surrogates_get_a_clear_error(
    store_url: str, aiohttp_client: Any, tmp_path: Path
) -> None:
    client, job_id = await _app(aiohttp_client, store_url, tmp_path)
    viewer = {"Authorization": "Bearer " + SIGNER.mint(session="test", role="viewer", user="v9", name="v9"),
              "Content-Type": "application/json"}
    for body in ('{"name": "张\\u0000三", "phone": "13800138000", "resume": "r", "consent_to_share": true}',
                 '{"name": "张三", "phone": "13800138000", "resume": "\\udfff", "consent_to_share": true}'):
        response = await client.put("/api/v1/me/profile", data=body, headers=viewer)
        assert response.status == 422 and (await response.json())["error"]["code"] == "invalid_text"
    assert (await (await client.get("/api/v1/me/profile", headers=viewer)).json()).get("name") in (None, "")
    for path in ("/api/v1/jobs/ab%00cd", "/api/v1/jobs?org=ac%00me"):
        response = await client.get(path)
        assert response.status == 400 and (await response.json())["error"]["code"] == "invalid_text"
    fine = await client.put("/api/v1/me/profile", json={"name": "张三", "phone": "13800138000", "resume": "仓储",
                                                        "consent_to_share": True}, headers=viewer)
    assert fine.status == 200
    applied = await client.post(f"/api/v1/jobs/{job_id}/applications", json={"ref": "r1"}, headers=viewer)
    assert applied.status == 201
