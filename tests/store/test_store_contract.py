"""Store contract: every test runs on SQLite and on PostgreSQL (fixture ``store_url``)."""

from __future__ import annotations

import pytest

from store.engine import StoreConfigError, async_url, open_store
from store.orgs import OrgError, OrgRepository
from store.rooms import RoomError, RoomRepository


async def test_migrations_are_idempotent(store_url: str) -> None:
    first = await open_store(store_url)
    await first.close()
    second = await open_store(store_url)
    try:
        await second.ping()
    finally:
        await second.close()


@pytest.mark.clause("4.4.1 a")
async def test_room_stream_key_is_stored_hashed_and_checked(store_url: str) -> None:
    store = await open_store(store_url)
    try:
        repo = RoomRepository(store)
        room, key = await repo.create("fair-2026", title="春季招聘会")
        assert room.slug == "fair-2026" and room.title == "春季招聘会"
        assert await repo.check_stream_key("fair-2026", key)
        assert not await repo.check_stream_key("fair-2026", key + "x")
        assert not await repo.check_stream_key("nope", key)
        async with store.engine.connect() as connection:
            from sqlalchemy import text

            stored = (await connection.execute(text("SELECT stream_key_hash FROM rooms"))).scalar()
        assert stored != key and len(str(stored)) == 64
        new_key = await repo.rotate_stream_key("fair-2026")
        assert not await repo.check_stream_key("fair-2026", key)
        assert await repo.check_stream_key("fair-2026", new_key)
    finally:
        await store.close()


async def test_duplicate_and_invalid_rooms_are_refused(store_url: str) -> None:
    store = await open_store(store_url)
    try:
        repo = RoomRepository(store)
        await repo.create("demo")
        with pytest.raises(RoomError) as duplicate:
            await repo.create("demo")
        assert duplicate.value.code == "room_exists"
        for bad in ["", "UPPER", "-x", "a b", "x" * 65, "直播"]:
            with pytest.raises(RoomError) as invalid:
                await repo.create(bad)
            assert invalid.value.code == "invalid_slug"
        with pytest.raises(RoomError):
            await repo.rotate_stream_key("missing")
        assert [r.slug for r in await repo.list()] == ["demo"]
    finally:
        await store.close()


@pytest.mark.clause("5.1.2")
async def test_organisation_members_and_roles(store_url: str) -> None:
    store = await open_store(store_url)
    try:
        orgs = OrgRepository(store)
        await orgs.create_org("acme", "阿克米人力资源有限公司", kind="hr_agency")
        with pytest.raises(OrgError):
            await orgs.create_org("acme", "dup")
        await orgs.ensure_user("u1", "张经理")
        await orgs.ensure_user("u1", "ignored on second call")
        await orgs.ensure_user("u2", "李招聘")
        await orgs.add_member("acme", "u1", "admin")
        await orgs.add_member("acme", "u2", "recruiter", reports_to="u1")
        with pytest.raises(OrgError):
            await orgs.add_member("acme", "u2", "host")
        with pytest.raises(OrgError):
            await orgs.add_member("acme", "ghost", "host")
        listed = await orgs.members("acme")
        assert [(m.user_id, m.role, m.reports_to, m.display_name) for m in listed] == [
            ("u1", "admin", None, "张经理"),
            ("u2", "recruiter", "u1", "李招聘"),
        ]
        org = await orgs.get_org("acme")
        assert org is not None and org.kind == "hr_agency"
        assert await orgs.get_org("nope") is None
    finally:
        await store.close()


def test_database_urls_map_to_async_drivers() -> None:
    assert async_url("sqlite:////tmp/x.db") == ("sqlite+aiosqlite:////tmp/x.db", "sqlite")
    assert async_url("postgresql://postgres@127.0.0.1/test")[1] == "postgresql"
    with pytest.raises(StoreConfigError):
        async_url("mysql://root@localhost/x")
    with pytest.raises(StoreConfigError):
        async_url("::not a url::")
