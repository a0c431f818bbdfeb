"""Wiring of recordings: signaling's live state starts and stops them, recruiting names the live session,
governance's ledger records takedowns; start-up closes what a killed node left open."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

from governance.services import Governance
from media_server.sfu.broadcast import Broadcast
from recruiting.service import RecruitingService
from signaling.service import SignalingService
from store.engine import Store
from store.rooms import RoomRepository

from .api_recordings import OPENAPI_PATHS, RECORDINGS, install_recordings_api
from .keys import OPENAPI_PATHS as OPENAPI_KEY
from .recordings import Recordings
from .recordings_repo import RecordingRepository


def install_recordings(app: web.Application, *, data_dir: Path, store: Store, rooms: RoomRepository,
                       signaling: SignalingService, recruiting: RecruitingService, governance: Governance) -> None:
    def media(room: str) -> Broadcast | None:
        found = signaling.room_media(room)
        return None if found is None else found.broadcast

    recordings = Recordings(RecordingRepository(store), rooms, data_dir / "recordings", media=media,
                            current_session=recruiting.live.current, ledger=governance.ledger.append)
    announce = signaling.on_live_change

    def live_changed(room: str, live: bool) -> None:
        if announce is not None:
            announce(room, live)
        recordings.on_live_change(room, live)

    signaling.on_live_change = live_changed
    install_recordings_api(app, recordings)
    app[OPENAPI_KEY].append(OPENAPI_PATHS)
    app.cleanup_ctx.append(_recordings_context)


async def _recordings_context(app: web.Application) -> AsyncIterator[None]:
    """Closes rows a killed node left open; on shutdown, ends running recordings (before peers close)."""
    await app[RECORDINGS].recover()
    try:
        yield
    finally:
        await app[RECORDINGS].close()
