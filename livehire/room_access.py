"""Who may publish to and watch a room, answered from the store (standard 4.3.1 a, 4.4.1 a).

The media signaling layer asks through its ``RoomAccess`` protocol; this is
the store-backed implementation. A publisher shows the room's stream key (as
OBS does) or a host/admin token valid for the room. A viewer of a public room
needs nothing; other visibilities need a token: ``logged_in`` any valid token,
``org`` a token of the room's organisation, ``private`` a token scoped to the
room (or an admin).
"""

from __future__ import annotations

from typing import Literal

from identity.principal import Principal
from identity.tokens import TokenError, TokenSigner
from store.rooms import Room, RoomRepository

AccessResult = Literal["ok", "unknown_room", "unauthorized"]


class StoreRoomAccess:
    def __init__(self, rooms: RoomRepository, signer: TokenSigner) -> None:
        self._rooms = rooms
        self._signer = signer

    def _principal(self, bearer: str | None) -> Principal | None:
        if not bearer:
            return None
        try:
            return self._signer.verify(bearer)
        except TokenError:
            return None

    async def authorize_publisher(self, room: str, bearer: str | None) -> AccessResult:
        if await self._rooms.get(room) is None:
            return "unknown_room"
        if not bearer:
            return "unauthorized"
        if await self._rooms.check_stream_key(room, bearer):
            return "ok"
        principal = self._principal(bearer)
        if principal is not None and principal.role in {"host", "admin"} and principal.may_act_in_room(room):
            return "ok"
        return "unauthorized"

    async def authorize_viewer(self, room: str, bearer: str | None) -> AccessResult:
        found = await self._rooms.get(room)
        if found is None:
            return "unknown_room"
        return "ok" if viewer_may_watch(found, self._principal(bearer)) else "unauthorized"


def viewer_may_watch(room: Room, principal: Principal | None) -> bool:
    if room.visibility == "public":
        return True
    if principal is None:
        return False
    if principal.role == "admin" and principal.org is None:
        return True
    if room.visibility == "logged_in":
        return True
    if room.visibility == "org":
        return room.org_id is not None and principal.org == room.org_id
    return principal.room == room.slug
