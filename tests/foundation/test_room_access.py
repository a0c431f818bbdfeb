"""Who may publish and watch (standard 4.3.1 a visibility, 4.4.1 a): stream keys, host tokens, scopes."""

from __future__ import annotations

import pytest

from identity.sessions import Sessions
from identity.tokens import TokenSigner
from livehire.room_access import StoreRoomAccess
from store.engine import open_store
from store.orgs import OrgRepository
from store.rooms import RoomRepository

SECRET = "k" * 40


@pytest.mark.clause("4.3.1 a", "4.4.1 a")
async def test_publishers_need_the_key_or_a_host_token_of_the_room(store_url: str) -> None:
    store = await open_store(store_url)
    try:
        rooms = RoomRepository(store)
        signer = TokenSigner(SECRET)
        access = StoreRoomAccess(rooms, Sessions(store, signer))
        _, key = await rooms.create("fair")
        assert await access.authorize_publisher("fair", key) == "ok"
        assert await access.authorize_publisher("fair", None) == "unauthorized"
        assert await access.authorize_publisher("fair", "wrong") == "unauthorized"
        assert await access.authorize_publisher("nope", key) == "unknown_room"
        assert await access.authorize_publisher("fair", signer.mint(session="test", role="host", user="h", room="fair")) == "ok"
        assert await access.authorize_publisher("fair", signer.mint(session="test", role="host", user="h", room="other")) == "unauthorized"
        assert await access.authorize_publisher("fair", signer.mint(session="test", role="viewer", user="v")) == "unauthorized"
        assert await access.authorize_publisher("fair", TokenSigner("z" * 40).mint(session="test", role="admin", user="a")) == "unauthorized"
    finally:
        await store.close()


@pytest.mark.clause("4.3.1 a", "4.4.1 a")
async def test_viewers_by_room_visibility(store_url: str) -> None:
    store = await open_store(store_url)
    try:
        rooms = RoomRepository(store)
        await OrgRepository(store).create_org("acme", "Acme")
        signer = TokenSigner(SECRET)
        access = StoreRoomAccess(rooms, Sessions(store, signer))
        await rooms.create("open")
        await rooms.create("members", visibility="logged_in")
        await rooms.create("staff", visibility="org", org_id="acme")
        await rooms.create("secret", visibility="private")
        viewer = signer.mint(session="test", role="viewer", user="v")
        acme = signer.mint(session="test", role="recruiter", user="r", org="acme")
        scoped = signer.mint(session="test", role="viewer", user="v", room="secret")
        assert await access.authorize_viewer("open", None) == "ok"
        assert await access.authorize_viewer("members", None) == "unauthorized"
        assert await access.authorize_viewer("members", viewer) == "ok"
        assert await access.authorize_viewer("staff", viewer) == "unauthorized"
        assert await access.authorize_viewer("staff", acme) == "ok"
        assert await access.authorize_viewer("secret", viewer) == "unauthorized"
        assert await access.authorize_viewer("secret", scoped) == "ok"
        assert await access.authorize_viewer("secret", signer.mint(session="test", role="admin", user="a")) == "ok"
        assert await access.authorize_viewer("missing", None) == "unknown_room"
    finally:
        await store.close()
