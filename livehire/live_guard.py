"""Ends a live stream whose organisation may no longer recruit live (standard 4.2.3; docs/governance.md).

Going live is checked when a session starts and when WHIP publishes; a licence that lapses afterwards
(expired, revoked, re-verification overdue) must also stop the stream already running. Governance knows no
media and signaling no licences, so the composition root joins them here: governance's lapse listener
(``LicenceReview.on_lapse``) asks right after a lapse it committed, and the periodic licence sweep asks on
every node (a lapse committed by another node's sweep or a reviewer's request there reaches this node's
publishers within a sweep interval). Each stream ended is a ledger entry (``live.ended``, 4.4.1 f).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from common.errors import Forbidden
from signaling.service import SignalingService
from store.rooms import RoomRepository

log = logging.getLogger("livehire.live_guard")


class LiveGuard:
    def __init__(self, rooms: RoomRepository, signaling: SignalingService,
                 check_live: Callable[[str], Awaitable[None]],
                 record: Callable[[str, str, Mapping[str, Any]], Awaitable[object]] | None = None) -> None:
        """``record(kind, subject, body)``: the service ledger's append (None: not recorded)."""
        self._rooms = rooms
        self._signaling = signaling
        self._check_live = check_live
        self._record = record

    async def _allowed(self, org_id: str) -> bool:
        try:
            await self._check_live(org_id)
        except Forbidden:
            return False
        return True

    async def _cut(self, org_id: str | None) -> int:
        """Ends this node's publishers of the rooms of ``org_id`` (None: of any organisation no longer allowed)."""
        ended = 0
        verdicts: dict[str, bool] = {}
        for slug in self._signaling.live_rooms():
            room = await self._rooms.get(slug)
            if room is None or room.org_id is None or org_id not in (None, room.org_id):
                continue
            if room.org_id not in verdicts:
                verdicts[room.org_id] = await self._allowed(room.org_id)
            if not verdicts[room.org_id] and await self._signaling.end_publisher(slug, "licence_required"):
                log.warning("live stream of room %s ended: organisation %s no longer holds a live licence", slug,
                            room.org_id)
                ended += 1
                if self._record is not None:
                    await self._record("live.ended", f"room:{slug}", {"room": slug, "org": room.org_id,
                                                                      "reason": "licence_required"})
        return ended

    async def org_lapsed(self, org_id: str) -> int:
        """Governance's lapse listener: a licence of ``org_id`` stopped counting."""
        return await self._cut(org_id)

    async def sweep(self) -> int:
        """Every live room on this node whose organisation lost its live licence (any node's lapse)."""
        return await self._cut(None)
