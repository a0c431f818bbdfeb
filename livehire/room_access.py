"""Who may publish to and watch a room, answered from the store (standard 4.3.1 a, 4.4.1 a).

The media signaling layer asks through its ``RoomAccess`` protocol; this is the store-backed
implementation. A publisher shows the room's stream key (as OBS does) or an access token of a host or
admin of the room's own organisation (or a platform admin): the organisation is always compared (review
H1). A viewer needs what the room's visibility asks (``identity.policy.may_view_room``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal

from identity.policy import RoomFacts, may_publish, may_view_room
from identity.principal import ANONYMOUS, Principal
from identity.sessions import Sessions
from identity.tokens import TokenError
from store.rooms import Room, RoomRepository

AccessResult = Literal["ok", "unknown_room", "unauthorized"]


def facts_of(room: Room) -> RoomFacts:
    return RoomFacts(room.slug, room.org_id, room.visibility)


class StoreRoomAccess:
    """``live_licence`` (governance's licence check, 4.2.3) is asked once a publisher is authorised to an
    organisation's room; it raises ``Forbidden("licence_required")`` (403) when the organisation lacks the
    licence the platform's settings ask for live recruiting."""

    def __init__(self, rooms: RoomRepository, sessions: Sessions,
                 live_licence: Callable[[str], Awaitable[None]] | None = None) -> None:
        self._rooms = rooms
        self._sessions = sessions
        self._live_licence = live_licence

    def _principal(self, bearer: str | None) -> Principal | None:
        if not bearer:
            return None
        try:
            return self._sessions.verify_token(bearer)
        except TokenError:
            return None

    async def authorize_publisher(self, room: str, bearer: str | None) -> AccessResult:
        found = await self._rooms.get(room)
        if found is None:
            return "unknown_room"
        if not bearer:
            return "unauthorized"
        if not await self._rooms.check_stream_key(room, bearer):
            principal = self._principal(bearer)
            if principal is None or not may_publish(principal, facts_of(found)):
                return "unauthorized"
        if self._live_licence is not None and found.org_id is not None:
            await self._live_licence(found.org_id)
        return "ok"

    async def authorize_viewer(self, room: str, bearer: str | None) -> AccessResult:
        found = await self._rooms.get(room)
        if found is None:
            return "unknown_room"
        return "ok" if may_view_room(self._principal(bearer) or ANONYMOUS, facts_of(found)) else "unauthorized"
