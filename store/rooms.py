"""Live rooms and their stream keys (standard 3.1, 4.3.1 a, 4.4.1 a).

A stream key is a random secret the host pastes into OBS as the WHIP bearer
token. Only its SHA-256 is stored: keys have 160+ bits of entropy, so a fast
hash is enough, and a leaked database does not let anyone publish.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Final, Literal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from common.clock import now_ms
from store.engine import Store, StoreError
from store.schema import rooms

Visibility = Literal["public", "logged_in", "org", "private"]
VISIBILITIES: Final[tuple[Visibility, ...]] = ("public", "logged_in", "org", "private")
SLUG_PATTERN: Final = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


class RoomError(StoreError):
    """A room request that cannot be carried out (bad slug, duplicate, unknown)."""


@dataclass(frozen=True, slots=True)
class Room:
    id: int
    slug: str
    title: str
    org_id: str | None
    visibility: Visibility
    description: str
    created_at: int

    def to_json(self) -> dict[str, object]:
        return {
            "slug": self.slug,
            "title": self.title,
            "org": self.org_id,
            "visibility": self.visibility,
            "description": self.description,
            "created_at": self.created_at,
        }


def new_stream_key() -> str:
    return "lh_" + secrets.token_urlsafe(24)


def hash_stream_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def validate_slug(slug: str) -> str:
    if not SLUG_PATTERN.fullmatch(slug):
        raise RoomError(
            "invalid_slug",
            "a room slug is 1-64 lower-case letters, digits or '-', not starting or ending with '-'",
        )
    return slug


def _room(row: object) -> Room:
    mapping = row._mapping  # type: ignore[attr-defined]
    return Room(
        id=mapping["id"],
        slug=mapping["slug"],
        title=mapping["title"],
        org_id=mapping["org_id"],
        visibility=mapping["visibility"],
        description=mapping["description"],
        created_at=mapping["created_at"],
    )


class RoomRepository:
    """Creates rooms, looks them up and checks stream keys."""

    def __init__(self, store: Store) -> None:
        self._store = store

    async def create(
        self,
        slug: str,
        *,
        title: str | None = None,
        org_id: str | None = None,
        visibility: Visibility = "public",
        stream_key: str | None = None,
        description: str = "",
    ) -> tuple[Room, str]:
        """Creates a room and returns it with its stream key (shown once, stored hashed)."""
        validate_slug(slug)
        if visibility not in VISIBILITIES:
            raise RoomError("invalid_visibility", f"visibility must be one of {', '.join(VISIBILITIES)}")
        key = stream_key or new_stream_key()
        values = {
            "slug": slug,
            "title": (title or slug)[:200],
            "org_id": org_id,
            "visibility": visibility,
            "stream_key_hash": hash_stream_key(key),
            "description": description,
            "created_at": now_ms(),
        }
        try:
            async with self._store.engine.begin() as connection:
                await connection.execute(rooms.insert().values(**values))
        except IntegrityError as exc:
            raise RoomError("room_exists", f"a room named {slug!r} already exists") from exc
        room = await self.get(slug)
        assert room is not None
        return room, key

    async def get(self, slug: str) -> Room | None:
        async with self._store.engine.connect() as connection:
            row = (
                await connection.execute(select(rooms).where(rooms.c.slug == slug, rooms.c.archived.is_(False)))
            ).first()
        return None if row is None else _room(row)

    async def list(self, *, limit: int = 200) -> list[Room]:
        async with self._store.engine.connect() as connection:
            result = await connection.execute(
                select(rooms).where(rooms.c.archived.is_(False)).order_by(rooms.c.id).limit(limit)
            )
            return [_room(row) for row in result]

    async def check_stream_key(self, slug: str, key: str) -> bool:
        async with self._store.engine.connect() as connection:
            stored = (
                await connection.execute(
                    select(rooms.c.stream_key_hash).where(rooms.c.slug == slug, rooms.c.archived.is_(False))
                )
            ).scalar()
        return stored is not None and hmac.compare_digest(stored, hash_stream_key(key))

    async def rotate_stream_key(self, slug: str, stream_key: str | None = None) -> str:
        """Replaces the key (a leaked key, or a host handing over); the old one stops working."""
        key = stream_key or new_stream_key()
        async with self._store.engine.begin() as connection:
            result = await connection.execute(
                update(rooms).where(rooms.c.slug == slug).values(stream_key_hash=hash_stream_key(key))
            )
        if result.rowcount == 0:
            raise RoomError("unknown_room", f"no room named {slug!r}")
        return key
