"""Who may publish to and watch a room: the one question signaling asks the rest of the app.

The composition root implements :class:`RoomAccess` against the store (stream
keys hashed, host tokens via ``identity.tokens``); :class:`MemoryRoomAccess`
serves tests and embedded use. Standard 4.4.1 a: every endpoint is authorised.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

AccessResult = Literal["ok", "unknown_room", "unauthorized"]


class RoomAccess(Protocol):
    """Authorises publishers (stream key or host token) and viewers (private rooms need a token)."""

    async def authorize_publisher(self, room: str, bearer: str | None) -> AccessResult: ...

    async def authorize_viewer(self, room: str, bearer: str | None) -> AccessResult: ...


@dataclass(frozen=True, slots=True)
class RoomEntry:
    stream_key: str
    private: bool = False
    viewer_tokens: frozenset[str] = frozenset()


class MemoryRoomAccess:
    """Rooms → (stream key, private?, accepted viewer tokens), compared in constant time."""

    def __init__(self, rooms: Mapping[str, RoomEntry | tuple[str, bool]] | None = None) -> None:
        self._rooms: dict[str, RoomEntry] = {}
        for slug, entry in (rooms or {}).items():
            self.add(slug, entry if isinstance(entry, RoomEntry) else RoomEntry(entry[0], entry[1]))

    def add(self, slug: str, entry: RoomEntry) -> None:
        self._rooms[slug] = entry

    async def authorize_publisher(self, room: str, bearer: str | None) -> AccessResult:
        entry = self._rooms.get(room)
        if entry is None:
            return "unknown_room"
        if bearer is None or not hmac.compare_digest(bearer.encode(), entry.stream_key.encode()):
            return "unauthorized"
        return "ok"

    async def authorize_viewer(self, room: str, bearer: str | None) -> AccessResult:
        entry = self._rooms.get(room)
        if entry is None:
            return "unknown_room"
        if not entry.private:
            return "ok"
        if bearer is not None and (
            hmac.compare_digest(bearer.encode(), entry.stream_key.encode())
            or any(hmac.compare_digest(bearer.encode(), t.encode()) for t in entry.viewer_tokens)
        ):
            return "ok"
        return "unauthorized"
