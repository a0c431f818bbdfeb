"""The chat over real websockets against the test app (memory bus, real Moderator and tokens)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import msgpack
import pytest
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient

from chat.frames import MAX_FRAME_BYTES, Encoded
from chat.http import CHAT_SERVICE
from tests.chat.app import BLOCKED_CATEGORY, BLOCKED_PHRASE, build_app
from tests.chat.helpers import connect, frame, nothing_of, token

Client = TestClient[Any, Any]


@pytest.fixture
async def client(aiohttp_client: Any) -> Client:
    return await aiohttp_client(build_app())  # type: ignore[no-any-return]


@pytest.mark.clause("3.1")
async def test_welcome_then_two_viewers_chat(client: Client) -> None:
    alice = await connect(client, tok=token("alice", name="小李"))
    welcome = await frame(alice, "welcome")
    assert welcome["room"] == "demo" and welcome["seq"] == 0 and welcome["history"] == []
    assert welcome["you"] == {"id": "alice", "name": "小李", "role": "viewer", "anonymous": False, "moderator": False}
    bob = await connect(client, tok=token("bob"))
    await frame(bob, "welcome")
    await alice.send_json({"type": "chat", "text": "请问岗位包住吗？", "ref": "c1"})
    ack = await frame(alice, "ack")
    assert ack["ref"] == "c1" and ack["seq"] == 1
    got = await frame(bob, "chat")
    assert got["text"] == "请问岗位包住吗？" and got["user"] == {"id": "alice", "name": "小李", "role": "viewer"}
    assert got["id"] == ack["id"] and got["seq"] == 1 and isinstance(got["ts"], int)
    assert (await frame(alice, "chat"))["id"] == ack["id"]


@pytest.mark.clause("5.1.3 d")
async def test_blocked_message_reaches_only_its_sender(client: Client) -> None:
    """5.1.3 d: harassment is blocked inline; only the sender is told, with category and reason."""
    sender, other = await connect(client, tok=token("s")), await connect(client, tok=token("o"))
    await frame(sender, "welcome")
    await frame(other, "welcome")
    await sender.send_json({"type": "chat", "text": f"{BLOCKED_PHRASE}：abc123", "ref": "b1"})
    told = await frame(sender, "moderation")
    assert told["ref"] == "b1" and told["action"] == "block" and told["categories"] == [BLOCKED_CATEGORY] and told["message"]
    await nothing_of(other, "chat")
    assert (await client.get("/test/stats/demo")).status == 200


@pytest.mark.clause("4.4.1 a")
async def test_anonymous_viewer_reads_but_cannot_chat(client: Client) -> None:
    anon = await connect(client)
    welcome = await frame(anon, "welcome")
    assert welcome["you"]["anonymous"] is True
    await anon.send_json({"type": "chat", "text": "hi", "ref": "a"})
    error = await frame(anon, "error")
    assert error == {"type": "error", "code": "auth_required", "message": error["message"], "ref": "a"}


@pytest.mark.clause("4.4.1 a")
async def test_bad_token_is_refused_before_upgrade(client: Client) -> None:
    response = await client.get("/ws/rooms/demo", params={"token": "forged"})
    assert response.status == 401 and (await response.json())["error"]["code"] == "invalid_token"
    missing = await client.get("/ws/rooms/nowhere")
    assert missing.status == 404
    scoped = await client.get("/ws/rooms/demo", params={"token": token("h", "host", room="other")})
    assert scoped.status == 403


async def test_bad_input_gets_error_frames_and_the_socket_survives(client: Client) -> None:
    ws = await connect(client, tok=token("fuzzy"))
    await frame(ws, "welcome")
    await ws.send_json({"type": "chat", "text": "first", "ref": "ok1"})
    await frame(ws, "ack")
    bad: list[tuple[str | bytes, str, str | None]] = [
        ("{nope", "bad_json", None),
        ('{"type":"teleport","ref":"t"}', "unknown_type", "t"),
        ('{"type":"chat","text":{"a":1},"ref":"w"}', "bad_field", "w"),
        (json.dumps({"type": "chat", "text": "x" * MAX_FRAME_BYTES, "ref": "big"}), "too_large", None),
        (b"\xc1\xc1", "bad_msgpack", None),
    ]
    for data, code, ref in bad:
        if isinstance(data, bytes):
            await ws.send_bytes(data)
        else:
            await ws.send_str(data)
        error = await frame(ws, "error")
        assert (error["code"], error["ref"]) == (code, ref)
    await ws.send_json({"type": "chat", "text": "still alive", "ref": "ok2"})
    assert (await frame(ws, "ack"))["seq"] == 2
    late = await connect(client, tok=token("late"))
    assert [m["text"] for m in (await frame(late, "welcome"))["history"]] == ["first", "still alive"]


async def test_msgpack_format_gets_the_same_objects(client: Client) -> None:
    viewer = await connect(client, tok=token("mp"), format="msgpack")
    msg = await viewer.receive()
    assert msg.type == WSMsgType.BINARY and msgpack.unpackb(msg.data)["type"] == "welcome"
    await viewer.send_bytes(msgpack.packb({"type": "chat", "text": "二进制你好", "ref": "m"}))
    assert (await frame(viewer, "ack"))["ref"] == "m"
    assert (await frame(viewer, "chat"))["text"] == "二进制你好"


async def test_reconnect_with_since_recovers_exactly_the_missed_messages(client: Client) -> None:
    sender = await connect(client, tok=token("s"))
    await frame(sender, "welcome")
    for i in range(3):
        await sender.send_json({"type": "chat", "text": f"m{i}"})
        await frame(sender, "ack")
    viewer = await connect(client, tok=token("v"), since="1")
    welcome = await frame(viewer, "welcome")
    assert welcome["recovered"] is True and [m["seq"] for m in welcome["history"]] == [2, 3]
    future = await connect(client, tok=token("v"), since="99")
    stale = await frame(future, "welcome")
    assert stale["recovered"] is False and stale["seq"] == 3 and len(stale["history"]) == 3
    assert (await client.get("/ws/rooms/demo", params={"since": "-1"})).status == 400


async def test_compression_is_never_negotiated_on_raw_written_sockets(client: Client) -> None:
    ws = await client.ws_connect("/ws/rooms/demo", compress=15)
    assert ws.compress == 0
    assert (await frame(ws, "welcome"))["type"] == "welcome"


async def test_extension_handlers_reply_broadcast_and_fail_safely(aiohttp_client: Any) -> None:
    async def apply(ctx: Any, data: dict[str, Any]) -> None:
        if data.get("job_id") == "boom":
            raise RuntimeError("database down")
        ctx.reply({"type": "apply_result", "ref": data.get("ref"), "job_id": data["job_id"], "status": "delivered",
                   "user": ctx.principal.user_id, "room": ctx.room})
        await ctx.broadcast({"type": "job_card", "job_id": data["job_id"], "applied": 1})

    client = await aiohttp_client(build_app(extensions={"apply": apply}))
    seeker, other = await connect(client, tok=token("seeker")), await connect(client, tok=token("x"))
    await frame(seeker, "welcome")
    await frame(other, "welcome")
    await seeker.send_json({"type": "apply", "job_id": "j1", "ref": "ap"})
    result = await frame(seeker, "apply_result")
    assert result == {"type": "apply_result", "ref": "ap", "job_id": "j1", "status": "delivered", "user": "seeker", "room": "demo"}
    assert (await frame(other, "job_card"))["job_id"] == "j1"
    await seeker.send_json({"type": "apply", "job_id": "boom", "ref": "b"})
    error = await frame(seeker, "error")
    assert error["code"] == "handler_failed" and error["ref"] == "b" and "database" not in error["message"]
    await seeker.send_json({"type": "ping", "ref": "p"})
    assert (await frame(seeker, "pong"))["ref"] == "p"


async def test_send_to_user_and_broadcast_from_the_server(client: Client) -> None:
    service = client.app[CHAT_SERVICE]
    a, b = await connect(client, tok=token("a")), await connect(client, tok=token("b"))
    await frame(a, "welcome")
    await frame(b, "welcome")
    await service.send_to_user(None, "b", {"type": "interview_invite", "id": "i1"})
    assert (await frame(b, "interview_invite"))["id"] == "i1"
    await nothing_of(a, "interview_invite")
    await service.broadcast("demo", {"type": "live_state", "live": True})
    assert (await frame(a, "live_state"))["live"] is True
    stats = service.stats("demo")
    assert stats["local_connections"] == 2 and stats["connections"] == 2


@pytest.mark.clause("4.4.1 c")
async def test_real_filter_masks_a_viewers_phone_number_for_everyone_else(client: Client) -> None:
    """4.4.1 c: a viewer's own phone number is masked before the room sees it; the sender is told."""
    sender, other = await connect(client, tok=token("s")), await connect(client, tok=token("o"))
    await frame(sender, "welcome")
    await frame(other, "welcome")
    await sender.send_json({"type": "chat", "text": "我的电话13800138000", "ref": "p"})
    told = await frame(sender, "moderation")
    assert told["action"] == "mask" and "pii" in told["categories"] and told["ref"] == "p"
    seen = await frame(other, "chat")
    assert "13800138000" not in seen["text"] and seen["text"].startswith("我的电话")
    metrics = client.app[CHAT_SERVICE].metrics.messages
    assert metrics.labels(action="mask")._value.get() == 1 and metrics.labels(action="allow")._value.get() == 0


async def test_an_empty_room_is_released_and_reopens_with_its_state(client: Client) -> None:
    service = client.app[CHAT_SERVICE]
    host = await connect(client, tok=token("h", "host", room="demo"))
    await frame(host, "welcome")
    await host.send_json({"type": "slow_mode", "seconds": 7})
    await frame(host, "ok")
    await host.close()
    for _ in range(50):
        if service.stats("demo")["local_connections"] == 0:
            break
        await asyncio.sleep(0.02)
    await service.tick()  # reports 0 viewers
    assert service.controls("demo") is not None
    await service.tick()  # still empty: the room is released on this node
    assert service.controls("demo") is None
    back = await connect(client, tok=token("v"))
    welcome = await frame(back, "welcome")
    assert welcome["slow_mode"] == 7 and welcome["viewers"] == 1


async def test_a_released_room_leaves_no_state_behind(client: Client) -> None:
    """Sockets, tallies, presence, controls cache: a room closed on this node is forgotten whole."""
    service = client.app[CHAT_SERVICE]
    before = {name: len(value) for name, value in vars(service).items() if isinstance(value, dict)}
    viewer = await connect(client, room="other", tok=token("v"))
    await frame(viewer, "welcome")
    await viewer.send_json({"type": "chat", "text": "你好", "ref": "c"})
    await frame(viewer, "ack")
    assert service.stats("other")["messages"] == 1 and service.present("other")
    await viewer.close()
    for _ in range(50):
        if service.stats("other")["local_connections"] == 0:
            break
        await asyncio.sleep(0.02)
    await service.tick()
    await service.tick()
    assert "other" not in service._rooms
    assert {name: len(value) for name, value in vars(service).items() if isinstance(value, dict)} == before
    assert service.stats("other")["messages"] == 0 and service.present("other") == [] and service.viewers("other") == 0
    assert service.controls("other") is None


async def test_coalesced_raw_writes_parse_as_valid_frames_in_an_independent_client(client: Client) -> None:
    """A burst joined into one write per socket arrives as separate, valid, in-order frames
    (python-websockets' client, asking for permessage-deflate, which the server declines)."""
    from websockets.asyncio.client import connect as ws_connect

    service = client.app[CHAT_SERVICE]
    url = f"ws://127.0.0.1:{client.port}/ws/rooms/demo"
    async with ws_connect(url, compression="deflate", max_size=None) as ws:
        assert ws.response is not None and "Sec-WebSocket-Extensions" not in ws.response.headers
        assert json.loads(await ws.recv())["type"] == "welcome"
        hub = service._rooms["demo"].hub
        before = hub.flushes
        for i in range(300):  # no await between them: one flush, one write
            hub.publish(Encoded({"type": "job_card", "n": i, "pad": "岗" * (i % 70)}))
        got: list[int] = []
        while len(got) < 300:
            frame_ = json.loads(await ws.recv())
            if frame_["type"] == "job_card":
                got.append(frame_["n"])
        assert got == list(range(300))
        assert hub.flushes - before == 1


async def _raw(ws: Any, kind: str) -> Any:
    """The next websocket message carrying a frame of ``kind`` (presence updates skipped), undecoded."""
    while True:
        msg = await asyncio.wait_for(ws.receive(), 5)
        data = msgpack.unpackb(msg.data) if msg.type == WSMsgType.BINARY else json.loads(msg.data)
        if data["type"] == kind:
            return msg


async def test_extension_replies_in_the_sockets_format_and_bad_frames_keep_it_open(aiohttp_client: Any) -> None:
    """The reply path writes the handler's frame for this socket only: msgpack here, the same object as JSON."""
    async def apply(ctx: Any, data: dict[str, Any]) -> None:
        ctx.reply({"type": "apply_result", "ref": data.get("ref"), "job_id": data["job_id"], "status": "delivered",
                   "note": "已投递"})

    client = await aiohttp_client(build_app(extensions={"apply": apply}))
    binary = await connect(client, tok=token("mp"), format="msgpack")
    text = await connect(client, tok=token("js"))
    await _raw(binary, "welcome")
    await _raw(text, "welcome")
    await binary.send_bytes(b"\xc1")
    error = await _raw(binary, "error")
    assert error.type == WSMsgType.BINARY and msgpack.unpackb(error.data)["code"] == "bad_msgpack"
    await binary.send_bytes(msgpack.packb({"type": "apply", "job_id": "j1", "ref": "a"}))
    reply = await _raw(binary, "apply_result")
    expected = {"type": "apply_result", "ref": "a", "job_id": "j1", "status": "delivered", "note": "已投递"}
    assert reply.type == WSMsgType.BINARY and msgpack.unpackb(reply.data) == expected
    await text.send_str("{nope")
    assert json.loads((await _raw(text, "error")).data)["code"] == "bad_json"
    await text.send_json({"type": "apply", "job_id": "j1", "ref": "a"})
    raw = await _raw(text, "apply_result")
    assert raw.type == WSMsgType.TEXT and raw.data == json.dumps(expected, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.clause("5.2")
async def test_room_stats_count_open_and_closed_sockets_alike(client: Client) -> None:
    """5.2: the room's tallies (one object its sessions share) keep what closed sockets said."""
    first, second = await connect(client, tok=token("t1")), await connect(client, tok=token("t2"))
    await frame(first, "welcome")
    await frame(second, "welcome")
    await first.send_json({"type": "chat", "text": "请问几点上班", "ref": "a"})
    await frame(first, "ack")
    await second.send_json({"type": "chat", "text": f"{BLOCKED_PHRASE}：x", "ref": "b"})
    await frame(second, "moderation")
    await first.close()
    await second.send_json({"type": "chat", "text": "包吃住吗", "ref": "c"})
    await frame(second, "ack")
    stats = await (await client.get("/test/stats/demo")).json()
    assert stats["messages"] == 2 and stats["blocked"] == 1
