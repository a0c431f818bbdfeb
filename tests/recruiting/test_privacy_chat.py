"""Deletion on request reaches the chat and the published events (个人信息保护法 §47; standard 4.4.1 c).

Over the whole app (``create_app``): the chat bus eraser registered by the composition root and the
event log's ``forget``. Memory and Redis buses (real Redis), SQLite and PostgreSQL (``store_url``).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientWebSocketResponse, web
from aiohttp.test_utils import TestClient

from livehire import keys
from livehire.app import CHAT, RECRUITING, create_app
from livehire.seed import DEMO_ROOM
from livehire.settings import load_settings
from recruiting.events.redis_stream import STREAM_KEY
from recruiting.web import openapi
from tests.chat.helpers import frame
from tests.recruiting.conftest import job_body, make_org

pytestmark = pytest.mark.clause("4.4.1 c")

SECRET = "e" * 40
Client = TestClient[Any, web.Application]


async def _app(aiohttp_client: Any, tmp_path: Path, store_url: str, redis_url: str | None) -> tuple[Client, web.Application]:
    settings = load_settings(
        {"data_dir": tmp_path, "database_url": store_url, "secret": SECRET, "redis_url": redis_url}, environ={}
    )
    app = create_app(settings)
    client: Client = await aiohttp_client(app)
    return client, app


def _bearer(app: web.Application, user: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + app[keys.SIGNER].mint(session="test", role="viewer", user=user)}


async def _socket(client: Client, app: web.Application, user: str, name: str, **query: str) -> ClientWebSocketResponse:
    token = app[keys.SIGNER].mint(session="test", role="viewer", user=user, name=name)  # type: ignore[call-arg]
    return await client.ws_connect(f"/ws/rooms/{DEMO_ROOM}", params={"token": token, **query})


async def _say(ws: ClientWebSocketResponse, text: str) -> dict[str, Any]:
    ref = uuid.uuid4().hex[:8]
    await ws.send_str(json.dumps({"type": "chat", "text": text, "ref": ref}))
    ack = await frame(ws, "ack")
    assert ack["ref"] == ref, ack
    return ack


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def bus_redis_url(request: pytest.FixtureRequest) -> str | None:
    return None if request.param == "memory" else str(request.getfixturevalue("redis_url"))


async def test_erasure_removes_the_persons_chat_messages_for_everyone(
    aiohttp_client: Any, tmp_path: Path, bus_redis_url: str | None
) -> None:
    """A viewer's messages leave the room's history (new sockets, ``since=`` recovery) and connected
    clients get the moderator delete's ``deleted`` frame for each; another user's messages stay."""
    client, app = await _app(aiohttp_client, tmp_path, f"sqlite:///{tmp_path / 'store.db'}", bus_redis_url)
    gone, stay = "gone-" + uuid.uuid4().hex[:8], "stay-" + uuid.uuid4().hex[:8]  # a Redis shared between runs
    speaker = await _socket(client, app, gone, "张三")
    other = await _socket(client, app, stay, "李四")
    start = (await frame(speaker, "welcome"))["seq"]
    await frame(other, "welcome")
    mine = [await _say(speaker, f"我的电话是多少不告诉你 {i}") for i in range(3)]
    theirs = await _say(other, "大家好")
    mine.append(await _say(speaker, "再见"))

    copy = (await (await client.get("/api/v1/me/data", headers=_bearer(app, gone))).json())["chat_messages"]
    assert sorted((m["room"], m["id"], m["text"]) for m in copy) == sorted(
        (DEMO_ROOM, m["id"], t) for m, t in zip(mine, [*(f"我的电话是多少不告诉你 {i}" for i in range(3)), "再见"], strict=True))

    erased = await client.delete("/api/v1/me", json={"confirm": True}, headers=_bearer(app, gone))
    assert erased.status == 200, await erased.text()
    report = await erased.json()
    assert report["deleted"]["chat_messages"] == 4
    assert (await (await client.get("/api/v1/me/data", headers=_bearer(app, gone))).json())["chat_messages"] == []
    assert report["deleted"]["profile"] is False and "events" in report["deleted"]  # the existing fields stay
    assert not any("聊天" in line and "保留" in line for line in report["kept"])
    documented = openapi.paths()["/api/v1/me"]["delete"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(report) == set(documented["required"])  # the OpenAPI answer is the served one
    assert set(report["deleted"]) == set(documented["properties"]["deleted"]["required"])

    dropped = {(await frame(other, "deleted"))["id"] for _ in mine}
    assert dropped == {m["id"] for m in mine}
    fresh = await _socket(client, app, "late-" + uuid.uuid4().hex[:8], "王五")
    history = (await frame(fresh, "welcome"))["history"]
    ids = [m["id"] for m in history]
    assert theirs["id"] in ids and not {m["id"] for m in mine} & set(ids)
    assert all(m["user"]["id"] != gone for m in history)
    recovering = await _socket(client, app, stay, "李四", since=str(start))
    welcome = await frame(recovering, "welcome")
    assert welcome["recovered"] is True  # the tombstones tell a deletion from a loss
    ours = [m["id"] for m in welcome["history"] if m["user"]["id"] in (gone, stay)]  # Redis: others may talk in demo
    assert ours == [theirs["id"]]

    again = await (await client.delete("/api/v1/me", json={"confirm": True}, headers=_bearer(app, gone))).json()
    assert again["deleted"]["chat_messages"] == 0
    for ws in (speaker, other, fresh, recovering):
        await ws.close()
    await client.close()


async def test_erasure_reaches_held_messages_in_the_review_queue(aiohttp_client: Any, tmp_path: Path) -> None:
    """A held message carries the user id and name: it leaves the queue and moderators are told."""
    client, app = await _app(aiohttp_client, tmp_path, f"sqlite:///{tmp_path / 'store.db'}", None)
    chat = app[CHAT]
    gone = "gone-" + uuid.uuid4().hex[:8]
    await chat.bus.review.hold(DEMO_ROOM, {"id": "h-" + gone, "kind": "message", "user": {"id": gone, "name": "张三"},
                                    "text": "待审", "ts": 1})
    await chat.bus.review.hold(DEMO_ROOM, {"id": "h-other", "kind": "message", "user": {"id": "u2", "name": "李四"},
                                    "text": "待审", "ts": 2})
    copy = (await (await client.get("/api/v1/me/data", headers=_bearer(app, gone))).json())["chat_review_queue"]
    assert [(c["room"], c["id"], c["text"]) for c in copy] == [(DEMO_ROOM, "h-" + gone, "待审")]  # §45
    report = await (await client.delete("/api/v1/me", json={"confirm": True}, headers=_bearer(app, gone))).json()
    assert report["deleted"]["chat_messages"] == 1
    assert [h["id"] for h in await chat.bus.review.held(DEMO_ROOM)] == ["h-other"]
    assert (await (await client.get("/api/v1/me/data", headers=_bearer(app, gone))).json())["chat_review_queue"] == []
    await client.close()


async def test_erasure_unpins_the_announcement_the_person_pinned_as_host(
    aiohttp_client: Any, tmp_path: Path, bus_redis_url: str | None
) -> None:
    """The pin names its host in ``by``: erasing the host unpins it for connected and new viewers."""
    client, app = await _app(aiohttp_client, tmp_path, f"sqlite:///{tmp_path / 'store.db'}", bus_redis_url)
    gone = "host-" + uuid.uuid4().hex[:8]
    host_token = app[keys.SIGNER].mint(session="test", role="host", user=gone, room=DEMO_ROOM, name="主播")  # type: ignore[call-arg]
    host = await client.ws_connect(f"/ws/rooms/{DEMO_ROOM}", params={"token": host_token})
    viewer = await _socket(client, app, "v-" + uuid.uuid4().hex[:8], "李四")
    await frame(host, "welcome")
    await frame(viewer, "welcome")
    await host.send_json({"type": "pin", "text": "本场岗位：仓储分拣"})
    assert (await frame(viewer, "pinned"))["announcement"]["by"]["id"] == gone

    report = await (await client.delete("/api/v1/me", json={"confirm": True}, headers=_bearer(app, gone))).json()
    assert report["deleted"]["chat_messages"] == 1, report
    assert (await frame(viewer, "pinned"))["announcement"] is None
    newcomer = await _socket(client, app, "n-" + uuid.uuid4().hex[:8], "王五")
    assert (await frame(newcomer, "welcome"))["pinned"] is None
    for ws in (host, viewer, newcomer):
        await ws.close()
    await client.close()


async def _stream_ids(redis: Any, app_ids: set[str]) -> dict[str, int]:
    """How many entries of each application the shared events stream holds."""
    found = dict.fromkeys(app_ids, 0)
    for _, fields in await redis.xrange(STREAM_KEY):
        event = json.loads(fields["e"])
        if event.get("application_id") in found:
            found[event["application_id"]] += 1
    return found


@pytest.mark.redis
async def test_the_answer_counts_chat_messages_and_published_events(
    aiohttp_client: Any, tmp_path: Path, store_url: str, redis_url: str
) -> None:
    """On SQLite and PostgreSQL with Redis: the person's stream entries are deleted, the other's remain."""
    from redis.asyncio import Redis

    client, app = await _app(aiohttp_client, tmp_path, store_url, redis_url)
    await make_org(app[keys.STORE])
    service = app[RECRUITING]
    redis = Redis.from_url(redis_url, decode_responses=True)
    gone, stay = "gone-" + uuid.uuid4().hex[:8], "stay-" + uuid.uuid4().hex[:8]
    applied: dict[str, str] = {}
    try:
        for user in (gone, stay):
            profile = {"name": "张三" if user == gone else "李四", "phone": "13912345678", "resume": "叉车",
                       "consent_to_share": True}
            assert (await client.put("/api/v1/me/profile", json=profile, headers=_bearer(app, user))).status == 200
        for n in range(2):
            job = await service.jobs.create("acme", job_body(title=f"分拣员{n}"), created_by="rec1")
            for user in (gone, stay):
                answer = await client.post(f"/api/v1/jobs/{job['id']}/applications", json={"ref": f"r{n}"},
                                           headers=_bearer(app, user))
                assert answer.status == 201, await answer.text()
                applied[str((await answer.json())["application_id"])] = user
        for _ in range(200):  # published after the commit, off the request
            if 0 not in (await _stream_ids(redis, set(applied))).values():
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the delivery events never reached the stream")
        speaker = await _socket(client, app, gone, "张三")
        await frame(speaker, "welcome")
        await _say(speaker, "你好")
        await _say(speaker, "我想投递")

        erased = await client.delete("/api/v1/me", json={"confirm": True}, headers=_bearer(app, gone))
        assert erased.status == 200, await erased.text()
        deleted = (await erased.json())["deleted"]
        assert deleted["chat_messages"] == 2 and deleted["events"] == 2 and deleted["profile"] is True
        assert deleted["member_phones"] == 0  # unpublished_events: rows not yet marked published (timing)
        left = await _stream_ids(redis, set(applied))
        assert {a: n for a, n in left.items() if applied[a] == gone} == {a: 0 for a, u in applied.items() if u == gone}
        assert all(n == 1 for a, n in left.items() if applied[a] == stay)
        again = (await (await client.delete("/api/v1/me", json={"confirm": True},
                                            headers=_bearer(app, gone))).json())["deleted"]
        assert (again["chat_messages"], again["events"]) == (0, 0)
        await speaker.close()
    finally:
        await redis.aclose()
        await client.close()

