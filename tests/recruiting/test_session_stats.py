"""Session statistics over real websockets and REST on the whole app (standard 5.2 数据分析), on SQLite
and PostgreSQL: total viewers are the distinct viewers who joined during the live, not a sampled guess."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientWebSocketResponse

from identity.tokens import MAX_TTL_SECONDS, TokenSigner
from livehire.app import create_app
from livehire.settings import Settings
from recruiting.domain.tally import Flush
from recruiting.repositories.live import LiveRepository
from store.engine import Store, open_store
from store.rooms import RoomRepository
from tests.chat.helpers import frame
from tests.recruiting.conftest import make_org

pytestmark = pytest.mark.clause("5.2")

SECRET = "stats-secret-" + "x" * 32
SIGNER = TokenSigner(SECRET)
# minted at collection: a day's token, so a slow suite does not outlive it
HOST = {"Authorization": "Bearer " + SIGNER.mint(session="test", role="host", user="host1", org="acme",
                                                ttl_seconds=MAX_TTL_SECONDS)}


async def _app_with_room(aiohttp_client: Any, store_url: str, tmp_path: Path) -> Any:
    """The whole app on ``store_url``; take ``store_url`` before ``aiohttp_client`` so the app closes first."""
    store = await open_store(store_url)
    try:
        await make_org(store)
        await RoomRepository(store).create("live1", title="春招专场", org_id="acme")
    finally:
        await store.close()
    settings = Settings(port=0, data_dir=tmp_path / "data", database_url=store_url, secret=SECRET, seed_demo=False)
    return await aiohttp_client(create_app(settings))


async def _join(client: Any, user: str | None) -> ClientWebSocketResponse:
    params = {} if user is None else {"token": SIGNER.mint(session="test", role="viewer", user=user, name=user)}
    ws: ClientWebSocketResponse = await client.ws_connect("/ws/rooms/live1", params=params)
    assert (await frame(ws, "welcome"))["room"] == "live1"
    return ws


async def _plan(client: Any) -> str:
    """A session planned in live1 now (not started); its id."""
    planned = await client.post(
        "/api/v1/orgs/acme/sessions",
        json={"room": "live1", "title": "春招专场", "starts_at": int(time.time() * 1000)}, headers=HOST,
    )
    return str((await planned.json())["id"])


async def _say(ws: ClientWebSocketResponse, text: str, ref: str) -> None:
    await ws.send_str(json.dumps({"type": "chat", "text": text, "ref": ref}))
    assert (await frame(ws, "ack"))["ref"] == ref


async def test_total_viewers_are_the_distinct_viewers_who_joined_during_the_live(
    store_url: str, aiohttp_client: Any, tmp_path: Path
) -> None:
    client = await _app_with_room(aiohttp_client, store_url, tmp_path)
    session = await _plan(client)
    before = await _join(client, "early")  # in the room before the start, then gone: not a viewer of the session
    await before.close()
    assert (await client.post(f"/api/v1/sessions/{session}/state", json={"state": "live"}, headers=HOST)).status == 200
    u1 = await _join(client, "u1")
    await _say(u1, "大家好", "m1")
    await u1.close()
    u2 = await _join(client, "u2")
    u3 = await _join(client, "u3")  # at most two at once: a sampled count never sees three
    await _say(u3, "请问几点上班", "m2")
    await u2.close()
    await u3.close()
    u1 = await _join(client, "u1")  # u1 again: reconnecting is the same viewer
    await _say(u1, "谢谢", "m3")
    assert (await client.post(f"/api/v1/sessions/{session}/state", json={"state": "ended"}, headers=HOST)).status == 200
    await _say(u1, "结束后的话", "m4")  # after the end: not counted
    stats = await (await client.get(f"/api/v1/sessions/{session}/stats", headers=HOST)).json()
    assert stats["total_viewers"] == 3
    assert stats["chat_messages"] == 3
    assert 1 <= stats["peak_viewers"] <= 2  # sampled once a tick: a short visit may fall between samples
    await u1.close()


async def test_stats_of_an_unknown_session_is_a_404_naming_it(store_url: str, aiohttp_client: Any, tmp_path: Path) -> None:
    client = await _app_with_room(aiohttp_client, store_url, tmp_path)
    response = await client.get("/api/v1/sessions/nope/stats", headers=HOST)
    assert response.status == 404
    assert (await response.json())["error"]["code"] == "unknown_session"


async def test_shares_of_two_nodes_add_up_and_the_same_viewer_is_one_row(store: Store) -> None:
    """``add_share`` from two nodes: counters add, the peak is the max, a viewer seen by both is one row."""
    await make_org(store)
    live = LiveRepository(store)
    session = await live.plan("acme", {"room": "live1", "title": "t", "starts_at": int(time.time() * 1000)}, "h")
    await live.set_state(session["id"], "live")
    [window] = await live.windows({"live1", "elsewhere"}, 0)
    assert (window.id, window.room, window.ended_at) == (session["id"], "live1", None)
    await live.add_share(Flush(session["id"], frozenset({"u1", "u2"}), 3, 1, 5, False))
    await live.add_share(Flush(session["id"], frozenset({"u1", "anon-n2-1"}), 2, 0, 4, False))  # node 2
    await live.add_share(Flush(session["id"], frozenset({"u2"}), 0, 0, None, False))  # node 1 again
    stats = await live.stats(session["id"])
    assert (stats["total_viewers"], stats["chat_messages"], stats["blocked_messages"], stats["peak_viewers"]) == (3, 5, 1, 5)
    ended = await live.set_state(session["id"], "ended")
    assert await live.windows({"live1"}, ended["ended_at"] + 1) == [], "ended before since"
    [kept] = await live.windows({"live1"}, ended["ended_at"] + 1, tracked={session["id"]})
    assert kept.ended_at == ended["ended_at"], "a tracked session is returned whatever its age"


async def test_viewers_already_in_the_room_when_the_live_starts_are_counted(
    store_url: str, aiohttp_client: Any, tmp_path: Path
) -> None:
    """Most of the audience gathers before the host presses "start" (5.2): they count without rejoining."""
    client = await _app_with_room(aiohttp_client, store_url, tmp_path)
    session = await _plan(client)
    waiting = [await _join(client, "u1"), await _join(client, "u2"), await _join(client, None)]
    left = await _join(client, "left")  # there before the start, gone before it: not a viewer of the session
    await left.close()
    assert (await client.post(f"/api/v1/sessions/{session}/state", json={"state": "live"}, headers=HOST)).status == 200
    late = await _join(client, "u4")
    await _say(waiting[0], "开始了吗", "m1")
    assert (await client.post(f"/api/v1/sessions/{session}/state", json={"state": "ended"}, headers=HOST)).status == 200
    stats = await (await client.get(f"/api/v1/sessions/{session}/stats", headers=HOST)).json()
    assert stats["total_viewers"] == 4, stats  # u1, u2, the anonymous socket (one viewer, not two), u4
    assert stats["chat_messages"] == 1
    for ws in [*waiting, late]:
        await ws.close()
