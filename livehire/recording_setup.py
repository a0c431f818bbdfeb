"""Wiring of recordings: signaling's live state starts and stops them, recruiting names the live session,
governance's ledger records takedowns, chat hands over delivered and deleted messages (a replay's chat);
start-up closes what a killed node left open; a daily purge applies the retention; the blob store's usage is
in ``/metrics``."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web
from prometheus_client import Gauge

from chat.service import ChatService
from common.periodic import every
from governance.services import Governance
from media_server.sfu.broadcast import Broadcast
from recording.blobs import BlobStore, LocalBlobStore, S3BlobStore
from recording.chat import ReplayChat
from recording.http import OPENAPI_PATHS, RECORDINGS, REPLAY_CHAT, install_recordings_api
from recording.repository import RecordingRepository
from recording.service import Recordings
from recruiting.service import RecruitingService
from signaling.service import SignalingService
from store.engine import Store
from store.rooms import RoomRepository

from .keys import AUTHENTICATE, REGISTRY
from .keys import OPENAPI_PATHS as OPENAPI_KEY
from .settings import Settings

PURGE_SECONDS = 86_400.0


def blob_store(settings: Settings) -> BlobStore:
    """The data dir's recordings directory, or the S3-compatible bucket when one is configured."""
    if settings.recording_s3_bucket:
        return S3BlobStore(settings.recording_s3_bucket, endpoint_url=settings.recording_s3_endpoint,
                           region=settings.recording_s3_region, access_key=settings.recording_s3_access_key,
                           secret_key=settings.recording_s3_secret_key)
    return LocalBlobStore(settings.data_dir / "recordings")


def build_recordings(settings: Settings, store: Store, rooms: RoomRepository, **ports: object) -> Recordings:
    """Recordings with the settings' storage and retention (the CLI builds them without media)."""
    return Recordings(RecordingRepository(store), rooms, settings.data_dir / "recordings",
                      blobs=blob_store(settings), retention_days=settings.recording_retention_days,
                      **ports)  # type: ignore[arg-type]


def install_recordings(app: web.Application, *, settings: Settings, store: Store, rooms: RoomRepository,
                       signaling: SignalingService, recruiting: RecruitingService, governance: Governance,
                       chat: ChatService, replay_chat: ReplayChat) -> None:
    def media(room: str) -> Broadcast | None:
        found = signaling.room_media(room)
        return None if found is None else found.broadcast

    stored = Gauge("livehire_recordings_bytes", "Bytes of replays and clips in the recordings' blob store",
                   registry=app[REGISTRY])
    count = Gauge("livehire_recordings", "Replays and clips in the recordings' blob store", registry=app[REGISTRY])

    def on_usage(blobs: int, size: int) -> None:
        count.set(blobs)
        stored.set(size)

    recordings = build_recordings(settings, store, rooms, media=media, current_session=recruiting.live.current,
                                  ledger=governance.ledger.append, on_usage=on_usage,
                                  node_url=settings.node_url or settings.base_url)
    announce = signaling.on_live_change

    def live_changed(room: str, live: bool) -> None:
        if announce is not None:
            announce(room, live)
        recordings.on_live_change(room, live)

    signaling.on_live_change = live_changed
    recordings.on_started = replay_chat.started
    chat.on_delivered = replay_chat.on_delivered
    chat.ops.on_deleted = replay_chat.on_deleted
    install_recordings_api(app, recordings, app[AUTHENTICATE], replay_chat)
    app[OPENAPI_KEY].append(OPENAPI_PATHS)
    app.cleanup_ctx.append(_recordings_context)


async def _recordings_context(app: web.Application) -> AsyncIterator[None]:
    """Closes rows a killed node left open and purges once; then daily; on shutdown, ends running recordings
    (before peers close)."""
    recordings, replay_chat = app[RECORDINGS], app[REPLAY_CHAT]
    if isinstance(recordings.blobs, S3BlobStore):
        await recordings.blobs.ensure_bucket()
    await replay_chat.start()
    await recordings.recover()
    await recordings.purge()
    await recordings.report_usage()
    try:
        async with every(PURGE_SECONDS, recordings.purge, name="recording retention purge"):
            yield
    finally:
        await recordings.close()
        await replay_chat.close()
        if isinstance(recordings.blobs, S3BlobStore):
            await recordings.blobs.close()
